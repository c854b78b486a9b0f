"""The map's filter form: the selection (period, forms, themes, levels, sectors) and how the map is drawn."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Sector
from collaboration.models import Form, Level, Theme
from collaboration.network.graph import Selection
from samkort.fields import ModelIdsField
from samkort.filters import FilterForm
from samkort.validators import within_reach
from samkort.widgets import DateInput


class MapFilterForm(FilterForm):
    """The map's selection and display options. Invalid values are reported and left out, never a crash."""

    # The centre's latest mapping round (collaboration.rounds.results.RoundResults), when the map has one.
    round_results = None

    start = forms.DateField(label=_("From"), required=False, widget=DateInput, validators=[within_reach])
    end = forms.DateField(label=_("To"), required=False, widget=DateInput, validators=[within_reach])
    form = forms.TypedMultipleChoiceField(
        label=_("Forms"), required=False, coerce=int, choices=Form.choices, widget=forms.CheckboxSelectMultiple
    )
    themes = ModelIdsField(
        label=_("Themes"), required=False, queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels"), required=False, choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only actors of these sector groups, and the collaborations between at least two of them."),
    )
    colour_by = forms.ChoiceField(
        label=_("Colour actors by"),
        required=False,
        choices=[("sector", _("Sector group")), ("category", _("Category"))],
    )
    size_by = forms.ChoiceField(
        label=_("Size actors by"),
        required=False,
        choices=[
            ("degree", _("Number of partners")),
            ("weighted_degree", _("Collaborations, counted per partner")),
            ("betweenness", _("Brokerage (betweenness)")),
        ],
    )
    changes = forms.BooleanField(label=_("Show changes since the previous period"), required=False)
    # Shown on a centre's map once it has a mapping round: the ties the partners confirmed in the latest one.
    confirmed = forms.ChoiceField(
        label=_("Confirmed by the partners"),
        required=False,
        choices=[
            ("", _("All collaborations on record")),
            ("any", _("Confirmed by at least one side")),
            ("both", _("Confirmed by both sides")),
        ],
        help_text=_("From the latest mapping round."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        if cleaned.get("changes") and not (start and end):
            self.add_error(
                "changes", _("Choose a period with both a start and an end to compare it with the one before.")
            )
        return cleaned

    def selection(self, centre_ids: tuple[int, ...]) -> Selection:
        values = self.valid_values()
        return Selection(
            centre_ids=centre_ids,
            start=values.get("start"),
            end=values.get("end"),
            forms=tuple(values.get("form") or ()),
            themes=tuple(theme.pk for theme in values.get("themes") or ()),
            levels=tuple(values.get("levels") or ()),
            sectors=tuple(values.get("sectors") or ()),
        )


# What chooses the collaborations on a map. An address with none of them (the map as first opened, or with only a
# focus, colours or sizes chosen) shows the last twelve months; one with "start=&end=" has chosen all time.
SELECTING = ("start", "end", "form", "themes", "levels", "sectors")


def map_filters(query: QueryDict) -> MapFilterForm:
    """The filters from the address; with no period or filter given, the last twelve months."""
    if not any(key in query for key in SELECTING):
        today = timezone.localdate()
        query = query.copy()
        query["start"] = (today - datetime.timedelta(days=364)).isoformat()
        query["end"] = today.isoformat()
    return MapFilterForm(query)
