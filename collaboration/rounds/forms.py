"""The forms of a mapping round: opening it (details and contacts), a partner's answers, and the review."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from centres.models import Actor
from collaboration.models import CitizensPart, Collaboration, Form, Frequency, Level, ResourceKind
from collaboration.records.forms import check_plausible_date
from collaboration.rounds.models import TRUST_LABELS, VALUE_LABELS, Happened, Invitation, MappingRound, Proposal
from samkort.fields import ModelIdsField
from samkort.validators import no_personal_data, within_reach
from samkort.widgets import DateInput

DATE_FIELDS = {"period_start", "period_end", "closes_on", "started_on", "ended_on"}


def stored_as(model, name: str, **kwargs) -> forms.Field:
    """The form field of the model field the value is saved in, for the forms here that are not model forms: the
    same cleaning and length, and the personal-data rule a model form would check through the model."""
    return model._meta.get_field(name).formfield(validators=[no_personal_data], **kwargs)


class RoundForm(forms.ModelForm):
    class Meta:
        model = MappingRound
        fields = ["title", "period_start", "period_end", "closes_on", "contact_name", "contact_email", "message"]
        widgets = dict.fromkeys(DATE_FIELDS, DateInput) | {"message": forms.Textarea(attrs={"rows": 3})}

    # A one-time token, new for every form shown: see MappingRound.submission.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("period_start", "period_end", "closes_on"):
            self.fields[name].validators.append(within_reach)
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        start, end, closes = cleaned.get("period_start"), cleaned.get("period_end"), cleaned.get("closes_on")
        if start and end and end < start:
            self.add_error("period_end", _("The end date cannot be before the start date."))
        if closes and closes < timezone.localdate():
            self.add_error("closes_on", _("The closing date cannot be in the past."))
        latest = timezone.localdate() + datetime.timedelta(days=LONGEST_ROUND_DAYS)
        if closes and closes > latest:
            self.add_error(
                "closes_on",
                _("A round closes within three months, by %(date)s at the latest: partners' links work until then.")
                % {"date": date_format(latest, "DATE_FORMAT")},
            )
        return cleaned


# A partner's link opens their answers to anyone holding it until the round closes: not for years, by a slip of the
# year field (2100 was accepted).
LONGEST_ROUND_DAYS = 92


def default_round_values(today: datetime.date) -> dict:
    """The last twelve months, three weeks to answer."""
    return {
        "title": _("Mapping %(year)s") % {"year": today.year},
        "period_start": today - datetime.timedelta(days=364),
        "period_end": today,
        "closes_on": today + datetime.timedelta(days=21),
    }


class ContactForm(forms.Form):
    """One actor on the list of those to ask: whether to ask it, and whom."""

    ask = forms.BooleanField(label=_("Ask"), required=False)
    name = stored_as(Invitation, "contact_name", label=_("Contact name"))
    email = stored_as(Invitation, "contact_email", label=_("Contact e-mail"))

    def __init__(self, *args, actor: Actor, collaborations: int, **kwargs):
        super().__init__(*args, prefix=f"actor-{actor.pk}", **kwargs)
        self.actor = actor
        self.collaborations = collaborations

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ask") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address for %(actor)s, or untick it.") % {"actor": self.actor})
        return cleaned


class InvitationContactForm(forms.Form):
    """The contact at a partner, corrected (a mistyped address) or changed, or of an actor asked later."""

    name = stored_as(Invitation, "contact_name", label=_("Contact name"))
    email = stored_as(Invitation, "contact_email", label=_("Contact e-mail"), required=True)


class LaterInvitationForm(InvitationContactForm):
    """One more actor asked in an open round: one forgotten, or one new to the centre."""

    actor = forms.ModelChoiceField(label=_("Actor"), queryset=Actor.objects.none(), empty_label=_("Choose …"))
    field_order = ["actor", "name", "email"]

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors


class AnswerForm(forms.Form):
    """Did this collaboration happen, and which form describes it best."""

    happened = forms.ChoiceField(label=_("Did it happen?"), choices=Happened.choices, widget=forms.RadioSelect)
    form = forms.TypedChoiceField(
        label=_("Which form describes it best?"), coerce=int, choices=Form.choices, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("happened") in (Happened.YES, Happened.PARTLY) and not cleaned.get("form"):
            self.add_error("form", _("Choose the form that describes it best."))
        return cleaned


def scale_choices(labels: dict) -> list[tuple]:
    # Lazy, as the labels are: made once when the form class is, read in each reader's language.
    return [("", _("No answer"))] + [(value, format_lazy("{} – {}", value, label)) for value, label in labels.items()]


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("How valuable was the collaboration?"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=scale_choices(VALUE_LABELS),
    )
    trust = forms.TypedChoiceField(
        label=_("How much do you trust them?"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=scale_choices(TRUST_LABELS),
    )
    # What the page showed of each rating when it was loaded or last saved. Only a rating the partner changed is
    # saved: two tabs, or two colleagues sharing the link, changing different ratings never undo each other's.
    value_was = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, choices=scale_choices(VALUE_LABELS), widget=forms.HiddenInput
    )
    trust_was = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, choices=scale_choices(TRUST_LABELS), widget=forms.HiddenInput
    )

    def changes(self) -> dict:
        """The ratings that differ from what the page showed (all of them from a page that did not say)."""
        changed = {}
        for name in ("value", "trust"):
            shown = self.add_prefix(f"{name}_was") in self.data
            if not shown or self.cleaned_data[name] != self.cleaned_data[f"{name}_was"]:
                changed[name] = self.cleaned_data[name]
        return changed


class ProposalForm(forms.ModelForm):
    """A collaboration the partner misses on the list."""

    class Meta:
        model = Proposal
        fields = ["title", "partners", "other_partners", "form", "started_on", "ended_on", "description"]
        # The page is open to anyone with the link: a hand-edited id that cannot be one never reaches the database.
        field_classes = {"partners": ModelIdsField}
        widgets = {
            "partners": forms.CheckboxSelectMultiple,
            "form": forms.RadioSelect,
            "started_on": DateInput,
            "ended_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partner_choices, period: tuple[datetime.date, datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["partners"].queryset = partner_choices
        self.fields["partners"].label = _("Who did you work with?")
        self.fields["form"].choices = Form.choices
        for name in ("started_on", "ended_on"):
            self.fields[name].validators.append(within_reach)
        # Begun by the end of the period, and (if it ended) ended after its start: a collaboration begun before the
        # period and going on in it is one the round asks about.
        self.fields["started_on"].widget.attrs.update(max=period[1].isoformat())
        self.fields["ended_on"].widget.attrs.update(min=period[0].isoformat())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("partners") and not cleaned.get("other_partners") and "other_partners" not in self.errors:
            self.add_error("partners", _("Choose a partner from the list, or type its name below."))
        check_dates(self, cleaned)
        self.check_within_the_period(cleaned)
        return cleaned

    def check_within_the_period(self, cleaned: dict) -> None:
        """The round asks about its period: a collaboration missed in it went on at some time within it."""
        start, end = self.period
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if not started_on or self.errors.get("started_on") or self.errors.get("ended_on"):
            return
        if started_on > end or (ended_on and ended_on < start):
            message = _("The round asks about %(start)s – %(end)s: give a collaboration that went on then.")
            self.add_error(
                "started_on",
                message % {"start": date_format(start, "DATE_FORMAT"), "end": date_format(end, "DATE_FORMAT")},
            )

    def details(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "partners"}


class CommentForm(forms.Form):
    comment = stored_as(
        Invitation, "comment", label=_("Anything else you want to tell us?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AcceptForm(forms.Form):
    """The coordinator's version of a proposed collaboration, as it enters the record."""

    title = stored_as(Collaboration, "title", label=_("Title"))
    form = forms.TypedChoiceField(label=_("Form of collaboration"), coerce=int, choices=Form.choices)
    resource_kind = forms.ChoiceField(
        label=_("What was exchanged"), required=False, choices=[("", "—"), *ResourceKind.choices]
    )
    started_on = forms.DateField(label=_("Started"), widget=DateInput, validators=[within_reach])
    ended_on = forms.DateField(label=_("Ended"), widget=DateInput, required=False, validators=[within_reach])
    actors = ModelIdsField(label=_("Actors"), queryset=Actor.objects.none(), widget=forms.CheckboxSelectMultiple)
    # What the partner was not asked, asked of the coordinator as the log form asks it: nothing is filled in unseen.
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, widget=forms.RadioSelect)
    citizens_part = forms.ChoiceField(
        label=_("Residents' part"), choices=CitizensPart.choices, widget=forms.RadioSelect
    )
    description = stored_as(
        Collaboration, "description", label=_("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actor_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = actor_choices

    def clean(self):
        cleaned = super().clean()
        if len(cleaned.get("actors") or ()) == 1:
            self.add_error("actors", _("A collaboration needs at least two actors."))
        if cleaned.get("form") == Form.RESOURCE_EXCHANGE and not cleaned.get("resource_kind"):
            self.add_error("resource_kind", _("Say what was exchanged – and only for resource exchange."))
        if cleaned.get("form") != Form.RESOURCE_EXCHANGE:
            cleaned["resource_kind"] = ""
        check_dates(self, cleaned)
        if cleaned.get("started_on") and not cleaned.get("ended_on") and cleaned.get("frequency") == Frequency.ONCE:
            # As in the log form: a one-off collaboration is over the day it happened, not going on.
            cleaned["ended_on"] = cleaned["started_on"]
        return cleaned

    def details(self) -> dict:
        fields = ("title", "form", "resource_kind", "started_on", "ended_on", "frequency", "level", "citizens_part")
        fields += ("description",)
        return {name: self.cleaned_data[name] for name in fields}


def check_dates(form: forms.Form, cleaned: dict) -> None:
    """As the log form checks them: each between the year 2000 and a year from now, the end not before the start."""
    for name in ("started_on", "ended_on"):
        if cleaned.get(name) and name not in form.errors:
            try:
                check_plausible_date(cleaned[name])
            except forms.ValidationError as error:
                form.add_error(name, error)
    started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
    if started and ended and ended < started:
        form.add_error("ended_on", _("The end date cannot be before the start date."))


def accept_initial(proposal: Proposal) -> dict:
    return {
        "title": proposal.title,
        "description": proposal.description,
        "form": proposal.form,
        "started_on": proposal.started_on,
        "ended_on": proposal.ended_on,
        "actors": [proposal.invitation.actor_id, *(actor.pk for actor in proposal.partners.all())],
        # A proposal that ended the day it began was one event; otherwise how often, and the residents' part, are
        # for the coordinator to say.
        "frequency": Frequency.ONCE if proposal.ended_on == proposal.started_on else None,
        "level": Level.ORGANISATIONAL,
    }


class RejectForm(forms.Form):
    reason = stored_as(Proposal, "rejection_reason", label=_("Why is it left out?"), required=True)
