from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """The browser's own date picker: keyboard friendly, and it always sends ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A select that writes its options in Python rather than through a template each: the actor filter of a centre
    with 250 actors spent 50 ms of its page in the option templates. The same elements and attributes as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = "".join(
                format_html(
                    '<option value="{}"{}>{}</option>', option["value"], flat_attrs(option["attrs"]), option["label"]
                )
                for option in options
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, mark_safe(html)) if group_name else html
            )  # noqa: S308 - built by format_html
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flat_attrs(widget["attrs"]), mark_safe("".join(groups))
        )  # noqa: S308


def flat_attrs(attrs: dict) -> str:
    """Attributes as Django's widget template writes them: True as the name alone, False left out."""
    return mark_safe(  # noqa: S308 - every name and value is escaped
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )
