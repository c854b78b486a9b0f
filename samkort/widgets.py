from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker: keyboard friendly, and it always sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
