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
from django_tasks_db.models import DBTaskResult

from collaboration.imports import previews, uploads
from collaboration.imports.runs import SALT
from collaboration.models import Collaboration
from tests.collaboration.imports.helpers import kumu_workbook
from tests.collaboration.imports.test_import_views import upload
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


def poll(client, location: str):
    return client.get(f"{location}&waiting=1", HTTP_HX_REQUEST="true")


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

    class Uploaded:
        name = "stor.xlsx"

        def chunks(self):
            yield packed.getvalue()

    token, names = uploads.keep([Uploaded()])
    assert len(packed.getvalue()) < 10_000
    assert uploads.text_size(token, names) == 600_000
