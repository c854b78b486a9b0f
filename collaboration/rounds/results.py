"""A round's results from the database: each tie's confirmation state, reciprocity, value and trust, response rate.

A constant number of queries whatever the round's size; the logic is in confirmation.py.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext

from centres.models import Actor, Sector
from collaboration.models import Collaboration, Form, Participation, going_on_between
from collaboration.network.figures import Share, share_of
from collaboration.rounds.confirmation import (
    FEWEST_ANSWERS_SHOWN,
    Said,
    SideView,
    TieConfirmation,
    TieState,
    Verdict,
    confirm_ties,
    contradicted,
    pair,
    ties_on_record,
)
from collaboration.rounds.models import Answer, Happened, Invitation, MappingRound, Proposal, ProposalStatus, Rating
from samkort.numbers import mean
from samkort.text import list_of_names


@dataclass(frozen=True)
class Mean:
    """An average on the four-point scale with the number of answers behind it."""

    total: int = 0
    count: int = 0

    def add(self, value: int | None) -> Mean:
        return self if value is None else Mean(self.total + value, self.count + 1)

    @property
    def value(self) -> float | None:
        return mean(self.total, self.count) if self.count else None

    @property
    def shareable(self) -> float | None:
        """The average where others than the coordinators read it: only of enough answers to hide each one."""
        return self.value if self.count >= FEWEST_ANSWERS_SHOWN else None

    @property
    def withheld(self) -> bool:
        """Some answered, too few to show their average."""
        return 0 < self.count < FEWEST_ANSWERS_SHOWN

    def __str__(self) -> str:
        return formats.number_format(self.value, 1) if self.count else "–"


@dataclass(frozen=True)
class Ratings:
    value: Mean = Mean()
    trust: Mean = Mean()

    fewest_shown = FEWEST_ANSWERS_SHOWN

    def add(self, rating: Rating) -> Ratings:
        return Ratings(self.value.add(rating.value), self.trust.add(rating.trust))

    @property
    def withheld(self) -> bool:
        return self.value.withheld or self.trust.withheld


@dataclass(frozen=True)
class Contradicted:
    """A collaboration some partners say happened and others say did not."""

    collaboration_id: int
    title: str
    confirmed_by: tuple[int, ...]
    denied_by: tuple[int, ...]


@dataclass
class RoundResults:
    round: MappingRound
    ties: dict[tuple[int, int], TieConfirmation]
    actors: dict[int, Actor]
    invitations: list[Invitation]
    proposals: list[Proposal]
    tie_ratings: dict[tuple[int, int], Ratings] = field(default_factory=dict)
    # What partners said of each actor: the ratings it received.
    actor_ratings: dict[int, Ratings] = field(default_factory=dict)
    contradicted: list[Contradicted] = field(default_factory=list)

    def name(self, actor_id: int) -> str:
        return self.actors[actor_id].name

    @cached_property
    def state_counts(self) -> dict[TieState, int]:
        counts = Counter(tie.state for tie in self.ties.values())
        return {state: counts[state] for state in TieState}

    @property
    def reciprocity(self) -> Share | None:
        """The share of the round's ties that both sides confirm."""
        return share_of(self.state_counts[TieState.BOTH], len(self.ties))

    @property
    def confirmed_by_any(self) -> Share | None:
        confirmed = self.state_counts[TieState.BOTH] + self.state_counts[TieState.ONE_SIDE]
        return share_of(confirmed, len(self.ties))

    def reciprocity_by_sector_pair(self) -> list[dict]:
        both, whole = Counter(), Counter()
        for (a, b), tie in self.ties.items():
            sectors = tuple(sorted((self.actors[a].sector, self.actors[b].sector)))
            whole[sectors] += 1
            both[sectors] += tie.state == TieState.BOTH
        return [
            {
                "sectors": " – ".join(str(Sector(s).label) for s in sectors),
                "share": Share(both[sectors], whole[sectors]),
            }
            for sectors in sorted(whole)
        ]

    @property
    def asked(self) -> list[Invitation]:
        return [invitation for invitation in self.invitations if invitation.revoked_at is None]

    @property
    def response_rate(self) -> Share | None:
        return share_of(sum(1 for i in self.asked if i.finished_at), len(self.asked))

    @property
    def opened(self) -> int:
        return sum(1 for invitation in self.asked if invitation.first_opened_at)

    def ties_in(self, state: TieState) -> list[dict]:
        return [self.tie_row(tie) for tie in self.sorted_ties() if tie.state == state]

    def sorted_ties(self) -> list[TieConfirmation]:
        return sorted(self.ties.values(), key=lambda tie: sorted((self.name(tie.a).lower(), self.name(tie.b).lower())))

    def tie_rows(self) -> list[dict]:
        return [self.tie_row(tie) for tie in self.sorted_ties()]

    def disputed_rows(self) -> list[dict]:
        return self.ties_in(TieState.DISPUTED)

    @property
    def has_comments(self) -> bool:
        return any(invitation.comment for invitation in self.asked)

    def tie_row(self, tie: TieConfirmation) -> dict:
        """The tie as a row, its two actors in alphabetical order."""
        ratings = self.tie_ratings.get((tie.a, tie.b), Ratings())
        first, second = sorted((tie.a, tie.b), key=lambda actor: self.name(actor).lower())
        return {
            "a": self.name(first),
            "b": self.name(second),
            "state": tie.state,
            "state_label": tie.state.label,
            "recorded_form": tie.recorded_form,
            "recorded_label": Form(tie.recorded_form).label,
            "said_a": said_text(tie.side_of(first)),
            "said_b": said_text(tie.side_of(second)),
            "value": ratings.value,
            "trust": ratings.trust,
        }

    def contradicted_rows(self) -> list[dict]:
        """Each contradicted collaboration with who says it happened and who says it did not, by name."""
        rows = [
            {
                "collaboration_id": item.collaboration_id,
                "title": item.title,
                # A name of its own with a comma ("Socialrådgivningen, Slagelse Kommune") is not read as two.
                "confirmed_by": list_of_names(sorted((self.name(actor) for actor in item.confirmed_by), key=str.lower)),
                "denied_by": list_of_names(sorted((self.name(actor) for actor in item.denied_by), key=str.lower)),
            }
            for item in self.contradicted
        ]
        return sorted(rows, key=lambda row: (row["title"].lower(), row["collaboration_id"]))

    def actor_rating_rows(self) -> list[dict]:
        rows = [
            {"name": self.name(actor_id), "value": ratings.value, "trust": ratings.trust}
            for actor_id, ratings in self.actor_ratings.items()
        ]
        return sorted(rows, key=lambda row: row["name"].lower())

    @property
    def pending_proposals(self) -> list[Proposal]:
        return [p for p in self.proposals if p.status == ProposalStatus.PENDING]

    def for_actor(self, actor_id: int) -> list[dict]:
        """What each side said of each of the actor's ties, for the map's actor panel."""
        rows = []
        for tie in self.sorted_ties():
            if actor_id not in (tie.a, tie.b):
                continue
            other = tie.b if actor_id == tie.a else tie.a
            rows.append(
                {
                    "partner": self.name(other),
                    "state": tie.state,
                    "state_label": tie.state.label,
                    "own": said_text(tie.side_of(actor_id)),
                    "partner_said": said_text(tie.side_of(other)),
                }
            )
        return rows

    def marks(self) -> tuple[tuple, ...]:
        """Each tie's state and what each side said, as plain values: the map's confirmation marks and cache key."""
        return tuple(
            (tie.a, tie.b, str(tie.state), said_text(tie.side_a), said_text(tie.side_b)) for tie in self.ties.values()
        )


def said_text(side: SideView) -> str:
    """One side's answer about a tie as a person reads it: "Happened: Coordinated action"."""
    if side.verdict == Verdict.SILENT:
        return gettext("Not answered")
    if side.verdict == Verdict.DENIES:
        return gettext("Did not happen")
    said = gettext("Partly happened") if side.only_partly else gettext("Happened")
    return f"{said}: {Form(side.form).label}" if side.form else said


def load_results(round_: MappingRound) -> RoundResults:
    return load_results_of([round_])[0]


def load_results_of(rounds: list[MappingRound]) -> list[RoundResults]:
    """The results of rounds of different centres (a report's latest round of each), in the same order, in the same
    number of queries for any number of rounds."""
    if len({round_.centre_id for round_ in rounds}) < len(rounds):
        raise ValueError("load_results_of reads one round a centre: a centre's collaborations are its round's.")
    if not rounds:
        return []
    round_of_centre = {round_.centre_id: round_.pk for round_ in rounds}
    collaborations = defaultdict(list)
    titles = {}
    for collaboration_id, form, centre_id, title in Collaboration.objects.filter(
        functools.reduce(operator.or_, (answerable(round_) for round_ in rounds))
    ).values_list("id", "form", "centre_id", "title"):
        collaborations[round_of_centre[centre_id]].append((collaboration_id, form))
        titles[collaboration_id] = title
    actors_of = defaultdict(list)
    for collaboration_id, actor_id in Participation.objects.filter(
        collaboration_id__in=[c for asked in collaborations.values() for c, _form in asked]
    ).values_list("collaboration_id", "actor_id"):
        actors_of[collaboration_id].append(actor_id)
    invitations = defaultdict(list)
    for invitation in (
        Invitation.objects.filter(round__in=rounds).select_related("actor").order_by("actor__name_key", "id")
    ):
        invitations[invitation.round_id].append(invitation)
    counted = {
        invitation.pk: invitation.actor_id
        for asked in invitations.values()
        for invitation in asked
        if invitation.revoked_at is None
    }
    answers = {
        (counted[invitation_id], collaboration_id): Said(happened, form)
        for invitation_id, collaboration_id, happened, form in Answer.objects.filter(
            invitation_id__in=counted
        ).values_list("invitation_id", "collaboration_id", "happened", "form")
    }
    proposals = defaultdict(list)
    for proposal in (
        Proposal.objects.filter(invitation__round__in=rounds)
        .select_related("invitation__actor", "collaboration")
        .prefetch_related("partners")
    ):
        proposals[proposal.invitation.round_id].append(proposal)
        # A partner who proposed a collaboration, once it is on record, has said that it happened, in its form.
        if proposal.collaboration_id and proposal.invitation_id in counted:
            key = (counted[proposal.invitation_id], proposal.collaboration_id)
            answers.setdefault(key, Said(Happened.YES, proposal.form))
    ties = {
        round_.pk: ties_on_record((c, form, actors_of[c]) for c, form in collaborations[round_.pk]) for round_ in rounds
    }
    actors = Actor.objects.in_bulk(
        {actor for round_ties in ties.values() for tie in round_ties for actor in tie} | set(counted.values())
    )
    results = {
        round_.pk: RoundResults(
            round=round_,
            ties=confirm_ties(ties[round_.pk], answers),
            actors=actors,
            invitations=invitations[round_.pk],
            proposals=proposals[round_.pk],
            contradicted=[
                Contradicted(collaboration_id, titles[collaboration_id], tuple(confirm), tuple(deny))
                for collaboration_id, (confirm, deny) in contradicted(
                    [c for c, _form in collaborations[round_.pk]], answers
                ).items()
            ],
        )
        for round_ in rounds
    }
    for rating in Rating.objects.filter(invitation_id__in=counted).select_related("invitation"):
        add_rating(results[rating.invitation.round_id], rating, counted)
    return [results[round_.pk] for round_ in rounds]


def answerable(round_: MappingRound) -> Q:
    """The collaborations a round asks about. A closed round's figures are those of what the partners could answer:
    a collaboration logged since (one a partner proposed and the coordinator accepted, in this round or one whose
    period overlaps it) is no tie nobody answered, and two reports of the same round say the same."""
    asked = Q(centre_id=round_.centre_id) & going_on_between(round_.period_start, round_.period_end)
    return asked if round_.is_open else asked & Q(created_at__lt=round_.closes_at)


def add_rating(results: RoundResults, rating: Rating, actor_of_invitation: dict[int, int]) -> None:
    """A rating counts for a tie on record between the rater and the rated, and for the rated actor."""
    rater = actor_of_invitation[rating.invitation_id]
    key = pair(rater, rating.partner_id)
    if key not in results.ties:
        return
    results.tie_ratings[key] = results.tie_ratings.get(key, Ratings()).add(rating)
    results.actor_ratings[rating.partner_id] = results.actor_ratings.get(rating.partner_id, Ratings()).add(rating)


def latest_results(centre, start=None, end=None) -> RoundResults | None:
    """The results of the centre's latest round; with a period, of its latest round that asked about it."""
    round_ = MappingRound.objects.overlapping(start, end).latest_for(centre)
    return load_results(round_) if round_ else None
