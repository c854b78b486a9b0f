"""A filter that cannot be used is said once, in the list above the results, and the field it belongs to points a
screen reader at that line: every description a field names is on the page."""

from __future__ import annotations

import re

import pytest

from tests.helpers import html_of


def described_by(html: str) -> set[str]:
    return {name for names in re.findall(r'aria-describedby="([^"]+)"', html) for name in names.split()}


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.mark.parametrize(
    "path",
    [
        "/centres/{slug}/map/?start=2026-02-30&end=2020-01-01",
        "/centres/{slug}/collaborations/?start=2026-02-30",
        "/centres/{slug}/actors/?q=" + "x" * 300,
        "/reports/?centres=999999&start=2026-02-30&end=2020-01-01",
    ],
)
def test_every_description_an_invalid_filter_points_to_is_on_the_page(manager_client, centre, path):
    html = html_of(manager_client.get(path.format(slug=centre.slug)))

    assert 'aria-invalid="true"' in html
    assert described_by(html) - ids(html) == set()


def test_the_centres_of_a_report_that_cannot_be_made_are_described_by_the_reason(manager_client, centre):
    html = html_of(manager_client.get("/reports/", {"centres": "999999", "start": "2026-01-01"}))

    assert re.search(r'<fieldset class="field" aria-describedby="id_centres_error">', html)
    assert '<li id="id_centres_error">Centre: Et af centrene findes ikke' in html
