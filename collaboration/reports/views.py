"""Documentation: a centre's overview page, and the report builder with its preview and downloads."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from centres.access import centres_for_reporting, get_centre_for_user
from collaboration.maps.forms import map_filters
from collaboration.models import PreparedReport, PreparedReportStatus
from collaboration.network.figures import FIGURE_DEFINITIONS
from collaboration.network.graph import collaborations_in
from collaboration.reports import exports
from collaboration.reports.build import SECTION_KEYS, build_report, remembered_report
from collaboration.reports.forms import ReportForm, last_whole_quarter
from collaboration.reports.words import name_list, period_label

logger = logging.getLogger(__name__)

PREPARATION_STEPS = (PreparedReportStatus.QUEUED, PreparedReportStatus.READING, PreparedReportStatus.WRITING)
OVERVIEW_SECTIONS = ("figures", "charts", "actors", "tables", "round")
OVERVIEW_COLLABORATIONS = 20
DOWNLOADS = {
    "pdf": (exports.pdf, "application/pdf", "pdf"),
    "xlsx": (exports.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": (exports.csv_zip, "application/zip", "zip"),
    "gexf": (exports.gexf, "application/gexf+xml", "gexf"),
    "graphml": (exports.graphml, "application/graphml+xml", "graphml"),
}


@login_required
@require_safe
@vary_on_headers("HX-Request")
def centre_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """One page on a centre's period: key figures, what changed, charts, brokers, and the goals and outcomes."""
    centre, membership = get_centre_for_user(request.user, slug)
    filters = map_filters(request.GET)
    report = remembered_report(filters.selection((centre.pk,)), [centre], OVERVIEW_SECTIONS)
    with_notes = (
        report.collaborations_queryset()
        .exclude(goals="", outcome="")
        .select_related("centre")
        .order_by("-started_on", "-id")
    )
    context = {
        "centre": centre,
        "membership": membership,
        "filters": filters,
        "report": report,
        "pictures": exports.pictures(report),
        "with_notes": with_notes[:OVERVIEW_COLLABORATIONS],
        "with_notes_count": with_notes.count(),
        "definitions": FIGURE_DEFINITIONS,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    return render(
        request,
        "collaboration/reports/overview.html#overview" if partial else "collaboration/reports/overview.html",
        context,
    )


@login_required
@require_safe
@vary_on_headers("HX-Request")
def report_builder(request: HttpRequest) -> HttpResponse:
    """Pick centres, period and sections; see the preview; download. The preview redraws as the form changes."""
    refuse_without_centres_to_report_on(request)
    data = with_defaults(request.GET, builder_defaults(request))
    form = ReportForm(data, user=request.user)
    report, too_large = None, None
    if form.is_valid():
        size = collaborations_in(form.selection()).count()
        # What a download would hand to the worker is not computed in the request for a preview either.
        if size > settings.REPORT_BACKGROUND_COLLABORATIONS:
            too_large = large_selection(form, size)
        else:
            report = build_report(form.selection(), list(form.cleaned_data["centres"]), form.chosen_sections())
    context = {
        "form": form,
        "report": report,
        "too_large": too_large,
        "pictures": exports.pictures(report) if report else {},
        "query": data.urlencode(),
        "can_report": True,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "collaboration/reports/report_builder.html"
    # The preview fragment shows the errors in place: htmx would not swap in a 400 answer.
    status = 400 if form.errors and request.GET and not partial else 200
    return render(request, f"{template}#preview" if partial else template, context, status=status)


@dataclass(frozen=True)
class LargeSelection:
    """A selection too large to preview in the request: what the builder says of it instead."""

    centre_names: str
    period_label: str
    collaborations: int


def large_selection(form: ReportForm, collaborations: int) -> LargeSelection:
    selection = form.selection()
    names = sorted(centre.name for centre in form.cleaned_data["centres"])
    return LargeSelection(name_list(names), period_label(selection.start, selection.end), collaborations)


def background_limit(file_format: str) -> int:
    """Above this many collaborations a file is made by the worker. A PDF, which lays out every collaboration in its
    appendix, is the slowest file to make, so it goes to the worker sooner."""
    if file_format == "pdf":
        return min(settings.REPORT_BACKGROUND_PDF_COLLABORATIONS, settings.REPORT_BACKGROUND_COLLABORATIONS)
    return settings.REPORT_BACKGROUND_COLLABORATIONS


@login_required
@require_safe
def report_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The report as a file. Anything wrong gives the builder back with the reason, and no file."""
    refuse_without_centres_to_report_on(request)
    form = ReportForm(with_defaults(request.GET, builder_defaults(request)), user=request.user)
    if not form.is_valid():
        return render(request, "collaboration/reports/report_builder.html", {"form": form, "pictures": {}}, status=400)
    if collaborations_in(form.selection()).count() > background_limit(file_format):
        prepared = prepare_in_the_background(request, file_format)
        if prepared is None:
            context = {
                "form": form,
                "pictures": {},
                "too_many_waiting": settings.REPORT_QUEUE_PER_USER,
                "on_their_way": on_their_way(request.user),
            }
            return render(request, "collaboration/reports/report_builder.html", context, status=429)
        return redirect(prepared)
    make, content_type, extension = DOWNLOADS[file_format]
    report = build_report(form.selection(), list(form.cleaned_data["centres"]), form.chosen_sections())
    try:
        content = make(report)
    except exports.PdfUnavailable:
        context = {"form": form, "pictures": {}, "pdf_unavailable": True}
        return render(request, "collaboration/reports/report_builder.html", context, status=503)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, extension)}"'
    return response


def prepare_in_the_background(request: HttpRequest, file_format: str) -> PreparedReport | None:
    """A worker makes the file; the same report asked for again (a reload, a second click) is the one being made.
    None when the user already has REPORT_QUEUE_PER_USER reports on their way: one person cannot fill the queue."""
    query = with_defaults(request.GET, builder_defaults(request)).urlencode()
    earlier = PreparedReport.objects.filter(
        user=request.user, query=query, file_format=file_format, expires_at__gt=timezone.now()
    ).exclude(status=PreparedReportStatus.FAILED)
    if earlier_one := earlier.first():
        return earlier_one
    if on_their_way(request.user).count() >= settings.REPORT_QUEUE_PER_USER:
        return None
    prepared = PreparedReport.objects.create(
        user=request.user,
        query=query,
        file_format=file_format,
        language=get_language(),
        expires_at=timezone.now() + datetime.timedelta(hours=settings.REPORT_FILE_HOURS),
    )
    from collaboration.reports.tasks import prepare_report

    prepare_report.enqueue(str(prepared.pk))
    return prepared


def on_their_way(user):
    """The user's reports a worker has still to make, oldest first."""
    return (
        PreparedReport.objects.filter(user=user, expires_at__gt=timezone.now())
        .exclude(status__in=(PreparedReportStatus.READY, PreparedReportStatus.FAILED))
        .order_by("created_at")
    )


def refuse_without_centres_to_report_on(request: HttpRequest) -> None:
    if not centres_for_reporting(request.user).exists():
        raise PermissionDenied(
            _(
                "Reports are made by managers and coordinators. Your role in your centres does not make reports: "
                "ask a coordinator of your centre if you need one."
            )
        )


def get_prepared(request: HttpRequest, pk) -> PreparedReport:
    """The user's own prepared report, not expired, of centres they may still report on; anything else is not
    found (a coordinator who has left a centre no longer downloads what was made of it while they were there)."""
    refuse_without_centres_to_report_on(request)
    prepared = get_object_or_404(PreparedReport, pk=pk, user=request.user, expires_at__gt=timezone.now())
    if not ReportForm(QueryDict(prepared.query), user=request.user).is_valid():
        raise Http404
    return prepared


@login_required
@require_safe
@vary_on_headers("HX-Request")
def report_prepared(request: HttpRequest, pk) -> HttpResponse:
    """How far a large report has come; the page asks again every 2 s until its file is ready."""
    prepared = get_prepared(request, pk)
    template = "collaboration/reports/prepared.html"
    partial = request.htmx and not request.htmx.history_restore_request
    # What the page shows: the status, and whether it has waited too long for a worker.
    shown = f"{prepared.status}-slow" if prepared.waits_too_long else prepared.status
    if partial and request.GET.get("seen") == shown:
        # Nothing new since the page last asked: it stays as it is, and a screen reader hears nothing twice.
        return HttpResponse(status=204)
    steps = [(status, label) for status, label in PreparedReportStatus.choices if status in PREPARATION_STEPS]
    context = {"prepared": prepared, "steps": steps, "can_report": True, "shown": shown}
    return render(request, f"{template}#status" if partial else template, context)


@login_required
@require_POST
def report_prepared_cancel(request: HttpRequest, pk) -> HttpResponse:
    """A report still waiting for its turn is given up: it no longer counts against the user's reports on their way
    (with no worker running, five of them would block every large report until they expire)."""
    prepared = get_prepared(request, pk)
    cancelled, _kinds = PreparedReport.objects.filter(pk=prepared.pk, status=PreparedReportStatus.QUEUED).delete()
    if not cancelled:
        # Begun meanwhile: it is made, and the page shows it.
        return redirect(prepared)
    messages.info(request, _("The report is cancelled."))
    return redirect(f"{reverse('report_builder')}?{prepared.query}")


@login_required
@require_safe
def report_prepared_file(request: HttpRequest, pk) -> HttpResponse:
    prepared = get_prepared(request, pk)
    if prepared.status != PreparedReportStatus.READY:
        return redirect(prepared)
    content_type = DOWNLOADS[prepared.file_format][1]
    try:
        file = prepared.file.open("rb")
    except OSError:
        # The worker wrote it where this server cannot read it (MEDIA_ROOT not shared, a restored server): the page
        # says so, and asking for the report again makes it anew.
        logger.error("The file of prepared report %s is missing from the storage", prepared.pk)
        prepared.status = PreparedReportStatus.FAILED
        with translation.override(prepared.language):
            prepared.message = _("The file is no longer where it was made. Ask for the report again.")
        prepared.save(update_fields=["status", "message"])
        return redirect(prepared)
    return FileResponse(file, as_attachment=True, filename=prepared.file_name, content_type=content_type)


def builder_defaults(request: HttpRequest) -> QueryDict:
    """All the user's report centres and the last whole quarter, as if chosen in the form."""
    start, end = last_whole_quarter(timezone.localdate())
    data = QueryDict(mutable=True)
    data.setlist("centres", [str(pk) for pk in centres_for_reporting(request.user).values_list("pk", flat=True)])
    data["start"], data["end"] = start.isoformat(), end.isoformat()
    data.setlist("sections", list(SECTION_KEYS))
    return data


def with_defaults(query: QueryDict, defaults: QueryDict) -> QueryDict:
    """The choices in the address; with no address at all, the defaults; a link with centres but no dates at all
    gets the default period. Dates that are there but empty are the user's to fix, and get a message."""
    if not query:
        return defaults
    data = query.copy()
    if "start" not in query and "end" not in query:
        data["start"], data["end"] = defaults["start"], defaults["end"]
    return data


# Up to this many centres are named in a file's name by their short names; more are counted.
NAMED_CENTRES = 3


def file_name(report, extension: str) -> str:
    """samkort-hedemarken-motalavej-2026-01-01-2026-11-30.pdf: two reports of other centres never share a name."""
    slugs = sorted(centre.slug for centre in report.centres)
    centres = "-".join(slugs)
    if len(slugs) > NAMED_CENTRES or len(centres) > 100:  # a file system holds 255 characters a name
        centres = f"{len(slugs)}-centre"
    period = f"{report.selection.start.isoformat()}-{report.selection.end.isoformat()}"
    return f"samkort-{centres}-{period}.{extension}"
