"""Every write of a mapping round, each in one transaction: opening it, the partners' answers, reminders, review.

E-mails leave through the task queue after the transaction commits, so no page waits for the mail server and no
e-mail is sent for a round that was not saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from centres.models import Actor, Centre
from collaboration.models import Collaboration, HistoryAction, Participation, default_role_for
from collaboration.records.services import history_entry
from collaboration.rounds.models import (
    Answer,
    Happened,
    Invitation,
    MappingRound,
    Proposal,
    ProposalStatus,
    Rating,
    RoundAction,
    RoundEvent,
    answer_as_shown,
    new_key,
    shown_as,
)
from collaboration.rounds.tasks import send_round_email
from collaboration.signals import round_marks_changed


class RoundClosed(Exception):
    """The round closed (or the link was revoked) while the partner was answering: nothing was saved."""


@dataclass(frozen=True)
class Contact:
    actor: Actor
    name: str
    email: str


def queue_email(invitation: Invitation, kind: str, base_url: str) -> None:
    transaction.on_commit(lambda: send_round_email.enqueue(invitation.pk, kind, base_url))


class AlreadyOpened(Exception):
    """The form that opens a round was sent twice: the round exists once, here."""

    def __init__(self, round_: MappingRound):
        super().__init__(f"Round {round_.pk} was opened by this submission already.")
        self.round = round_


@transaction.atomic
def open_round(
    centre: Centre, user, details: dict, contacts: list[Contact], base_url: str, submission=None
) -> MappingRound:
    """Open the round and queue its invitations; raises AlreadyOpened when this form's token opened one already."""
    if submission and (earlier := MappingRound.objects.filter(submission=submission).first()):
        if earlier.centre_id == centre.pk:
            raise AlreadyOpened(earlier)
        submission = None  # a token from another centre's form (sent to this one by hand): not this form's double
    try:
        with transaction.atomic():
            round_ = MappingRound.objects.create(centre=centre, created_by=user, submission=submission, **details)
    except IntegrityError:
        # The unique token made a parallel copy wait for the first one's commit; that one is the round.
        earlier = MappingRound.objects.filter(submission=submission, centre=centre).first() if submission else None
        if earlier is None:
            raise
        raise AlreadyOpened(earlier) from None
    invitations = Invitation.objects.bulk_create(
        Invitation(round=round_, actor=contact.actor, contact_name=contact.name, contact_email=contact.email)
        for contact in contacts
    )
    for invitation in invitations:
        queue_email(invitation, "invitation", base_url)
    note(round_, user, RoundAction.OPENED, partners=len(invitations))
    round_marks_changed.send(sender=MappingRound, centre_id=centre.pk)
    return round_


def note(round_: MappingRound, user, action: str, about: str = "", partners: int | None = None) -> None:
    """The round's log: who did what, when."""
    RoundEvent.objects.create(round=round_, user=user, action=action, about=about[:300], partners=partners)


def previous_contacts(centre: Centre) -> dict[int, tuple[str, str]]:
    """Each actor's contact in the centre's latest round that still has them: (name, e-mail) by actor id."""
    latest = {}
    invitations = (
        Invitation.objects.filter(round__centre=centre, round__contacts_erased_at__isnull=True)
        .exclude(contact_email="")
        .order_by("round__created_at", "id")
    )
    for actor_id, name, email in invitations.values_list("actor_id", "contact_name", "contact_email"):
        latest[actor_id] = (name, email)
    return latest


def locked_invitation(invitation: Invitation) -> Invitation:
    """The invitation, locked for this transaction, refused when its link no longer works."""
    current = Invitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    if current.revoked_at is not None or current.key != invitation.key or not current.round.is_open:
        raise RoundClosed
    return current


class AnsweredMeanwhile(Exception):
    """The answer was changed since the page showed it: in another tab, or by a colleague with the same link."""

    def __init__(self, answer: Answer | None):
        self.answer = answer


@transaction.atomic
def save_answer(
    invitation: Invitation, collaboration: Collaboration, happened: str, form: int | None, shown: str | None = None
) -> Answer:
    """The partner's answer about one collaboration; the same answer again changes nothing but its time. `shown` is
    the answer as the page showed it (Answer.as_shown): another one saved meanwhile is not overwritten unseen."""
    invitation = locked_invitation(invitation)
    if shown is not None:
        current = Answer.objects.filter(invitation=invitation, collaboration=collaboration).first()
        # The same answer as the one saved meanwhile undoes nothing: it is taken.
        if answer_as_shown(current) not in (shown, shown_as(happened, form)):
            raise AnsweredMeanwhile(current)
    answer, _created = Answer.objects.update_or_create(
        invitation=invitation,
        collaboration=collaboration,
        defaults={
            "happened": happened,
            "form": None if happened == Happened.NO else form,
            "answered_at": timezone.now(),
        },
    )
    round_marks_changed.send(sender=Answer, centre_id=invitation.round.centre_id)
    return answer


@transaction.atomic
def save_rating(invitation: Invitation, partner: Actor, changes: dict) -> Rating:
    """Saves the ratings of the partner that changed ("value", "trust"); the other keeps what was saved last."""
    invitation = locked_invitation(invitation)
    rating, _created = Rating.objects.update_or_create(
        invitation=invitation, partner=partner, defaults={**changes, "answered_at": timezone.now()}
    )
    return rating


@transaction.atomic
def add_proposal(invitation: Invitation, details: dict, partners: list[Actor]) -> Proposal:
    """TooManyProposals when the link has proposed ROUND_PROPOSALS_PER_PARTNER already (withdrawn ones do not count)."""
    invitation = locked_invitation(invitation)
    if invitation.proposals.count() >= settings.ROUND_PROPOSALS_PER_PARTNER:
        raise TooManyProposals(settings.ROUND_PROPOSALS_PER_PARTNER)
    proposal = Proposal.objects.create(invitation=invitation, **details)
    proposal.partners.set(partners)
    return proposal


class TooManyProposals(Exception):
    """A partner's link proposes at most so many collaborations: a link is not a way to fill the coordinator's queue
    (and the partner's page, which lists them all)."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


@transaction.atomic
def withdraw_proposal(invitation: Invitation, proposal: Proposal) -> None:
    locked_invitation(invitation)
    Proposal.objects.filter(pk=proposal.pk, invitation=invitation, status=ProposalStatus.PENDING).delete()


@transaction.atomic
def save_comment(invitation: Invitation, comment: str) -> None:
    invitation = locked_invitation(invitation)
    invitation.comment = comment
    invitation.save(update_fields=["comment"])


@transaction.atomic
def finish(invitation: Invitation) -> None:
    """The partner says they are done. They may still change their answers until the round closes."""
    invitation = locked_invitation(invitation)
    if invitation.finished_at is None:
        invitation.finished_at = timezone.now()
        invitation.save(update_fields=["finished_at"])


def note_opened(invitation: Invitation) -> None:
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk, first_opened_at__isnull=True).update(first_opened_at=now)
    Invitation.objects.filter(pk=invitation.pk).update(last_opened_at=now)


def waiting_for_answer(round_: MappingRound):
    """The invitations whose partner has not finished answering and can still be reached."""
    return round_.invitations.filter(finished_at__isnull=True, revoked_at__isnull=True).exclude(contact_email="")


@dataclass
class Reminded:
    sent: int
    held_back: int  # reminded less than ROUND_REMINDER_HOURS ago


@transaction.atomic
def send_reminders(round_: MappingRound, base_url: str, user=None) -> Reminded:
    """Remind those who have not answered, each at most once in ROUND_REMINDER_HOURS: three clicks sent three
    reminders to every partner. One whose reminder could not be sent may be reminded again at once."""
    if not round_.is_open:
        return Reminded(0, 0)
    since = timezone.now() - datetime.timedelta(hours=settings.ROUND_REMINDER_HOURS)
    # Locked, so that two clicks at once remind each partner once.
    waiting = list(waiting_for_answer(round_).select_for_update())
    recently = [i for i in waiting if i.reminded_at and i.reminded_at >= since and i.send_failed_at is None]
    due = [invitation for invitation in waiting if invitation not in recently]
    # Marked when queued, not only when sent, so that a click while the mails are on their way holds back too.
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in due]).update(reminded_at=timezone.now())
    for invitation in due:
        queue_email(invitation, "reminder", base_url)
    if due:
        note(round_, user, RoundAction.REMINDED, partners=len(due))
    return Reminded(len(due), len(recently))


@transaction.atomic
def revoke(invitation: Invitation, user=None) -> None:
    if Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        note(invitation.round, user, RoundAction.REVOKED, invitation.actor.name)
        round_marks_changed.send(sender=Invitation, centre_id=invitation.round.centre_id)


@transaction.atomic
def resend(invitation: Invitation, base_url: str, user=None, *, logged: bool = True) -> None:
    """A new link replaces the old one (which stops working), and is sent to the contact."""
    was_revoked = invitation.revoked_at is not None
    invitation.key = new_key()
    invitation.revoked_at = None
    invitation.send_failed_at = None
    invitation.save(update_fields=["key", "revoked_at", "send_failed_at"])
    queue_email(invitation, "invitation", base_url)
    if logged:
        note(invitation.round, user, RoundAction.RESENT, invitation.actor.name)
    if was_revoked:  # its partner's answers count again
        round_marks_changed.send(sender=Invitation, centre_id=invitation.round.centre_id)


@transaction.atomic
def change_contact(invitation: Invitation, name: str, email: str, base_url: str, user=None) -> None:
    """A new contact (or a corrected address) gets a new link; the old one stops working, as when a link is resent."""
    invitation.contact_name, invitation.contact_email = name, email
    invitation.save(update_fields=["contact_name", "contact_email"])
    resend(invitation, base_url, logged=False)
    note(invitation.round, user, RoundAction.CONTACT_CHANGED, invitation.actor.name)


class AlreadyAsked(Exception):
    """The actor has an invitation in the round already (two coordinators asked it at once)."""


@transaction.atomic
def ask_later(round_: MappingRound, actor: Actor, name: str, email: str, base_url: str, user=None) -> Invitation:
    """One more actor asked in an open round, with a link of its own."""
    MappingRound.objects.select_for_update().get(pk=round_.pk)  # two coordinators adding the same actor: one wins
    if round_.invitations.filter(actor=actor).exists():
        raise AlreadyAsked
    invitation = Invitation.objects.create(round=round_, actor=actor, contact_name=name, contact_email=email)
    queue_email(invitation, "invitation", base_url)
    note(round_, user, RoundAction.ASKED, actor.name)
    return invitation


@transaction.atomic
def close_early(round_: MappingRound, user=None) -> None:
    if MappingRound.objects.filter(pk=round_.pk, closed_early_at__isnull=True).update(closed_early_at=timezone.now()):
        note(round_, user, RoundAction.CLOSED)


@transaction.atomic
def accept_proposal(proposal: Proposal, user, details: dict, actors: list[Actor]) -> Collaboration:
    """The proposed collaboration enters the record, with history that says it came from the round."""
    proposal = locked_for_review(proposal)
    centre = proposal.invitation.round.centre
    collaboration = Collaboration.objects.create(centre=centre, created_by=user, updated_by=user, **details)
    Participation.objects.bulk_create(
        Participation(collaboration=collaboration, actor=actor, role=default_role_for(collaboration.form, position))
        for position, actor in enumerate(actors)
    )
    history_entry(collaboration, user, HistoryAction.FROM_ROUND, proposal_origin(proposal)).save()
    if any(actor.pk == proposal.invitation.actor_id for actor in actors):
        # The partner who proposed it said it happened, in the form it proposed: its page shows that as its answer.
        Answer.objects.get_or_create(
            invitation=proposal.invitation,
            collaboration=collaboration,
            defaults={"happened": Happened.YES, "form": proposal.form, "answered_at": proposal.created_at},
        )
        round_marks_changed.send(sender=Answer, centre_id=centre.pk)
    proposal.status = ProposalStatus.ACCEPTED
    proposal.collaboration = collaboration
    proposal.reviewed_by, proposal.reviewed_at = user, timezone.now()
    proposal.save(update_fields=["status", "collaboration", "reviewed_by", "reviewed_at"])
    note(proposal.invitation.round, user, RoundAction.ACCEPTED, proposed_by(proposal))
    return collaboration


@transaction.atomic
def reject_proposal(proposal: Proposal, user, reason: str) -> None:
    proposal = locked_for_review(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.rejection_reason = reason
    proposal.reviewed_by, proposal.reviewed_at = user, timezone.now()
    proposal.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
    note(proposal.invitation.round, user, RoundAction.REJECTED, proposed_by(proposal))


def proposal_origin(proposal: Proposal) -> dict[str, str]:
    """What a collaboration's history keeps of where it came from: names, not links, so it still reads after the
    round or the partner is gone."""
    return {"round": proposal.invitation.round.title, "proposed_by": proposal.invitation.actor.name}


def proposed_by(proposal: Proposal) -> str:
    return f"“{proposal.title}” ({proposal.invitation.actor.name})"


def locked_for_review(proposal: Proposal) -> Proposal:
    """The proposal, locked for this transaction; ProposalReviewed when it was reviewed or withdrawn meanwhile."""
    locked = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None or locked.status != ProposalStatus.PENDING:
        raise ProposalReviewed(proposal)
    return locked


class ProposalReviewed(Exception):
    """Someone reviewed the proposal first, or the partner withdrew it."""

    def __init__(self, proposal: Proposal):
        super().__init__(f"Proposal {proposal.pk} is {proposal.status} already.")
        self.proposal = proposal


@transaction.atomic
def erase_contacts(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Erase the contacts of rounds closed more than ROUND_CONTACT_RETENTION_DAYS ago; the number of rounds."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ROUND_CONTACT_RETENTION_DAYS if days is None else days)
    candidates = MappingRound.objects.filter(contacts_erased_at__isnull=True).filter(
        Q(closed_early_at__lt=cutoff) | Q(closes_on__lt=timezone.localtime(cutoff).date())
    )
    erased = [round_.pk for round_ in candidates if round_.closes_at < cutoff]
    Invitation.objects.filter(round_id__in=erased).update(contact_name="", contact_email="")
    MappingRound.objects.filter(pk__in=erased).update(contacts_erased_at=now)
    return len(erased)
