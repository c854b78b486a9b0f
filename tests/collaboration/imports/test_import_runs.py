"""A large import is written by a worker: the coordinator follows it on a page of its own, a second click imports
nothing twice, and a worker stopped halfway loses nothing and writes nothing twice."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import signing
from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from centres.models import Actor, Membership, Role
from collaboration.imports import runs as import_runs
from collaboration.imports import uploads
from collaboration.imports import write as import_write
from collaboration.imports.runs import SALT, carry_out, claim
from collaboration.models import WAITING_TOO_LONG, Collaboration, ImportRun, ImportRunStatus
from tests.collaboration.imports.helpers import kumu_workbook
from tests.collaboration.imports.test_import_views import upload
from tests.factories import make_user
from tests.helpers import html_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def large(settings):
    """Every import counts as large, and waits in the database for `run_worker`."""
    settings.IMPORT_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"


def previewed(client, centre) -> str:
    """Upload the Kumu workbook and look at its preview, as a coordinator does before confirming: the ticket."""
    page = html_of(client.get(upload(client, centre, kumu_workbook())["Location"]))
    return re.search(r'name="ticket" value="([^"]+)"', page).group(1)


def confirm(client, centre, ticket: str):
    return client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})


def work_off_the_queue() -> None:
    call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_large_import_is_followed_on_its_page_until_the_worker_has_written_it(coordinator_client, centre, large):
    ticket = previewed(coordinator_client, centre)
    confirmed = confirm(coordinator_client, centre, ticket)

    run = ImportRun.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == run.get_absolute_url()
    page = html_of(coordinator_client.get(confirmed["Location"]))
    assert "Importen er i gang." in page and 'hx-trigger="every 2s"' in page
    assert "Filen har 6 rækker, så den importeres i baggrunden" in page
    assert not Collaboration.objects.exists() and not Actor.objects.exists()
    # Asked again with nothing new, the page is left as it is (and a screen reader hears nothing twice).
    unchanged = coordinator_client.get(f"{confirmed['Location']}?seen=queued", HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204

    work_off_the_queue()

    poll = html_of(coordinator_client.get(f"{confirmed['Location']}?seen=queued", HTTP_HX_REQUEST="true"))
    assert "Importeret fra workshop.xlsx: 3 nye aktører, 3 nye samarbejder." in poll
    assert "every 2s" not in poll and "<html" not in poll
    assert Collaboration.objects.count() == 3 and Actor.objects.count() == 3
    assert uploads.kept(run.upload, run.file_names) is None  # the upload is gone once written
    # Back to the preview (the browser's back button): the import's page, not "nothing was imported".
    back = coordinator_client.get(f"{reverse('import_preview', args=[centre.slug])}?ticket={ticket}")
    assert back.status_code == 302 and back["Location"] == run.get_absolute_url()


def test_a_second_click_on_import_imports_nothing_twice(coordinator_client, centre, large):
    ticket = previewed(coordinator_client, centre)
    first, second = confirm(coordinator_client, centre, ticket), confirm(coordinator_client, centre, ticket)

    assert first["Location"] == second["Location"] == ImportRun.objects.get().get_absolute_url()
    work_off_the_queue()
    assert Collaboration.objects.count() == 3
    # Confirmed again once written: its page says what was imported.
    again = coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket}, follow=True)
    assert "Importeret fra workshop.xlsx" in html_of(again) and Collaboration.objects.count() == 3


def test_a_worker_killed_halfway_loses_nothing_and_the_next_writes_it_once(coordinator_client, centre, large, settings):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    # The worker that took it was killed while writing: its transaction never committed; the task and the run stay
    # marked as running since an hour ago.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=an_hour_ago)
    ImportRun.objects.update(status=ImportRunStatus.WRITING, claimed_at=an_hour_ago)
    settings.TASK_STALE_MINUTES = 30

    work_off_the_queue()  # the next worker to start runs the task again

    run = ImportRun.objects.get()
    assert (run.status, run.actors, run.collaborations) == (ImportRunStatus.DONE, 3, 3)
    assert Collaboration.objects.count() == 3
    assert carry_out(run) == ImportRunStatus.DONE and Collaboration.objects.count() == 3


def test_a_run_is_written_by_one_writer_only(coordinator_client, centre, large, settings):
    settings.TASK_STALE_MINUTES = 30
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    run = ImportRun.objects.get()

    assert claim(run) is not None
    assert claim(run) is None  # a second worker, at the same time, leaves it alone
    assert carry_out(run) == ImportRunStatus.WRITING and not Collaboration.objects.exists()


def test_a_run_left_halfway_by_a_server_is_offered_again_and_written_once(coordinator_client, centre, large, settings):
    settings.TASK_STALE_MINUTES = 30
    ticket = previewed(coordinator_client, centre)
    confirm(coordinator_client, centre, ticket)
    # The server writing it stopped, and nothing will run its task: after TASK_STALE_MINUTES it counts as stopped.
    DBTaskResult.objects.all().delete()
    ImportRun.objects.update(status=ImportRunStatus.WRITING, claimed_at=timezone.now() - datetime.timedelta(hours=1))
    run = ImportRun.objects.get()

    page = html_of(coordinator_client.get(run.get_absolute_url()))
    assert "Importen er gået i stå." in page and "every 2s" not in page
    assert re.search(r'<button type="submit" class="primary">Importér igen</button>', page)

    assert confirm(coordinator_client, centre, ticket)["Location"] == run.get_absolute_url()
    # Waiting for the worker again: the page follows it, and another click queues nothing more.
    page = html_of(coordinator_client.get(run.get_absolute_url()))
    assert "Importen er i gang." in page and 'hx-trigger="every 2s"' in page
    confirm(coordinator_client, centre, ticket)
    assert DBTaskResult.objects.count() == 1
    work_off_the_queue()
    assert ImportRun.objects.get().status == ImportRunStatus.DONE and Collaboration.objects.count() == 3


def test_a_worker_that_took_the_run_after_another_wrote_it_writes_nothing(coordinator_client, centre, large):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    seen_by_the_second = ImportRun.objects.get()
    work_off_the_queue()  # the first worker writes it

    assert carry_out(seen_by_the_second) == ImportRunStatus.DONE
    assert Collaboration.objects.count() == 3 and ImportRun.objects.get().collaborations == 3


def test_a_writer_whose_run_was_taken_over_meanwhile_writes_nothing(coordinator_client, centre, large, monkeypatch):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    write_plan = import_runs.write_plan

    def taken_over_while_writing(plan, user, on_written):
        # While this writer plans and writes, another takes the run over (this one looked gone) and ends it.
        ImportRun.objects.update(status=ImportRunStatus.DONE, claimed_at=timezone.now(), collaborations=3)
        return write_plan(plan, user, on_written)

    monkeypatch.setattr(import_runs, "write_plan", taken_over_while_writing)

    assert carry_out(ImportRun.objects.get()) == ImportRunStatus.DONE
    # What this writer wrote is rolled back (the other's rows are not in this test's database).
    assert not Collaboration.objects.exists() and not Actor.objects.exists()
    assert ImportRun.objects.get().collaborations == 3


def test_an_import_someone_got_in_the_way_of_says_why_and_leads_back_to_the_preview(
    coordinator_client, centre, large, monkeypatch
):
    ticket = previewed(coordinator_client, centre)
    confirm(coordinator_client, centre, ticket)
    run = ImportRun.objects.get()

    def raced(plan, user):
        # Another import, or someone logging the same actor, committed the same key first.
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(import_write, "write", raced)
    work_off_the_queue()

    page = html_of(coordinator_client.get(run.get_absolute_url()))
    assert "Nogen ændrede centrets aktører eller samarbejder, mens du importerede." in page
    assert "Importen mislykkedes." in page
    back = reverse("import_preview", args=[centre.slug])
    assert re.search(rf'href="{back}\?ticket=[^"]+">Tilbage til forhåndsvisningen', page)
    # Confirmed again, with nothing in the way now, it is written.
    monkeypatch.undo()
    assert confirm(coordinator_client, centre, ticket)["Location"] == run.get_absolute_url()
    work_off_the_queue()
    assert Collaboration.objects.count() == 3


def test_an_upload_gone_before_the_workers_turn_is_asked_for_again(coordinator_client, centre, large):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    run = ImportRun.objects.get()
    uploads.forget(run.upload)  # more than a day in the queue

    work_off_the_queue()

    page = html_of(coordinator_client.get(run.get_absolute_url()))
    assert "Den uploadede fil er her ikke længere" in page
    assert "Upload filen igen" in page and not Collaboration.objects.exists()


def test_a_coordinator_who_left_the_centre_before_the_workers_turn_imports_nothing(client, centre, large):
    user = make_user("tidligere-tovholder")
    membership = Membership.objects.create(user=user, centre=centre, role=Role.COORDINATOR)
    client.force_login(user)
    confirm(client, centre, previewed(client, centre))
    membership.delete()

    work_off_the_queue()

    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.FAILED and run.message == "Du er ikke længere tovholder for centret."
    assert not Collaboration.objects.exists() and not Actor.objects.exists()


def test_an_import_is_only_for_the_coordinator_who_confirmed_it(coordinator_client, centre, large):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    other_coordinator = make_user("anden-tovholder")
    Membership.objects.create(user=other_coordinator, centre=centre, role=Role.COORDINATOR)
    other = Client()
    other.force_login(other_coordinator)

    assert other.get(ImportRun.objects.get().get_absolute_url()).status_code == 404


def test_a_small_import_is_written_in_the_request_even_with_a_worker(coordinator_client, centre, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"

    confirmed = confirm(coordinator_client, centre, previewed(coordinator_client, centre))

    assert confirmed["Location"] == reverse("collaboration_list", args=[centre.slug])
    assert Collaboration.objects.count() == 3 and ImportRun.objects.get().status == ImportRunStatus.DONE


def test_the_upload_page_lists_ones_own_recent_imports_with_how_they_ended(coordinator_client, centre, large):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    run = ImportRun.objects.get()

    page = html_of(coordinator_client.get(reverse("import_upload", args=[centre.slug])))
    assert "Dine seneste importer" in page and "Venter på sin tur" in page and run.get_absolute_url() in page

    work_off_the_queue()
    page = html_of(coordinator_client.get(reverse("import_upload", args=[centre.slug])))
    assert "3 nye aktører, 3 nye samarbejder" in page
    # Another coordinator of the centre sees their own imports only.
    colleague = make_user("anden-tovholder")
    Membership.objects.create(user=colleague, centre=centre, role=Role.COORDINATOR)
    other = Client()
    other.force_login(colleague)
    theirs = html_of(other.get(reverse("import_upload", args=[centre.slug])))
    assert "Dine seneste importer" not in theirs and "workshop.xlsx" not in theirs


def test_the_record_of_imports_is_purged_with_the_history(coordinator_client, centre, large, settings):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    ImportRun.objects.update(created_at=timezone.now() - datetime.timedelta(days=settings.HISTORY_RETENTION_DAYS + 1))

    call_command("purge_history", stdout=io.StringIO())

    assert not ImportRun.objects.exists()


def test_an_error_on_the_server_ends_the_run_as_failed_instead_of_waiting_for_ever(
    coordinator_client, centre, large, monkeypatch
):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))

    def broken(plan, user):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_write, "write", broken)
    work_off_the_queue()

    run = ImportRun.objects.get()
    assert run.status == ImportRunStatus.FAILED
    assert run.message == "Noget gik galt på serveren. Intet er importeret."
    assert "the disk is full" not in html_of(coordinator_client.get(run.get_absolute_url()))


def test_a_closed_account_imports_nothing(coordinator_client, coordinator, centre, large):
    confirm(coordinator_client, centre, previewed(coordinator_client, centre))
    coordinator.is_active = False
    coordinator.save()

    work_off_the_queue()

    assert ImportRun.objects.get().status == ImportRunStatus.FAILED and not Collaboration.objects.exists()


def test_an_upload_whose_preview_is_no_longer_kept_goes_to_the_worker(coordinator_client, centre, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    ticket = previewed(coordinator_client, centre)
    # The preview's plan no longer stands (a record of the centre changed): how many rows the file has is not known
    # without reading it.
    uploads.forget_preview(signing.loads(ticket, salt=SALT)["t"])

    confirmed = confirm(coordinator_client, centre, ticket)

    run = ImportRun.objects.get()
    assert confirmed["Location"] == run.get_absolute_url() and run.rows is None
    assert not Collaboration.objects.exists()
    assert "Filen importeres i baggrunden" in html_of(coordinator_client.get(run.get_absolute_url()))


def test_a_small_import_confirmed_on_another_server_process_is_still_known_as_small(
    coordinator_client, centre, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    ticket = previewed(coordinator_client, centre)
    # Another process, with a cache of its own (no Redis): the preview is kept beside the upload, for every process.
    django_cache.clear()

    confirmed = confirm(coordinator_client, centre, ticket)

    assert confirmed["Location"] == reverse("collaboration_list", args=[centre.slug])
    assert ImportRun.objects.get().rows == 6 and Collaboration.objects.count() == 3


def test_an_import_waiting_too_long_for_a_worker_says_so(coordinator_client, centre, large):
    ticket = previewed(coordinator_client, centre)
    location = confirm(coordinator_client, centre, ticket)["Location"]
    assert "venter længere" not in html_of(coordinator_client.get(location))
    ImportRun.objects.update(created_at=timezone.now() - WAITING_TOO_LONG - datetime.timedelta(seconds=1))

    changed = coordinator_client.get(f"{location}?seen=queued", HTTP_HX_REQUEST="true")

    assert changed.status_code == 200
    assert "Importen venter længere end den burde på sin tur." in html_of(changed)
    assert "seen=queued-slow" in html_of(changed)
    assert coordinator_client.get(f"{location}?seen=queued-slow", HTTP_HX_REQUEST="true").status_code == 204
