from __future__ import annotations

from django import forms, template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from collaboration.network.figures import whole_percent

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
def figure_value(value, is_share: bool = False) -> str:
    """A key figure as every report format shows it: shares as whole per cent, missing values as a dash."""
    if value is None:
        return "–"
    if is_share:
        return f"{whole_percent(value)} %"
    return str(value)


@register.filter
def figure_change(figure) -> str:
    """The change from the previous period, with its sign; shares in percentage points."""
    if figure.change is None:
        return ""
    if figure.is_share:
        points = whole_percent(figure.value) - whole_percent(figure.previous)
        return f"{points:+d} " + _("points")
    return f"{figure.change:+d}"
