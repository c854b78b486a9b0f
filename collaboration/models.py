"""Collaborations between actors in a centre, typed by the five forms of rising commitment."""

from __future__ import annotations

import datetime
import re
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centres.models import LOGGING_ROLES, Actor, Centre
from samkort.history import ChangeRecord, as_read
from samkort.text import fold
from samkort.textfields import BlockField, LineField


class Form(models.IntegerChoices):
    """The five forms, ordered by rising mutual commitment. A ladder, never a score."""

    KNOWLEDGE_SHARING = 1, _("Knowledge sharing")
    ALIGNMENT = 2, _("Alignment")
    RESOURCE_EXCHANGE = 3, _("Resource exchange")
    COORDINATED_ACTION = 4, _("Coordinated action")
    CO_CREATION = 5, _("Co-creation")


FORM_SUMMARIES = {
    Form.KNOWLEDGE_SHARING: (
        _("We tell each other about our work."),
        _("A coordination meeting, a shared newsletter, a talk by the coffee machine."),
    ),
    Form.ALIGNMENT: (
        _("We refer to each other and avoid doing the same thing twice."),
        _("Referring a resident to another actor; moving an event so two don't clash."),
    ),
    Form.RESOURCE_EXCHANGE: (
        _("We give, share or lend each other something material."),
        _("Rooms, money, equipment or donations; kitchen use in return for cleaning."),
    ),
    Form.COORDINATED_ACTION: (
        _("We draw on each other and do something together."),
        _("A job fair run by the job centre and a business network."),
    ),
    Form.CO_CREATION: (
        _("We make something new together."),
        _("A new offer designed with residents, where goals and methods develop along the way."),
    ),
}


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    OCCASIONALLY = "occasionally", _("Now and then")
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Daily")


class Level(models.TextChoices):
    CITIZEN = "citizen", _("Citizen level")
    ORGANISATIONAL = "organisational", _("Organisational level")
    LEADERSHIP = "leadership", _("Leadership level")


class CitizensPart(models.TextChoices):
    INITIATOR = "initiator", _("Initiators")
    CO_DESIGNER = "co_designer", _("Co-designers")
    CO_IMPLEMENTER = "co_implementer", _("Co-implementers")
    NOT_INVOLVED = "not_involved", _("Not involved")


class ResourceKind(models.TextChoices):
    ROOMS = "rooms", _("Rooms")
    MONEY = "money", _("Money")
    EQUIPMENT = "equipment", _("Equipment")
    SERVICES = "services", _("Services")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTICIPANT = "participant", _("Participant")
    GIVER = "giver", _("Gives")
    RECEIVER = "receiver", _("Receives")
    REFERRER = "referrer", _("Refers")
    REFERRED = "referred", _("Is referred to")


# Roles a participant may have in each form. Direction only exists in referrals and resource exchange.
ROLES_FOR_FORM: dict[int, tuple[str, ...]] = {
    Form.KNOWLEDGE_SHARING: (ParticipantRole.LEAD, ParticipantRole.PARTICIPANT),
    Form.ALIGNMENT: (
        ParticipantRole.LEAD,
        ParticipantRole.PARTICIPANT,
        ParticipantRole.REFERRER,
        ParticipantRole.REFERRED,
    ),
    Form.RESOURCE_EXCHANGE: (ParticipantRole.GIVER, ParticipantRole.RECEIVER, ParticipantRole.PARTICIPANT),
    Form.COORDINATED_ACTION: (ParticipantRole.LEAD, ParticipantRole.PARTICIPANT),
    Form.CO_CREATION: (ParticipantRole.LEAD, ParticipantRole.PARTICIPANT),
}


def default_role_for(form: int | None, position: int) -> str:
    if form == Form.RESOURCE_EXCHANGE:
        return ParticipantRole.GIVER if position == 0 else ParticipantRole.RECEIVER
    return ParticipantRole.PARTICIPANT


class ThemeQuerySet(models.QuerySet):
    def active(self) -> ThemeQuerySet:
        return self.filter(active=True)


# The themes Samkort seeds (migration 0002), by their Danish names as stored: read in the reader's language. A theme
# an administrator adds or renames is shown as written.
SEEDED_THEMES = {
    "Uddannelse og livschancer": _("Education and life chances"),
    "Beskæftigelse": _("Employment"),
    "Kriminalitetsforebyggelse": _("Crime prevention"),
    "Sammenhængskraft og medborgerskab": _("Cohesion and citizenship"),
    "Tryghed og trivsel": _("Safety and well-being"),
    "Forebyggelse og forældreansvar": _("Prevention and parental responsibility"),
    "Sundhed": _("Health"),
}


def theme_label(name: str) -> str:
    """A theme's name as the reader reads it."""
    return str(SEEDED_THEMES.get(name, name))


class Theme(models.Model):
    """An editable list: each period of housing-social plans brings its own focus areas."""

    name = LineField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive themes stay on old records."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return theme_label(self.name)


def case_spellings(text: str) -> list[str]:
    """The text as typed, and on SQLite also in lower, upper and title case: SQLite's LIKE ignores the case of ASCII
    letters only, and "KORSØR" found no "Korsør" there (PostgreSQL's ILIKE knows every letter's case)."""
    if connection.vendor != "sqlite":
        return [text]
    return list(dict.fromkeys([text, text.lower(), text.upper(), text.title(), text.capitalize()]))


def going_on_between(start=None, end=None) -> Q:
    """Collaborations that were going on at some point between start and end (both optional), as a condition."""
    condition = Q()
    if start:
        condition &= Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if end:
        condition &= Q(started_on__lte=end)
    return condition


class CollaborationQuerySet(models.QuerySet):
    def for_user(self, user) -> CollaborationQuerySet:
        return self.filter(centre__in=Centre.objects.for_user(user))

    def editable_by(self, user) -> CollaborationQuerySet:
        return self.filter(centre__in=Centre.objects.where_user_has_role(user, LOGGING_ROLES))

    def in_period(self, start=None, end=None) -> CollaborationQuerySet:
        """Collaborations that were going on at some point between start and end (both optional)."""
        return self.filter(going_on_between(start, end))

    def search(self, text: str) -> CollaborationQuerySet:
        """Title, description, goals, outcome and the names of the actors taking part, whatever their case."""
        matches = Q(participations__actor__name_key__contains=fold(text))
        for spelling in case_spellings(text):
            matches |= (
                Q(title__icontains=spelling)
                | Q(description__icontains=spelling)
                | Q(goals__icontains=spelling)
                | Q(outcome__icontains=spelling)
                | Q(target_group__icontains=spelling)
            )
        return self.filter(pk__in=Collaboration.objects.filter(matches).values("pk"))

    def involving(self, actor) -> CollaborationQuerySet:
        return self.filter(participations__actor=actor)

    def with_details(self) -> CollaborationQuerySet:
        return self.select_related("centre").prefetch_related(
            models.Prefetch("participations", queryset=Participation.objects.select_related("actor")),
            "themes",
        )


# More residents than a whole housing area holds is a slip of the keyboard, or a CPR number typed without its dash.
MAX_CITIZENS = 100_000


class Collaboration(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="collaborations", verbose_name=_("centre")
    )
    form = models.PositiveSmallIntegerField(_("form of collaboration"), choices=Form.choices)
    title = LineField(_("title"), max_length=200)
    description = BlockField(_("description"), blank=True, max_length=4000)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("Leave empty while the collaboration is ongoing.")
    )
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices, default=Frequency.ONCE)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.ORGANISATIONAL)
    themes = models.ManyToManyField(Theme, blank=True, related_name="collaborations", verbose_name=_("themes"))
    target_group = LineField(
        _("target group"),
        max_length=200,
        blank=True,
        help_text=_("A group, such as 'young people 15-17' – never a named resident."),
    )
    citizens_part = models.CharField(
        _("residents' part"), max_length=20, choices=CitizensPart.choices, default=CitizensPart.NOT_INVOLVED
    )
    citizen_count = models.PositiveIntegerField(
        _("residents taking part"),
        null=True,
        blank=True,
        help_text=_("A number only. Never names."),
        validators=[MaxValueValidator(MAX_CITIZENS, message=_("At most 100,000 residents: write a number of people."))],
    )
    # Only resource exchange moves something from one actor to another; other forms leave it empty.
    resource_kind = models.CharField(_("what was exchanged"), max_length=20, choices=ResourceKind.choices, blank=True)
    goals = BlockField(_("goals and success criteria"), blank=True, max_length=4000)
    outcome = BlockField(_("outcome"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save; a form opened at an older version is refused instead of undoing what came after it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The log form's one-time token: a double click or a resent form finds the collaboration it already made.
    submission = models.UUIDField(_("submission"), null=True, blank=True, unique=True, editable=False)
    # Where an imported collaboration came from: the file's ID, or a fingerprint of its title, start and actors.
    # Importing the same file again finds its collaborations by this key and creates nothing new.
    import_key = models.CharField(_("import key"), max_length=100, blank=True, default="", editable=False)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        indexes = [models.Index(fields=["centre", "-started_on"], name="collab_centre_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="collaboration_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=Q(form__gte=1, form__lte=5), name="collaboration_form_1_to_5"),
            models.CheckConstraint(
                condition=Q(citizen_count__isnull=True) | Q(citizen_count__lte=MAX_CITIZENS),
                name="collaboration_citizen_count_at_most_100000",
                violation_error_message=_("At most 100,000 residents: write a number of people."),
            ),
            models.UniqueConstraint(
                fields=["centre", "import_key"],
                condition=~Q(import_key=""),
                name="collaboration_imported_once_per_centre",
            ),
            models.CheckConstraint(
                condition=(Q(form=Form.RESOURCE_EXCHANGE) & ~Q(resource_kind=""))
                | (~Q(form=Form.RESOURCE_EXCHANGE) & Q(resource_kind="")),
                name="collaboration_resource_kind_only_for_exchange",
                violation_error_message=_("Say what was exchanged – and only for resource exchange."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboration_detail", args=[self.centre.slug, self.pk])

    @property
    def ongoing(self) -> bool:
        return self.ended_on is None

    @property
    def form_summary(self) -> str:
        return FORM_SUMMARIES[self.form][0]


class Participation(models.Model):
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="participations", verbose_name=_("collaboration")
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations", verbose_name=_("actor"))
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )

    class Meta:
        ordering = ["collaboration", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "actor"],
                name="participation_actor_once_per_collaboration",
                violation_error_message=_("An actor can only take part once in the same collaboration."),
            ),
            models.CheckConstraint(condition=Q(role__in=ParticipantRole.values), name="participation_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class HistoryAction(models.TextChoices):
    CREATED = "created", pgettext_lazy("history", "created")
    UPDATED = "updated", pgettext_lazy("history", "changed")
    RESTORED = "restored", pgettext_lazy("history", "restored an earlier version")
    IMPORTED = "imported", pgettext_lazy("history", "imported")
    FROM_ROUND = "from_round", pgettext_lazy("history", "added from a mapping round")
    MERGED = "merged", pgettext_lazy("history", "two actors merged")
    DELETED = "deleted", pgettext_lazy("history", "deleted")


# "Name (role), Name (role)" as the history keeps the participants; a name may hold commas and brackets itself.
ROLE_IN_HISTORY = re.compile(r" \(({})\)(?=, |$)".format("|".join(ParticipantRole.values)))


def participants_as_read(text: str) -> str:
    """The participants a history entry kept, each role in the reader's language (an older entry's role, kept as
    a label in the language it was saved in, is shown as it was kept)."""
    return ROLE_IN_HISTORY.sub(lambda match: f" ({ParticipantRole(match[1]).label})", text)


def value_as_read(name: str, value: str) -> str:
    """A value a collaboration's history kept, in the reader's language."""
    if name == "participants":
        return participants_as_read(value)
    if name == "themes":
        # Kept by their names as stored, a seeded theme in Danish.
        return ", ".join(theme_label(theme) for theme in value.split(", ")) if value else value
    return as_read(Collaboration, name, value)


class HistoryEntry(ChangeRecord):
    """Who changed a collaboration, when and how."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    # Kept after the collaboration is deleted, so a deletion is never silent.
    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("collaboration"),
    )
    # Which collaboration, still known after it is deleted: an edit posted after a deletion can say who deleted it.
    record_id = models.PositiveBigIntegerField(_("collaboration number"), null=True, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=HistoryAction.choices)
    # The collaboration's values after this change, as its form takes them: what "restore this version" brings back.
    state = models.JSONField(_("version"), default=dict, blank=True)

    def changes_as_read(self) -> list[tuple[str, str, str]]:
        """(field, before, after) of this change, each value in the reader's language."""
        return [(name, *(value_as_read(name, value) for value in values)) for name, values in self.changes.items()]

    class Meta(ChangeRecord.Meta):
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.title}: {self.get_action_display()}"


class ActorPosition(models.Model):
    """Where an actor sits on a centre's map. Stored so filters and new ties never rearrange the whole map."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+", verbose_name=_("centre"))
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+", verbose_name=_("actor"))
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        verbose_name = _("position on the map")
        verbose_name_plural = _("positions on the map")
        constraints = [models.UniqueConstraint(fields=["centre", "actor"], name="actor_position_once_per_centre")]

    def __str__(self) -> str:
        return f"{self.actor} @ {self.centre}: ({self.x:.2f}, {self.y:.2f})"


class StoredMap(models.Model):
    """A map computed once, for every server process and machine: its network, figures and plotly data, compressed.

    Kept under the selection's key (centres, period, filters, display, language) and the data version it was
    computed from; a newer version replaces it. Rows older than a day are deleted by `purge_history`.
    """

    key = models.CharField(_("key"), max_length=64, db_index=True)
    version = models.CharField(_("data version"), max_length=64)
    payload = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size in bytes"), help_text=_("Bytes of the compressed content."))
    seconds = models.FloatField(_("seconds"), help_text=_("How long computing it took."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stored map")
        verbose_name_plural = _("stored maps")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="stored_map_once_per_version")]

    def __str__(self) -> str:
        return f"{self.key[:12]}@{self.version[:12]} ({self.size} B)"


class PreparedReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    READING = "reading", _("Reading the data and working out the figures")
    WRITING = "writing", _("Writing the file")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PreparedReport(models.Model):
    """A large report file, made by a worker for the user who asked for it, kept until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The report builder's choices, as its address carried them.
    query = models.TextField()
    file_format = models.CharField(max_length=10)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=PreparedReportStatus.choices, default=PreparedReportStatus.QUEUED)
    message = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="reports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prepared report")
        verbose_name_plural = _("prepared reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PreparedReportStatus.values), name="prepared_report_status_known"
            )
        ]

    def __str__(self) -> str:
        return self.file_name or f"{self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_done(self) -> bool:
        return self.status in (PreparedReportStatus.READY, PreparedReportStatus.FAILED)

    @property
    def waits_too_long(self) -> bool:
        """Queued for longer than a worker takes to start it: none may be running, or one is busy."""
        return self.status == PreparedReportStatus.QUEUED and queued_too_long(self.created_at)

    def get_absolute_url(self) -> str:
        return reverse("report_prepared", args=[self.pk])


class ImportRunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# Work someone watches (an import, its preview, a report) that has not begun after this long: the page says so.
WAITING_TOO_LONG = datetime.timedelta(minutes=3)


def queued_too_long(since: datetime.datetime) -> bool:
    return timezone.now() - since > WAITING_TOO_LONG


class ImportRun(models.Model):
    """An import a coordinator confirmed: written in the request when the file is small, by a worker when it is
    large (50,000 rows take longer than a proxy waits). One run for each upload, however often it is confirmed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="import_runs", verbose_name=_("centre"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("imported by")
    )
    # The kept upload (collaboration.imports.uploads) and the signed ticket the preview was shown with.
    upload = models.CharField(_("upload"), max_length=64, unique=True)
    ticket = models.TextField(_("ticket"))
    file_names = models.JSONField(_("files"), default=list)
    rows = models.PositiveIntegerField(
        _("rows"), null=True, blank=True, help_text=_("Rows in the preview; empty when not known.")
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportRunStatus.choices, default=ImportRunStatus.QUEUED
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    actors = models.PositiveIntegerField(_("new actors"), default=0)
    collaborations = models.PositiveIntegerField(_("new collaborations"), default=0)
    created_at = models.DateTimeField(_("confirmed"), auto_now_add=True)
    # When a request or worker took it to write: only that one may end it (collaboration.imports.runs).
    claimed_at = models.DateTimeField(_("taken to be written"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportRunStatus.values), name="import_run_status_known")
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.file_names)} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_done(self) -> bool:
        return self.status in (ImportRunStatus.DONE, ImportRunStatus.FAILED)

    @property
    def is_stuck(self) -> bool:
        """Waiting or writing for longer than any task may take: the request or worker that had it is gone (a
        server stopped mid-write, a task never queued). Confirmed again, it is written anew."""
        since = self.claimed_at or self.created_at
        return not self.is_done and since < stale_since()

    @property
    def waits_too_long(self) -> bool:
        """Queued for longer than a worker takes to start it: none may be running, or one is busy."""
        return self.status == ImportRunStatus.QUEUED and queued_too_long(self.created_at)

    @staticmethod
    def stuck_condition() -> Q:
        """is_stuck, as a query."""
        since = stale_since()
        waiting = Q(status__in=(ImportRunStatus.QUEUED, ImportRunStatus.WRITING))
        return waiting & (Q(claimed_at__lt=since) | Q(claimed_at=None, created_at__lt=since))

    def get_absolute_url(self) -> str:
        return reverse("import_run", args=[self.centre.slug, self.pk])


def stale_since():
    """A task that started before this has lost its worker (settings.TASK_STALE_MINUTES)."""
    return timezone.now() - datetime.timedelta(minutes=settings.TASK_STALE_MINUTES)
