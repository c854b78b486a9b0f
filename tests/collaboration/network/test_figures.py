"""Figures of a network, checked against hand-worked answers."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from centres.models import ActorCategory, PresenceKind
from collaboration.models import Form
from collaboration.network.figures import (
    Share,
    bridging_sentence,
    compute_figures,
    modularity_sentence,
    whole_percent,
)
from tests.collaboration.network.builders import (
    PARTICIPANT,
    A,
    B,
    C,
    D,
    E,
    F,
    actors_of,
    betweenness_of,
    collaboration,
    network_of,
    network_of_pairs,
    present,
)


class TestActorFigures:
    def test_a_path_makes_the_middle_actor_the_broker(self):
        # A-B twice, B-C once.
        figures = compute_figures(network_of_pairs([(A, B), (A, B), (B, C)])).per_actor
        # Degree: partners. Weighted degree: collaborations counted per partner (A 2, B 2+1, C 1).
        assert [(figures[n].degree, figures[n].weighted_degree) for n in (A, B, C)] == [(1, 2), (2, 3), (1, 1)]
        # The only pair not next to each other, A and C, goes through B: B 1/1 pairs, normalised by 1 pair = 1.0.
        assert [figures[n].betweenness for n in (A, B, C)] == [0.0, 1.0, 0.0]

    def test_the_centre_of_a_star_brokers_every_pair_of_leaves(self):
        figures = compute_figures(network_of_pairs([(A, B), (A, C), (A, D), (A, E)])).per_actor
        # All 6 pairs of leaves go through A; (n-1)(n-2)/2 = 4*3/2 = 6 possible pairs: 6/6 = 1.0.
        assert figures[A].betweenness == pytest.approx(1.0)
        assert figures[A].degree == 4
        assert [figures[n].betweenness for n in (B, C, D, E)] == [0.0] * 4
        assert [figures[n].degree for n in (B, C, D, E)] == [1] * 4

    def test_betweenness_splits_a_pair_over_its_shortest_paths(self):
        # A square A-B-C-D-A: A..C go via B or D (half each), B..D via A or C (half each).
        # Each actor gets 0.5 of one pair; normalised by (n-1)(n-2)/2 = 3: 0.5/3 = 1/6.
        network = network_of_pairs([(A, B), (B, C), (C, D), (D, A)])
        assert betweenness_of(network) == pytest.approx({A: 1 / 6, B: 1 / 6, C: 1 / 6, D: 1 / 6})

    def test_betweenness_counts_an_isolated_actor_among_the_pairs_as_networkx_does(self):
        # A-B, B-C, C-D, B-D and E present without a tie: n = 5.
        # B lies on the only shortest path of A..C and of A..D: 2 pairs of (4*3)/2 = 6 -> 1/3; all others 0.
        network = network_of_pairs([(A, B), (B, C), (C, D), (B, D)], presences=present(E))
        expected = {A: 0.0, B: 1 / 3, C: 0.0, D: 0.0, E: 0.0}
        assert betweenness_of(network) == pytest.approx(expected)
        assert nx.betweenness_centrality(network.graph) == pytest.approx(expected)

    def test_betweenness_matches_networkx_on_a_larger_graph(self):
        karate = nx.karate_club_graph()
        pairs = [(a + 1, b + 1) for a, b in karate.edges()]
        network = network_of_pairs(pairs, actors=actors_of(names={n + 1: f"Forening {n + 1:02}" for n in karate}))
        assert betweenness_of(network) == pytest.approx(nx.betweenness_centrality(network.graph))

    def test_fewer_than_three_actors_broker_nothing(self):
        assert betweenness_of(network_of_pairs([(A, B)])) == {A: 0.0, B: 0.0}


class TestNetworkFigures:
    def test_density_and_components_count_a_present_actor_without_ties(self):
        # A triangle A-B-C and D present alone: 4 actors, 3 of 4*3/2 = 6 possible ties -> 0.5; 2 components.
        figures = compute_figures(network_of_pairs([(A, B), (B, C), (C, A)], presences=present(A, D)))
        assert (figures.actors, figures.ties, figures.density, figures.components) == (4, 3, 0.5, 2)

    def test_an_empty_network_has_no_density(self):
        figures = compute_figures(network_of([], [], presences=present(A)))
        assert (figures.actors, figures.ties, figures.density, figures.components) == (1, 0, 0.0, 1)

    def test_disconnected_actors_are_present_without_a_tie(self):
        names = {A: "Alfa", B: "Bravo", D: "Zulu", E: "Yankee", F: "Foxtrot"}
        # A and B are tied (A also present); D is based in the centre, E uses it ad hoc, neither has a tie;
        # F is neither present nor tied and must not appear at all.
        presences = [*present(A, D), *present(E, kind=PresenceKind.AD_HOC)]
        network = network_of_pairs([(A, B)], presences=presences, actors=actors_of(names=names))
        figures = compute_figures(network)
        # Sorted by name: Yankee (E) before Zulu (D).
        assert figures.disconnected == [E, D]
        assert F not in network.graph
        assert network.graph.nodes[D]["based"] is True
        assert network.graph.nodes[E]["based"] is False
        assert network.graph.nodes[E]["present"] is True
        assert network.graph.nodes[B]["present"] is False

    def test_the_ei_index_weighs_ties_across_sectors_against_ties_within(self):
        categories = {
            A: ActorCategory.ASSOCIATION,  # civil society
            B: ActorCategory.JOB_CENTRE,  # public
            C: ActorCategory.BUSINESS,  # private
            D: ActorCategory.POLICE,  # public
        }
        network = network_of_pairs([(A, B), (A, C), (B, D)], actors=actors_of(categories))
        # Across: A-B, A-C (2). Within: B-D, both public though of different categories (1). (2 - 1) / 3.
        assert compute_figures(network).ei_index == pytest.approx(1 / 3)

    def test_the_ei_index_is_minus_one_when_every_tie_stays_in_its_sector(self):
        network = network_of_pairs([(A, B), (B, C)])  # all associations
        assert compute_figures(network).ei_index == -1.0

    def test_the_ei_index_is_unknown_without_ties(self):
        assert compute_figures(network_of([], [], presences=present(A, B))).ei_index is None

    def test_form_shares_count_each_tie_once_by_its_highest_form(self):
        collaborations = [
            collaboration(1, Form.KNOWLEDGE_SHARING),  # A-B
            collaboration(2, Form.KNOWLEDGE_SHARING),  # A-C, deepened by 3
            collaboration(3, Form.RESOURCE_EXCHANGE),  # A-C
            collaboration(4, Form.RESOURCE_EXCHANGE),  # B-C
            collaboration(5, Form.CO_CREATION),  # C-D
        ]
        pairs = {1: (A, B), 2: (A, C), 3: (A, C), 4: (B, C), 5: (C, D)}
        participations = [(pk, actor, PARTICIPANT) for pk, pair in pairs.items() for actor in pair]
        shares = compute_figures(network_of(collaborations, participations)).form_shares
        # 4 ties with highest forms 1 (A-B), 3 (A-C), 3 (B-C), 5 (C-D).
        assert shares == {1: Share(1, 4), 2: Share(0, 4), 3: Share(2, 4), 4: Share(0, 4), 5: Share(1, 4)}
        assert [str(share) for share in shares.values()] == ["25 %", "0 %", "50 %", "0 %", "25 %"]

    def test_form_shares_are_unknown_without_ties(self):
        shares = compute_figures(network_of([], [], presences=present(A))).form_shares
        assert shares == dict.fromkeys(range(1, 6))


class TestShares:
    @pytest.mark.parametrize(
        ("part", "whole", "percent"),
        [
            (23, 40, 58),  # 57.5: in floating point 0.575 * 100 is 57.4999…, which rounded down before
            (7, 40, 18),  # 17.5
            (1, 40, 3),  # 2.5
            (1, 3, 33),
            (2, 3, 67),
            (1, 8, 13),  # 12.5
            (0, 5, 0),
            (5, 5, 100),
        ],
    )
    def test_shares_round_halves_up_from_the_counts(self, part, whole, percent):
        assert whole_percent(part, whole) == percent
        assert str(Share(part, whole)) == f"{percent} %"

    def test_the_share_across_sectors_is_kept_as_its_counts(self):
        categories = {A: ActorCategory.ASSOCIATION, B: ActorCategory.JOB_CENTRE, C: ActorCategory.POLICE}
        network = network_of_pairs([(A, B), (B, C)], actors=actors_of(categories))
        assert compute_figures(network).cross_sector_share == Share(1, 2)


class TestBridgingAgainstChance:
    CATEGORIES = {
        A: ActorCategory.ASSOCIATION,  # civil society
        B: ActorCategory.JOB_CENTRE,  # public
        C: ActorCategory.BUSINESS,  # private
        D: ActorCategory.POLICE,  # public
        E: ActorCategory.SCHOOL_DAYCARE,  # public, present but without a tie
    }

    def figures(self):
        network = network_of_pairs([(A, B), (A, C), (B, D)], presences=present(E), actors=actors_of(self.CATEGORIES))
        return compute_figures(network)

    def test_a_random_mix_of_the_active_actors_gives_the_expected_ei_index(self):
        # Active actors A, B, C, D: 6 pairs, of which one (B-D, both public) lies within a sector group; E has no
        # tie and does not count. By chance 5 of 6 ties would cross: E-I = 2 × 5/6 - 1 = 2/3.
        figures = self.figures()
        assert figures.expected_cross_sector_share == Share(5, 6)
        assert figures.expected_ei_index == pytest.approx(2 / 3)
        # The real ties cross less often: (2 - 1) / 3 = 1/3.
        assert figures.ei_index == pytest.approx(1 / 3)

    def test_it_says_in_words_how_the_centre_compares_with_chance(self):
        # Two of the three ties cross sectors: fewer than chance, yet most of them, which the sentence must not hide.
        assert bridging_sentence(self.figures()) == (
            "Båndene holder sig oftere inden for samme sektorgruppe, end en tilfældig blanding af de samme aktører "
            "ville (E-I +0,33 mod +0,67), selv om de fleste stadig går på tværs af sektorerne."
        )

    def test_a_centre_whose_ties_mostly_stay_within_a_sector_is_told_so(self):
        # One of three ties crosses (A-B); the others join public actors: E-I (1 - 2) / 3 = -1/3. By chance 3 of
        # the 6 pairs of A, B, D and E would cross: E-I 0.
        network = network_of_pairs([(A, B), (B, D), (D, E)], actors=actors_of(self.CATEGORIES))
        assert bridging_sentence(compute_figures(network)) == (
            "Båndene holder sig oftere inden for samme sektorgruppe, end en tilfældig blanding af de samme aktører "
            "ville (E-I -0,33 mod 0,00): aktørerne arbejder mest med deres egen sektor."
        )

    def test_ties_that_cross_exactly_half_the_time_are_said_to(self):
        # A-B crosses, B-D stays public: E-I 0. By chance 2 of the 3 pairs of A, B and D would cross: +1/3.
        network = network_of_pairs([(A, B), (B, D)], actors=actors_of(self.CATEGORIES))
        assert bridging_sentence(compute_figures(network)) == (
            "Båndene holder sig oftere inden for samme sektorgruppe, end en tilfældig blanding af de samme aktører "
            "ville (E-I 0,00 mod +0,33): halvdelen af dem går på tværs af sektorerne."
        )

    def test_ties_that_cross_more_than_chance_yet_mostly_stay_within_a_sector_are_told_both(self):
        # A civil-society actor among four public ones: by chance 4 of 10 pairs cross (E-I -0.2). Three of the
        # seven ties are A's, and cross: E-I (3 - 4) / 7 = -0.14, more than chance, yet most stay public.
        categories = self.CATEGORIES | {F: ActorCategory.JOB_CENTRE}
        ties = [(A, B), (A, D), (A, E), (B, D), (D, E), (E, F), (B, F)]
        network = network_of_pairs(ties, actors=actors_of(categories))
        assert bridging_sentence(compute_figures(network)) == (
            "Båndene går oftere på tværs af sektorgrupper, end en tilfældig blanding af de samme aktører ville "
            "(E-I -0,14 mod -0,20), selv om de fleste holder sig inden for én sektor."
        )

    def test_a_network_of_one_sector_has_no_mix_to_compare_with(self):
        figures = compute_figures(network_of_pairs([(A, B)]))  # two associations
        assert figures.expected_ei_index == -1.0
        assert compute_figures(network_of([], [], presences=present(A))).expected_ei_index is None


class TestModularity:
    def test_two_triangles_joined_by_one_tie_have_the_modularity_worked_out_by_hand(self):
        # 7 ties; each triangle holds 3 of them and its degrees add up to 7: Q = 2 × (3/7 - (7/14)²) = 5/14.
        network = network_of_pairs(TestCommunities.TWO_TRIANGLES, actors=actors_of(names=TestCommunities.NAMES))
        assert compute_figures(network).modularity == pytest.approx(5 / 14)

    def test_communities_follow_the_strength_of_the_ties(self):
        # A ring A-B-C-D-A where A-B and C-D collaborated three times, B-C and D-A once. Unweighted, the ring has
        # no groups; weighted by collaborations, {A, B} and {C, D} are two.
        pairs = [(A, B)] * 3 + [(C, D)] * 3 + [(B, C), (D, A)]
        figures = compute_figures(network_of_pairs(pairs))
        communities = {node: f.community for node, f in figures.per_actor.items()}
        assert communities[A] == communities[B] != communities[C] == communities[D]
        # Total strength 8; each pair holds 3 and has strength 4 + 4: Q = 2 × (3/8 - (8/16)²) = 1/4.
        assert figures.modularity == pytest.approx(1 / 4)

    def test_a_network_without_ties_has_no_modularity(self):
        assert compute_figures(network_of([], [], presences=present(A, B))).modularity is None

    def test_it_says_whether_the_communities_are_real_groups(self):
        network = network_of_pairs(TestCommunities.TWO_TRIANGLES, actors=actors_of(names=TestCommunities.NAMES))
        assert (
            modularity_sentence(compute_figures(network)) == "Fællesskaberne er tydelige grupper (modularitet +0,36)."
        )

    def test_it_calls_communities_between_chance_and_clear_groups_weak(self):
        pairs = [(A, B)] * 3 + [(C, D)] * 3 + [(B, C), (D, A)]
        assert modularity_sentence(compute_figures(network_of_pairs(pairs))) == (
            "Fællesskaberne er svage grupper (modularitet +0,25)."
        )

    def test_it_calls_communities_near_zero_little_more_than_chance(self):
        triangle = [(A, B), (B, C), (C, A)]
        assert modularity_sentence(compute_figures(network_of_pairs(triangle))) == (
            "Fællesskaberne er svage grupper, ikke meget mere end tilfældighed (modularitet 0,00)."
        )


class TestCommunities:
    # Names chosen so that the triangle with the higher ids has the alphabetically first names.
    NAMES = {1: "Xray", 2: "Yankee", 3: "Zulu", 4: "Alfa", 5: "Bravo", 6: "Charlie", 7: "Able", 8: "Baker", 9: "Aaron"}
    TWO_TRIANGLES = [(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4), (3, 4)]

    def communities(self, pairs, presences=()) -> dict[int, int]:
        network = network_of_pairs(pairs, presences=presences, actors=actors_of(names=self.NAMES))
        return {node: figures.community for node, figures in compute_figures(network).per_actor.items()}

    def test_two_triangles_joined_by_one_tie_are_two_communities(self):
        # Equal size, so the triangle holding "Alfa" comes first.
        assert self.communities(self.TWO_TRIANGLES) == {4: 1, 5: 1, 6: 1, 1: 2, 2: 2, 3: 2}

    def test_communities_are_the_same_every_time(self):
        first = self.communities(self.TWO_TRIANGLES)
        assert all(self.communities(self.TWO_TRIANGLES) == first for _ in range(5))

    def test_communities_do_not_depend_on_the_global_random_state(self):
        # Louvain visits nodes in random order; on the karate club that changes the split unless it is seeded.
        karate = nx.karate_club_graph()
        names = {n + 1: f"Forening {n + 1:02}" for n in karate}
        network = network_of_pairs([(a + 1, b + 1) for a, b in karate.edges()], actors=actors_of(names=names))
        results = []
        state = random.getstate()
        try:
            for seed in range(8):
                random.seed(seed)
                results.append({node: f.community for node, f in compute_figures(network).per_actor.items()})
        finally:
            random.setstate(state)
        assert all(result == results[0] for result in results)

    def test_larger_communities_come_first_and_isolated_actors_stand_alone(self):
        # The triangle Xray-Yankee-Zulu (3), the pair Able-Baker (2), Aaron present alone (1).
        communities = self.communities([(1, 2), (2, 3), (3, 1), (7, 8)], presences=present(9))
        assert communities == {1: 1, 2: 1, 3: 1, 7: 2, 8: 2, 9: 3}

    def test_without_ties_every_actor_is_a_community_numbered_by_name(self):
        assert self.communities([], presences=present(3, 4, 9)) == {9: 1, 4: 2, 3: 3}
