"""The demo's mapping round: the `[round]` table of a centre's data file, turned into invitations and answers.

Every partner that is asked answers every collaboration on record with it as it was recorded, except where the file
says otherwise (silent, disputes, partly, shifts); each rates its partners with the seeded generator, so the same
day always gives the same round.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from centres.models import Actor, Centre
from collaboration.demo.loader import FORMS_BY_WORD, months_before
from collaboration.models import Participation
from collaboration.rounds.models import Answer, Invitation, MappingRound, Proposal, Rating, RoundAction, RoundEvent


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def create_round(spec: dict, centre: Centre, actors: dict[str, Actor], coordinator, rng, today) -> MappingRound:
    closes_on = months_before(today, spec["closed_months_ago"])
    round_ = MappingRound.objects.create(
        centre=centre,
        title=spec["title"],
        period_start=months_before(closes_on, spec["period_months"]),
        period_end=closes_on - datetime.timedelta(days=21),
        closes_on=closes_on,
        contact_name=spec["contact_name"],
        contact_email=spec["contact_email"],
        message=spec.get("message", ""),
        created_by=coordinator,
    )
    MappingRound.objects.filter(pk=round_.pk).update(created_at=moment(closes_on - datetime.timedelta(days=21)))
    collaborations = list(round_.collaborations().prefetch_related("participations"))
    involved = {p.actor_id for c in collaborations for p in c.participations.all()}
    key_of = {actor.pk: key for key, actor in actors.items()}
    asked = [pk for pk in sorted(involved) if key_of.get(pk) not in spec.get("not_asked", [])]
    invitations = {pk: invite(round_, actors_by_pk(actors)[pk], key_of[pk], closes_on) for pk in asked}
    answering = {pk: inv for pk, inv in invitations.items() if key_of[pk] not in spec.get("silent", [])}
    for pk, invitation in invitations.items():
        if key_of[pk] in spec.get("opened_only", []):
            Invitation.objects.filter(pk=invitation.pk).update(first_opened_at=moment(closes_on, 9))
            answering.pop(pk, None)
    exceptions = answer_exceptions(spec, actors)
    for pk, invitation in answering.items():
        answer_all(
            invitation,
            [c for c in collaborations if pk in {p.actor_id for p in c.participations.all()}],
            exceptions,
            closes_on,
            rng,
        )
    for proposal in spec.get("proposals", []):
        propose(proposal, invitations[actors[proposal["actor"]].pk], actors, today)
    # The round's log, as the coordinator's clicks would have written it: opened, and a reminder a week before the end.
    log = (
        (RoundAction.OPENED, closes_on - datetime.timedelta(days=21), len(invitations)),
        (RoundAction.REMINDED, closes_on - datetime.timedelta(days=7), len(invitations) - len(answering)),
    )
    for action, day, count in log:
        RoundEvent.objects.create(round=round_, user=coordinator, action=action, partners=count, at=moment(day))
    return round_


def actors_by_pk(actors: dict[str, Actor]) -> dict[int, Actor]:
    return {actor.pk: actor for actor in actors.values()}


def invite(round_: MappingRound, actor: Actor, key: str, closes_on: datetime.date) -> Invitation:
    return Invitation.objects.create(
        round=round_,
        actor=actor,
        contact_name="Kontaktperson",
        contact_email=f"{key}@partner.example",
        sent_at=moment(closes_on - datetime.timedelta(days=21)),
    )


def answer_exceptions(spec: dict, actors: dict[str, Actor]) -> dict[tuple[int, str], tuple[str, int | None]]:
    """(actor id, collaboration title) -> (happened, form) where the file departs from 'yes, as recorded'."""
    exceptions = {}
    for row in spec.get("disputes", []):
        exceptions[(actors[row["actor"]].pk, row["title"])] = ("no", None)
    for row in spec.get("partly", []):
        exceptions[(actors[row["actor"]].pk, row["title"])] = ("partly", None)
    for row in spec.get("shifts", []):
        exceptions[(actors[row["actor"]].pk, row["title"])] = ("yes", FORMS_BY_WORD[row["form"]])
    return exceptions


def answer_all(invitation: Invitation, collaborations, exceptions, closes_on: datetime.date, rng) -> None:
    answered_on = closes_on - datetime.timedelta(days=rng.randint(2, 18))
    answers = []
    for collaboration in collaborations:
        happened, form = exceptions.get((invitation.actor_id, collaboration.title), ("yes", None))
        answers.append(
            Answer(
                invitation=invitation,
                collaboration=collaboration,
                happened=happened,
                form=None if happened == "no" else form or collaboration.form,
                answered_at=moment(answered_on, 11),
            )
        )
    Answer.objects.bulk_create(answers)
    partners = sorted(
        set(
            Participation.objects.filter(collaboration__in=collaborations)
            .exclude(actor_id=invitation.actor_id)
            .values_list("actor_id", flat=True)
        )
    )
    Rating.objects.bulk_create(
        Rating(
            invitation=invitation,
            partner_id=partner,
            value=rng.choice((2, 3, 3, 4, 4)),
            trust=rng.choice((2, 3, 3, 3, 4)),
            answered_at=moment(answered_on, 11),
        )
        for partner in partners
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        first_opened_at=moment(answered_on, 10),
        last_opened_at=moment(answered_on, 11),
        finished_at=moment(answered_on, 11),
    )


def propose(spec: dict, invitation: Invitation, actors: dict[str, Actor], today: datetime.date) -> None:
    proposal = Proposal.objects.create(
        invitation=invitation,
        title=spec["title"],
        form=FORMS_BY_WORD[spec["form"]],
        started_on=months_before(today, spec["months_ago"]),
        description=spec.get("description", ""),
    )
    proposal.partners.set([actors[key] for key in spec["partners"]])
