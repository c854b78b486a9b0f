"""`manage.py run_worker`: run the task queue (`make worker`): django-tasks-db's db_worker, with lost tasks run again.

A worker stopped with SIGTERM finishes its task first. One that was killed, or whose machine went down, leaves its
task marked running. Each worker is named by its machine and process, so a worker on the same machine sees at once
that the process running a task is gone (a crash and a restart by the supervisor) and queues the task again; a task
whose worker was on another machine is queued again once it has run TASK_STALE_MINUTES. Every worker looks for such
tasks as it starts and then every minute, so nothing waits for the next restart.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# How often a running worker looks for tasks lost by another.
LOOK_FOR_LOST_TASKS_SECONDS = 60


def worker_id() -> str:
    """This worker's name in a task it claims: its machine, its process and a random part (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def requeue_stale_tasks(now: datetime.datetime | None = None) -> int:
    """Queue again the running tasks whose worker is gone: a process of this machine that no longer runs, or any
    worker once the task has run TASK_STALE_MINUTES. The number of tasks queued again."""
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=settings.TASK_STALE_MINUTES)
    running = DBTaskResult.objects.running()
    lost = set(running.filter(started_at__lt=cutoff).values_list("pk", flat=True))
    lost |= {pk for pk, workers in running.values_list("pk", "worker_ids") if workers and gone(workers[-1])}
    if not lost:
        return 0
    # Still running when queued again: a task that finished meanwhile is left as it ended.
    return running.filter(pk__in=lost).update(status=TaskResultStatus.READY, started_at=None)


def gone(worker: str) -> bool:
    """Whether the worker of this name ran on this machine in a process that has ended."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a process of another user has the number: alive
    return False


def look_for_lost_tasks(stop: threading.Event) -> None:
    while not stop.wait(LOOK_FOR_LOST_TASKS_SECONDS):
        try:
            close_old_connections()
            if requeued := requeue_stale_tasks():
                logger.warning("Queued %s task(s) again that a lost worker left running.", requeued)
        except Exception:  # a database that is away for a moment must not end the worker's watch
            logger.exception("Looking for tasks a lost worker left running failed")
        finally:
            connection.close()


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
        stop = threading.Event()
        if not batch:
            threading.Thread(target=look_for_lost_tasks, args=(stop,), daemon=True, name="lost-tasks").start()
        try:
            call_command("db_worker", "--queue-name", "*", "--worker-id", worker_id(), *(["--batch"] if batch else []))
        finally:
            stop.set()
