"""Numbers as a Danish reader writes them, the same on every page and in every file."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats


def signed(value: float | None) -> str:
    """A figure from -1 to 1 with its sign and two decimals (+0,18 in Danish); a dash when there is none."""
    if value is None:
        return "–"
    # Half up from the value as written (0.585 is +0,59), as Django's floatformat rounds density and the others;
    # round() would round the binary float just under it (0.58499…) down.
    rounded = two_decimals(value)
    number = formats.number_format(rounded, 2)
    return f"+{number}" if rounded > 0 else number


def brokerage(value: float | None) -> str:
    """A betweenness (0 to 1) with two decimals, half up; above nought but below 0,005 it is "< 0,01"."""
    if value is None:
        return "–"
    if 0 < value < 0.005:
        return "< " + formats.number_format(Decimal("0.01"), 2)
    return formats.number_format(two_decimals(value), 2)


def two_decimals(value: float) -> Decimal:
    # From the shortest text that is the float (str of a float, whatever kind of float it came as), half up.
    return Decimal(str(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mean(total: int, count: int) -> float:
    """An average on a rating scale to one decimal, half up from its exact value (9 / 4 is 2,3, as the other figures
    round), not from the binary float round() sees."""
    return float((Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
