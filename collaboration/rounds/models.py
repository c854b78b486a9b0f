"""A mapping round (kortlægningsrunde): the partners confirm, correct and rate the collaborations on record.

A coordinator asks a contact at each chosen actor; each contact answers through a personal link without logging in.
Contacts are organisational contacts, kept only for the round and erased ROUND_CONTACT_RETENTION_DAYS after it
closes (`manage.py purge_history` does it).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Actor, Centre
from collaboration.models import Collaboration, Form
from samkort.textfields import BlockField, EmailAddressField, LineField


def new_key() -> str:
    """The secret half of a partner's link: 32 random bytes, as URL-safe text."""
    return secrets.token_urlsafe(32)


class RoundQuerySet(models.QuerySet):
    def for_centre(self, centre: Centre) -> RoundQuerySet:
        return self.filter(centre=centre)

    def latest_for(self, centre: Centre) -> MappingRound | None:
        """The centre's latest closed round that partners have answered; else its latest open one they have answered
        (its figures provisional), else its latest: a round opened for the weeks ahead does not take the place of what
        the partners said in the one before, on the map or in a report made meanwhile."""
        return self.for_centre(centre).by_what_it_tells().first()

    def latest_of_each(self, centres) -> dict[int, MappingRound]:
        """As latest_for, for each of these centres that has a round, by centre id: one query for any number."""
        latest = {}
        for round_ in self.filter(centre__in=centres).select_related("centre").by_what_it_tells("centre_id"):
            latest.setdefault(round_.centre_id, round_)
        return latest

    def by_what_it_tells(self, *first: str) -> RoundQuerySet:
        answered = models.Exists(Answer.objects.filter(invitation__round=models.OuterRef("pk")))
        closed = models.ExpressionWrapper(
            Q(closed_early_at__isnull=False) | Q(closes_on__lt=timezone.localdate()), output_field=models.BooleanField()
        )
        return self.annotate(answered=answered, closed=closed).order_by(
            *first, "-answered", "-closed", "-created_at", "-id"
        )

    def overlapping(self, start: datetime.date | None, end: datetime.date | None) -> RoundQuerySet:
        """Rounds that asked about some of the days from start to end (either open-ended when None)."""
        rounds = self
        if start is not None:
            rounds = rounds.filter(period_end__gte=start)
        if end is not None:
            rounds = rounds.filter(period_start__lte=end)
        return rounds


class MappingRound(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="mapping_rounds", verbose_name=_("centre")
    )
    title = LineField(_("title"), max_length=200)
    # The collaborations the partners are asked about: those going on at some point in this period.
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    closes_on = models.DateField(
        _("closing date"), help_text=_("The last day partners can answer. Their links stop working after it.")
    )
    # Set when a coordinator closes the round before its closing date.
    closed_early_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    # Who partners contact with questions: shown on their page and in the e-mail.
    contact_name = LineField(_("contact person at the centre"), max_length=200)
    contact_email = EmailAddressField(_("contact e-mail at the centre"))
    message = BlockField(
        _("message to the partners"),
        blank=True,
        max_length=2000,
        help_text=_("Shown at the top of the partners' page and in the e-mail. Optional."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    contacts_erased_at = models.DateTimeField(_("contacts erased"), null=True, blank=True)
    # The form's one-time token: the same form sent twice (a double click without JavaScript, a resent page) opens
    # one round and sends one e-mail to each partner.
    submission = models.UUIDField(_("submission"), null=True, blank=True, unique=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mapping round")
        verbose_name_plural = _("mapping rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="round_period_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("round_detail", args=[self.centre.slug, self.pk])

    @property
    def closes_at(self) -> datetime.datetime:
        """The end of the closing day in the centre's time zone, or when it was closed early."""
        if self.closed_early_at:
            return self.closed_early_at
        end_of_day = datetime.datetime.combine(self.closes_on + datetime.timedelta(days=1), datetime.time())
        return timezone.make_aware(end_of_day)

    @property
    def is_open(self) -> bool:
        return timezone.now() < self.closes_at

    def collaborations(self):
        """The centre's collaborations in the round's period: what the partners are asked about."""
        return Collaboration.objects.filter(centre_id=self.centre_id).in_period(self.period_start, self.period_end)


class RoundAction(models.TextChoices):
    OPENED = "opened", _("opened the round and sent the links")
    REMINDED = "reminded", _("sent reminders")
    RESENT = "resent", _("sent a new link")
    CONTACT_CHANGED = "contact", _("changed the contact and sent a new link")
    ASKED = "asked", _("asked one more partner")
    REVOKED = "revoked", _("revoked the link")
    CLOSED = "closed", _("closed the round early")
    ACCEPTED = "accepted", _("put a proposed collaboration on record")
    REJECTED = "rejected", _("left a proposed collaboration out")


class RoundEvent(models.Model):
    """What a coordinator did in a round, by whom and when: the round page's log. Deleted with the other history by
    purge_history (HISTORY_RETENTION_DAYS)."""

    round = models.ForeignKey(
        "MappingRound", on_delete=models.CASCADE, related_name="events", verbose_name=_("mapping round")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=20, choices=RoundAction.choices)
    # Whom or what it was about (a partner, a proposal and who proposed it), as names: the log outlives an erased
    # contact or a deleted collaboration. How many partners, as a number, said in the reader's language.
    about = LineField(_("about"), max_length=300, blank=True)
    partners = models.PositiveIntegerField(_("partners"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        constraints = [models.CheckConstraint(condition=Q(action__in=RoundAction.values), name="round_event_known")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.get_action_display()} {self.about}".strip()


class Invitation(models.Model):
    """One actor asked in a round, through one contact person and one personal link."""

    round = models.ForeignKey(
        MappingRound, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("mapping round")
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+", verbose_name=_("actor"))
    contact_name = LineField(_("contact name"), max_length=200, blank=True)
    contact_email = EmailAddressField(_("contact e-mail"), blank=True)
    # The secret in the link; a new one is drawn when the link is resent, so the old link stops working.
    key = models.CharField(max_length=64, default=new_key, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    send_failed_at = models.DateTimeField(_("sending failed"), null=True, blank=True)
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    comment = BlockField(_("comment"), blank=True, max_length=4000)

    class Meta:
        ordering = ["round", "actor__name_key"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "actor"],
                name="invitation_one_per_actor_and_round",
                violation_error_message=_("This actor is already asked in the round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.round}"

    @property
    def has_answered(self) -> bool:
        return self.finished_at is not None

    @property
    def link_works(self) -> bool:
        return self.revoked_at is None and self.round.is_open


class Happened(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Answer(models.Model):
    """What one partner said about one collaboration on record. Answering again replaces it."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("invitation")
    )
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="+", verbose_name=_("collaboration")
    )
    happened = models.CharField(_("did it happen?"), max_length=10, choices=Happened.choices)
    form = models.PositiveSmallIntegerField(_("form that describes it best"), choices=Form.choices, null=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["invitation", "collaboration"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "collaboration"], name="answer_once_per_collaboration"),
            models.CheckConstraint(condition=Q(happened__in=Happened.values), name="answer_happened_known"),
            # A collaboration that did not happen has no form; one that did has one of the five.
            models.CheckConstraint(
                condition=(Q(happened=Happened.NO) & Q(form__isnull=True))
                | (~Q(happened=Happened.NO) & Q(form__gte=1, form__lte=5)),
                name="answer_form_when_it_happened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.actor} – {self.collaboration}: {self.get_happened_display()}"

    @property
    def as_shown(self) -> str:
        """The answer as its page carries it, to tell on saving whether it changed meanwhile elsewhere."""
        return answer_as_shown(self)


def answer_as_shown(answer: Answer | None) -> str:
    return shown_as(answer.happened, answer.form) if answer else ""


def shown_as(happened: str, form: int | None) -> str:
    """An answer as a page carries it: what happened and the form, which a "no" has none of."""
    return f"{happened}:{'' if happened == Happened.NO else form or ''}"


class Scale(models.IntegerChoices):
    """Four steps, no middle: a partner says which side of the middle they are on."""

    LOW = 1, "1"
    SOMEWHAT_LOW = 2, "2"
    SOMEWHAT_HIGH = 3, "3"
    HIGH = 4, "4"


VALUE_LABELS = {
    1: _("Little value"),
    2: _("Some value"),
    3: _("Great value"),
    4: _("Very great value"),
}
TRUST_LABELS = {
    1: _("Little trust"),
    2: _("Some trust"),
    3: _("Much trust"),
    4: _("Complete trust"),
}


class Rating(models.Model):
    """How valuable a partner found the collaboration with another actor, and how much it trusts it. Optional."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("invitation")
    )
    partner = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner"))
    value = models.PositiveSmallIntegerField(_("value"), choices=Scale.choices, null=True, blank=True)
    trust = models.PositiveSmallIntegerField(_("trust"), choices=Scale.choices, null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "partner"], name="rating_once_per_partner"),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) | Q(value__gte=1, value__lte=4))
                & (Q(trust__isnull=True) | Q(trust__gte=1, trust__lte=4)),
                name="rating_on_the_four_point_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.actor} → {self.partner}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Proposal(models.Model):
    """A collaboration a partner says is missing from the record; the coordinator accepts or rejects it."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("invitation")
    )
    title = LineField(_("what did you do together?"), max_length=200)
    partners = models.ManyToManyField(Actor, blank=True, related_name="+", verbose_name=_("partners"))
    other_partners = LineField(
        _("partners not on the list"), max_length=300, blank=True, help_text=_("Organisations, separated by commas.")
    )
    form = models.PositiveSmallIntegerField(_("form of collaboration"), choices=Form.choices)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    description = BlockField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    rejection_reason = LineField(_("reason"), max_length=300, blank=True)
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collaboration on record"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposed collaboration")
        verbose_name_plural = _("proposed collaborations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="proposal_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="proposal_status_known"),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REJECTED) | ~Q(rejection_reason=""),
                name="proposal_rejected_with_a_reason",
                violation_error_message=_("Give a reason for rejecting it."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
