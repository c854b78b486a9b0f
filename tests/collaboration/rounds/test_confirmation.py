"""The confirmation states of a tie, on a hand-made example: no database, only what each side said."""

from __future__ import annotations

from collaboration.rounds.confirmation import Said, TieState, Verdict, confirm_ties, contradicted, ties_on_record

# Actors 1-4; collaborations 10 (1, 2, 3 together, form 4), 11 (1 and 2, form 2), 12 (3 and 4, form 1).
RECORD = [(10, 4, [1, 2, 3]), (11, 2, [1, 2]), (12, 1, [3, 4])]


def states(answers: dict) -> dict:
    return {key: tie.state for key, tie in confirm_ties(ties_on_record(RECORD), answers).items()}


class TestTiesOnRecord:
    def test_a_collaboration_of_three_ties_every_pair_and_a_tie_keeps_its_deepest_form(self):
        ties = ties_on_record(RECORD)
        assert set(ties) == {(1, 2), (1, 3), (2, 3), (3, 4)}
        assert ties[(1, 2)].collaboration_ids == (10, 11)
        assert ties[(1, 2)].recorded_form == 4
        assert ties[(3, 4)].recorded_form == 1

    def test_an_actor_named_twice_in_one_collaboration_is_no_tie_with_itself(self):
        assert set(ties_on_record([(1, 3, [5, 5, 6])])) == {(5, 6)}


class TestStates:
    def test_nobody_answered(self):
        assert set(states({}).values()) == {TieState.NOT_ANSWERED}

    def test_both_sides_say_it_happened_in_the_same_form(self):
        answers = {(3, 12): Said("yes", 1), (4, 12): Said("yes", 1)}
        assert states(answers)[(3, 4)] == TieState.BOTH

    def test_forms_one_step_apart_are_still_confirmed_by_both(self):
        answers = {(3, 12): Said("yes", 1), (4, 12): Said("partly", 2)}
        assert states(answers)[(3, 4)] == TieState.BOTH

    def test_forms_two_steps_apart_are_disputed(self):
        answers = {(3, 12): Said("yes", 1), (4, 12): Said("yes", 3)}
        assert states(answers)[(3, 4)] == TieState.DISPUTED

    def test_one_side_answered(self):
        assert states({(3, 12): Said("yes", 1)})[(3, 4)] == TieState.ONE_SIDE

    def test_one_side_says_it_did_not_happen(self):
        assert states({(3, 12): Said("no", None), (4, 12): Said("yes", 1)})[(3, 4)] == TieState.DISPUTED
        assert states({(3, 12): Said("no", None)})[(3, 4)] == TieState.DISPUTED

    def test_a_tie_with_one_collaboration_that_did_not_happen_and_one_that_did_is_confirmed(self):
        answers = {(1, 10): Said("no", None), (1, 11): Said("yes", 2), (2, 11): Said("yes", 2)}
        assert states(answers)[(1, 2)] == TieState.BOTH

    def test_an_answer_about_a_group_collaboration_counts_for_every_tie_in_it(self):
        answers = {(1, 10): Said("yes", 4), (2, 10): Said("yes", 4), (3, 10): Said("yes", 5)}
        assert states(answers)[(1, 3)] == TieState.BOTH
        assert states(answers)[(2, 3)] == TieState.BOTH
        # Collaboration 11 (form 2) is not answered by 1 or 2; their tie is confirmed by 10 alone, at form 4.
        assert states(answers)[(1, 2)] == TieState.BOTH

    def test_sides_that_answered_about_different_collaborations_do_not_contradict_each_other(self):
        # 1 answers only the group meeting (form 4), 2 only their own referral (form 2): no common ground to differ on.
        assert states({(1, 10): Said("yes", 5), (2, 11): Said("yes", 1)})[(1, 2)] == TieState.BOTH
        assert states({(1, 10): Said("no", None), (2, 11): Said("yes", 2)})[(1, 2)] == TieState.ONE_SIDE

    def test_forms_are_compared_on_the_collaborations_both_answered(self):
        answers = {(1, 10): Said("yes", 4), (2, 10): Said("yes", 4), (1, 11): Said("yes", 1), (2, 11): Said("yes", 3)}
        # On 11 they are two steps apart, on 10 they agree: the deepest each gave over both is 4 and 4.
        assert states(answers)[(1, 2)] == TieState.BOTH
        answers[(2, 10)] = answers[(2, 11)] = Said("yes", 1)
        assert states(answers)[(1, 2)] == TieState.DISPUTED


class TestWhatEachSideSaid:
    def test_each_side_keeps_its_verdict_and_its_deepest_form(self):
        answers = {(1, 10): Said("partly", 3), (1, 11): Said("partly", 2)}
        tie = confirm_ties(ties_on_record(RECORD), answers)[(1, 2)]
        assert tie.side_of(1).verdict == Verdict.CONFIRMS
        assert tie.side_of(1).form == 3
        assert tie.side_of(1).only_partly
        assert tie.other_side_of(1).verdict == Verdict.SILENT


class TestWhatEachSideIsShownToHaveSaid:
    """A page shows, beside a tie's state, what each side said: of the collaborations the state was found from."""

    def test_a_dispute_over_forms_shows_the_forms_compared_not_a_deeper_one_only_one_side_answered(self):
        # 1 says 10 and 11 happened as co-creation and alignment; 2 answered only 11, as alignment; 1 alone says 10.
        # Compared on 11: both alignment, confirmed by both; 1's co-creation of 10 is not what 2 was compared with.
        answers = {(1, 10): Said("yes", 5), (1, 11): Said("yes", 2), (2, 11): Said("yes", 2)}
        tie = confirm_ties(ties_on_record(RECORD), answers)[(1, 2)]
        assert tie.state == TieState.BOTH
        assert (tie.side_a.form, tie.side_b.form) == (2, 2)

    def test_a_disputed_tie_shows_the_forms_that_are_too_far_apart(self):
        answers = {(1, 10): Said("yes", 3), (1, 11): Said("yes", 1), (2, 10): Said("yes", 1), (2, 11): Said("yes", 1)}
        tie = confirm_ties(ties_on_record(RECORD), answers)[(1, 2)]
        assert tie.state == TieState.DISPUTED
        assert (tie.side_a.form, tie.side_b.form) == (3, 1)


class TestContradictedCollaborations:
    def test_a_collaboration_one_says_happened_and_another_says_did_not_is_named_with_who_said_which(self):
        answers = {
            (1, 10): Said("no", None),
            (2, 10): Said("yes", 4),
            (3, 10): Said("partly", 4),
            (1, 11): Said("yes", 2),
        }
        assert {c: (sorted(yes), sorted(no)) for c, (yes, no) in contradicted([10, 11, 12], answers).items()} == {
            10: ([2, 3], [1])
        }

    def test_a_tie_confirmed_by_both_can_hold_a_contradicted_collaboration(self):
        answers = {(1, 10): Said("no", None), (1, 11): Said("yes", 2), (2, 10): Said("yes", 3), (2, 11): Said("yes", 2)}
        assert states(answers)[(1, 2)] == TieState.BOTH
        assert list(contradicted([10, 11], answers)) == [10]
