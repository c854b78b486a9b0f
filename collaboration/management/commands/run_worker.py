"""`manage.py run_worker`: run the task queue (`make worker`): django-tasks-db's db_worker, with lost tasks run again.

A worker stopped with SIGTERM finishes its task first. One that was killed, or whose machine went down, leaves its
task marked running. Each worker is named by its machine, process namespace and process, so a worker in the same
place sees at once that the process running a task is gone (a crash and a restart by the supervisor) and queues the
task again; a task whose worker was elsewhere is queued again once it has run TASK_STALE_MINUTES. Every worker looks
for such tasks as it starts and then every minute, so nothing waits for the next restart.
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
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# How often a running worker looks for tasks lost by another.
LOOK_FOR_LOST_TASKS_SECONDS = 60


def worker_id() -> str:
    """This worker's name in a task it claims: where its process number means something (the machine, and the
    process namespace: containers on one machine may share a host name, never a namespace), the number, and a
    random part; at most 64 characters."""
    return f"{here()}:{os.getpid()}:{get_random_string(8)}"


def here() -> str:
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0  # not Linux: the machine alone
    return f"{socket.gethostname()[:30]}/{namespace}"


def requeue_stale_tasks(now: datetime.datetime | None = None) -> int:
    """Queue again the running tasks whose worker is gone: a process here that no longer runs, or a worker elsewhere
    once the task has run TASK_STALE_MINUTES (a worker here that still runs keeps its task, however long). The number
    of tasks queued again; an import such a task was writing is free to be taken again."""
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=settings.TASK_STALE_MINUTES)
    lost = []
    for pk, started_at, workers, path, arguments in DBTaskResult.objects.running().values_list(
        "pk", "started_at", "worker_ids", "task_path", "args_kwargs"
    ):
        worker = workers[-1] if workers else ""
        if gone(worker) or (started_at and started_at < cutoff and not alive_here(worker)):
            lost.append((pk, started_at, path, arguments))
    requeued = 0
    for pk, started_at, path, arguments in lost:
        # Only as it was seen: a task another worker has taken since is left to it.
        with transaction.atomic():
            taken_back = (
                DBTaskResult.objects.running()
                .filter(pk=pk, started_at=started_at)
                .update(status=TaskResultStatus.READY, started_at=None)
            )
            if taken_back and path.endswith(".run_import"):
                release_import(arguments)
        requeued += taken_back
    return requeued


def release_import(arguments: dict) -> None:
    """An import whose writer is gone waits again, so the task run again takes it at once (not after the time a
    writer of another request is given)."""
    from collaboration.models import ImportRun, ImportRunStatus

    run_id = (arguments.get("args") or [None])[0]
    ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.WRITING).update(
        status=ImportRunStatus.QUEUED, claimed_at=None
    )


def process_here(worker: str) -> int | None:
    """The process number of a worker that ran here (this machine, this process namespace); None for a worker from
    elsewhere, or a name of another form, whose task waits for TASK_STALE_MINUTES."""
    place, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    return int(pid) if place == here() and pid.isdigit() else None


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user has the number: alive
    return True


def gone(worker: str) -> bool:
    """Whether the worker of this name ran here in a process that has ended."""
    pid = process_here(worker)
    return pid is not None and not running(pid)


def alive_here(worker: str) -> bool:
    pid = process_here(worker)
    return pid is not None and running(pid)


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
