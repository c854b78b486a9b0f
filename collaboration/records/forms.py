"""Forms for logging collaborations. Every message a user can see is in Danish through translations."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.forms import ActorNameForm
from centres.models import Actor, ActorCategory
from collaboration.models import (
    MAX_CITIZENS,
    ROLES_FOR_FORM,
    CitizensPart,
    Collaboration,
    Form,
    Frequency,
    Level,
    ParticipantRole,
    ResourceKind,
    Theme,
    default_role_for,
)
from samkort.concurrency import VersionedForm, plain
from samkort.fields import ModelIdsField
from samkort.filters import FilterForm
from samkort.parsing import parse_id
from samkort.textfields import LineFormField
from samkort.validators import within_reach
from samkort.widgets import DateInput, QuickSelect

UNREADABLE_DATE = _("Check the date: it needs a day, a month and a year of four digits.")


@dataclass
class ParticipantRow:
    """One chosen actor as the form shows it, valid or not, so nothing typed is lost on an error."""

    actor_id: str
    role: str
    actor: Actor | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)


class ParticipantsWidget(forms.Widget):
    """Chosen actors arrive as repeated `participants=<actor id>`, each role as `role-<actor id>`."""

    def value_from_datadict(self, data, files, name):
        raw_ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        return [ParticipantRow(actor_id=str(raw).strip(), role=data.get(f"role-{raw}", "")) for raw in raw_ids]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False


class ParticipantsField(forms.Field):
    widget = ParticipantsWidget
    default_error_messages = {
        "unknown": _("One of the actors was not recognised. Remove it and pick it again in the search."),
        "twice": _("%(name)s is listed twice. An actor takes part only once – and cannot give to itself."),
        "role": _("Choose a role for %(name)s."),
        "too_few": _("A collaboration needs at least two different actors. Find one more in the search."),
    }

    def to_python(self, value) -> list[ParticipantRow]:
        rows = list(value or [])
        actors = Actor.objects.in_bulk([pk for row in rows if (pk := parse_id(row.actor_id))])
        for row in rows:
            row.actor = actors.get(parse_id(row.actor_id))
        return rows

    def validate(self, rows: list[ParticipantRow]) -> None:
        if any(row.actor is None for row in rows):
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        seen = set()
        for row in rows:
            if row.actor.pk in seen:
                raise forms.ValidationError(self.error_messages["twice"], code="twice", params={"name": row.actor})
            seen.add(row.actor.pk)
            if row.role not in ParticipantRole.values:
                raise forms.ValidationError(self.error_messages["role"], code="role", params={"name": row.actor})
        if len(seen) < 2:
            raise forms.ValidationError(self.error_messages["too_few"], code="too_few")


class CollaborationForm(VersionedForm):
    participants = ParticipantsField(label=_("Who took part?"), required=False)
    # A new one per empty log form: sent twice, the form still makes one collaboration (records.services).
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # The collaboration logged already that the user, shown it, says this new one is not (records.services).
    another_than = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Collaboration
        fields = [
            "form",
            "title",
            "participants",
            "started_on",
            "ended_on",
            "frequency",
            "level",
            "themes",
            "resource_kind",
            "target_group",
            "citizens_part",
            "citizen_count",
            "description",
            "goals",
            "outcome",
        ]
        field_classes = {"themes": ModelIdsField}
        widgets = {
            "form": forms.RadioSelect,
            "started_on": DateInput,
            "ended_on": DateInput,
            "themes": forms.CheckboxSelectMultiple,
            "frequency": forms.RadioSelect,
            "level": forms.RadioSelect,
            "citizens_part": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "form": {"required": _("Choose the form of collaboration.")},
            "title": {"required": _("Give the collaboration a short title.")},
            # The browser's date picker sends what it shows; a year typed with five digits is what it cannot read.
            "started_on": {"required": _("When did it start?"), "invalid": UNREADABLE_DATE},
            "ended_on": {"invalid": UNREADABLE_DATE},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance_themes = self.instance.themes.all() if self.instance.pk else Theme.objects.none()
        self.fields["themes"].queryset = (Theme.objects.active() | instance_themes).distinct()
        self.fields["form"].choices = Form.choices
        self.fields["frequency"].choices = Frequency.choices
        self.fields["level"].choices = Level.choices
        self.fields["citizens_part"].choices = CitizensPart.choices
        self.fields["resource_kind"].choices = [("", _("Choose …")), *ResourceKind.choices]
        self.fields["citizen_count"].widget.attrs.update(min=0, max=MAX_CITIZENS)
        # The picker offers only dates check_plausible_date takes.
        latest = timezone.localdate() + datetime.timedelta(days=366)
        for name in ("started_on", "ended_on"):
            self.fields[name].widget.attrs.update(min="2000-01-01", max=latest.isoformat())
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("started_on", timezone.localdate())
        if self.instance.pk and not self.is_bound:
            self.initial["participants"] = [
                ParticipantRow(actor_id=str(p.actor_id), role=p.role, actor=p.actor)
                for p in self.instance.participations.select_related("actor")
            ]
        if not self.instance.pk and not self.is_bound:
            self.initial["submission"] = uuid.uuid4()

    # -- As samkort.concurrency sees it: the participants are part of the record's state ---------------------------

    def edited_fields(self) -> list[str]:
        return [name for name in super().edited_fields() if name != "participants"]

    def state_of(self, instance: Collaboration) -> dict:
        return collaboration_state(instance)

    def state_of_cleaned(self) -> dict:
        state = super().state_of_cleaned()
        state["participants"] = sorted([row.actor.pk, row.role] for row in self.cleaned_data.get("participants", []))
        return state

    def data_for(self, state: dict) -> QueryDict:
        participants = state.get("participants", [])
        data = super().data_for({name: value for name, value in state.items() if name != "participants"})
        data.setlist(self.add_prefix("participants"), [str(actor_id) for actor_id, _role in participants])
        for actor_id, role in participants:
            data[f"role-{actor_id}"] = role
        return data

    def display(self, instance: Collaboration, name: str) -> str:
        if name == "participants":
            return ", ".join(
                f"{p.actor.name} ({p.get_role_display()})" for p in instance.participations.select_related("actor")
            )
        return super().display(instance, name)

    def chosen_form(self) -> int | None:
        """The form of collaboration as currently chosen, even when the rest is invalid."""
        raw = self.data.get("form") if self.is_bound else self.initial.get("form", self.instance.form)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            return None
        return value if value in Form.values else None

    def participant_rows(self) -> list[ParticipantRow]:
        """The chosen actors, with roles fitted to the chosen form, for rendering."""
        if self.is_bound:
            rows = self.fields["participants"].to_python(
                self.fields["participants"].widget.value_from_datadict(
                    self.data, self.files, self.add_prefix("participants")
                )
            )
        else:
            rows = list(self.initial.get("participants", []))
        return fit_roles_to_form(rows, self.chosen_form())

    def clean_participants(self) -> list[ParticipantRow]:
        """An actor made inactive while the form was open (another tab, a colleague) is not logged with; one that
        takes part already stays, so an old collaboration can still be edited."""
        rows = self.cleaned_data["participants"]
        taking_part = set(self.instance.participations.values_list("actor_id", flat=True)) if self.instance.pk else ()
        for row in rows:
            if not row.actor.active and row.actor.pk not in taking_part:
                raise forms.ValidationError(
                    _(
                        "%(name)s is no longer active in Samkort: remove it, or ask a coordinator to make it "
                        "active again."
                    ),
                    code="inactive",
                    params={"name": row.actor},
                )
        return rows

    def clean_started_on(self) -> datetime.date:
        started_on = self.cleaned_data["started_on"]
        check_plausible_date(started_on)
        return started_on

    def clean_ended_on(self) -> datetime.date | None:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on:
            check_plausible_date(ended_on)
        return ended_on

    def clean(self):
        cleaned = super().clean()
        form = cleaned.get("form")
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        if started_on and not ended_on and cleaned.get("frequency") == Frequency.ONCE:
            # A one-off collaboration is over the day it happened.
            cleaned["ended_on"] = started_on
        if form == Form.RESOURCE_EXCHANGE:
            if not cleaned.get("resource_kind"):
                self.add_error("resource_kind", _("Say what was given, shared or lent."))
        else:
            cleaned["resource_kind"] = ""
        if form and "participants" in cleaned:
            self.check_roles_fit_form(form, cleaned["participants"])
        return cleaned

    def check_roles_fit_form(self, form: int, rows: list[ParticipantRow]) -> None:
        roles = [row.role for row in rows]
        allowed = ROLES_FOR_FORM[form]
        for row in rows:
            if row.role not in allowed:
                self.add_error(
                    "participants",
                    _("%(name)s cannot have the role “%(role)s” in %(form)s.")
                    % {"name": row.actor, "role": ParticipantRole(row.role).label, "form": Form(form).label.lower()},
                )
                return
        if form == Form.RESOURCE_EXCHANGE and not (
            ParticipantRole.GIVER in roles and ParticipantRole.RECEIVER in roles
        ):
            self.add_error("participants", _("In a resource exchange at least one actor gives and another receives."))
        if form == Form.ALIGNMENT and (ParticipantRole.REFERRER in roles) != (ParticipantRole.REFERRED in roles):
            self.add_error("participants", _("A referral needs an actor who refers and an actor who is referred to."))


def collaboration_state(collaboration: Collaboration) -> dict:
    """The collaboration's values as the log form takes them: compared when two edit at once, restored from history."""
    state = {
        name: plain(Collaboration._meta.get_field(name).value_from_object(collaboration))
        for name in CollaborationForm._meta.fields
        if name != "participants"
    }
    state["participants"] = sorted([p.actor_id, p.role] for p in collaboration.participations.all())
    return state


def check_plausible_date(day: datetime.date) -> None:
    today = timezone.localdate()
    if day.year < 2000 or day > today + datetime.timedelta(days=366):
        raise forms.ValidationError(_("Check the date: it should lie between the year 2000 and a year from now."))


def fit_roles_to_form(rows: list[ParticipantRow], form: int | None) -> list[ParticipantRow]:
    """Keep each role that fits the form; give the others the form's default role."""
    allowed = ROLES_FOR_FORM.get(form, tuple(ParticipantRole.values))
    choices = [(role, ParticipantRole(role).label) for role in allowed]
    return [
        ParticipantRow(
            actor_id=row.actor_id,
            actor=row.actor,
            role=row.role if row.role in allowed else default_role_for(form, position),
            choices=choices,
        )
        for position, row in enumerate(rows)
    ]


class NewActorForm(ActorNameForm):
    """Creating an actor without leaving the collaboration form."""

    prefix = "new_actor"
    taken_message = _("%(name)s already exists. Pick it in the search instead.")

    class Meta:
        model = Actor
        fields = ["name", "category"]
        error_messages = {
            "name": {"required": _("Write the actor's name.")},
            "category": {"required": _("Choose what kind of actor it is.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose category …")), *ActorCategory.choices]
        first = "category" if self.initial.get("name") and not self.is_bound else "name"
        self.fields[first].widget.attrs["autofocus"] = True

    def full_clean(self) -> None:
        """A refused panel comes back with the focus on the first field to fix, where its error is read out."""
        super().full_clean()
        if wrong := next((name for name in self.fields if name in self.errors), None):
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[wrong].widget.attrs["autofocus"] = True


class CollaborationFilterForm(FilterForm):
    """The list's filters. Invalid values are reported and ignored, never a crash."""

    q = LineFormField(label=_("Search"), required=False, max_length=200)
    form = forms.TypedChoiceField(
        label=_("Form"), required=False, coerce=int, empty_value=None, choices=[("", _("All forms")), *Form.choices]
    )
    actor = forms.ModelChoiceField(
        label=_("Actor"),
        required=False,
        queryset=Actor.objects.none(),
        empty_label=_("All actors"),
        widget=QuickSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.all(), empty_label=_("All themes"), widget=QuickSelect
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    start = forms.DateField(label=_("From"), required=False, widget=DateInput, validators=[within_reach])
    end = forms.DateField(label=_("To"), required=False, widget=DateInput, validators=[within_reach])

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = (
            Actor.objects.known_in(centre).order_by("name_key") if centre else Actor.objects.none()
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        return cleaned

    def filter(self, queryset):
        """Apply the valid filters; invalid ones are left out (and shown as errors by the template)."""
        data = self.valid_values()
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("form"):
            queryset = queryset.filter(form=data["form"])
        if data.get("actor"):
            queryset = queryset.involving(data["actor"])
        if data.get("theme"):
            queryset = queryset.filter(themes=data["theme"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        return queryset.in_period(data.get("start"), data.get("end"))
