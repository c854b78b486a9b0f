"""Network maps: a centre's, all of a user's centres', the same as a table, an actor's panel, and the definitions."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from centres.access import centres_for_reporting, get_centre_for_user
from centres.models import Actor, Centre
from collaboration.maps.forms import MapFilterForm, map_filters
from collaboration.maps.pages import (
    MapBeingComputed,
    MapView,
    cached_map,
    drawn_as_centres,
    map_options,
    panel_network,
)
from collaboration.models import WAITING_TOO_LONG, Collaboration
from collaboration.network.figures import FIGURE_DEFINITIONS, FIGURE_LABELS
from collaboration.network.graph import Selection
from collaboration.rounds.confirmation import ROUND_FIGURE_DEFINITIONS
from collaboration.rounds.results import RoundResults, latest_results
from samkort.parsing import parse_id

MAP_TEMPLATE = "collaboration/maps/map.html"


def map_for(request, centres: list[Centre]) -> tuple[MapFilterForm, MapView | None, int | None]:
    """The filters, the map (None while a large one is computed for the first time) and the actor in focus."""
    filters, selection, options = map_request(request, centres)
    return filters, shown_map(selection, options), options["focus"]


def shown_map(selection: Selection, options: dict) -> MapView | None:
    try:
        return cached_map(selection, **options)
    except MapBeingComputed:
        return None


def map_request(request, centres: list[Centre]) -> tuple[MapFilterForm, Selection, dict]:
    """The filters the address asks for, the selection they make and how its map is drawn."""
    filters = map_filters(request.GET)
    values = filters.valid_values()
    filters.round_results = round_results(centres, values.get("start"), values.get("end"))
    options = map_options(
        values,
        centres,
        filters.round_results,
        focus=parse_id(request.GET.get("focus", "")),
        steps=2 if request.GET.get("steps") == "2" else 1,
        every_actor=request.GET.get("actors") == "all",
        centre_maps=centre_maps(centres),
    )
    return filters, filters.selection(tuple(c.pk for c in centres)), options


def centre_maps(centres: list[Centre]) -> tuple[tuple[int, str], ...]:
    """Where a click on a centre leads from a map of several drawn as the centres: the centre's own map."""
    return tuple((c.pk, reverse("centre_map", args=[c.slug])) for c in centres) if len(centres) > 1 else ()


def round_results(centres: list[Centre], start=None, end=None) -> RoundResults | None:
    """A centre's latest mapping round that asked about the map's period, for its confirmation marks, as the overview
    and the report of the same period show it; a map of several centres has none."""
    return latest_results(centres[0], start, end) if len(centres) == 1 else None


def render_map(request, template: str, centres: list[Centre], context: dict) -> HttpResponse:
    filters, view, focus = map_for(request, centres)
    context |= {"filters": filters, "view": view, "centres": centres, "focus": focus, "definitions": FIGURE_DEFINITIONS}
    context["pending"] = view is None
    if view is None or view.stale_since:
        context |= waiting_context(request)
    asked = request.headers.get(WAITING_FOR) if request.htmx else None
    if asked in ("map", "newer") and (answer := answer_to_a_poll(request, asked, view, context)):
        return answer
    context["every_actor_query"] = query_with(request.GET, actors="all")
    context["centres_query"] = query_without(request.GET, "actors")
    context["unfocused_query"] = query_without(request.GET, "focus", "steps")
    # A map of many centres that would be drawn as the centres, without "every actor".
    context["aggregatable"] = view is not None and drawn_as_centres(len(centres), view.actor_count)
    # The keyboard's and the screen reader's way into each centre's map, as a click on its mark is the mouse's.
    context["centre_links"] = [(centre, reverse("centre_map", args=[centre.slug])) for centre in centres]
    context["panel_prefix"] = context["panel_url"].removesuffix("0/") if "panel_url" in context else ""
    context |= finder_context(request, view)
    partial = request.htmx and not request.htmx.history_restore_request
    if partial and request.htmx.target == "actor-matches":
        return render(request, "collaboration/maps/_actor_finder.html#actor-matches", context)
    return render(request, f"{template}#map-area" if partial else template, context)


# The page waiting for a map to be computed asks again with when it began to wait, so that it can say when the
# wait is longer than a worker should take (none may be running).
WAITING_SINCE = "Samkort-Waiting-Since"


# What the waiting page asks for: "map" when it has none yet, "newer" when it shows the last one.
WAITING_FOR = "Samkort-Waiting-For"


def answer_to_a_poll(request, asked: str, view: MapView | None, context: dict) -> HttpResponse | None:
    """A poll changes the page only when there is something to say: nothing (204, htmx swaps nothing) while the map
    is computed, so the focus, an open actor panel and what was typed in the finder stay where they are. A map that
    was shown is never swapped under its reader: the note says the newer one is ready and offers it. None when the
    whole map area is the answer (the first map has come, or the wait has grown too long)."""
    waiting = view is None or bool(view.stale_since)
    if waiting and not context["waits_too_long"]:
        return HttpResponse(status=204)
    if asked == "newer":
        context["newer_ready"] = not waiting
        return render(request, "collaboration/maps/_computing.html", context)
    return None


def waiting_context(request) -> dict:
    now = time.time()
    sent = request.headers.get(WAITING_SINCE, "")
    since = int(sent) if sent.isascii() and sent.isdigit() and len(sent) <= 12 else None
    if since is None or not now - 86_400 < since <= now:
        since = int(now)
    return {"waiting_since": since, "waits_too_long": now - since > WAITING_TOO_LONG.total_seconds()}


def finder_context(request, view: MapView | None) -> dict:
    """The list that finds an actor, and the map's own query for its links and its search form (without `find` and
    `focus`)."""
    if view is None:
        return {"finder": None}
    return {
        "finder": view.finder(request.GET.get("find", "")),
        # A focus of its own comes with each link: the one shown now would be sent twice.
        "map_query": query_without(request.GET, "find", "focus"),
        "map_filters": [(name, value) for name, values in request.GET.lists() if name != "find" for value in values],
    }


@login_required
@require_safe
@vary_on_headers("HX-Request")
def centre_map(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    context = {"centre": centre, "membership": membership, "panel_url": reverse("actor_panel", args=[slug, 0])}
    return render_map(request, MAP_TEMPLATE, [centre], context)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def all_centres_map(request: HttpRequest) -> HttpResponse:
    centres = list(Centre.objects.for_user(request.user))
    if not centres:
        # The menu offers this map to everyone: a user of no centre is told why it is empty, as on the home page.
        return render(request, "collaboration/maps/no_centre.html")
    context = {"all_centres": True, "panel_url": reverse("all_centres_actor_panel", args=[0])}
    return render_map(request, MAP_TEMPLATE, centres, context)


def users_centres(user) -> list[Centre]:
    """Every centre the user is a member of; none at all is 404, as for a centre that is not theirs."""
    centres = list(Centre.objects.for_user(user))
    if not centres:
        raise Http404
    return centres


@login_required
@require_safe
@vary_on_headers("HX-Request")
def centre_map_table(request: HttpRequest, slug: str) -> HttpResponse:
    centre, membership = get_centre_for_user(request.user, slug)
    return render_map(
        request, "collaboration/maps/map_table.html", [centre], {"centre": centre, "membership": membership}
    )


def on_the_map(map_url: str, query) -> HttpResponse:
    """A piece of the map page asked for as a page of its own (a bookmark, a link passed on): the map it belongs to."""
    return redirect(f"{map_url}?{query.urlencode()}" if query else map_url)


def render_charts(request, centres: list[Centre], map_url: str) -> HttpResponse:
    if not request.htmx:
        return on_the_map(map_url, request.GET)
    _filters, view, _focus = map_for(request, centres)
    if view is None:
        return HttpResponse("")
    return render(request, "collaboration/maps/_charts.html", {"view": view})


@login_required
@require_safe
@vary_on_headers("HX-Request")
def centre_map_charts(request: HttpRequest, slug: str) -> HttpResponse:
    """The charts beside a centre's map, loaded just after it so the map itself comes first."""
    centre, _membership = get_centre_for_user(request.user, slug)
    return render_charts(request, [centre], reverse("centre_map", args=[slug]))


@login_required
@require_safe
@vary_on_headers("HX-Request")
def all_centres_map_charts(request: HttpRequest) -> HttpResponse:
    return render_charts(request, users_centres(request.user), reverse("all_centres_map"))


@login_required
@require_safe
@vary_on_headers("HX-Request")
def actor_panel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An actor's ties and collaborations in the centre, within the map's filters."""
    centre, _membership = get_centre_for_user(request.user, slug)
    return render_actor_panel(request, [centre], pk, reverse("centre_map", args=[slug]))


@login_required
@require_safe
@vary_on_headers("HX-Request")
def all_centres_actor_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """An actor's ties and collaborations across the user's centres, within the map's filters."""
    return render_actor_panel(request, users_centres(request.user), pk, reverse("all_centres_map"))


# How many ties and collaborations an actor's panel lists.
PANEL_LISTED = 20


def render_actor_panel(request, centres: list[Centre], pk: int, map_url: str) -> HttpResponse:
    # The map's own address comes along, so this is the map already computed (and remembered) for the page.
    if parse_id(pk) is None:
        raise Http404  # an id no database holds (SQLite cannot even compare one past 2^63)
    filters, selection, options = map_request(request, centres)
    view = shown_map(selection, options)
    if view is None:
        raise Http404
    graph = panel_network(view, selection, options, pk).graph
    results = filters.round_results
    # Not on this map, or not on the version shown (one shown while a newer one is computed may lack the actor).
    if pk not in graph or pk not in view.figures.per_actor:
        raise Http404
    if not request.htmx:
        # Without the page around it, the map itself, drawn around the actor (as the list's links do).
        query = request.GET.copy()
        query["focus"] = pk
        return on_the_map(map_url, query)
    ties = sorted(
        ((graph.nodes[other], data) for other, data in graph[pk].items()),
        key=lambda item: (-item[1]["highest_form"], item[0]["name"]),
    )
    collaboration_ids = {c for _n, d in ties for c in d["collaborations"]}
    collaborations = Collaboration.objects.filter(pk__in=collaboration_ids).involving(Actor(pk=pk)).with_details()
    return render(
        request,
        "collaboration/maps/_actor_panel.html",
        {
            "map_url": map_url,
            "actor": graph.nodes[pk] | {"pk": pk},
            "figures": view.figures.per_actor[pk],
            # The strongest ties and the latest collaborations; the rest counted (a jobcentre has hundreds).
            "ties": ties[:PANEL_LISTED],
            "more_ties": max(len(ties) - PANEL_LISTED, 0),
            "collaborations": collaborations[:PANEL_LISTED],
            "more_collaborations": max(len(collaboration_ids) - PANEL_LISTED, 0),
            "query": query_without(request.GET, "focus", "steps"),
            "round": results.round if results else None,
            "round_rows": results.for_actor(pk) if results else [],
            "round_ratings": results.actor_ratings.get(pk) if results else None,
        },
    )


@login_required
@require_safe
def figure_definitions(request: HttpRequest) -> HttpResponse:
    definitions = [(name, FIGURE_LABELS[name], text) for name, text in FIGURE_DEFINITIONS.items()]
    definitions += [(name, label, text) for name, (label, text) in ROUND_FIGURE_DEFINITIONS.items()]
    context = {"definitions": definitions, "can_report": centres_for_reporting(request.user).exists()}
    return render(request, "collaboration/maps/figure_definitions.html", context)


def query_with(query, **values: str) -> str:
    changed = query.copy()
    for name, value in values.items():
        changed[name] = value
    return changed.urlencode()


def query_without(query, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()
