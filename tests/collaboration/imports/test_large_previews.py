"""A large upload is read for its preview by a worker: the coordinator's page waits and shows the preview when it is
ready, or why the file could not be read; it never waits for ever, and two pages queue the reading once."""

from __future__ import annotations

import io
import os
import time
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from collaboration.imports import previews, uploads
from collaboration.imports.runs import SALT
from collaboration.models import WAITING_TOO_LONG, Collaboration, ImportRun
from tests.collaboration.imports.helpers import kumu_workbook
from tests.collaboration.imports.test_import_views import upload
from tests.factories import make_actor
from tests.helpers import html_of

pytestmark = pytest.mark.django_db(transaction=True)

CSV_ROW = "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n"


@pytest.fixture
def large(settings):
    """Every upload counts as large, and its reading waits in the database for `run_worker`."""
    settings.IMPORT_PREVIEW_BACKGROUND_BYTES = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"


def work_off_the_queue() -> None:
    call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())


def token_of(location: str) -> str:
    """The upload's folder name, from the ticket in the preview's address."""
    return signing.loads(parse_qs(urlsplit(location).query)["ticket"][0], salt=SALT)["t"]


def poll(client, location: str, showing: str = "reading"):
    """The waiting page's question every 2 s, saying what it shows."""
    return client.get(f"{location}&waiting={showing}", HTTP_HX_REQUEST="true")


def test_the_page_waits_for_the_worker_and_then_shows_the_preview(coordinator_client, centre, large):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]

    waiting = coordinator_client.get(location)
    page = html_of(waiting)
    assert waiting.status_code == 200
    assert "Samkort læser filen" in page and 'hx-trigger="every 2s"' in page and "workshop.xlsx" in page
    assert "nye aktører" not in page
    # Asked again before the worker has read it: nothing new, and nothing queued twice.
    assert poll(coordinator_client, location).status_code == 204
    assert "Samkort læser filen" in html_of(coordinator_client.get(location))
    assert DBTaskResult.objects.count() == 1

    work_off_the_queue()

    ready = poll(coordinator_client, location)
    assert ready.status_code == 200 and ready["HX-Refresh"] == "true"
    page = html_of(coordinator_client.get(location))
    assert "<strong>3</strong> nye aktører" in page and "<strong>3</strong> nye samarbejder" in page
    assert not Collaboration.objects.exists()


def test_a_file_the_worker_cannot_read_is_refused_with_the_reason(coordinator_client, centre, large):
    location = upload(coordinator_client, centre, b"PK\x03\x04 no workbook at all")["Location"]
    assert "Samkort læser filen" in html_of(coordinator_client.get(location))

    work_off_the_queue()

    assert poll(coordinator_client, location)["HX-Refresh"] == "true"
    refused = coordinator_client.get(location)
    assert refused.status_code == 400
    assert "Samkort læser filen" not in html_of(refused) and 'class="alert' in html_of(refused)
    # The upload is not kept for a confirmation that cannot come.
    assert not (uploads.upload_dir() / token_of(location)).exists()


def test_an_unforeseen_error_is_said_instead_of_waiting_for_ever(coordinator_client, centre, large, monkeypatch):
    def fails(ticket, centre):
        raise RuntimeError("a fault in Samkort")

    monkeypatch.setattr(previews, "make", fails)
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)

    work_off_the_queue()

    refused = html_of(coordinator_client.get(location))
    assert "Samkort kunne ikke læse filen." in refused and "a fault in Samkort" not in refused


def test_a_reading_whose_worker_was_stopped_is_queued_again(coordinator_client, centre, large):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)
    DBTaskResult.objects.all().delete()  # the worker that had it is gone, and its task with it
    assert "Samkort læser filen" in html_of(coordinator_client.get(location))
    assert not DBTaskResult.objects.exists()

    long_ago = time.time() - settings.TASK_STALE_MINUTES * 60 - 1
    for marker in (uploads.upload_dir() / token_of(location)).glob("preview-*.preparing"):
        os.utime(marker, (long_ago, long_ago))
    coordinator_client.get(location)
    assert DBTaskResult.objects.count() == 1

    work_off_the_queue()
    assert "<strong>3</strong> nye aktører" in html_of(coordinator_client.get(location))


def test_the_worker_reads_in_the_coordinators_language(coordinator_client, centre, large):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    location = upload(coordinator_client, centre, CSV_ROW.encode(), name="workshop.csv")["Location"]
    assert "Samkort is reading the file" in html_of(coordinator_client.get(location))

    work_off_the_queue()

    assert "is neither among the file" in html_of(coordinator_client.get(location))


def test_a_small_upload_is_previewed_at_once_with_nothing_queued(coordinator_client, centre, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    assert "<strong>3</strong> nye aktører" in html_of(coordinator_client.get(location))
    assert not DBTaskResult.objects.exists()


def test_a_workbook_counts_as_the_text_it_holds_not_its_packed_size(tmp_path, settings):
    settings.IMPORT_DIR = tmp_path
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 100_000)

    token, names = uploads.keep([uploaded("stor.xlsx", packed.getvalue())])
    assert len(packed.getvalue()) < 10_000
    assert uploads.text_size(token, names) == 600_000


def test_a_page_left_waiting_after_the_import_was_confirmed_elsewhere_goes_to_the_import(
    coordinator_client, centre, large
):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)
    ticket = parse_qs(urlsplit(location).query)["ticket"][0]
    coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})

    answer = poll(coordinator_client, location)

    assert answer.status_code == 200 and answer["HX-Refresh"] == "true"
    assert coordinator_client.get(location)["Location"] == ImportRun.objects.get().get_absolute_url()


def test_a_page_left_waiting_whose_ticket_no_longer_holds_shows_why(coordinator_client, centre, large, monkeypatch):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)
    monkeypatch.setattr(uploads, "KEPT_SECONDS", -1)

    answer = poll(coordinator_client, location)

    assert answer["HX-Refresh"] == "true"
    assert "Upload filen igen" in html_of(coordinator_client.get(location))


def test_a_reading_that_takes_too_long_says_so_and_what_to_do(coordinator_client, centre, large):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)
    minutes_ago = time.time() - WAITING_TOO_LONG.total_seconds() - 1
    for marker in (uploads.upload_dir() / token_of(location)).glob("preview-*.preparing"):
        os.utime(marker, (minutes_ago, minutes_ago))

    changed = poll(coordinator_client, location)

    assert changed.status_code == 200
    page = html_of(changed)
    assert "Det tager længere end det burde at læse filen." in page and "administrator" in page
    assert "<html" not in page and "waiting=slow" in page
    assert poll(coordinator_client, location, showing="slow").status_code == 204
    assert DBTaskResult.objects.count() == 1  # not queued again before the worker counts as stopped


def test_an_older_workers_preview_never_removes_a_newer_one(tmp_path, settings):
    settings.IMPORT_DIR = tmp_path
    token, _names = uploads.keep([uploaded("a.csv", b"Navn;Type\n")])
    uploads.keep_preview(token, "newer", {"made": "second"}, made_since=time.time())
    long_ago = time.time() - 60

    uploads.keep_preview(token, "older", {"made": "first"}, made_since=long_ago)

    assert uploads.kept_preview(token, "newer") == {"made": "second"}
    uploads.keep_preview(token, "newest", {"made": "third"}, made_since=time.time() + 1)
    assert uploads.kept_preview(token, "newer") is None and uploads.kept_preview(token, "older") is None


def test_a_preview_kept_in_a_shape_samkort_no_longer_reads_is_made_again(tmp_path, settings):
    settings.IMPORT_DIR = tmp_path
    token, _names = uploads.keep([uploaded("a.csv", b"Navn;Type\n")])
    uploads.keep_preview(token, "key", {"made": "before"}, made_since=time.time())
    (uploads.upload_dir() / token / next(p.name for p in (tmp_path / token).glob("preview-*.pickle"))).write_bytes(
        b"\x80\x05\x95 not a pickle any more"
    )

    assert uploads.kept_preview(token, "key") is None


def uploaded(name: str, content: bytes):
    class Uploaded:
        def chunks(self):
            yield content

    file = Uploaded()
    file.name = name
    return file


def test_a_preview_whose_data_changed_is_shown_as_older_while_the_worker_reads_the_file_again(
    coordinator_client, centre, large
):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    coordinator_client.get(location)
    work_off_the_queue()
    assert "<strong>3</strong> nye aktører" in html_of(coordinator_client.get(location))

    make_actor(name="Et nyt navn et andet sted")  # any actor anywhere may change what the file matches

    page = html_of(coordinator_client.get(f"{location}&page=1"))
    assert "<strong>3</strong> nye aktører" in page and "er ændret, siden denne forhåndsvisning blev lavet" in page
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert poll(coordinator_client, location, showing="older").status_code == 204

    work_off_the_queue()

    assert poll(coordinator_client, location, showing="older")["HX-Refresh"] == "true"
    page = html_of(coordinator_client.get(location))
    assert "<strong>3</strong> nye aktører" in page and "er ændret" not in page
