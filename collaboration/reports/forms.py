"""The report builder's form: which centres, which period, which sections."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from centres.access import centres_for_reporting
from centres.models import Centre
from collaboration.network.graph import Selection
from collaboration.reports.build import SECTION_KEYS, SECTIONS
from samkort.parsing import parse_id
from samkort.validators import within_reach
from samkort.widgets import DateInput


class CentresField(forms.ModelMultipleChoiceField):
    """Centres by id. An unknown centre and one the user may not report on get the same answer, so the
    message never tells whether a centre exists."""

    def _check_values(self, value):
        for raw in value:
            if parse_id(raw) is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


class ReportForm(forms.Form):
    """What a documentation report covers: centres, a period with both ends, and its sections."""

    centres = CentresField(
        label=_("Centres"),
        queryset=Centre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one centre."),
            "invalid_choice": _("One of the centres is unknown, or not one you may make reports for."),
        },
    )
    start = forms.DateField(
        label=_("From"),
        widget=DateInput,
        validators=[within_reach],
        error_messages={"required": _("Choose the first day of the period.")},
    )
    end = forms.DateField(
        label=_("To"),
        widget=DateInput,
        validators=[within_reach],
        error_messages={"required": _("Choose the last day of the period.")},
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        required=False,
        choices=SECTIONS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The spreadsheets and network files always hold everything."),
    )

    # Sent by the builder's own form: there, no section ticked means none, not the whole report.
    SECTIONS_SHOWN = "sections-shown"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = centres_for_reporting(user)
        if isinstance(self.data, QueryDict) and not self.data.getlist("sections") and not self.sections_were_shown():
            # A link without sections (from the overview, or a bookmark) means the whole report; show it so.
            self.data = self.data.copy()
            self.data.setlist("sections", list(SECTION_KEYS))

    def sections_were_shown(self) -> bool:
        return bool(self.data.get(self.SECTIONS_SHOWN))

    def clean_sections(self) -> list[str]:
        sections = self.cleaned_data["sections"]
        if not sections:
            raise forms.ValidationError(_("Choose at least one section; tick them all for the whole report."))
        return sections

    def clean(self):
        cleaned = super().clean()
        start, end, centres = cleaned.get("start"), cleaned.get("end"), cleaned.get("centres")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        elif start and end and centres and not self.selection().collaborations_exist():
            raise forms.ValidationError(
                _(
                    "There are no collaborations in this period in the chosen centres, so there is nothing to "
                    "report. Choose a longer period or more centres."
                ),
                code="empty",
            )
        return cleaned

    def selection(self) -> Selection:
        return Selection(
            centre_ids=tuple(sorted(c.pk for c in self.cleaned_data["centres"])),
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
        )

    def chosen_sections(self) -> tuple[str, ...]:
        return tuple(self.cleaned_data.get("sections") or SECTION_KEYS)


def last_whole_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The quarter before the one today is in: the period a report most often covers."""
    first_of_this = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = first_of_this - datetime.timedelta(days=1)
    return end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end
