"""What every history in Samkort shares: who changed something, when, and the changes as a person reads them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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


def changes_between(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {name: [before.get(name, ""), value] for name, value in after.items() if before.get(name, "") != value}
