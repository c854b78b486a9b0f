"""Validators shared by every free-text field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ddmmyy-xxxx, also written without the dash or with a space: the shape of a Danish CPR number.
CPR_LIKE = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")


def contains_cpr_like_number(text: str) -> bool:
    return bool(CPR_LIKE.search(text or ""))


def no_personal_data(value: str) -> None:
    if contains_cpr_like_number(value):
        raise ValidationError(
            _(
                "This looks like a CPR number. Personal data about residents does not belong in Samkort: "
                "write about organisations and groups, and give counts instead of names."
            ),
            code="personal_data",
        )


def within_reach(value) -> None:
    """Dates a collaboration can have: a mistyped year (0026, 20266) gets a message instead of a failed sum."""
    if not 1900 <= value.year <= 2100:
        raise ValidationError(_("Choose a date between the years 1900 and 2100."), code="date_out_of_reach")
