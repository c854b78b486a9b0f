"""Reports of large selections are made by a worker; the page follows along and the file is downloaded when ready."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from centres.models import Membership, Role
from collaboration.models import PreparedReport, PreparedReportStatus
from collaboration.reports import exports
from collaboration.reports import views as report_views
from tests.factories import make_actor, make_centre, make_collaboration, make_user
from tests.helpers import html_of


@pytest.fixture
def record(centre):
    actors = [make_actor(name=f"Forening {i}") for i in range(3)]
    for i in range(3):
        make_collaboration(centre, actors=[actors[i], actors[(i + 1) % 3]], started_on=datetime.date(2026, 3, 1 + i))


@pytest.fixture
def large(settings):
    settings.REPORT_BACKGROUND_COLLABORATIONS = 0


def download(client, centre, file_format="xlsx"):
    query = {"centres": [centre.pk], "start": "2026-01-01", "end": "2026-12-31"}
    return client.get(f"/reports/download/{file_format}/", query)


class TestALargeReport:
    def test_a_pdf_goes_to_the_worker_sooner_than_the_other_files(self, coordinator_client, centre, record, settings):
        settings.REPORT_BACKGROUND_PDF_COLLABORATIONS = 2
        assert download(coordinator_client, centre, "xlsx").status_code == 200
        assert not PreparedReport.objects.exists()
        response = download(coordinator_client, centre, "pdf")
        assert response.status_code == 302
        assert response["Location"] == PreparedReport.objects.get(file_format="pdf").get_absolute_url()

    def test_goes_to_a_page_that_follows_it_and_offers_the_file(self, coordinator_client, centre, record, large):
        response = download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == prepared.get_absolute_url()
        page = html_of(coordinator_client.get(response["Location"]))
        assert "Filen er klar." in page
        assert prepared.file_name in page
        file = coordinator_client.get(f"/reports/prepared/{prepared.pk}/file/")
        assert file["Content-Disposition"].startswith("attachment")
        workbook = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
        assert "Connections" in workbook.sheetnames

    def test_a_file_this_server_cannot_find_says_so_and_may_be_asked_for_again(
        self, coordinator_client, centre, record, large
    ):
        download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        # Made by a worker whose MEDIA_ROOT this server does not share.
        prepared.file.storage.delete(prepared.file.name)

        response = coordinator_client.get(f"/reports/prepared/{prepared.pk}/file/")

        assert response.status_code == 302 and response["Location"] == prepared.get_absolute_url()
        page = html_of(coordinator_client.get(response["Location"]))
        assert "Filen ligger ikke længere, hvor den blev lavet. Bed om rapporten igen." in page
        assert download(coordinator_client, centre).status_code == 302 and PreparedReport.objects.count() == 2

    def test_is_only_for_the_user_who_asked(self, coordinator_client, client, centre, record, large, manager):
        download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        other = Client()
        other.force_login(manager)
        assert other.get(prepared.get_absolute_url()).status_code == 404
        assert other.get(f"/reports/prepared/{prepared.pk}/file/").status_code == 404

    def test_an_expired_report_is_gone(self, coordinator_client, centre, record, large):
        download(coordinator_client, centre)
        PreparedReport.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        assert coordinator_client.get(PreparedReport.objects.get().get_absolute_url()).status_code == 404

    def test_purge_history_deletes_expired_files(self, coordinator_client, centre, record, large):
        download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        path = prepared.file.path
        PreparedReport.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        call_command("purge_history", stdout=io.StringIO())
        assert not PreparedReport.objects.exists()
        assert not os.path.exists(path)

    def test_a_pdf_the_server_cannot_make_says_so(self, coordinator_client, centre, record, large, monkeypatch):
        def unavailable(report):
            raise exports.PdfUnavailable("no Pango")

        monkeypatch.setitem(report_views.DOWNLOADS, "pdf", (unavailable, "application/pdf", "pdf"))
        response = download(coordinator_client, centre, "pdf")
        page = html_of(coordinator_client.get(response["Location"]))
        assert "Rapporten kunne ikke laves." in page
        assert PreparedReport.objects.get().status == PreparedReportStatus.FAILED

    def test_asking_again_goes_to_the_same_report(self, coordinator_client, centre, record, large):
        first = download(coordinator_client, centre)["Location"]
        assert download(coordinator_client, centre)["Location"] == first
        assert PreparedReport.objects.count() == 1

    def test_a_small_report_is_still_downloaded_at_once(self, coordinator_client, centre, record):
        response = download(coordinator_client, centre)
        assert response.status_code == 200
        assert not PreparedReport.objects.exists()


@pytest.mark.django_db(transaction=True)
class TestWithAWorker:
    def test_the_page_shows_the_steps_until_a_worker_has_made_the_file(
        self, coordinator_client, centre, record, large, settings
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        response = download(coordinator_client, centre)
        page = html_of(coordinator_client.get(response["Location"]))
        assert "Rapporten laves." in page
        assert 'hx-trigger="every 2s"' in page
        assert 'aria-current="step"' in page
        # Asked again with nothing new, the page is left as it is (and a screen reader hears nothing twice).
        unchanged = coordinator_client.get(f"{response['Location']}?seen=queued", HTTP_HX_REQUEST="true")
        assert unchanged.status_code == 204
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        poll = html_of(coordinator_client.get(f"{response['Location']}?seen=queued", HTTP_HX_REQUEST="true"))
        assert "Filen er klar." in poll
        assert "every 2s" not in poll
        # Said through the page's status region, and the download takes the focus the cancel button had.
        assert 'data-status="prepared-said"' in poll and "<p data-says-status><strong>Filen er klar." in poll
        assert "download data-focus-after-swap" in poll

    def test_once_the_worker_has_begun_the_status_holds_the_focus_the_cancel_button_had(
        self, coordinator_client, centre, record, large, settings
    ):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        location = download(coordinator_client, centre)["Location"]
        queued = html_of(coordinator_client.get(location))
        assert '<button type="submit" class="secondary" data-focus-after-swap>' in queued
        PreparedReport.objects.update(status=PreparedReportStatus.WRITING)

        poll = html_of(coordinator_client.get(f"{location}?seen=queued", HTTP_HX_REQUEST="true"))

        assert '<p data-says-status tabindex="-1" data-focus-after-swap><strong>Rapporten laves.' in poll
        assert "<button" not in poll

    def test_a_user_who_lost_the_centre_meanwhile_gets_no_file(self, client, centre, record, large, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        user = make_user("tidligere")
        membership = Membership.objects.create(user=user, centre=centre, role=Role.MANAGER)
        client.force_login(user)
        download(client, centre)
        membership.delete()
        Membership.objects.create(user=user, centre=make_centre(), role=Role.MANAGER)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        prepared = PreparedReport.objects.get()
        assert prepared.status == PreparedReportStatus.FAILED
        assert not prepared.file

    def test_a_file_made_before_the_user_lost_the_centre_is_no_longer_theirs_to_download(
        self, client, centre, record, large
    ):
        user = make_user("tidligere")
        membership = Membership.objects.create(user=user, centre=centre, role=Role.MANAGER)
        client.force_login(user)
        prepared_url = download(client, centre)["Location"]
        prepared = PreparedReport.objects.get()
        assert prepared.status == PreparedReportStatus.READY
        membership.delete()
        Membership.objects.create(user=user, centre=make_centre(), role=Role.MANAGER)
        assert client.get(prepared_url).status_code == 404
        assert client.get(f"/reports/prepared/{prepared.pk}/file/").status_code == 404

    def test_one_user_cannot_fill_the_workers_queue(self, coordinator_client, centre, record, large, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        settings.REPORT_QUEUE_PER_USER = 2
        for month in (1, 2):
            query = {"centres": [centre.pk], "start": f"2026-0{month}-01", "end": "2026-12-31"}
            assert coordinator_client.get("/reports/download/xlsx/", query).status_code == 302
        response = download(coordinator_client, centre, "pdf")
        assert response.status_code == 429
        assert "Du har allerede 2 rapporter på vej" in html_of(response)
        assert PreparedReport.objects.count() == 2
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        assert download(coordinator_client, centre, "pdf").status_code == 302


@pytest.fixture
def no_worker(settings):
    """Tasks are queued, and nothing runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class TestWithNoWorkerRunning:
    def test_a_report_waiting_longer_than_a_worker_takes_says_the_worker_may_not_run(
        self, coordinator_client, centre, record, large, no_worker
    ):
        url = download(coordinator_client, centre)["Location"]
        assert "venter længere, end den burde" not in html_of(coordinator_client.get(url))
        PreparedReport.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=4))

        # The page asking again with what it showed gets the change: the same status, now late.
        late = coordinator_client.get(f"{url}?seen=queued", HTTP_HX_REQUEST="true")
        assert late.status_code == 200
        assert "Rapporten venter længere, end den burde, på sin tur." in html_of(late)
        assert "?seen=queued-slow" in html_of(late)
        assert coordinator_client.get(f"{url}?seen=queued-slow", HTTP_HX_REQUEST="true").status_code == 204

    def test_a_report_that_has_not_begun_can_be_cancelled_and_no_longer_counts(
        self, coordinator_client, centre, record, large, no_worker, settings
    ):
        settings.REPORT_QUEUE_PER_USER = 1
        url = download(coordinator_client, centre)["Location"]
        prepared = PreparedReport.objects.get()
        blocked = download(coordinator_client, centre, "pdf")
        assert blocked.status_code == 429
        assert f'href="{url}">XLSX, bestilt' in html_of(blocked)

        assert "Annuller rapporten" in html_of(coordinator_client.get(url))
        cancelled = coordinator_client.post(f"/reports/prepared/{prepared.pk}/cancel/")

        assert cancelled.status_code == 302 and cancelled["Location"].startswith("/reports/?")
        assert "Rapporten er annulleret." in html_of(coordinator_client.get(cancelled["Location"]))
        assert not PreparedReport.objects.exists()
        assert download(coordinator_client, centre, "pdf").status_code == 302

    def test_a_report_begun_is_not_cancelled_and_the_page_shows_it(
        self, coordinator_client, centre, record, large, no_worker
    ):
        download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        PreparedReport.objects.update(status=PreparedReportStatus.WRITING)

        response = coordinator_client.post(f"/reports/prepared/{prepared.pk}/cancel/")

        assert response["Location"] == prepared.get_absolute_url()
        assert PreparedReport.objects.get().status == PreparedReportStatus.WRITING
        assert "Annuller rapporten" not in html_of(coordinator_client.get(prepared.get_absolute_url()))

    def test_only_the_user_who_asked_cancels_it(
        self, coordinator_client, client, centre, record, large, no_worker, manager
    ):
        download(coordinator_client, centre)
        prepared = PreparedReport.objects.get()
        client.force_login(manager)
        assert client.post(f"/reports/prepared/{prepared.pk}/cancel/").status_code == 404
        assert PreparedReport.objects.exists()


def test_a_report_cancelled_while_the_worker_read_its_data_is_not_written(
    coordinator_client, centre, record, large, no_worker, monkeypatch
):
    from collaboration.reports import tasks

    download(coordinator_client, centre)
    prepared = PreparedReport.objects.get()
    set_status = tasks.set_status

    def cancelled_while_read(report, status):
        if status == PreparedReportStatus.WRITING:
            PreparedReport.objects.filter(pk=report.pk).delete()
        return set_status(report, status)

    monkeypatch.setattr(tasks, "set_status", cancelled_while_read)
    monkeypatch.setitem(report_views.DOWNLOADS, "xlsx", (never_written, *report_views.DOWNLOADS["xlsx"][1:]))

    assert tasks.prepare_report.call(str(prepared.pk)) == "cancelled"


def never_written(report):
    raise AssertionError("a cancelled report is not written")


def test_a_report_cancelled_while_the_worker_wrote_it_leaves_no_file(
    coordinator_client, centre, record, large, no_worker, monkeypatch
):
    from django.core.files.storage import default_storage

    from collaboration.reports import tasks

    download(coordinator_client, centre)
    prepared = PreparedReport.objects.get()
    xlsx, *rest = report_views.DOWNLOADS["xlsx"]

    def cancelled_while_written(report):
        content = xlsx(report)
        PreparedReport.objects.filter(pk=prepared.pk).delete()
        return content

    monkeypatch.setitem(report_views.DOWNLOADS, "xlsx", (cancelled_while_written, *rest))

    assert tasks.prepare_report.call(str(prepared.pk)) == "cancelled"
    assert not default_storage.exists(f"reports/{prepared.pk}.xlsx")
    assert not PreparedReport.objects.exists()
