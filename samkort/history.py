"""What every history in Samkort shares: who changed something, when, and the changes as a person reads them."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One change, by whom and when. Itself personal data about staff: purged after HISTORY_RETENTION_DAYS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # {field: [before, after]}, each as a person reads it (the label of a choice, a date as text).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


def readable(instance: models.Model, names: list[str]) -> dict[str, str]:
    """What a person reads of these fields: a choice's label, empty for nothing, everything else as text."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        values[name] = "" if value in (None, "") else str(value)
    return values


def recorded(instance: models.Model, names: list[str]) -> dict[str, str]:
    """What the history keeps of these fields: a choice by its value and a date as ISO text, so that each reader
    reads them in their own language (`as_read`); everything else as text, empty for nothing."""
    values = {}
    for name in names:
        value = getattr(instance, name)
        if value in (None, ""):
            values[name] = ""
        elif isinstance(value, datetime.date):
            values[name] = value.isoformat()
        else:
            values[name] = str(value)
    return values


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_read(model, name: str, text: str) -> str:
    """A value the history kept, as the reader reads it: a choice's label and a date in their language, a number
    with its thousands grouped. Text kept by an older Samkort (a label in the language it was saved in) is shown as
    it was kept."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return text
    if field.choices:
        return str({str(value): label for value, label in field.flatchoices}.get(text, text))
    if isinstance(field, models.DateField) and ISO_DATE.fullmatch(text):
        return formats.date_format(datetime.date.fromisoformat(text), "SHORT_DATE_FORMAT")
    if isinstance(field, models.BooleanField) and text in ("True", "False"):
        return str(_("Yes") if text == "True" else _("No"))
    if isinstance(field, models.IntegerField) and text.isdigit():
        return formats.number_format(int(text), force_grouping=True)
    return text


def changes_between(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {name: [before.get(name, ""), value] for name, value in after.items() if before.get(name, "") != value}
