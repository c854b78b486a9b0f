"""Citizen centres, the actors that work in and around them, and who may see what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centres.similarity import similar_names
from samkort.history import ChangeRecord, as_read
from samkort.text import fold
from samkort.textfields import BlockField, EmailAddressField, FoldedKeyField, LineField, WebAddressField
from samkort.validators import within_reach


class CentreKind(models.TextChoices):
    HOUSING_AREA = "housing_area", _("Housing-area based")
    ASSOCIATION = "association", _("Association based")
    LIBRARY = "library", _("Library based")
    HEALTH = "health", _("Health based")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PRIVATE = "private", _("Private sector")
    HOUSING = "housing", _("Housing sector")


class ActorCategory(models.TextChoices):
    HOUSING_SOCIAL = "housing_social", _("Housing-social programme")
    HOUSING_ASSOCIATION = "housing_association", _("Housing association")
    TENANTS_BOARD = "tenants_board", _("Tenants' board")
    RESIDENTS_GROUP = "residents_group", _("Residents' group")
    JOB_CENTRE = "job_centre", _("Job centre")
    SOCIAL_SERVICES = "social_services", _("Municipal social services")
    MUNICIPAL_HEALTH = "municipal_health", _("Municipal health services")
    SCHOOL_DAYCARE = "school_daycare", _("School, day care or youth club")
    MUNICIPAL_OTHER = "municipal_other", _("Other municipal service")
    SSP = "ssp", _("SSP")
    YOUTH_GUIDANCE = "youth_guidance", _("Youth education guidance")
    POLICE = "police", _("Police")
    LIBRARY_CULTURE = "library_culture", _("Library or culture house")
    REGION_HEALTH = "region_health", _("Region, hospital or psychiatry")
    HEALTH_PRACTICE = "health_practice", _("GP, pharmacy or other health practice")
    EDUCATION = "education", _("Education institution")
    ASSOCIATION = "association", _("Association")
    NGO = "ngo", _("Voluntary organisation or NGO")
    FOUNDATION = "foundation", _("Foundation")
    FAITH_COMMUNITY = "faith_community", _("Faith community")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    BUSINESS = "business", _("Private business")


SECTOR_OF_CATEGORY: dict[str, str] = {
    ActorCategory.HOUSING_SOCIAL: Sector.HOUSING,
    ActorCategory.HOUSING_ASSOCIATION: Sector.HOUSING,
    ActorCategory.TENANTS_BOARD: Sector.HOUSING,
    ActorCategory.RESIDENTS_GROUP: Sector.CIVIL_SOCIETY,
    ActorCategory.JOB_CENTRE: Sector.PUBLIC,
    ActorCategory.SOCIAL_SERVICES: Sector.PUBLIC,
    ActorCategory.MUNICIPAL_HEALTH: Sector.PUBLIC,
    ActorCategory.SCHOOL_DAYCARE: Sector.PUBLIC,
    ActorCategory.MUNICIPAL_OTHER: Sector.PUBLIC,
    ActorCategory.SSP: Sector.PUBLIC,
    ActorCategory.YOUTH_GUIDANCE: Sector.PUBLIC,
    ActorCategory.POLICE: Sector.PUBLIC,
    ActorCategory.LIBRARY_CULTURE: Sector.PUBLIC,
    ActorCategory.REGION_HEALTH: Sector.PUBLIC,
    ActorCategory.EDUCATION: Sector.PUBLIC,
    ActorCategory.HEALTH_PRACTICE: Sector.PRIVATE,
    ActorCategory.SOCIAL_ENTERPRISE: Sector.PRIVATE,
    ActorCategory.BUSINESS: Sector.PRIVATE,
    ActorCategory.ASSOCIATION: Sector.CIVIL_SOCIETY,
    ActorCategory.NGO: Sector.CIVIL_SOCIETY,
    ActorCategory.FOUNDATION: Sector.CIVIL_SOCIETY,
    ActorCategory.FAITH_COMMUNITY: Sector.CIVIL_SOCIETY,
}


def categories_in_sector(sector: str) -> list[str]:
    return [category for category, s in SECTOR_OF_CATEGORY.items() if s == sector]


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")


# Who may do what in a centre; read access comes with any membership.
LOGGING_ROLES = (Role.STAFF, Role.COORDINATOR)
MANAGING_ROLES = (Role.COORDINATOR,)
# Reports export a centre's data as files: for those who answer for it, not for everyone who logs.
REPORTING_ROLES = (Role.COORDINATOR, Role.MANAGER)


class CentreQuerySet(models.QuerySet):
    def for_user(self, user) -> CentreQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def where_user_has_role(self, user, roles) -> CentreQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role__in=roles)

    def active(self) -> CentreQuerySet:
        return self.filter(active=True)


class Centre(models.Model):
    name = LineField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=CentreKind.choices,
        help_text=_("The main type. Hybrids are common: describe the mix in the description."),
    )
    municipality = LineField(_("municipality"), max_length=100)
    address = LineField(_("address"), max_length=200, blank=True)
    helhedsplan = LineField(
        _("housing-social programme"),
        max_length=200,
        blank=True,
        help_text=_("The helhedsplan the centre belongs to, if any."),
    )
    housing_organisation = LineField(_("housing organisation"), max_length=200, blank=True)
    description = BlockField(_("description"), blank=True, max_length=4000)
    active = models.BooleanField(_("active"), default=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("citizen centre")
        verbose_name_plural = _("citizen centres")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centre_detail", args=[self.slug])


def without_danish_letters(text: str) -> str:
    return text.replace("ø", "o").replace("æ", "ae").replace("å", "aa")


class ActorQuerySet(models.QuerySet):
    def active(self) -> ActorQuerySet:
        return self.filter(active=True)

    def matching(self, query: str) -> ActorQuerySet:
        """Actors whose names hold every word typed, in any order and case: "sumak café" finds "Sumak –
        socialøkonomisk café". A word typed without the Danish letters finds them too ("korsor", "faelles",
        "aarhus"), as on a phone or a keyboard without them."""
        plain_name = Replace(
            Replace(Replace("name_key", Value("ø"), Value("o")), Value("æ"), Value("ae")), Value("å"), Value("aa")
        )
        matches = self.alias(plain_name=plain_name)
        for word in fold(query).split():
            plain = without_danish_letters(word)
            matches = matches.filter(
                Q(name_key__contains=word)
                | Q(plain_name__contains=plain)
                | Q(plain_name__contains=plain.replace("oe", "o"))
            )
        return matches

    def in_sector(self, sector: str) -> ActorQuerySet:
        return self.filter(category__in=categories_in_sector(sector))

    def similar_to(self, name: str, limit: int = 5) -> list[Actor]:
        """Actors whose names are near-duplicates of `name`, most similar first."""
        ids = similar_names(name, list(self.values_list("pk", "name")), limit=limit)
        by_id = self.in_bulk(ids)
        return [by_id[pk] for pk in ids]

    def known_in(self, centre: Centre) -> ActorQuerySet:
        """Actors present in the centre or that have collaborated there.

        Two semi-joins (IN subqueries), not an OR across two joins and then DISTINCT: with thousands of
        participations the joins multiply the rows that DISTINCT must then sort away.
        """
        present = Presence.objects.filter(centre=centre).values("actor_id")
        collaborated = Actor.objects.filter(participations__collaboration__centre=centre).values("pk")
        return self.filter(Q(pk__in=present) | Q(pk__in=collaborated))


class Actor(models.Model):
    """An organisation or group. Never a private person: residents are counted, not named."""

    name = LineField(_("name"), max_length=200)
    # The name as it is compared ("ÆLDRERÅD" is "Ældreråd"), unique: two spellings of one name are one actor.
    name_key = FoldedKeyField(max_length=200, source="name")
    category = models.CharField(_("category"), max_length=30, choices=ActorCategory.choices)
    description = BlockField(_("description"), blank=True, max_length=2000)
    website = WebAddressField(_("website"), blank=True)
    email = EmailAddressField(
        _("work contact e-mail"),
        blank=True,
        help_text=_("A shared work address such as info@…, not a private person's e-mail."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Raised by every save; a form opened at an older version is refused instead of undoing what came after it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name_key"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                name="actor_name_unique_folded",
                violation_error_message=_("An actor with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=ActorCategory.values),
                name="actor_category_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actor_detail", args=[self.pk])

    def clean(self) -> None:
        # Saving folds the name into its key; validation must see the same key to check it is not taken.
        self.name_key = fold(self.name or "")

    @property
    def sector(self) -> str:
        return SECTOR_OF_CATEGORY[self.category]

    def centre_ids(self) -> set[int]:
        """The centres the actor is present in or has collaborated in: every one of them shares its details."""
        present = set(self.presences.values_list("centre_id", flat=True))
        collaborated = set(
            Centre.objects.filter(collaborations__participations__actor=self).values_list("pk", flat=True)
        )
        return present | collaborated

    def get_sector_display(self) -> str:
        return Sector(self.sector).label


class PresenceKind(models.TextChoices):
    BASED = "based", _("Based in the centre")
    AD_HOC = "ad_hoc", _("Uses the centre ad hoc")


class PresenceQuerySet(models.QuerySet):
    def not_ended(self, on=None) -> PresenceQuerySet:
        """Present now or from a day to come."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on or timezone.localdate()))

    def current(self, on=None) -> PresenceQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=day)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Presence(models.Model):
    """An actor that is based in a centre (a fixed tenant) or uses it now and then."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="presences", verbose_name=_("centre"))
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="presences", verbose_name=_("actor"))
    kind = models.CharField(_("kind"), max_length=10, choices=PresenceKind.choices, default=PresenceKind.BASED)
    # The years a collaboration's dates may have, in the app and in the administration alike.
    started_on = models.DateField(_("from"), null=True, blank=True, validators=[within_reach])
    ended_on = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Leave empty while it lasts."), validators=[within_reach]
    )
    note = LineField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "actor__name_key"]
        verbose_name = _("presence in a centre")
        verbose_name_plural = _("presences in centres")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="presence_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["centre", "actor", "started_on"],
                name="presence_unique_per_start",
                violation_error_message=_("This actor already has a presence in the centre from that date."),
            ),
            # NULLs are distinct in a unique constraint, so a presence without a start date needs its own.
            models.UniqueConstraint(
                fields=["centre", "actor"],
                condition=Q(started_on__isnull=True),
                name="presence_unique_without_start",
                violation_error_message=_("This actor already has a presence in the centre from that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} @ {self.centre}"

    def period_in_words(self) -> str:
        """ "01.02.2024 – …", an open end or start as an ellipsis: a period in one line, for messages and history."""
        return " – ".join(
            date_format(day, "SHORT_DATE_FORMAT") if day else "…" for day in (self.started_on, self.ended_on)
        )

    @property
    def has_ended(self) -> bool:
        return self.ended_on is not None and self.ended_on < timezone.localdate()

    @property
    def is_coming(self) -> bool:
        return self.started_on is not None and self.started_on > timezone.localdate()


class LanguagePreference(models.Model):
    """The language a user chose with the switch: theirs at every login, on any browser, whatever the browser's
    own cookie says (on a shared centre PC the cookie is the last user's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("centre"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the centre's coordinator last let this member log in again after a lockout (centres.lockouts).
    lockout_lifted_at = models.DateTimeField(_("login lockout lifted"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["centre", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre"],
                name="membership_one_per_user_and_centre",
                violation_error_message=_("This user is already a member of the centre."),
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.centre} ({self.get_role_display()})"

    @property
    def can_log(self) -> bool:
        return self.role in LOGGING_ROLES

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES

    @property
    def can_report(self) -> bool:
        return self.role in REPORTING_ROLES


class ActorHistoryAction(models.TextChoices):
    CREATED = "created", pgettext_lazy("history", "created")
    CHANGED = "changed", pgettext_lazy("history", "changed")
    PRESENCE_ADDED = "presence_added", _("added to a centre")
    PRESENCE_CHANGED = "presence_changed", _("presence changed")
    PRESENCE_REMOVED = "presence_removed", _("removed from a centre")
    MERGED = "merged", _("merged with another actor")


# What a merge kept in the history of the actor that stayed, besides its own fields.
MERGE_LABELS = {
    "merged_with": _("merged with"),
    "presence_not_kept": _("presence not kept"),
}


class ActorHistoryEntry(ChangeRecord):
    """Who changed an actor, or its presence in a centre, when and how.

    An actor's name, category and whether it is active are shared by every centre it works with, so every change to
    them is kept where all those centres can see it.
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="history", verbose_name=_("actor"))
    # The centre whose presence changed; empty for a change to the actor's shared details.
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("centre")
    )
    action = models.CharField(_("action"), max_length=20, choices=ActorHistoryAction.choices)
    # The actor merged into this one, still known after it is deleted: its old address, or the merge sent a second
    # time, leads to the actor that stayed.
    merged_actor_id = models.PositiveBigIntegerField(_("merged actor number"), null=True, blank=True, db_index=True)

    class Meta(ChangeRecord.Meta):
        verbose_name = _("actor history entry")
        verbose_name_plural = _("actor history")
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ActorHistoryAction.values), name="actor_history_action_known")
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_action_display()}"

    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """(field as people read it, before, after), for the actor's page."""
        model = Presence if self.centre_id else Actor
        return [
            (
                str(MERGE_LABELS.get(name) or model._meta.get_field(name).verbose_name),
                *(as_read(model, name, value) for value in values),
            )
            for name, values in self.changes.items()
        ]
