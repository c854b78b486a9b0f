"""What both sides of a tie said in a round: confirmed by both, by one, not answered, or disputed. Pure: no database.

A tie is a pair of actors with the collaborations on record that involve both. Each side's view of it comes from its
answers about those collaborations: it confirms the tie when it says at least one of them happened (yes or partly),
and denies it when every one it answered did not. The form a side gives the tie is the deepest it gave any of them,
as the map draws a tie by its deepest form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Forms further apart than this, one side against the other, are a dispute: more than one step on the ladder.
TOLERATED_FORM_STEPS = 1


class TieState(StrEnum):
    BOTH = "both"
    ONE_SIDE = "one_side"
    NOT_ANSWERED = "not_answered"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return str(TIE_STATE_LABELS[self])


TIE_STATE_LABELS = {
    TieState.BOTH: _("Confirmed by both sides"),
    TieState.ONE_SIDE: _("Confirmed by one side"),
    TieState.NOT_ANSWERED: _("Not answered"),
    TieState.DISPUTED: _("Disputed"),
}


# Outside the coordinator's own round page, an average of fewer answers than this is not shown: one partner's rating
# must not be read off it.
FEWEST_ANSWERS_SHOWN = 3

# The mapping round's figures, for the "how is this computed?" page beside the network's own.
ROUND_FIGURE_DEFINITIONS = {
    "confirmation": (
        _("Confirmation of a tie (mapping round)"),
        _(
            "Each side of a tie answers for the collaborations on record that involve both; the two sides are "
            "compared on the collaborations both answered. A side confirms the tie when it says at least one of them "
            "happened (yes or partly), and denies it when it says none of them did; its form is the deepest it "
            "gave. Confirmed by both sides: both confirm, with forms at most one step apart. Confirmed by one side: "
            "one confirms, the other did not answer (or answered only about other collaborations of the tie, and "
            "denied them). Disputed: a side denies what the other confirms, or the two forms are more than one step "
            "apart, or a side denies the tie and the other did not answer. Not answered: neither side answered. "
            "What each side is shown to have said is its answer about the collaborations compared. A tie confirmed "
            "by both can still hold a collaboration one side says did not happen: the round's own page lists each "
            "collaboration some partners say happened and others say did not. Answers through a revoked link do not "
            "count."
        ),
    ),
    "reciprocity": (
        _("Reciprocity (mapping round)"),
        _(
            "The share of the round's ties that both sides confirm, of all ties on record in the round's period: "
            "for the centre, and per pair of sector groups. Shares are rounded to whole per cent from the counts."
        ),
    ),
    "value_trust": (
        _("Value and trust (mapping round)"),
        format_lazy(
            _(
                "Each partner may rate each of its partners on two four-point scales (1 low, 4 high): how valuable "
                "the collaboration was, and how much it trusts them. A tie's value and trust are the averages of what "
                "its two sides said of each other; an actor's are the averages of what its partners said of it. Each "
                "average is shown with the number of answers behind it; outside the round's own page, which only its "
                "coordinators read, an average of fewer than {fewest} answers is not shown, so that no partner's own "
                "rating can be read off it. A rating counts only between actors with a tie on record."
            ),
            fewest=FEWEST_ANSWERS_SHOWN,
        ),
    ),
    "response_rate": (
        _("Response rate (mapping round)"),
        _("The share of the partners asked (links not revoked) who said they were done."),
    ),
}


class Verdict(StrEnum):
    CONFIRMS = "confirms"
    DENIES = "denies"
    SILENT = "silent"


@dataclass(frozen=True)
class Said:
    """One answer: did this collaboration happen (yes, partly, no), and in which form."""

    happened: str
    form: int | None


@dataclass(frozen=True)
class SideView:
    actor_id: int
    verdict: Verdict
    form: int | None = None
    # Said "partly" about every collaboration of the tie it confirmed.
    only_partly: bool = False


@dataclass(frozen=True)
class TieConfirmation:
    a: int
    b: int
    state: TieState
    recorded_form: int
    collaboration_ids: tuple[int, ...]
    side_a: SideView
    side_b: SideView

    def side_of(self, actor_id: int) -> SideView:
        return self.side_a if actor_id == self.a else self.side_b

    def other_side_of(self, actor_id: int) -> SideView:
        return self.side_b if actor_id == self.a else self.side_a


@dataclass(frozen=True)
class RecordedTie:
    collaboration_ids: tuple[int, ...]
    recorded_form: int


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def ties_on_record(collaborations: Iterable[tuple[int, int, Iterable[int]]]) -> dict[tuple[int, int], RecordedTie]:
    """(collaboration id, form, actor ids) -> every pair of actors with their collaborations and deepest form."""
    ids: dict[tuple[int, int], list[int]] = defaultdict(list)
    deepest: dict[tuple[int, int], int] = {}
    for collaboration_id, form, actor_ids in collaborations:
        for a, b in combinations(sorted(set(actor_ids)), 2):
            ids[(a, b)].append(collaboration_id)
            deepest[(a, b)] = max(deepest.get((a, b), 0), form)
    return {key: RecordedTie(tuple(sorted(ids[key])), deepest[key]) for key in ids}


def side_view(actor_id: int, collaboration_ids: Iterable[int], answers: dict[tuple[int, int], Said]) -> SideView:
    said = [answers[(actor_id, c)] for c in collaboration_ids if (actor_id, c) in answers]
    if not said:
        return SideView(actor_id, Verdict.SILENT)
    happened = [answer for answer in said if answer.happened != "no"]
    if not happened:
        return SideView(actor_id, Verdict.DENIES)
    forms = [answer.form for answer in happened if answer.form]
    return SideView(
        actor_id,
        Verdict.CONFIRMS,
        form=max(forms) if forms else None,
        only_partly=all(answer.happened == "partly" for answer in happened),
    )


def state_of(side_a: SideView, side_b: SideView) -> TieState:
    verdicts = {side_a.verdict, side_b.verdict}
    if Verdict.DENIES in verdicts:
        return TieState.DISPUTED
    if verdicts == {Verdict.CONFIRMS}:
        if side_a.form and side_b.form and abs(side_a.form - side_b.form) > TOLERATED_FORM_STEPS:
            return TieState.DISPUTED
        return TieState.BOTH
    if Verdict.CONFIRMS in verdicts:
        return TieState.ONE_SIDE
    return TieState.NOT_ANSWERED


def confirm_ties(
    ties: dict[tuple[int, int], RecordedTie], answers: dict[tuple[int, int], Said]
) -> dict[tuple[int, int], TieConfirmation]:
    """Each tie's state from the answers, keyed (actor id, collaboration id)."""
    confirmed = {}
    for (a, b), tie in ties.items():
        side_a, side_b, state = compared(a, b, tie.collaboration_ids, answers)
        confirmed[(a, b)] = TieConfirmation(a, b, state, tie.recorded_form, tie.collaboration_ids, side_a, side_b)
    return confirmed


def compared(
    a: int, b: int, collaboration_ids: tuple[int, ...], answers: dict[tuple[int, int], Said]
) -> tuple[SideView, SideView, TieState]:
    """Each side's view of the tie, and its state. The two sides are compared on the collaborations both answered,
    and each side's view is of those, so what a page says each side said is what the state was found from. When they
    answered different ones, neither contradicts the other: each side's own verdict counts."""
    common = tuple(c for c in collaboration_ids if (a, c) in answers and (b, c) in answers)
    side_a, side_b = (
        side_view(a, common or collaboration_ids, answers),
        side_view(b, common or collaboration_ids, answers),
    )
    if common:
        return side_a, side_b, state_of(side_a, side_b)
    verdicts = {side_a.verdict, side_b.verdict}
    if verdicts == {Verdict.CONFIRMS}:
        return side_a, side_b, TieState.BOTH
    if Verdict.CONFIRMS in verdicts:
        return side_a, side_b, TieState.ONE_SIDE
    if Verdict.DENIES in verdicts:
        return side_a, side_b, TieState.DISPUTED
    return side_a, side_b, TieState.NOT_ANSWERED


def contradicted(
    collaboration_ids: Iterable[int], answers: dict[tuple[int, int], Said]
) -> dict[int, tuple[list[int], list[int]]]:
    """The collaborations some say happened and others say did not: collaboration id -> (the actors who say it
    happened, those who say it did not). A tie can be confirmed by both sides while they disagree about one of its
    collaborations; this is where the record may need correcting."""
    said = defaultdict(lambda: ([], []))
    for (actor_id, collaboration_id), answer in answers.items():
        confirm, deny = said[collaboration_id]
        (deny if answer.happened == "no" else confirm).append(actor_id)
    return {c: said[c] for c in collaboration_ids if c in said and all(said[c])}
