from __future__ import annotations

from django import forms, template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

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
