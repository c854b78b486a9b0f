"""`manage.py purge_history`: delete change history older than HISTORY_RETENTION_DAYS (run it daily).

The history says who changed what, so it is personal data about staff and is kept no longer than needed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from collaboration.models import HistoryEntry


class Command(BaseCommand):
    help = "Sletter historik, der er ældre end HISTORY_RETENTION_DAYS dage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.HISTORY_RETENTION_DAYS, help="Opbevaringstid i dage.")

    def handle(self, *args, days: int, **options) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = HistoryEntry.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(f"Slettede {deleted} historikposter ældre end {days} dage.")
