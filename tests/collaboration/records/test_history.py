"""The change history is personal data too: it is deleted on a schedule."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from collaboration.models import HistoryEntry


@pytest.mark.django_db
def test_purge_history_deletes_only_entries_older_than_the_retention(centre, settings):
    settings.HISTORY_RETENTION_DAYS = 30
    old = HistoryEntry.objects.create(centre=centre, title="Gammel", action="created")
    HistoryEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    recent = HistoryEntry.objects.create(centre=centre, title="Ny", action="created")

    call_command("purge_history")

    assert list(HistoryEntry.objects.values_list("pk", flat=True)) == [recent.pk]
