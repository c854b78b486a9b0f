"""A page's filters as a form: a value that is not valid is left out and reported, never a crash or an empty page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _


class FilterForm(forms.Form):
    """A filter of one value given several (a link made by hand or cut from the map's address, where several forms
    are "either") is left out and said so, rather than read as its last value with a count that is wrong; its field
    shows no value then, not the last one, which is not applied."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.given_several = {
            name: len(given)
            for name, field in self.fields.items()
            if len(given := set(self.data.getlist(name) if hasattr(self.data, "getlist") else [])) > 1
            and not field.widget.allow_multiple_selected
        }
        if self.given_several:
            self.data = self.data.copy()
            for name in self.given_several:
                self.data.setlist(name, [])

    def clean(self):
        cleaned = super().clean()
        for name, count in self.given_several.items():
            self.add_error(
                name,
                _("This filter takes one value at a time; the address gave %(count)s, so it is left out.")
                % {"count": count},
            )
        return cleaned

    def valid_values(self) -> dict:
        """The values that passed validation; the others are dropped (and shown as errors)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
