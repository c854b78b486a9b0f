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
