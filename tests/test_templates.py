"""The templates as files: what Django would show as text instead of reading as template syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.name))
def test_no_comment_spans_lines_for_django_would_print_it(path):
    # A {# … #} comment ends on its own line; over several lines Django prints it on the page as it stands.
    unclosed = [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


def test_a_span_of_days_is_written_once_for_one_day_and_as_ongoing_without_an_end():
    import datetime

    from django.utils import translation

    from collaboration.templatetags.samkort import date_span

    day, later = datetime.date(2026, 9, 24), datetime.date(2026, 10, 1)
    with translation.override("da"):
        assert date_span(day, day, "DATE_FORMAT") == "24. september 2026"
        assert date_span(day, later) == "24.09.2026 – 01.10.2026"
        assert date_span(day, None) == "24.09.2026 – pågår"
