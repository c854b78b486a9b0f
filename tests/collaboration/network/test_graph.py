"""Rows -> graph: ties, directions, selections, and reading a selection from the database."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres.models import ActorCategory, PresenceKind
from collaboration.models import Form, Frequency, Level, ParticipantRole, Theme
from collaboration.network.figures import compute_figures
from collaboration.network.graph import Selection, load_actor_network, load_network, to_igraph
from tests.collaboration.network.builders import (
    ALL,
    CENTRE,
    GIVER,
    PARTICIPANT,
    RECEIVER,
    REFERRED,
    REFERRER,
    A,
    B,
    C,
    D,
    E,
    F,
    actors_of,
    collaboration,
    day,
    edges,
    network_of,
    network_of_pairs,
    present,
)
from tests.factories import make_actor, make_collaboration, make_presence


class TestTies:
    def test_a_collaboration_of_three_actors_makes_three_ties(self):
        network = network_of([collaboration(10)], [(10, A, PARTICIPANT), (10, B, PARTICIPANT), (10, C, PARTICIPANT)])
        # Every pair of the three: A-B, A-C, B-C.
        assert edges(network) == {(A, B), (A, C), (B, C)}
        assert all(
            data["count"] == 1 and data["collaborations"] == [10] for *_ab, data in network.graph.edges(data=True)
        )

    def test_a_tie_sums_up_every_collaboration_of_the_same_pair(self):
        collaborations = [
            collaboration(12, Form.ALIGNMENT, day(2, 15), day(5, 31), Frequency.MONTHLY),
            collaboration(10, Form.KNOWLEDGE_SHARING, day(1, 10), day(2, 1), Frequency.WEEKLY),
            collaboration(11, Form.COORDINATED_ACTION, day(3, 1), day(4, 30), Frequency.MONTHLY),
        ]
        participations = [
            (10, A, PARTICIPANT),
            (10, B, PARTICIPANT),
            (11, A, PARTICIPANT),
            (11, B, PARTICIPANT),
            (11, C, PARTICIPANT),
            (12, B, PARTICIPANT),
            (12, A, PARTICIPANT),
        ]
        network = network_of(collaborations, participations)
        # A-B is in 10, 11 and 12: forms {1, 4, 2}, earliest start 10 Jan, latest end 31 May,
        # monthly twice (11, 12) against weekly once (10).
        assert network.graph.edges[A, B] == {
            "count": 3,
            "forms": [1, 2, 4],
            "highest_form": Form.COORDINATED_ACTION,
            "first": day(1, 10),
            "last": day(5, 31),
            "frequency": Frequency.MONTHLY,
            "collaborations": [10, 11, 12],
        }
        # A-C and B-C only come from 11.
        assert network.graph.edges[A, C]["collaborations"] == [11]
        assert network.graph.edges[B, C]["count"] == 1
        assert network.graph.edges[B, C]["highest_form"] == Form.COORDINATED_ACTION

    def test_a_tie_with_a_collaboration_still_going_on_has_no_last_day_whatever_the_selection(self):
        collaborations = [
            collaboration(10, started_on=day(1, 10), ended_on=day(2, 1)),
            collaboration(11, started_on=day(3, 1)),  # no end date: going on
            collaboration(12, started_on=day(4, 1), ended_on=day(12, 31)),
        ]
        participations = [(10, A, PARTICIPANT), (10, B, PARTICIPANT), (11, A, PARTICIPANT), (11, B, PARTICIPANT)]
        participations += [(12, A, PARTICIPANT), (12, C, PARTICIPANT)]
        # An end of the selection in the future or in the past changes neither: a tie's dates are its own.
        for end in (day(6, 30), datetime.date(2030, 12, 31), None):
            network = network_of(collaborations, participations, selection=Selection(centre_ids=(CENTRE,), end=end))
            assert (network.graph.edges[A, B]["first"], network.graph.edges[A, B]["last"]) == (day(1, 10), None)
            assert (network.graph.edges[A, C]["first"], network.graph.edges[A, C]["last"]) == (day(4, 1), day(12, 31))

    @pytest.mark.parametrize(
        ("frequencies", "expected"),
        [
            # One each of "now and then" and "daily": a tie, the more frequent (daily) wins.
            ([Frequency.OCCASIONALLY, Frequency.DAILY], Frequency.DAILY),
            ([Frequency.DAILY, Frequency.OCCASIONALLY], Frequency.DAILY),
            # Weekly twice and monthly twice tie; weekly is more frequent. Daily once loses on count.
            ([Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY, Frequency.MONTHLY, Frequency.WEEKLY], "weekly"),
            # Once three times beats daily twice: the count comes first.
            ([Frequency.ONCE, Frequency.DAILY, Frequency.ONCE, Frequency.DAILY, Frequency.ONCE], "once"),
        ],
    )
    def test_a_tie_takes_the_most_common_rhythm_and_the_more_frequent_on_a_draw(self, frequencies, expected):
        collaborations = [collaboration(pk, frequency=f) for pk, f in enumerate(frequencies, start=1)]
        participations = [(pk, actor, PARTICIPANT) for pk in range(1, len(frequencies) + 1) for actor in (A, B)]
        assert network_of(collaborations, participations).graph.edges[A, B]["frequency"] == expected

    def test_the_igraph_twin_made_while_building_has_every_tie_of_the_graph_and_its_weight(self):
        rng = random.Random(7)
        forms = list(Form)
        collaborations = [collaboration(pk, rng.choice(forms)) for pk in range(1, 60)]
        participations = [
            (pk, actor, PARTICIPANT)
            for pk in range(1, 60)
            for actor in rng.sample([A, B, C, D, E, F], rng.randint(2, 4))
        ]
        network = network_of(collaborations, participations)
        twin, order = network.twin
        rebuilt, rebuilt_order = to_igraph(network.graph)
        assert order == rebuilt_order == sorted(network.graph)

        def ties(g):
            return sorted((order[e.source], order[e.target], e["count"], e["highest_form"]) for e in g.es)

        assert ties(twin) == ties(rebuilt)
        assert ties(twin) == sorted(
            (*sorted((a, b)), d["count"], d["highest_form"]) for a, b, d in network.graph.edges(data=True)
        )
        assert twin.vs["sector"] == rebuilt.vs["sector"]

    def test_a_participant_in_no_collaboration_of_the_selection_is_not_a_node(self):
        # Participation row for collaboration 99, which is not among the collaborations: nothing comes of it.
        network = network_of([collaboration(1)], [(1, A, PARTICIPANT), (1, B, PARTICIPANT), (99, C, PARTICIPANT)])
        assert set(network.graph) == {A, B}


class TestDirectedTies:
    def test_gifts_and_referrals_are_recorded_from_giver_and_referrer(self):
        collaborations = [
            collaboration(1, Form.RESOURCE_EXCHANGE),
            collaboration(2, Form.ALIGNMENT),
            collaboration(3, Form.RESOURCE_EXCHANGE),
            collaboration(4, Form.COORDINATED_ACTION),
        ]
        participations = [
            # 1: A gives to B and C.
            (1, A, GIVER),
            (1, B, RECEIVER),
            (1, C, RECEIVER),
            # 2: D refers a resident to A; B only takes part.
            (2, D, REFERRER),
            (2, A, REFERRED),
            (2, B, PARTICIPANT),
            # 3: A gives to B once more.
            (3, A, GIVER),
            (3, B, RECEIVER),
            # 4: a lead and a participant have no direction.
            (4, C, ParticipantRole.LEAD),
            (4, D, PARTICIPANT),
        ]
        network = network_of(collaborations, participations)
        assert dict(network.directed) == {(A, B): 2, (A, C): 1, (D, A): 1}

    def test_directed_pairs_that_go_both_ways_are_kept_both_ways(self):
        collaborations = [
            collaboration(1, Form.RESOURCE_EXCHANGE),
            collaboration(2, Form.RESOURCE_EXCHANGE),
            collaboration(3, Form.ALIGNMENT),
        ]
        participations = [(1, A, GIVER), (1, B, RECEIVER), (2, B, GIVER), (2, A, RECEIVER), (3, A, REFERRER)]
        participations.append((3, C, REFERRED))
        network = network_of(collaborations, participations)
        # Directed pairs A->B, B->A, A->C. Giving and referring are not one kind of reciprocity, so no figure
        # merges them: the mapping rounds' two-sided answers measure it instead.
        assert set(network.directed) == {(A, B), (B, A), (A, C)}


class TestSelection:
    def test_it_includes_actors_by_sector_and_by_category(self):
        public = Selection(centre_ids=(CENTRE,), sectors=("public",))
        assert public.includes_actor(ActorCategory.JOB_CENTRE)
        assert public.includes_actor(ActorCategory.POLICE)
        assert not public.includes_actor(ActorCategory.ASSOCIATION)
        police = Selection(centre_ids=(CENTRE,), categories=(ActorCategory.POLICE,))
        assert police.includes_actor(ActorCategory.POLICE)
        assert not police.includes_actor(ActorCategory.JOB_CENTRE)
        # Both: the category must be listed and lie in a listed sector.
        both = Selection(centre_ids=(CENTRE,), sectors=("civil_society",), categories=(ActorCategory.POLICE, "ngo"))
        assert both.includes_actor(ActorCategory.NGO)
        assert not both.includes_actor(ActorCategory.POLICE)
        assert not both.includes_actor(ActorCategory.ASSOCIATION)
        assert ALL.includes_actor(ActorCategory.BUSINESS)

    def test_actors_outside_the_selected_sectors_leave_the_network_with_their_ties(self):
        categories = {
            A: ActorCategory.ASSOCIATION,
            B: ActorCategory.JOB_CENTRE,
            C: ActorCategory.POLICE,
            D: ActorCategory.NGO,
        }
        collaborations = [collaboration(1, Form.RESOURCE_EXCHANGE), collaboration(2), collaboration(3)]
        participations = [
            (1, A, GIVER),  # A gives to B: A is not public, so no tie and no direction
            (1, B, RECEIVER),
            (2, B, PARTICIPANT),  # B, C and D: only B-C stays
            (2, C, PARTICIPANT),
            (2, D, PARTICIPANT),
            (3, A, PARTICIPANT),  # A-D: neither is public
            (3, D, PARTICIPANT),
        ]
        public = Selection(centre_ids=(CENTRE,), sectors=("public",))
        network = network_of(collaborations, participations, present(A, B), actors_of(categories), public)
        assert set(network.graph) == {B, C}
        assert edges(network) == {(B, C)}
        assert network.graph.edges[B, C]["collaborations"] == [2]
        assert not network.directed

    def test_a_category_filter_keeps_only_that_category(self):
        categories = {A: ActorCategory.ASSOCIATION, B: ActorCategory.NGO, C: ActorCategory.NGO}
        ngos = Selection(centre_ids=(CENTRE,), categories=(ActorCategory.NGO,))
        network = network_of_pairs([(A, B), (B, C), (A, C)], actors=actors_of(categories), selection=ngos)
        assert edges(network) == {(B, C)}
        assert A not in network.graph

    def test_an_actor_left_without_partners_by_the_selection_is_not_counted(self):
        categories = {A: ActorCategory.ASSOCIATION, B: ActorCategory.JOB_CENTRE}
        public = Selection(centre_ids=(CENTRE,), sectors=("public",))
        # B's only partner A is filtered out and B is not present: B has no tie and should not count.
        network = network_of_pairs([(A, B)], actors=actors_of(categories), selection=public)
        assert compute_figures(network).actors == 0

    def test_an_actor_left_without_partners_by_the_selection_is_not_disconnected(self):
        categories = {A: ActorCategory.ASSOCIATION, B: ActorCategory.JOB_CENTRE, C: ActorCategory.POLICE}
        public = Selection(centre_ids=(CENTRE,), sectors=("public",))
        # B's only partner A is filtered out; B is not present in the centre. C is present without a tie.
        network = network_of_pairs([(A, B)], presences=present(C), actors=actors_of(categories), selection=public)
        assert not network.graph.edges
        assert compute_figures(network).disconnected == [C]

    def test_a_quarter_is_compared_with_the_quarter_before(self):
        quarter = Selection(centre_ids=(CENTRE,), start=day(7, 1), end=day(9, 30), forms=(2,), sectors=("public",))
        previous = quarter.previous()
        # Whole calendar months stay whole months: Q3 (1 Jul..30 Sep) is compared with Q2 (1 Apr..30 Jun).
        assert (previous.start, previous.end) == (day(4, 1), day(6, 30))
        # Everything but the period is kept.
        assert (previous.centre_ids, previous.forms, previous.sectors) == ((CENTRE,), (2,), ("public",))

    def test_a_month_is_compared_with_the_month_before_across_a_new_year(self):
        january = Selection(centre_ids=(CENTRE,), start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
        previous = january.previous()
        assert (previous.start, previous.end) == (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))

    def test_any_other_period_is_compared_with_as_many_days_just_before(self):
        period = Selection(centre_ids=(CENTRE,), start=day(7, 10), end=day(7, 19))
        previous = period.previous()
        # 10..19 July is 10 days; the 10 days before are 30 June..9 July.
        assert (previous.start, previous.end) == (day(6, 30), day(7, 9))

    @pytest.mark.parametrize(("start", "end"), [(None, None), (day(7, 1), None), (None, day(9, 30))])
    def test_an_open_period_has_no_previous_period(self, start, end):
        assert Selection(centre_ids=(CENTRE,), start=start, end=end).previous() is None


def node_names(network) -> set[str]:
    return {data["name"] for _node, data in network.graph.nodes(data=True)}


def tie_names(network) -> set[tuple[str, str]]:
    graph = network.graph
    return {tuple(sorted((graph.nodes[a]["name"], graph.nodes[b]["name"]))) for a, b in graph.edges()}


@pytest.mark.django_db
class TestLoadNetwork:
    START, END = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)

    @pytest.fixture
    def world(self, centre, other_centre):
        """Collaborations in `centre` that differ in period, form, theme and level; one in `other_centre`."""
        names = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India"]
        # All associations (civil society) but Bravo, a job centre (public sector).
        categories = {"Bravo": ActorCategory.JOB_CENTRE}
        a, b, c, d, e, f, g, h, i = (
            make_actor(name=name, category=categories.get(name, ActorCategory.ASSOCIATION)) for name in names
        )
        health, youth = (
            Theme.objects.create(name="Netværkstest sundhed"),
            Theme.objects.create(name="Netværkstest unge"),
        )
        during = datetime.date(2026, 5, 1)
        collaborations = {
            "a_b": make_collaboration(
                centre,
                [a, b],
                started_on=datetime.date(2026, 4, 15),
                ended_on=datetime.date(2026, 5, 20),
                themes=[health],
            ),
            "b_gives_a": make_collaboration(
                centre, [b, a], form=Form.RESOURCE_EXCHANGE, started_on=during, ended_on=during
            ),
            # Started before the period and still going on.
            "b_c_ongoing": make_collaboration(
                centre, [b, c], form=Form.COORDINATED_ACTION, started_on=datetime.date(2026, 1, 1), themes=[health]
            ),
            # Ends on the period's first day.
            "c_d_ends_on_start": make_collaboration(
                centre, [c, d], started_on=datetime.date(2026, 2, 1), ended_on=self.START
            ),
            "a_e_before": make_collaboration(
                centre, [a, e], started_on=datetime.date(2026, 1, 1), ended_on=datetime.date(2026, 3, 31)
            ),
            "a_f_after": make_collaboration(centre, [a, f], started_on=datetime.date(2026, 7, 1)),
            "d_e_co_creation": make_collaboration(
                centre, [d, e], form=Form.CO_CREATION, started_on=during, themes=[health]
            ),
            "b_d_youth": make_collaboration(centre, [b, d], started_on=during, themes=[youth]),
            "e_f_leadership": make_collaboration(centre, [e, f], started_on=during, level=Level.LEADERSHIP),
            # In the period, but in the other centre.
            "a_c_elsewhere": make_collaboration(other_centre, [a, c], started_on=during, themes=[health]),
        }
        make_presence(centre, a)
        make_presence(centre, g, kind=PresenceKind.AD_HOC)  # present, never tied
        make_presence(other_centre, h)  # present in the other centre only
        make_presence(centre, i, started_on=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 3, 31))  # left
        return {
            "actors": dict(zip(names, (a, b, c, d, e, f, g, h, i), strict=True)),
            "themes": (health, youth),
            "collaborations": collaborations,
        }

    def select(self, centre, **kwargs) -> Selection:
        return Selection(centre_ids=(centre.pk,), start=self.START, end=self.END, **kwargs)

    def test_the_period_takes_every_collaboration_going_on_in_it(self, world, centre):
        network = load_network(self.select(centre))
        # Out: a_e_before (ended 31 Mar), a_f_after (starts 1 Jul), a_c_elsewhere (other centre).
        assert tie_names(network) == {
            ("Alfa", "Bravo"),
            ("Bravo", "Charlie"),
            ("Charlie", "Delta"),
            ("Delta", "Echo"),
            ("Bravo", "Delta"),
            ("Echo", "Foxtrot"),
        }
        # Golf is present without a tie; Hotel is in the other centre; India's presence ended before the period.
        assert node_names(network) == {"Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"}
        actors, collaborations = world["actors"], world["collaborations"]
        a, b = actors["Alfa"].pk, actors["Bravo"].pk
        tie = network.graph.edges[a, b]
        assert tie["collaborations"] == sorted([collaborations["a_b"].pk, collaborations["b_gives_a"].pk])
        assert (tie["forms"], tie["first"], tie["last"]) == (
            [1, 3],
            datetime.date(2026, 4, 15),
            datetime.date(2026, 5, 20),
        )
        assert dict(network.directed) == {(b, a): 1}
        assert network.graph.nodes[b]["sector"] == "public"
        assert network.graph.nodes[a]["centres"] == {centre.pk}
        assert compute_figures(network).disconnected == [actors["Golf"].pk]

    def test_another_centres_collaborations_never_appear(self, world, centre, other_centre):
        network = load_network(self.select(centre))
        assert ("Alfa", "Charlie") not in tie_names(network)
        assert all(data["centres"] == {centre.pk} for _node, data in network.graph.nodes(data=True))
        elsewhere = load_network(self.select(other_centre))
        assert tie_names(elsewhere) == {("Alfa", "Charlie")}
        assert node_names(elsewhere) == {"Alfa", "Charlie", "Hotel"}

    def test_forms_select_the_collaborations_of_those_forms(self, world, centre):
        network = load_network(self.select(centre, forms=(Form.KNOWLEDGE_SHARING, Form.COORDINATED_ACTION)))
        # Out: b_gives_a (form 3) and d_e_co_creation (form 5); Alfa-Bravo stays through a_b.
        assert tie_names(network) == {
            ("Alfa", "Bravo"),
            ("Bravo", "Charlie"),
            ("Charlie", "Delta"),
            ("Bravo", "Delta"),
            ("Echo", "Foxtrot"),
        }
        assert not network.directed

    def test_themes_select_the_collaborations_with_any_of_them(self, world, centre):
        health, _youth = world["themes"]
        network = load_network(self.select(centre, themes=(health.pk,)))
        assert tie_names(network) == {("Alfa", "Bravo"), ("Bravo", "Charlie"), ("Delta", "Echo")}
        assert node_names(network) == {"Alfa", "Bravo", "Charlie", "Delta", "Echo", "Golf"}

    def test_levels_select_the_collaborations_at_those_levels(self, world, centre):
        network = load_network(self.select(centre, levels=(Level.LEADERSHIP,)))
        assert tie_names(network) == {("Echo", "Foxtrot")}

    def test_filters_combine(self, world, centre):
        health, _youth = world["themes"]
        selection = self.select(
            centre, forms=(Form.KNOWLEDGE_SHARING,), themes=(health.pk,), levels=(Level.ORGANISATIONAL,)
        )
        assert tie_names(load_network(selection)) == {("Alfa", "Bravo")}

    def test_sectors_filter_the_actors_read_from_the_database(self, world, centre):
        network = load_network(self.select(centre, sectors=("civil_society",)))
        # Bravo (job centre) is out, and with it Alfa-Bravo, Bravo-Charlie and Bravo-Delta.
        assert tie_names(network) == {("Charlie", "Delta"), ("Delta", "Echo"), ("Echo", "Foxtrot")}

    @pytest.mark.parametrize(
        "filters",
        [
            {},
            {"forms": (Form.KNOWLEDGE_SHARING, Form.CO_CREATION)},
            {"sectors": ("civil_society",)},
            {"levels": (Level.LEADERSHIP,)},
            {"start": None, "end": None},
            {"themes": "health"},
        ],
    )
    def test_an_actors_own_network_gives_it_the_same_ties_as_the_whole_network(
        self, world, centre, other_centre, filters
    ):
        if filters.get("themes") == "health":
            filters = {"themes": (world["themes"][0].pk,)}
        for centres in ((centre.pk,), (centre.pk, other_centre.pk)):
            selection = Selection(**({"centre_ids": centres, "start": self.START, "end": self.END} | filters))
            whole = load_network(selection).graph
            for actor in world["actors"].values():
                own = load_actor_network(selection, actor.pk).graph
                assert (actor.pk in own) == (actor.pk in whole)
                if actor.pk in whole:
                    assert own.nodes[actor.pk] == whole.nodes[actor.pk]
                    assert dict(own[actor.pk]) == dict(whole[actor.pk])

    def test_an_actors_own_network_reads_four_queries_and_none_of_the_other_actors_ties(self, world, centre):
        alfa, delta = world["actors"]["Alfa"], world["actors"]["Delta"]
        with CaptureQueriesContext(connection) as queries:
            own = load_actor_network(self.select(centre), alfa.pk).graph
        assert len(queries) == 4
        assert delta.pk not in own  # Delta's ties are to Bravo, Charlie and Echo, never to Alfa

    def test_a_selection_without_collaborations_still_shows_the_present_actors(self, world, centre):
        # The first half of 2025: before every collaboration. India's presence (2025 to March 2026) overlaps it.
        selection = Selection(centre_ids=(centre.pk,), start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
        network = load_network(selection)
        assert node_names(network) == {"Alfa", "Golf", "India"}
        assert not network.graph.edges

    @pytest.mark.parametrize("count", [3, 30])
    def test_it_reads_the_database_in_four_queries_whatever_the_size(self, centre, count):
        # Collaborations, participations, presences and actors.
        theme = Theme.objects.create(name="Netværkstest tælling")
        actors = [make_actor(category=ActorCategory.NGO) for _ in range(6)]
        for actor in actors[:3]:
            make_presence(centre, actor)
        for n in range(count):
            make_collaboration(centre, actors=[actors[n % 6], actors[(n + 1) % 6], actors[(n + 3) % 6]], themes=[theme])
        selection = Selection(
            centre_ids=(centre.pk,),
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
            forms=(Form.KNOWLEDGE_SHARING,),
            themes=(theme.pk,),
            levels=(Level.ORGANISATIONAL,),
        )
        with CaptureQueriesContext(connection) as queries:
            network = load_network(selection)
        assert len(queries) == 4
        assert sum(data["count"] for *_ab, data in network.graph.edges(data=True)) == 3 * count


class TestDataVersion:
    """What a stored map or overview is kept under: it changes with what the centre's map shows, and only then."""

    def test_a_new_actor_in_another_centre_leaves_a_centres_version_alone(self, centre, other_centre):
        from collaboration.network.graph import data_version
        from tests.factories import make_actor, make_collaboration, make_presence

        make_collaboration(centre)
        before = data_version((centre.pk,))
        make_presence(other_centre, make_actor(name="Ny forening"))
        make_collaboration(other_centre)
        assert data_version((centre.pk,)) == before

    def test_an_edited_actor_or_a_new_one_in_the_centre_changes_it(self, centre):
        from collaboration.network.graph import data_version
        from tests.factories import make_actor, make_collaboration, make_presence

        actor = make_actor(name="Café Sumak")
        make_collaboration(centre, actors=[actor, make_actor()])
        before = data_version((centre.pk,))
        actor.name, actor.version = "Café Sumak ApS", actor.version + 1
        actor.save()
        edited = data_version((centre.pk,))
        assert edited != before
        make_presence(centre, make_actor(name="Ny forening"))
        assert data_version((centre.pk,)) != edited
