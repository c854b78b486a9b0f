"""Upload → preview → confirm. Coordinators import into their own centres only; nothing is written before confirm."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centres.access import get_centre_for_managing
from centres.models import Actor, ActorHistoryEntry
from collaboration.imports import uploads
from collaboration.imports.files import EMPTY_RUN, FileRefused, open_tables
from collaboration.imports.forms import ImportForm
from collaboration.imports.plan import ImportPlan, Outcome, make_plan
from collaboration.imports.template import template_workbook
from collaboration.imports.write import write_plan
from collaboration.models import HistoryEntry
from samkort.text import list_of_names

SALT = "samkort.import"
PREVIEW_ROWS = 200
# How long the preview keeps its plan for its next pages.
PREVIEW_PLAN_SECONDS = 600


@login_required
@require_http_methods(["GET", "POST"])
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
    return render(
        request, "collaboration/imports/import_upload.html", {"centre": centre, "membership": membership, "form": form}
    )


def read_ticket(request: HttpRequest, value: str, centre) -> dict | None:
    try:
        ticket = signing.loads(value, salt=SALT, max_age=uploads.KEPT_SECONDS)
    except signing.BadSignature:
        return None
    if ticket.get("c") != centre.pk or ticket.get("u") != request.user.pk:
        return None
    return ticket


def plan_for(ticket: dict, centre) -> ImportPlan:
    files = uploads.kept(ticket["t"], ticket["n"])
    if files is None:
        raise FileRefused(_("The uploaded file is no longer here (it was imported, or it is more than a day old)."))
    start = datetime.date.fromisoformat(ticket["s"]) if ticket["s"] else None
    with open_tables(files) as tables:
        return make_plan(centre, tables, ticket["n"], default_start=start)


def preview_key(ticket: dict, centre) -> str:
    """The preview of this upload, in this language, as Samkort's actors and the centre's records are now: any change
    to them (a new or renamed actor, a collaboration logged or edited, a presence) makes a new preview."""
    version = (
        ActorHistoryEntry.objects.aggregate(Max("pk"))["pk__max"],
        Actor.objects.count(),
        HistoryEntry.objects.filter(centre=centre).aggregate(Max("pk"))["pk__max"],
        centre.presences.aggregate(Max("pk"), Count("pk")),
    )
    digest = hashlib.sha1(repr(version).encode(), usedforsecurity=False).hexdigest()
    return f"samkort:import-preview:{ticket['t']}:{centre.pk}:{ticket['s']}:{get_language()}:{digest}"


def preview_of(ticket: dict, centre) -> dict:
    """What the preview's pages show of the plan: made once and kept a few minutes in the cache, so that paging
    through 50,000 rows does not read the file again for each page of 200. The drafts the import writes from are
    left out (at 50,000 rows, most of the time to read it back); the import itself makes its plan anew."""
    key = preview_key(ticket, centre)
    preview = cache.get(key)
    if preview is None:
        plan = plan_for(ticket, centre)
        joining = [plan.display.get(key, key) for key in [*plan.new_actors, *sorted(plan.missing_presences)]]
        preview = {
            "plan": dataclasses.replace(plan, collaborations=[], new_actors={}, existing_actors={}),
            "changes_anything": plan.changes_anything,
            "joining": len(joining),
            "joining_names": names_of_some(sorted(joining, key=str.casefold)),
        }
        cache.set(key, preview, PREVIEW_PLAN_SECONDS)
    return preview


@login_required
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_managing(request.user, slug)
    value = request.GET.get("ticket", "")
    ticket = read_ticket(request, value, centre)
    context = {"centre": centre, "membership": membership, "form": ImportForm(), "ticket": value}
    if ticket is None:
        context["refused"] = _("This preview has expired or belongs to someone else. Upload the file again.")
        return render(request, "collaboration/imports/import_upload.html", context, status=400)
    try:
        preview = preview_of(ticket, centre)
    except FileRefused as refusal:
        uploads.forget(ticket["t"])
        context["refused"] = refusal.message
        return render(request, "collaboration/imports/import_upload.html", context, status=400)
    plan = preview["plan"]
    rows = Paginator(plan.rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
    context |= preview | {
        "rows": rows,
        "counts": summary(plan),
        "errors": plan.errors[:1000],
        "empty_run": number_format(EMPTY_RUN, force_grouping=True),
    }
    return render(request, "collaboration/imports/import_preview.html", context)


def names_of_some(names: list[str], shown: int = 20) -> str:
    """The first names, and how many more."""
    text = list_of_names(names[:shown])
    if len(names) > shown:
        text += " " + _("and %(count)s more") % {"count": len(names) - shown}
    return text


def summary(plan: ImportPlan) -> list[tuple[str, str, str]]:
    """Each outcome with its count, in words that agree with the number: 1 ny aktør, 300 nye aktører."""
    counts = plan.counts
    words = {
        Outcome.NEW_ACTOR: lambda n: ngettext("new actor", "new actors", n),
        Outcome.SIMILAR_ACTOR: lambda n: ngettext(
            "new actor with a name like an existing one", "new actors with names like existing ones", n
        ),
        Outcome.EXISTING_ACTOR: lambda n: ngettext("actor exists", "actors exist", n),
        Outcome.NEW_COLLABORATION: lambda n: ngettext("new collaboration", "new collaborations", n),
        Outcome.ALREADY_IMPORTED: lambda n: ngettext("already imported", "already imported", n),
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
    centre, _membership = get_centre_for_managing(request.user, slug)
    value = request.POST.get("ticket", "")
    ticket = read_ticket(request, value, centre)
    if ticket is None:
        messages.error(request, _("This preview has expired or belongs to someone else. Upload the file again."))
        return redirect("import_upload", slug=centre.slug)
    try:
        written = write_plan(plan_for(ticket, centre), request.user)
    except FileRefused as refusal:
        # The preview shows the plan anew, with whatever now stands in the way.
        cache.delete(preview_key(ticket, centre))
        messages.error(request, refusal.message)
        return redirect(f"{reverse('import_preview', args=[centre.slug])}?ticket={value}")
    uploads.forget(ticket["t"])
    cache.delete(preview_key(ticket, centre))
    messages.success(
        request,
        _("Imported from %(files)s: %(actors)s, %(collaborations)s.")
        % {
            "files": ", ".join(ticket["n"]),
            "actors": ngettext("%(n)s new actor", "%(n)s new actors", written.actors)
            % {"n": number_format(written.actors, force_grouping=True)},
            "collaborations": ngettext("%(n)s new collaboration", "%(n)s new collaborations", written.collaborations)
            % {"n": number_format(written.collaborations, force_grouping=True)},
        },
    )
    return redirect("collaboration_list", slug=centre.slug)


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    get_centre_for_managing(request.user, slug)
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="samkort-import-skabelon.xlsx"'
    return response
