"""A page's filters as a form: a value that is not valid is left out and reported, never a crash or an empty page."""

from __future__ import annotations

from django import forms


class FilterForm(forms.Form):
    def valid_values(self) -> dict:
        """The values that passed validation; the others are dropped (and shown as errors)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
