"""Validators shared by every free-text field."""

from __future__ import annotations

import calendar
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samkort.text import WITHOUT_JOINERS, clean_block, describe_character, unholdable_characters

# Every dash a keyboard or a word processor makes: hyphen-minus, figure dash, en dash (Word's autocorrect), em dash,
# horizontal bar, minus sign, hyphen bullet. Non-breaking and soft hyphens are cleaned to "-" or away first.
DASHES = r"\-\u2012\u2013\u2014\u2015\u2212\u2043"
# Between day, month and year: nothing, one space, or a dot, dash or slash with or without spaces around it.
DATE_SEPARATOR = rf"(?: ?[.{DASHES}/] ?| )?"
# Before the last four digits: nothing, spaces, or a dash or slash with or without spaces around it.
SERIAL_SEPARATOR = rf"(?: *[{DASHES}/] *| +)?"
# Inside a lookahead, so that every place a number could start is tried: the shape is found in overlapping places
# ("Sag 2026-010190-1234" holds "20 26-01 …", no date, before the real number), not only one after another.
CPR_SHAPE = re.compile(
    rf"(?=(?P<number>(?<![0-9])(?P<day>[0-9]{{2}})(?P<s1>{DATE_SEPARATOR})(?P<month>[0-9]{{2}})"
    rf"(?P<s2>{DATE_SEPARATOR})(?P<year>[0-9]{{2}})(?P<s3>{SERIAL_SEPARATOR})[0-9]{{4}}(?![0-9])))"
)


def contains_cpr_like_number(text: str | None) -> bool:
    """Whether the text holds a Danish CPR number in any of the ways people and word processors write one.

    Ten digits as ddmmyy-xxxx whose first six are a real day and month; separated by dots, spaces, any dash or a
    slash, and with invisible characters, non-breaking spaces and full-width digits cleaned away first. A date
    written with dots and followed by an ordinary number ("12.05.24 1000 kr.") is no CPR number: the four digits of
    one follow a dash, a slash, or the same spaces that separate its date.
    """
    if not text:
        return False
    return bool(cpr_like_spans(unicodedata.normalize("NFKC", clean_block(text).translate(WITHOUT_JOINERS))))


def without_cpr_like_numbers(text: str) -> str:
    """The text with each CPR-like number written as xxxxxx-xxxx: for a name Samkort must keep though a person chose
    it (an uploaded file's, a sheet's), where refusing is no help."""
    if not contains_cpr_like_number(text):
        return text
    text = unicodedata.normalize("NFKC", clean_block(text).translate(WITHOUT_JOINERS))
    parts, written = [], 0
    for start, end in cpr_like_spans(text):
        if start >= written:
            parts += [text[written:start], "xxxxxx-xxxx"]
        # A number that overlaps the one masked before it is masked with it, to its end.
        written = max(written, end)
    return "".join(parts) + text[written:]


def cpr_like_spans(text: str) -> list[tuple[int, int]]:
    """Where the text holds a CPR-like number, as (start, end), in order of their start."""
    return [match.span("number") for match in CPR_SHAPE.finditer(text) if is_cpr_like(match)]


def is_cpr_like(match: re.Match) -> bool:
    day, month = int(match["day"]), int(match["month"])
    # A leap year gives February 29 days; the year's century is in the hidden digits, so any year will do.
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        return False
    date_separators = match["s1"] + match["s2"]
    serial_is_spaces = match["s3"] != "" and not match["s3"].strip()
    return not (serial_is_spaces and date_separators.strip())


def no_personal_data(value: str) -> None:
    if contains_cpr_like_number(value):
        raise ValidationError(
            _(
                "This looks like a CPR number. Personal data about residents does not belong in Samkort: "
                "write about organisations and groups, and give counts instead of names."
            ),
            code="personal_data",
        )


def holdable_text(value: str) -> None:
    """Characters that neither the database's exports nor a spreadsheet can hold are refused, each one named."""
    unholdable = unholdable_characters(value or "")
    if unholdable:
        raise ValidationError(
            _("The text holds a character that cannot be saved: %(characters)s. Delete it and type the text again."),
            code="unholdable",
            params={"characters": ", ".join(describe_character(char) for char in unholdable)},
        )


def within_reach(value) -> None:
    """Dates a collaboration can have: a mistyped year (0026, 20266) gets a message instead of a failed sum."""
    if not 1900 <= value.year <= 2100:
        raise ValidationError(_("Choose a date between the years 1900 and 2100."), code="date_out_of_reach")
