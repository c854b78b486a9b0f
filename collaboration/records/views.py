"""A centre's and an actor's pages, and logging, listing, editing and deleting collaborations.

Access goes through centres.access.
"""

from __future__ import annotations

import functools
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import retarget

from centres.access import (
    actor_rights,
    get_actor_for_user,
    get_centre_for_logging,
    get_centre_for_managing,
    get_centre_for_user,
)
from centres.models import Actor, Centre, PresenceKind
from centres.services import merged_into, save_actor
from collaboration.ladder import form_ladder
from collaboration.models import Collaboration, Form, HistoryAction, HistoryEntry
from collaboration.records.forms import CollaborationFilterForm, CollaborationForm, NewActorForm
from collaboration.records.services import (
    AlreadySubmitted,
    delete_collaboration,
    deletion_of,
    logged_already,
    save_collaboration,
)
from samkort.concurrency import EditConflict, Refused, parse_version
from samkort.paging import latest_of, page_of
from samkort.parsing import clean_query, parse_id
from samkort.signed_out import form_data, keeps_unsent_form, restored
from samkort.text import fold

PAGE_SIZE = 25
SEARCH_LIMIT = 8
INACTIVE_NAMED = 3
FORM_TEMPLATE = "collaboration/records/collaboration_form.html"

# How much of a history a page shows before it offers the rest.
HISTORY_SHOWN = 20
ACTOR_HISTORY_SHOWN = 30


@login_required
@require_safe
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    collaborations = Collaboration.objects.filter(centre=centre)
    counts = dict(collaborations.values_list("form").annotate(n=Count("id")).order_by())
    return render(
        request,
        "collaboration/records/centre_detail.html",
        {
            "centre": centre,
            "membership": membership,
            "recent": collaborations.with_details()[:5],
            "form_counts": [(form, counts.get(form.value, 0)) for form in Form],
            "total": sum(counts.values()),
            "presence_groups": presence_groups(centre),
        },
    )


# The centre page names this many actors of each kind; the actors page finds and pages through all of them (an
# import may bring thousands).
SHOWN_PER_KIND = 40


def presence_groups(centre: Centre) -> list[tuple[str, list, int]]:
    """The centre's current actors by how they are present: the label, the first by name, and how many more. One
    query: each presence numbered within its kind, and its kind counted, by window functions."""
    by_kind = {"partition_by": "kind"}
    presences = (
        centre.presences.current()
        .select_related("actor")
        .annotate(
            number=Window(RowNumber(), order_by=("actor__name_key", "pk"), **by_kind),
            of_kind=Window(Count("pk"), **by_kind),
        )
        .filter(number__lte=SHOWN_PER_KIND)
        .order_by("kind", "actor__name_key", "pk")
    )
    groups: dict[str, tuple[list, int]] = {}
    for presence in presences:
        shown, total = groups.setdefault(presence.kind, ([], presence.of_kind))
        shown.append(presence)
    return [(PresenceKind(kind).label, shown, total - len(shown)) for kind, (shown, total) in groups.items()]


@login_required
@require_safe
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        actor = get_actor_for_user(request.user, pk)
    except Http404:
        return merged_away(request, pk)
    visible = Centre.objects.for_user(request.user)
    collaborations = Collaboration.objects.filter(centre__in=visible).involving(actor).with_details()
    page = page_of(collaborations, 25, request.GET.get("page"))
    presences = actor.presences.filter(centre__in=visible).select_related("centre")
    # The shared details' changes are for everyone who sees the actor; presence changes only for one's own centres.
    history = actor.history.filter(Q(centre__isnull=True) | Q(centre__in=visible)).select_related("user", "centre")
    entries, history_total = latest_of(history, ACTOR_HISTORY_SHOWN, request.GET.get("history") == "all")
    return render(
        request,
        "collaboration/records/actor_detail.html",
        {
            "actor": actor,
            "page": page,
            "presences": presences,
            "history": entries,
            "history_total": history_total,
            "rights": actor_rights(request.user, actor),
        },
    )


def merged_away(request: HttpRequest, pk: int) -> HttpResponse:
    """An actor merged into another (an old link, a merge sent twice) leads to the one that stayed; 404 otherwise."""
    entry = merged_into(pk)
    if entry is None:
        raise Http404
    going = entry.changes.get("merged_with", ["", ""])[1]
    staying = get_actor_for_user(request.user, entry.actor_id)
    messages.info(request, _("%(going)s was merged into %(staying)s.") % {"going": going, "staying": staying.name})
    return redirect(staying)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def collaboration_list(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    filters = CollaborationFilterForm(request.GET, centre=centre)
    collaborations = filters.filter(Collaboration.objects.filter(centre=centre)).with_details()
    page = page_of(collaborations, PAGE_SIZE, request.GET.get("page"))
    template = "collaboration/records/collaboration_list.html"
    context = {"centre": centre, "membership": membership, "filters": filters, "page": page}
    if not request.htmx:
        context["just_saved"] = just_saved(request, centre)
    return render(
        request,
        # A history restore after a cache miss needs the whole page, not the fragment.
        f"{template}#results" if request.htmx and not request.htmx.history_restore_request else template,
        context,
    )


@login_required
@require_safe
def collaboration_deletions(request: HttpRequest, slug: str) -> HttpResponse:
    """Who deleted which collaboration when: the deletion itself is kept, what it said is gone with it."""
    centre, membership = get_centre_for_user(request.user, slug)
    deletions = HistoryEntry.objects.filter(centre=centre, action=HistoryAction.DELETED).select_related("user")
    page = page_of(deletions.order_by("-at", "-id"), PAGE_SIZE, request.GET.get("page"))
    context = {"centre": centre, "membership": membership, "page": page}
    return render(request, "collaboration/records/collaboration_deletions.html", context)


JUST_SAVED = "collaboration_just_saved"


def just_saved(request: HttpRequest, centre: Centre) -> Collaboration | None:
    """The collaboration the user has just logged, shown once at the top of the list, wherever its date puts it."""
    pk = request.session.pop(JUST_SAVED, None)
    return Collaboration.objects.with_details().filter(centre=centre, pk=pk).first() if pk else None


@login_required
@require_safe
def collaboration_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    collaboration = get_object_or_404(Collaboration.objects.with_details(), centre=centre, pk=pk)
    history, history_total = latest_of(
        collaboration.history.select_related("user"), HISTORY_SHOWN, request.GET.get("history") == "all"
    )
    return render(
        request,
        "collaboration/records/collaboration_detail.html",
        {
            "centre": centre,
            "membership": membership,
            "collaboration": collaboration,
            "history": history,
            "history_total": history_total,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_unsent_form
def collaboration_create(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_logging(request.user, slug)
    form = CollaborationForm(form_data(request))
    if request.method == "POST" and form.is_valid() and (same := logged_already(form, centre)):
        return render_collaboration_form(request, centre, membership, form, logged_already=same)
    if request.method == "POST" and form.is_valid():
        try:
            collaboration = save_collaboration(form, centre, request.user)
        except AlreadySubmitted as already:
            collaboration = already.collaboration
            messages.info(
                request,
                _("“%(title)s” was logged once; sending the form again changes nothing.")
                % {"title": collaboration.title},
            )
        else:
            messages.success(request, _("“%(title)s” is logged.") % {"title": collaboration.title})
        if request.POST.get("then") == "another":
            # Logging a week's meetings one after another: a fresh form, with what was logged said above it.
            return redirect("collaboration_create", slug=centre.slug)
        request.session[JUST_SAVED] = collaboration.pk
        return redirect("collaboration_list", slug=centre.slug)
    return render_collaboration_form(request, centre, membership, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@keeps_unsent_form
def collaboration_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_logging(request.user, slug)
    collaboration = Collaboration.objects.filter(centre=centre, pk=pk).first()
    if collaboration is None:
        return deleted_while_editing(request, centre, membership, pk)
    form = CollaborationForm(form_data(request), instance=collaboration)
    if request.method == "POST" and form.is_valid():
        try:
            save_collaboration(form, centre, request.user)
        except EditConflict as conflict:
            if conflict.current is None:
                return deleted_while_editing(request, centre, membership, pk)
            form = form.after_conflict(conflict.current)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(collaboration.get_absolute_url())
    return render_collaboration_form(request, centre, membership, form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def collaboration_restore(request: HttpRequest, slug: str, pk: int, entry_pk: int) -> HttpResponse:
    """A coordinator brings back a version from the history: shown in the edit form, saved as a new, recorded edit."""
    centre, membership = get_centre_for_managing(request.user, slug)
    collaboration = get_object_or_404(Collaboration, centre=centre, pk=pk)
    entry = get_object_or_404(collaboration.history.exclude(state={}).select_related("user"), pk=entry_pk)
    if request.method == "GET":
        form = CollaborationForm(instance=collaboration).showing(entry.state, collaboration)
        return render_collaboration_form(request, centre, membership, form, restoring=entry)
    form = CollaborationForm(request.POST, instance=collaboration)
    if form.is_valid():
        try:
            save_collaboration(form, centre, request.user, restored_from=entry)
        except EditConflict as conflict:
            if conflict.current is None:
                return deleted_while_editing(request, centre, membership, pk)
            form = form.after_conflict(conflict.current)
        else:
            messages.success(
                request,
                _("The version from %(at)s is restored.")
                % {"at": date_format(localtime(entry.at), "SHORT_DATETIME_FORMAT")},
            )
            return redirect(collaboration.get_absolute_url())
    return render_collaboration_form(request, centre, membership, form, restoring=entry)


def deleted_while_editing(request: HttpRequest, centre: Centre, membership, pk: int) -> HttpResponse:
    """An edit sent after someone deleted the collaboration: the typing comes back as a new one, to save or leave."""
    sent = form_data(request)
    deletion = deletion_of(centre, pk) if sent is not None else None
    if deletion is None:
        raise Http404
    form = CollaborationForm(new_collaboration_data(sent))
    return render_collaboration_form(request, centre, membership, form, deletion=deletion)


def new_collaboration_data(data: QueryDict) -> QueryDict:
    """The posted form as a new collaboration's: without the deleted one's version, with a token of its own."""
    data = data.copy()
    for key in ("version", "opened"):
        data.pop(key, None)
    data["submission"] = str(uuid.uuid4())
    return data


def render_collaboration_form(
    request, centre: Centre, membership, form: CollaborationForm, *, deletion=None, restoring=None, logged_already=None
) -> HttpResponse:
    return render(
        request,
        FORM_TEMPLATE,
        {
            "centre": centre,
            "membership": membership,
            "form": form,
            "ladder": form_ladder(form.chosen_form()),
            "deletion": deletion,
            "restoring": restoring,
            "logged_already": logged_already,
            # Back from before a login, not yet sent again: what it lacks is said when it is saved, not now.
            "quiet": restored(request),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def collaboration_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    centre, membership = get_centre_for_logging(request.user, slug)
    collaboration = Collaboration.objects.with_details().filter(centre=centre, pk=pk).first()
    if collaboration is None:
        return deleted_already(request, centre, pk)
    changed_since = False
    if request.method == "POST":
        try:
            delete_collaboration(collaboration, request.user, parse_version(request.POST.get("version", "")))
        except EditConflict:
            # Changed since the page was opened: show what is about to be deleted now, and ask again.
            collaboration = Collaboration.objects.with_details().filter(centre=centre, pk=pk).first()
            if collaboration is None:
                return deleted_already(request, centre, pk)
            changed_since = True
        else:
            messages.success(request, _("“%(title)s” is deleted.") % {"title": collaboration.title})
            return redirect("collaboration_list", slug=centre.slug)
    return render(
        request,
        "collaboration/records/collaboration_confirm_delete.html",
        {"centre": centre, "membership": membership, "collaboration": collaboration, "changed_since": changed_since},
    )


def deleted_already(request: HttpRequest, centre: Centre, pk: int) -> HttpResponse:
    """A deletion asked for, or confirmed, after a colleague (or another tab) deleted it: the list, saying who did."""
    deletion = deletion_of(centre, pk)
    if deletion is None:
        raise Http404
    messages.info(
        request,
        _("“%(title)s” was deleted already, by %(user)s at %(at)s.")
        % {
            "title": deletion.title,
            "user": deletion.user or _("someone"),
            "at": date_format(localtime(deletion.at), "SHORT_DATETIME_FORMAT"),
        },
    )
    return redirect("collaboration_list", slug=centre.slug)


def part_of_the_log_form(view):
    """A piece of the log form that htmx swaps in: asked for on its own (typed into the address bar, a link
    shared), it is the log form, not a fragment without a page around it."""

    @functools.wraps(view)
    @vary_on_headers("HX-Request")
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if not request.htmx:
            get_centre_for_logging(request.user, slug)  # a stranger to the centre gets its 404 or 403, as before
            return redirect("collaboration_create", slug=slug)
        return view(request, slug, *args, **kwargs)

    return wrapped


@login_required
@require_POST
@part_of_the_log_form
def collaboration_form_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Re-render the parts of the log form that depend on the chosen form and actors, from what is typed."""
    centre, _membership = get_centre_for_logging(request.user, slug)
    data = request.POST.copy()
    add_actor = data.get("add_actor", "")
    if add_actor and add_actor not in data.getlist("participants"):
        data.appendlist("participants", add_actor)
    if remove_actor := data.get("remove_actor", ""):
        data.setlist("participants", [pk for pk in data.getlist("participants") if pk != remove_actor])
    return render_form_dependent(request, centre, CollaborationForm(data))


def render_form_dependent(request, centre: Centre, form: CollaborationForm) -> HttpResponse:
    # `quiet`: the user is still filling in the form, so required-field errors would only be noise.
    return render(request, f"{FORM_TEMPLATE}#form-dependent", {"centre": centre, "form": form, "quiet": True})


@login_required
@require_safe
@part_of_the_log_form
def actor_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Typeahead: the centre's own actors first, then everyone else's."""
    centre, _membership = get_centre_for_logging(request.user, slug)
    query = clean_query(request.GET.get("q", ""))
    chosen = [pk for raw in request.GET.getlist("participants") if (pk := parse_id(raw))]
    local, others, more = [], [], False
    if query:
        matches = Actor.objects.active().matching(query).exclude(pk__in=chosen)
        known = Actor.objects.known_in(centre)
        # One more than shown, to know whether to say that more match.
        local = list(matches.filter(pk__in=known.values("pk"))[: SEARCH_LIMIT + 1])
        others = list(matches.exclude(pk__in=known.values("pk"))[: SEARCH_LIMIT + 1])
        more = len(local) > SEARCH_LIMIT or len(others) > SEARCH_LIMIT
        local, others = local[:SEARCH_LIMIT], others[:SEARCH_LIMIT]
    exact = Actor.objects.filter(name_key=fold(query)).first() if query else None
    # Actors no longer active are not offered, but named: staff would otherwise create the same one again.
    inactive = Actor.objects.filter(active=False).matching(query) if query else Actor.objects.none()
    return render(
        request,
        "collaboration/records/_actor_results.html",
        {
            "centre": centre,
            "query": query,
            "local": local,
            "others": others,
            "more": more,
            "offer_new": query and not exact,
            "inactive": list(inactive[:INACTIVE_NAMED]),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@part_of_the_log_form
def new_actor(request: HttpRequest, slug: str) -> HttpResponse:
    """The inline 'new actor' panel; a valid POST creates the actor and adds it to the collaboration."""
    centre, _membership = get_centre_for_logging(request.user, slug)
    if request.method == "GET":
        form = NewActorForm(initial={"name": request.GET.get("name", "")[:200]})
        return render(request, "collaboration/records/_new_actor.html", {"centre": centre, "actor_form": form})
    actor_form = NewActorForm(request.POST)
    try:
        actor = save_actor(actor_form, request.user) if actor_form.is_valid() else None
    except Refused:
        actor = None  # a parallel request took the name; the form says so
    if actor is None:
        chosen = [pk for raw in request.POST.getlist("participants") if (pk := parse_id(raw))]
        context = {"centre": centre, "actor_form": actor_form, "chosen": chosen}
        return render(request, "collaboration/records/_new_actor.html", context)
    data = request.POST.copy()
    data.appendlist("participants", str(actor.pk))
    response = render_form_dependent(request, centre, CollaborationForm(data))
    response.content += render(request, "collaboration/records/_new_actor.html#closed", {}).content
    return retarget(response, "#form-dependent")
