"""What changed between two periods' networks."""

from __future__ import annotations

import pytest

from collaboration.models import Form
from collaboration.network.change import Change, compare
from tests.collaboration.network.builders import (
    PARTICIPANT,
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    collaboration,
    network_of,
    network_of_pairs,
    present,
)


class TestChange:
    @pytest.fixture
    def change(self):
        before = network_of(
            [
                collaboration(1, Form.KNOWLEDGE_SHARING),  # A-B
                collaboration(2, Form.RESOURCE_EXCHANGE),  # A-C
                collaboration(3, Form.ALIGNMENT),  # B-C
                collaboration(4, Form.COORDINATED_ACTION),  # C-D
                collaboration(5, Form.KNOWLEDGE_SHARING),  # A-F
            ],
            [
                (pk, actor, PARTICIPANT)
                for pk, pair in {1: (A, B), 2: (A, C), 3: (B, C), 4: (C, D), 5: (A, F)}.items()
                for actor in pair
            ],
            presences=present(G),
        )
        after = network_of(
            [
                collaboration(11, Form.COORDINATED_ACTION),  # A-B, from 1 up to 4: deepened
                collaboration(12, Form.ALIGNMENT),  # A-C, from 3 down to 2: weakened
                collaboration(13, Form.ALIGNMENT),  # B-C, still 2: unchanged
                collaboration(14, Form.KNOWLEDGE_SHARING),  # D-E, new; C-D and A-F ended
                collaboration(15, Form.KNOWLEDGE_SHARING),  # B-C again in form 1: the highest is still 2
            ],
            [
                (pk, actor, PARTICIPANT)
                for pk, pair in {11: (B, A), 12: (A, C), 13: (B, C), 14: (E, D), 15: (C, B)}.items()
                for actor in pair
            ],
            presences=present(F, G),
        )
        return compare(before.graph, after.graph)

    def test_it_finds_new_ended_deepened_and_weakened_ties(self, change):
        assert change.new == [(D, E)]
        assert change.ended == [(A, F), (C, D)]
        assert change.deepened == [(A, B)]
        assert change.weakened == [(A, C)]

    def test_it_finds_the_actors_that_joined_and_left(self, change):
        # Tied before: A, B, C, D, F. Tied after: A, B, C, D, E. F is still present but without a tie: it left.
        # G is present in both periods without a tie: neither.
        assert change.joined == [E]
        assert change.left == [F]

    def test_it_names_the_change_of_a_tie_in_either_order(self, change):
        assert change.of_tie(B, A) == "deepened"
        assert change.of_tie(A, C) == "weakened"
        assert change.of_tie(E, D) == "new"
        assert change.of_tie(D, C) == "ended"
        assert change.of_tie(B, C) is None
        assert change.of_tie(A, G) is None

    def test_the_same_network_twice_has_no_change(self):
        graph = network_of_pairs([(A, B), (B, C)], presences=present(D)).graph
        assert compare(graph, graph) == Change(new=[], ended=[], deepened=[], weakened=[], joined=[], left=[])
