from __future__ import annotations

from django import forms, template
from django.core.exceptions import FieldDoesNotExist
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
