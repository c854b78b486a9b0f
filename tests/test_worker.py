"""The task queue in production: tasks wait in the database for `make worker`, and a lost worker loses nothing."""

from __future__ import annotations

import datetime
import io
import os
import socket
import subprocess
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from collaboration.management.commands.run_worker import here, requeue_stale_tasks
from collaboration.rounds.tasks import send_round_email
from tests.factories import make_actor, make_centre, make_invitation, make_round

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_in_the_database(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_BACKEND = "database"


@pytest.fixture
def invitation(db):
    return make_invitation(make_round(make_centre()), make_actor(), contact_email="kontakt@partner.example")


def work_off_the_queue() -> str:
    out = io.StringIO()
    call_command("run_worker", "--batch", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_task_waits_in_the_database_until_a_worker_runs_it(queued_in_the_database, invitation):
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    work_off_the_queue()
    assert [message.to for message in mail.outbox] == [["kontakt@partner.example"]]
    assert "https://samkort.example/svar/" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_task_a_killed_worker_left_running_is_run_again(queued_in_the_database, invitation, settings):
    settings.TASK_STALE_MINUTES = 30
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    # The worker that took it was killed: the task stays marked running, its e-mail unsent.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    output = work_off_the_queue()
    assert "Satte 1 opgave," in output
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_task_still_within_its_time_is_left_to_its_worker(queued_in_the_database, invitation, settings):
    settings.TASK_STALE_MINUTES = 30
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert requeue_stale_tasks() == 0


def running_for_a_minute(worker: str) -> None:
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=1),
        worker_ids=[worker],
    )


def test_a_task_whose_worker_on_this_machine_is_gone_is_queued_again_at_once(
    queued_in_the_database, invitation, settings
):
    settings.TASK_STALE_MINUTES = 30
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    # The worker was killed and its supervisor started another at once: the process named in the task has ended.
    dead = subprocess.Popen(["true"])
    dead.wait()
    running_for_a_minute(f"{here()}:{dead.pid}:abcdefgh")

    assert requeue_stale_tasks() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY


@pytest.mark.parametrize("where", ["this process", "another machine", "another container of this machine"])
def test_a_task_whose_worker_may_still_run_it_is_left_to_it(queued_in_the_database, invitation, settings, where):
    settings.TASK_STALE_MINUTES = 30
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    dead = subprocess.Popen(["true"])
    dead.wait()
    place = {
        "this process": f"{here()}:{os.getpid()}",
        "another machine": f"another-machine/1:{dead.pid}",
        # The same host name, another process namespace: a process number there says nothing of this one's.
        "another container of this machine": f"{socket.gethostname()[:30]}/1:{dead.pid}",
    }[where]
    running_for_a_minute(f"{place}:abcdefgh")

    assert requeue_stale_tasks() == 0


def test_a_long_task_of_a_worker_here_that_still_runs_is_never_taken_from_it(
    queued_in_the_database, invitation, settings
):
    settings.TASK_STALE_MINUTES = 30
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=2),
        worker_ids=[f"{here()}:{os.getpid()}:abcdefgh"],
    )

    assert requeue_stale_tasks() == 0


def test_an_import_whose_worker_is_gone_is_taken_again_at_once(queued_in_the_database, centre, coordinator):
    from collaboration.imports.tasks import run_import
    from collaboration.models import ImportRun, ImportRunStatus

    run = ImportRun.objects.create(
        centre=centre,
        user=coordinator,
        upload="u" * 32,
        ticket="t",
        status=ImportRunStatus.WRITING,
        claimed_at=timezone.now(),
    )
    run_import.enqueue(str(run.pk))
    dead = subprocess.Popen(["true"])
    dead.wait()
    running_for_a_minute(f"{here()}:{dead.pid}:abcdefgh")

    assert requeue_stale_tasks() == 1
    run.refresh_from_db()
    assert (run.status, run.claimed_at) == (ImportRunStatus.QUEUED, None)


def test_a_running_worker_looks_for_lost_tasks_every_minute(queued_in_the_database, invitation, monkeypatch):
    from collaboration.management.commands import run_worker

    looked, stop = [], threading.Event()

    def look() -> int:
        looked.append(1)
        if len(looked) == 3:
            stop.set()  # as the worker does when db_worker ends
        return 0

    monkeypatch.setattr(run_worker, "requeue_stale_tasks", look)
    monkeypatch.setattr(run_worker, "LOOK_FOR_LOST_TASKS_SECONDS", 0.01)
    watcher = threading.Thread(target=run_worker.look_for_lost_tasks, args=(stop,))
    watcher.start()
    watcher.join(timeout=30)

    # It looked again and again while the worker ran, and stopped with it.
    assert len(looked) == 3 and not watcher.is_alive()


def test_development_and_tests_run_tasks_at_once(invitation):
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.exists()


def test_an_import_someone_watches_goes_before_map_refreshes_queued_earlier(queued_in_the_database):
    from collaboration.imports.tasks import run_import
    from collaboration.maps.tasks import refresh_centre_map

    for centre_id in (1, 2, 3):
        refresh_centre_map.enqueue(centre_id)
    run_import.enqueue("00000000-0000-0000-0000-000000000000")

    assert DBTaskResult.objects.first().task_path == "collaboration.imports.tasks.run_import"


def test_the_addresses_typed_for_a_password_reset_go_once_the_mail_is_sent(queued_in_the_database, invitation):
    """Every address typed on the reset page waits in the task table, an account's or not: purge_history drops those
    sent, and keeps the rest of the queue's record for its two weeks."""
    from centres.tasks import send_password_reset

    send_password_reset.enqueue("ukendt@kommune.example", "samkort.example", True, "da")
    send_round_email.enqueue(invitation.pk, "invitation", "https://samkort.example/")
    work_off_the_queue()
    waiting = send_password_reset.enqueue("venter@kommune.example", "samkort.example", True, "da")

    call_command("purge_history", stdout=io.StringIO())

    left = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert left == {
        send_round_email.module_path: TaskResultStatus.SUCCESSFUL,
        send_password_reset.module_path: TaskResultStatus.READY,
    }
    assert DBTaskResult.objects.filter(pk=waiting.id).exists()
