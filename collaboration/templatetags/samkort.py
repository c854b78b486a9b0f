from __future__ import annotations

import html

from django import forms, template
from django.core.exceptions import FieldDoesNotExist
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samkort import numbers

register = template.Library()


@register.filter
def field_label(obj, name: str) -> str:
    """The label a person reads for a form field or a model field (used for errors and history)."""
    if isinstance(obj, forms.BaseForm):
        field = obj.fields.get(name)
        return str(field.label) if field else name
    if name == "participants":
        return _("actors")
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.filter
def figure_value(value) -> str:
    """A key figure as every report format shows it: shares as whole per cent, missing values as a dash."""
    return "–" if value is None else str(value)


@register.filter
def figure_change(figure) -> str:
    """The change from the previous period, with its sign; shares in percentage points."""
    if figure.change is None:
        return ""
    if figure.is_share:
        return f"{figure.change:+d} " + _("points")
    return f"{figure.change:+d}"


@register.filter
def signed(value) -> str:
    return numbers.signed(value)


@register.simple_tag
def actor_list_items(actors: list[dict], query: str, panel_prefix: str) -> str:
    """The map's list of actors as HTML in one pass: at 10,000 actors the template's own loop took 1.4 s.

    The standard library's escape gives the same text as Django's, without its lazy-string wrapper around each of
    the 40,000 calls."""
    focus = f"?{html.escape(query)}&amp;focus=" if query else "?focus="
    panel_query = html.escape(f"?{query}") if query else ""
    prefix = html.escape(panel_prefix)
    items = [
        f'<li data-name="{html.escape(actor["search_name"])}">'
        f'<a href="{focus}{actor["pk"]}" hx-get="{prefix}{actor["pk"]}/{panel_query}" hx-target="#actor-panel" '
        f'hx-swap="innerHTML" hx-push-url="false">{html.escape(actor["name"])}</a> '
        f"<small>{html.escape(actor['sector'])} · {html.escape(actor['partners'])}</small></li>"
        for actor in actors
    ]
    return mark_safe("\n".join(items))  # noqa: S308 - every value above is escaped
