"""Numbers as a Danish reader writes them, the same on every page and in every file."""

from __future__ import annotations

from django.utils import formats


def signed(value: float | None) -> str:
    """A figure from -1 to 1 with its sign and two decimals (+0,18 in Danish); a dash when there is none."""
    if value is None:
        return "–"
    rounded = round(value, 2)
    number = formats.number_format(rounded, 2)
    return f"+{number}" if rounded > 0 else number
