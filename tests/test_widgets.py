"""Samkort's own widgets write the same HTML as Django's, only faster."""

from __future__ import annotations

import re

from django import forms

from samkort.widgets import QuickSelect

CHOICES = [
    ("", "Alle aktører"),
    ("1", 'Café "Sumak" <b>'),
    ("Foreninger", [("2", "Boligselskabet & co"), ("3", "Biblioteket")]),
]


def same_markup(html: str) -> str:
    # Django's template puts a newline and indentation between elements; browsers read both the same.
    return re.sub(r">\s+<", "><", html.strip())


def rendered(widget, value) -> str:
    return same_markup(widget.render("actor", value, attrs={"id": "id_actor", "aria-invalid": True, "hidden": False}))


def test_a_quick_select_writes_what_djangos_select_writes():
    for value in ("", "1", "3", None, "missing"):
        assert rendered(QuickSelect(choices=CHOICES), value) == rendered(forms.Select(choices=CHOICES), value)


def test_labels_and_values_are_escaped():
    html = rendered(QuickSelect(choices=[('"><script>', "<script>alert(1)</script>")]), "")
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
