"""Upload → preview → confirm. Coordinators import into their own centres only; nothing is written before confirm."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from centres.access import get_centre_for_managing
from centres.models import ActorCategory
from collaboration.imports import previews, uploads
from collaboration.imports.files import EMPTY_RUN
from collaboration.imports.forms import ImportForm
from collaboration.imports.plan import ImportPlan, Outcome
from collaboration.imports.runs import SALT, in_the_background, preview_key, start_run
from collaboration.imports.tasks import prepare_preview, run_import
from collaboration.imports.template import template_workbook
from collaboration.models import (
    WAITING_TOO_LONG,
    CitizensPart,
    Form,
    Frequency,
    ImportRun,
    ImportRunStatus,
    Level,
    ParticipantRole,
    ResourceKind,
)
from samkort.paging import page_of
from samkort.text import list_of_names, whole_number

PREVIEW_ROWS = 200
RECENT_RUNS = 5


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        token, names = uploads.keep(form.cleaned_data["files"])
        start = form.cleaned_data["default_start"]
        ticket = signing.dumps(
            {"t": token, "n": names, "c": centre.pk, "u": request.user.pk, "s": start.isoformat() if start else ""},
            salt=SALT,
        )
        return redirect(f"{reverse('import_preview', args=[centre.slug])}?ticket={ticket}")
    context = {"centre": centre, "membership": membership, "form": form, "runs": recent_runs(request, centre)}
    return render(request, "collaboration/imports/import_upload.html", context)


def recent_runs(request: HttpRequest, centre) -> list[tuple[ImportRun, str]]:
    """The user's last imports into the centre, each with how it ended: one under way is found again here."""
    runs = ImportRun.objects.filter(centre=centre, user=request.user).select_related("centre")[:RECENT_RUNS]
    return [(run, run_words(run)) for run in runs]


def run_words(run: ImportRun) -> str:
    if run.status == ImportRunStatus.DONE:
        return counts_words(run)
    if run.status == ImportRunStatus.FAILED:
        return run.message
    return run.get_status_display()


def read_ticket(request: HttpRequest, value: str, centre) -> dict | None:
    try:
        ticket = signing.loads(value, salt=SALT, max_age=uploads.KEPT_SECONDS)
    except signing.BadSignature:
        return None
    if ticket.get("c") != centre.pk or ticket.get("u") != request.user.pk:
        return None
    return ticket


@login_required
@require_safe
@vary_on_headers("HX-Request")
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    value = request.GET.get("ticket", "")
    ticket = read_ticket(request, value, centre)
    # The waiting page asks every 2 s, saying what it shows; any other answer than "the same" loads it again.
    waiting = request.GET.get("waiting") if request.htmx else None
    context = {"centre": centre, "membership": membership, "form": ImportForm(), "ticket": value}
    if ticket is None:
        if waiting:
            return HttpResponseClientRefresh()
        context["refused"] = _("This preview has expired or belongs to someone else. Upload the file again.")
        return render(request, "collaboration/imports/import_upload.html", context, status=400)
    confirmed = ImportRun.objects.filter(upload=ticket["t"]).exclude(status=ImportRunStatus.FAILED).first()
    if confirmed is not None:
        # Imported, or on its way (the browser's back button): its page says how it stands, not a preview of it.
        return HttpResponseClientRefresh() if waiting else redirect(confirmed)
    key = preview_key(ticket, centre)
    preview = preview_or_queue_it(ticket, centre, key)
    if preview is None:
        # Samkort's data changed since the last preview (someone somewhere named an actor): that one is shown, said
        # to be older, while the worker reads the file again; paging a large preview never waits for it.
        preview = uploads.latest_preview(ticket["t"], key)
        if preview is None or "refused" in preview:
            return waiting_page(request, context | {"names": ticket["n"]}, ticket, key, waiting)
        if waiting:
            return HttpResponse(status=204)
        context["older"] = True
    elif waiting:
        return HttpResponseClientRefresh()
    if "refused" in preview:
        uploads.forget(ticket["t"])
        context["refused"] = preview["refused"]
        return render(request, "collaboration/imports/import_upload.html", context, status=400)
    plan = preview["plan"]
    rows = page_of(plan.rows, PREVIEW_ROWS, request.GET.get("page"))
    context |= preview | {
        "rows": rows,
        "counts": summary(plan),
        "assumed": assumed_notes(plan),
        "errors": plan.errors[:1000],
        "differing": plan.counts[Outcome.DIFFERS],
        "empty_run": number_format(EMPTY_RUN, force_grouping=True),
        "known_values": known_values() if plan.has_errors else [],
    }
    return render(request, "collaboration/imports/import_preview.html", context)


def known_values() -> list[tuple[str, list[str]]]:
    """The values Samkort reads in the columns that take one of a list, as the reader names them (the other language's
    names, and a form's number 1–5, are read too)."""
    lists = [
        (_("Type"), [str(label) for _value, label in ActorCategory.choices]),
        (_("Form"), [f"{value} {label}" for value, label in Form.choices]),
        (_("How often"), [str(label) for _value, label in Frequency.choices]),
        (_("Level"), [str(label) for _value, label in Level.choices]),
        (_("Residents' part"), [str(label) for _value, label in CitizensPart.choices]),
        (_("What was exchanged"), [str(label) for _value, label in ResourceKind.choices]),
        (_("Role"), [str(label) for _value, label in ParticipantRole.choices]),
    ]
    # "Skole, dagtilbud eller fritidsklub" is one value: values with commas are parted by semicolons.
    return [(heading, list_of_names(values)) for heading, values in lists]


def preview_or_queue_it(ticket: dict, centre, key: str) -> dict | None:
    """The preview, or None while a worker makes it: queued by the first page to ask, and again when the worker
    that had it was stopped."""
    preview = previews.kept_or_made(ticket, centre, key)
    if preview is None and uploads.claim_preparing(ticket["t"], key, settings.TASK_STALE_MINUTES * 60):
        prepare_preview.enqueue(ticket, centre.pk, get_language())
        # Tasks run at once in development and tests: the preview is made already.
        preview = uploads.kept_preview(ticket["t"], key)
    return preview


def waiting_page(request: HttpRequest, context: dict, ticket: dict, key: str, seen: str | None) -> HttpResponse:
    """The page that waits for a worker's preview: reading, or reading for longer than it should (no worker running,
    or a busy one). Asked again with what it shows, it answers only when that has changed."""
    since = uploads.preparing_since(ticket["t"], key)
    slow = since is not None and time.time() - since > WAITING_TOO_LONG.total_seconds()
    state = "slow" if slow else "reading"
    if seen == state:
        return HttpResponse(status=204)
    template = "collaboration/imports/import_preparing.html"
    return render(request, f"{template}#status" if seen else template, context | {"state": state})


def assumed_notes(plan: ImportPlan) -> list[str]:
    """What Samkort gives the new collaborations whose rows leave a field empty, counted: indistinguishable from a
    recorded value afterwards, so said before the import."""
    assumed = getattr(plan, "assumed", None) or {}  # a preview kept from before 2026-12-02 counted none
    notes = []
    if count := assumed.get("frequency"):
        notes.append(
            ngettext(
                "%(count)s new collaboration gives no frequency: it is set to “%(once)s” when it starts and ends on "
                "one day, else to “%(often)s”.",
                "%(count)s new collaborations give no frequency: each is set to “%(once)s” when it starts and ends on "
                "one day, else to “%(often)s”.",
                count,
            )
            % {"count": whole_number(count), "once": Frequency.ONCE.label, "often": Frequency.OCCASIONALLY.label}
        )
    if count := assumed.get("level"):
        notes.append(
            ngettext(
                "%(count)s new collaboration gives no level: it is set to “%(value)s”.",
                "%(count)s new collaborations give no level: each is set to “%(value)s”.",
                count,
            )
            % {"count": whole_number(count), "value": Level.ORGANISATIONAL.label}
        )
    if count := assumed.get("citizens_part"):
        notes.append(
            ngettext(
                "%(count)s new collaboration gives no residents' part: it is set to “%(value)s”.",
                "%(count)s new collaborations give no residents' part: each is set to “%(value)s”.",
                count,
            )
            % {"count": whole_number(count), "value": CitizensPart.NOT_INVOLVED.label}
        )
    return notes


def summary(plan: ImportPlan) -> list[tuple[str, str, str]]:
    """Each outcome with its count, in words that agree with the number: 1 ny aktør, 300 nye aktører."""
    counts = plan.counts
    words = {
        Outcome.NEW_ACTOR: lambda n: ngettext("new actor", "new actors", n),
        Outcome.SIMILAR_ACTOR: lambda n: ngettext(
            "new actor with a name like another", "new actors with names like others", n
        ),
        Outcome.EXISTING_ACTOR: lambda n: ngettext("actor exists", "actors exist", n),
        Outcome.NEW_COLLABORATION: lambda n: ngettext("new collaboration", "new collaborations", n),
        Outcome.ALREADY_IMPORTED: lambda n: ngettext("already imported", "already imported", n),
        Outcome.IN_SAMKORT: lambda n: ngettext(
            "collaboration Samkort has already", "collaborations Samkort has already", n
        ),
        Outcome.DIFFERS: lambda n: ngettext(
            "imported before, differs from Samkort", "imported before, differ from Samkort", n
        ),
        Outcome.MORE_ACTORS: lambda n: ngettext(
            "row adds actors to a collaboration above", "rows add actors to a collaboration above", n
        ),
        Outcome.ERROR: lambda n: ngettext("error", "errors", n),
    }
    return [
        (outcome, number_format(counts[outcome], force_grouping=True), say(counts[outcome]))
        for outcome, say in words.items()
        if counts[outcome]
    ]


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Write the previewed upload: small ones here, large ones by a worker while the run's page follows along."""
    centre, _membership = get_centre_for_managing(request.user, slug)
    value = request.POST.get("ticket", "")
    ticket = read_ticket(request, value, centre)
    if ticket is None:
        messages.error(request, _("This preview has expired or belongs to someone else. Upload the file again."))
        return redirect("import_upload", slug=centre.slug)
    never_started = not ImportRun.objects.filter(upload=ticket["t"]).exists()
    if never_started and uploads.kept(ticket["t"], ticket["n"]) is None:
        # A file its preview refused is gone: there is nothing to import, and no run to start for it.
        messages.error(request, _("The uploaded file is no longer here. Upload it again."))
        return redirect("import_upload", slug=centre.slug)
    run, to_carry_out = start_run(ticket, value, centre, request.user)
    if to_carry_out:
        if in_the_background(run):
            run_import.enqueue(str(run.pk))
        else:
            run_import.call(str(run.pk))
        run.refresh_from_db()
    if run.status == ImportRunStatus.DONE and to_carry_out:
        say = messages.success if run.actors or run.collaborations else messages.info
        say(request, outcome_words(run))
        return redirect("collaboration_list", slug=centre.slug)
    if run.status == ImportRunStatus.FAILED:
        # The preview shows the plan anew, with whatever now stands in the way.
        uploads.forget_preview(ticket["t"])
        messages.error(request, run.message)
        return redirect(f"{reverse('import_preview', args=[centre.slug])}?ticket={value}")
    return redirect(run)


def outcome_words(run: ImportRun) -> str:
    if not (run.actors or run.collaborations):
        # The preview promised something: it came into Samkort between the preview and the confirmation.
        return _(
            "No new actors or collaborations from %(files)s: Samkort had them already when the import ran "
            "(imported meanwhile, in another tab or by a colleague)."
        ) % {"files": ", ".join(run.file_names)}
    actors, collaborations = counted(run)
    return _("Imported from %(files)s: %(actors)s, %(collaborations)s.") % {
        "files": ", ".join(run.file_names),
        "actors": actors,
        "collaborations": collaborations,
    }


def counts_words(run: ImportRun) -> str:
    return ", ".join(counted(run))


def counted(run: ImportRun) -> tuple[str, str]:
    """What a run wrote, in words that agree with the numbers: 1 ny aktør, 5.000 nye samarbejder."""
    actors = ngettext("%(n)s new actor", "%(n)s new actors", run.actors) % {
        "n": number_format(run.actors, force_grouping=True)
    }
    collaborations = ngettext("%(n)s new collaboration", "%(n)s new collaborations", run.collaborations) % {
        "n": number_format(run.collaborations, force_grouping=True)
    }
    return actors, collaborations


@login_required
@require_safe
@vary_on_headers("HX-Request")
def import_run(request: HttpRequest, slug: str, pk) -> HttpResponse:
    """How far a confirmed import has come; the page asks again every 2 s until it has ended."""
    centre, membership = get_centre_for_managing(request.user, slug)
    # Through the centre: the run knows its centre without asking the database again.
    run = get_object_or_404(centre.import_runs, pk=pk, user=request.user)
    partial = request.htmx and not request.htmx.history_restore_request
    # What the page shows: the status, and whether it has waited too long for a worker.
    shown = f"{run.status}-slow" if run.waits_too_long else run.status
    if partial and request.GET.get("seen") == shown and not run.is_stuck:
        # Nothing new since the page last asked: it stays as it is, and a screen reader hears nothing twice.
        return HttpResponse(status=204)
    context = {
        "centre": centre,
        "membership": membership,
        "run": run,
        "shown": shown,
        "outcome": outcome_words(run) if run.status == ImportRunStatus.DONE else "",
        "rows": number_format(run.rows or 0, force_grouping=True),
        "upload_kept": run.status == ImportRunStatus.FAILED and uploads.kept(run.upload, run.file_names) is not None,
    }
    template = "collaboration/imports/import_run.html"
    return render(request, f"{template}#status" if partial else template, context)


@login_required
@require_safe
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    get_centre_for_managing(request.user, slug)
    response = HttpResponse(
        template_workbook(get_language()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="samkort-import-skabelon.xlsx"'
    return response
