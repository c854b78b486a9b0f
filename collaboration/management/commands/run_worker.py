"""`manage.py run_worker`: run the task queue (`make worker`): django-tasks-db's db_worker, after re-queuing the
tasks a lost worker left running.

A worker stopped with SIGTERM finishes its task first. One that was killed, or whose machine went down, leaves its
task marked running; after TASK_STALE_MINUTES the next worker to start runs it again, so nothing is lost.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def requeue_stale_tasks(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=settings.TASK_STALE_MINUTES)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


class Command(BaseCommand):
    help = (
        "Kører baggrundsopgaverne fra køen i databasen: store importer og deres forhåndsvisninger, kort, "
        "rapporter og kortlægningsrundernes e-mails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Stop, når køen er tom.")

    def handle(self, *args, batch: bool = False, **options) -> None:
        requeued = requeue_stale_tasks()
        if requeued:
            tasks = "opgave" if requeued == 1 else "opgaver"
            self.stdout.write(f"Satte {requeued} {tasks}, som en tabt arbejder efterlod, i kø igen.")
        call_command("db_worker", "--queue-name", "*", *(["--batch"] if batch else []))
