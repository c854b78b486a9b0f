"""Figures from -1 to 1 read the same wherever they are shown."""

from __future__ import annotations

import pytest
from django.utils import translation

from samkort.numbers import brokerage, mean, signed


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (117 / 200, "+0,59"),  # half up from the value as written, as density's 0,125 shows 0,13
        (0.125, "+0,13"),
        (-0.125, "-0,13"),
        (0.004, "0,00"),
        (-0.004, "0,00"),  # no sign on a figure that rounds to nothing
        (0.0, "0,00"),
        (1.0, "+1,00"),
        (None, "–"),
    ],
)
def test_a_figure_from_minus_one_to_one_is_rounded_half_up_with_its_sign(value, shown):
    with translation.override("da"):
        assert signed(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, "0,00"), (0.003, "< 0,01"), (0.005, "0,01"), (0.125, "0,13"), (1.0, "1,00")],
)
def test_a_brokers_betweenness_that_rounds_to_nothing_is_said_to_be_under_a_hundredth(value, shown):
    with translation.override("da"):
        assert brokerage(value) == shown


@pytest.mark.parametrize(("total", "count", "shown"), [(9, 4, 2.3), (11, 4, 2.8), (7, 3, 2.3), (5, 3, 1.7)])
def test_an_average_rating_is_rounded_half_up_from_its_exact_value(total, count, shown):
    assert mean(total, count) == shown
