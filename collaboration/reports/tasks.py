"""Large report files are made here, by a worker, for the user who asked; the page follows along and downloads."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from collaboration.models import PreparedReport, PreparedReportStatus
from collaboration.reports import exports
from collaboration.reports.build import build_report
from collaboration.reports.forms import ReportForm
from samkort.task_priority import WAITED_FOR

logger = logging.getLogger(__name__)


@task(priority=WAITED_FOR)
def prepare_report(report_id: str) -> str:
    """Make the file of a prepared report; its status says how far it has come. Running it twice makes one file."""
    prepared = PreparedReport.objects.filter(pk=report_id).first()
    if prepared is None or prepared.status == PreparedReportStatus.READY:
        return "gone" if prepared is None else "ready"
    from collaboration.reports.views import DOWNLOADS, file_name

    with translation.override(prepared.language):
        user = get_user_model().objects.get(pk=prepared.user_id)
        form = ReportForm(QueryDict(prepared.query), user=user)
        if not form.is_valid():
            # The user's centres changed since they asked: no file with what they may no longer see.
            return finish(
                prepared, PreparedReportStatus.FAILED, _("The report's centres or period are no longer valid.")
            )
        make, _content_type, extension = DOWNLOADS[prepared.file_format]
        if not set_status(prepared, PreparedReportStatus.READING):
            return "cancelled"
        report = build_report(form.selection(), list(form.cleaned_data["centres"]), form.chosen_sections())
        if not set_status(prepared, PreparedReportStatus.WRITING):
            return "cancelled"
        try:
            content = make(report)
        except exports.PdfUnavailable:
            return finish(prepared, PreparedReportStatus.FAILED, _("The server cannot make PDFs right now."))
        except Exception:
            # The page must not wait for ever: it says the report failed, and the log says why.
            logger.exception("Prepared report %s failed.", prepared.pk)
            return finish(prepared, PreparedReportStatus.FAILED, _("Something went wrong on the server."))
        prepared.file_name = file_name(report, extension)
        prepared.file.save(f"{prepared.pk}.{extension}", ContentFile(content), save=False)
        return finish(prepared, PreparedReportStatus.READY, "")


def set_status(prepared: PreparedReport, status: str) -> bool:
    """False when the report is gone: cancelled by its user since the worker took it."""
    prepared.status = status
    return bool(PreparedReport.objects.filter(pk=prepared.pk).update(status=status))


def finish(prepared: PreparedReport, status: str, message: str) -> str:
    prepared.status, prepared.message, prepared.finished_at = status, message, timezone.now()
    kept = PreparedReport.objects.filter(pk=prepared.pk).update(
        status=status,
        message=message,
        finished_at=prepared.finished_at,
        file=prepared.file.name or "",
        file_name=prepared.file_name,
    )
    if not kept:
        # Cancelled by its user while it was being written: its file goes too.
        if prepared.file:
            prepared.file.delete(save=False)
        return "cancelled"
    return status
