"""Everything a map page shows, from a selection: network, figures, stable positions, change, charts. No HTTP."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language, ngettext

from centres.models import Sector
from collaboration.maps import charts, store
from collaboration.maps.figures import centres_figure, map_figure
from collaboration.models import Form
from collaboration.network.change import Change, compare
from collaboration.network.figures import NetworkFigures, bridging_sentence, compute_figures, modularity_sentence
from collaboration.network.graph import (
    Network,
    Selection,
    collaborations_in,
    data_version,
    load_actor_network,
    load_network,
)
from collaboration.network.layout import centre_captions, home_centres, positions_in_selection
from collaboration.network.timeline import pairs_by_quarter
from collaboration.rounds.confirmation import TieState
from samkort.gcpause import gc_paused
from samkort.jsonscript import json_script_tag

FINDER_MATCHES = 50
FINDER_TEXT_LENGTH = 100

# How many changed ties of each kind, and actors who joined or left, the map names; the rest it counts.
CHANGES_LISTED = 20
ACTORS_LISTED = 30


@dataclass(frozen=True)
class Finder:
    actors: list[dict]
    # A map with more actors than MAP_FINDER_ACTORS lists only the matches for a text sent to the server.
    asks_the_server: bool
    text: str = ""
    # Matches beyond those listed.
    more: int = 0


@dataclass
class MapView:
    # Neither compared nor shown in repr: either would unpack a stored map's networks (see __getattr__).
    network: Network = field(repr=False, compare=False)
    figures: NetworkFigures
    change: Change | None
    # Ready-made <script type="application/json"> tags: serialised and escaped once, then served from the cache.
    map_script: str

    # A factory, not a default, so the class has no attribute of this name: a stored map's previous network is
    # unpacked on first use, as its network is (see __getattr__).
    previous_graph: nx.Graph | None = field(default_factory=lambda: None, repr=False, compare=False)
    # Set on a stored map of an earlier data version, shown while the current one is computed: when it was made.
    stale_since: datetime.datetime | None = None
    # A map of many centres drawn as the centres themselves (above MAP_AGGREGATE_ACTORS actors).
    aggregated: bool = False
    # Drawing only the neighbourhood of the actor in focus (one asked for who is in the selection).
    focused: bool = False

    @cached_property
    def chart_scripts(self) -> dict[str, str]:
        """The charts beside the map; computed on first use (they load after the map), then kept with it."""
        charts_data = side_charts(self.network.selection, self.network.graph)
        return {name: json_script_tag(chart, f"chart-{name}") for name, chart in charts_data.items()}

    @property
    def bridging_sentence(self) -> str:
        return bridging_sentence(self.figures)

    @property
    def modularity_sentence(self) -> str:
        return modularity_sentence(self.figures)

    @cached_property
    def actor_count(self) -> int:
        return self.network.graph.number_of_nodes()

    @cached_property
    def is_empty(self) -> bool:
        return self.network.graph.number_of_edges() == 0

    def name(self, actor_id: int) -> str:
        graph = self.network.graph
        if actor_id in graph:
            return graph.nodes[actor_id]["name"]
        return self.previous_graph.nodes[actor_id]["name"]

    @cached_property
    def disconnected_names(self) -> list[str]:
        return [self.name(pk) for pk in self.figures.disconnected]

    @cached_property
    def top_brokers(self) -> list[tuple[str, float, int]]:
        """The five actors with the highest brokerage, by name where equal."""
        ranked = sorted(self.figures.per_actor.items(), key=lambda item: (-item[1].betweenness, self.name(item[0])))
        return [(self.name(pk), f.betweenness, f.degree) for pk, f in ranked[:5] if f.betweenness > 0]

    @cached_property
    def actor_list(self) -> list[dict]:
        """The actors on the map by name, for the list that opens each one's panel without a mouse.

        Kept with the map (its language is part of the cache key): at 10,000 actors the list is worth building once.
        """
        graph = self.network.graph
        per_actor = self.figures.per_actor
        partners = {
            degree: ngettext("%(count)s partner", "%(count)s partners", degree) % {"count": degree}
            for degree in {figures.degree for figures in per_actor.values()}
        }
        sectors = {value: str(label) for value, label in Sector.choices}
        return sorted(
            (
                {
                    "pk": pk,
                    "name": data["name"],
                    "search_name": data["name"].lower(),
                    "sector": sectors[data["sector"]],
                    "degree": per_actor[pk].degree,
                    "partners": partners[per_actor[pk].degree],
                }
                for pk, data in graph.nodes(data=True)
            ),
            key=lambda actor: actor["search_name"],
        )

    def finder(self, text: str) -> Finder:
        """The list under the map that finds an actor by name: every actor, or above MAP_FINDER_ACTORS the server's
        matches for the text, the first FINDER_MATCHES by name."""
        if len(self.actor_list) <= settings.MAP_FINDER_ACTORS:
            return Finder(actors=self.actor_list, asks_the_server=False)
        text = text.strip()[:FINDER_TEXT_LENGTH]
        if not text:
            return Finder(actors=[], asks_the_server=True)
        wanted = text.lower()
        found = [actor for actor in self.actor_list if wanted in actor["search_name"]]
        return Finder(
            actors=found[:FINDER_MATCHES], asks_the_server=True, text=text, more=max(0, len(found) - FINDER_MATCHES)
        )

    def actor_rows(self) -> list[dict]:
        graph = self.network.graph
        return sorted(
            (
                {"name": data["name"], "sector": Sector(data["sector"]).label, "figures": self.figures.per_actor[pk]}
                for pk, data in graph.nodes(data=True)
            ),
            key=lambda row: (-row["figures"].degree, row["name"]),
        )

    def tie_rows(self) -> list[dict]:
        graph = self.network.graph
        rows = [
            {
                "a": graph.nodes[a]["name"],
                "b": graph.nodes[b]["name"],
                "highest": Form(data["highest_form"]).label,
                "highest_value": data["highest_form"],
                "forms": ", ".join(str(Form(f).label) for f in data["forms"]),
                "count": data["count"],
                "first": data["first"],
                "last": data["last"],
            }
            for a, b, data in graph.edges(data=True)
        ]
        return sorted(rows, key=lambda row: (-row["highest_value"], row["a"], row["b"]))

    @cached_property
    def change_rows(self) -> dict:
        """The change as lines a person reads: who, and from which form to which; of each kind its count and the
        first CHANGES_LISTED by name (a municipality's map changes by thousands of ties from one year to the
        next, which no page should list)."""
        if self.change is None:
            return {}
        graph, before = self.network.graph, self.previous_graph
        rows = {"counts": {}, "more": {}}
        for kind in ("new", "deepened", "weakened", "ended"):
            pairs = getattr(self.change, kind)
            rows["counts"][kind] = len(pairs)
            rows["more"][kind] = max(len(pairs) - CHANGES_LISTED, 0)
            named = sorted((f"{self.name(a)} – {self.name(b)}", a, b) for a, b in pairs)[:CHANGES_LISTED]
            rows[kind] = [
                {
                    "names": names,
                    "before": Form(before.edges[a, b]["highest_form"]).label if before.has_edge(a, b) else None,
                    "after": Form(graph.edges[a, b]["highest_form"]).label if graph.has_edge(a, b) else None,
                }
                for names, a, b in named
            ]
        for kind in ("joined", "left"):
            actors = getattr(self.change, kind)
            rows["counts"][kind] = len(actors)
            rows["more"][kind] = max(len(actors) - ACTORS_LISTED, 0)
            rows[kind] = sorted(self.name(pk) for pk in actors)[:ACTORS_LISTED]
        return rows

    # -- Stored for every process ----------------------------------------------------------------------------------
    # The page is stored ready to show; its networks (the bulk of a large map: 109 MiB in memory for 10,000 actors,
    # most of a stored centre map's read time) are stored packed beside it and unpacked only by a request that needs
    # them: the table, the charts when they were not stored (an actor's panel reads its own ties, panel_network).

    PAGE_PARTS = ("actor_count", "is_empty", "actor_list", "disconnected_names", "top_brokers", "change_rows")

    def __getstate__(self) -> dict:
        for part in self.PAGE_PARTS:
            getattr(self, part)
        state = self.__dict__.copy()
        if "network" in state:
            # The igraph twin is rebuilt from the graph when needed: storing it would double the payload.
            network = dataclasses.replace(state.pop("network"), twin=None)
            state["packed_networks"] = store.pack_networks((network, state.pop("previous_graph", None)))
        return state

    def __setstate__(self, state: dict) -> None:
        # A map stored by an earlier release, shown while the current one is computed: its change once listed every
        # changed tie, with no counts; read again from its networks instead.
        rows = state.get("change_rows")
        if rows and "counts" not in rows:
            del state["change_rows"]
        self.__dict__.update(state)

    def __getattr__(self, name: str):
        # Reached only for an attribute not set: the networks of a stored map until a request first needs them.
        if name not in ("network", "previous_graph"):
            raise AttributeError(name)
        with _unpack_lock:
            # Another thread may have unpacked them while this one waited: one copy per map, not one per thread.
            if "network" not in self.__dict__:
                if "packed_networks" not in self.__dict__:
                    raise AttributeError(name)
                network, previous_graph = store.unpack_networks(self.__dict__["packed_networks"])
                # Both at once, so no thread sees one without the other; the packed copy is no longer needed.
                self.__dict__.update(network=network, previous_graph=previous_graph)
                del self.__dict__["packed_networks"]
        # The map grew in this process's cache: what it keeps is measured again.
        trim_cache()
        return self.__dict__[name]

    @property
    def networks_unpacked(self) -> bool:
        return "network" in self.__dict__


# What one process keeps of computed maps, by an estimate of their size in memory; the least recently used go first.
CACHE_SECONDS = 300
_cache: OrderedDict = OrderedDict()
# Re-entrant: a map's networks unpacked while the cache is measured trim it again.
_cache_lock = threading.RLock()
_unpack_lock = threading.Lock()


class MapBeingComputed(Exception):
    """A large map is being computed in the background, and no earlier version of it is stored to show meanwhile."""


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def approximate_bytes(view: MapView | Analysis) -> int:
    """About what a map (or its analysis) takes in memory now: its page, and its networks, packed or not."""
    if isinstance(view, MapView) and not view.networks_unpacked:
        # The page parts stored with it: the list of actors is the largest, some 700 bytes an actor (at 10,000).
        return len(view.map_script) + len(view.__dict__.get("packed_networks", b"")) + 700 * len(view.actor_list)
    graphs = [view.network.graph] + ([view.previous_graph] if view.previous_graph is not None else [])
    page = len(view.map_script) if isinstance(view, MapView) else 0
    return page + sum(graph_bytes(graph) for graph in graphs)


def graph_bytes(graph: nx.Graph) -> int:
    """About what a network takes in memory: networkx's dicts per actor and per tie."""
    return 1500 * graph.number_of_nodes() + 900 * graph.number_of_edges()


def remembered(key: tuple):
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < CACHE_SECONDS:
            _cache.move_to_end(key)
            return hit[1]
    return None


def remember(key: tuple, view, size: int | None = None) -> None:
    """Keep a map, its analysis or anything else computed from a data version (with its size in bytes) in this
    process; the least recently used go first when they add up to more than MAP_CACHE_MB. A map's size is asked
    afresh each time, as a stored map grows when a request unpacks its networks."""
    with _cache_lock:
        _cache[key] = (time.monotonic(), view, size)
    trim_cache()


def trim_cache() -> None:
    budget = settings.MAP_CACHE_MB * 1024 * 1024
    with _cache_lock:
        while len(_cache) > 1 and sum(entry_bytes(entry) for entry in _cache.values()) > budget:
            _cache.popitem(last=False)


def entry_bytes(entry: tuple) -> int:
    _at, value, size = entry
    return approximate_bytes(value) if size is None else size


def cache_keys(selection: Selection, options: dict) -> tuple[str, str]:
    """The map's key (selection, display, language) and its version: the data it is computed from, and the code and
    words that computed and drew it."""
    return (
        store.digest((selection, tuple(sorted(options.items())), get_language())),
        figures_version(selection),
    )


# What a stored map is made by: the network and map wings, the colours, the map's templates and the translations.
DRAWN_BY = (
    "collaboration/network/*.py",
    "collaboration/maps/*.py",
    "collaboration/styles.py",
    "templates/collaboration/maps/*.html",
    "locale/*/LC_MESSAGES/django.mo",
)


@functools.cache
def drawing_version() -> str:
    """A digest of the files a map is computed and drawn by. A new release that changes any of them (a figure, the
    legend, a word) makes every stored map out of date: it is shown with a note while it is computed again, instead
    of being served as it was for as long as its data stays the same."""
    digest = hashlib.sha256()
    for path in sorted(path for pattern in DRAWN_BY for path in Path(settings.BASE_DIR).glob(pattern)):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_map(selection: Selection, **options) -> MapView:
    """The map for the selection: remembered in this process, or stored for every process, or computed.

    A selection larger than MAP_BACKGROUND_COLLABORATIONS is computed by a background task, never in the request:
    meanwhile the last stored version is shown (marked `stale_since`), or MapBeingComputed is raised when there is
    none. A map that took longer than MAP_STORE_SECONDS to compute is stored for the other processes.
    """
    key, version = cache_keys(selection, options)
    if view := remembered((key, version)):
        return view
    if view := stored(key, version):
        return view
    if collaborations_in(selection).count() > settings.MAP_BACKGROUND_COLLABORATIONS:
        return map_from_the_background(selection, options, key, version)
    started = time.monotonic()
    view = map_reusing_its_analysis(selection, options, version)
    seconds = time.monotonic() - started
    if seconds > settings.MAP_STORE_SECONDS:
        store.save(key, version, view, seconds)
    remember((key, version), view)
    return view


def compute_and_store(selection: Selection, options: dict, key: str) -> int:
    """Compute the map (in a worker) and store it for every process with the charts its page asks for next; the
    bytes stored, 0 when this version is stored already. The version is read just before the data is, and a map
    finished after the data changed again never replaces the newer one."""
    _key, version = cache_keys(selection, options)
    if store.exists(key, version):
        return 0
    started = time.monotonic()
    # The analysis (network, figures) stays in the worker's memory: another language or colour only draws again.
    view = map_reusing_its_analysis(selection, options, version)
    # Stored with it, so no process unpacks the networks to draw the charts (the page's own parts always are).
    view.chart_scripts  # noqa: B018 - a cached property, computed now to be stored with the map
    seconds = time.monotonic() - started
    _key, current = cache_keys(selection, options)
    return store.save(key, version, view, seconds, is_current=current == version)


def map_options(
    values: dict,
    centres: list,
    results=None,
    *,
    focus: int | None = None,
    steps: int = 1,
    every_actor: bool = False,
    centre_maps: tuple[tuple[int, str], ...] = (),
) -> dict:
    """How a map is drawn, from the filters' valid values: the page asks with these, and the refresh after a change
    computes a centre's first view with the same, so both find the same stored map. `results` is a single centre's
    latest mapping round (its confirmation marks), if it has one."""
    return {
        "colour_by": values.get("colour_by") or "sector",
        "size_by": values.get("size_by") or "degree",
        "show_change": bool(values.get("changes")),
        "focus": focus,
        "steps": steps,
        "centre_names": tuple((centre.pk, centre.name) for centre in centres),
        "confirmations": results.marks() if results else (),
        "confirmed": values.get("confirmed") or "" if results else "",
        "centre_maps": centre_maps,
        "every_actor": every_actor,
    }


@gc_paused()
def map_reusing_its_analysis(selection: Selection, options: dict, version: str) -> MapView:
    """A display-only change (colours, sizes, language) draws the map again from the network and figures already
    worked out for the same selection and data: the figures are what takes the time."""
    key = ("analysis", store.digest((selection, tuple(sorted(analysis_options(options).items())))), version)
    if (analysis := remembered(key)) is None:
        analysis = analyse(selection, version=version, **analysis_options(options))
        remember(key, analysis)
    return draw_map(selection, analysis, **options)


def stored(key: str, version: str) -> MapView | None:
    """The map stored for this version, kept in this process from now on; None when there is none."""
    if view := store.load(key, version):
        remember((key, version), view)
    return view


def map_from_the_background(selection: Selection, options: dict, key: str, version: str) -> MapView:
    # One task per map and version, whichever process asks first (the shared cache says who did).
    if cache.add(f"samkort:computing-map:{key}:{version}", True, timeout=600):
        from collaboration.maps.tasks import compute_map

        compute_map.enqueue(store.selection_to_json(selection), options_to_json(options), get_language(), key)
    # In development and tests the task has run already.
    if view := stored(key, version):
        return view
    # The last version stored, read once per process while the new one is computed (the page asks every 3 s).
    if row := store.latest(key):
        pk, computed_at = row
        view = remembered((key, f"stored-{pk}")) or store.load_row(pk)
        if view is not None:
            view.stale_since = computed_at
            remember((key, f"stored-{pk}"), view)
            return view
    raise MapBeingComputed


def options_to_json(options: dict) -> dict:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in options.items()}


def options_from_json(options: dict) -> dict:
    """Back from JSON: the nested pairs are tuples again, so the map's key is the same."""
    return {
        name: tuple(tuple(item) if isinstance(item, list) else item for item in value)
        if isinstance(value, list)
        else value
        for name, value in options.items()
    }


@dataclass
class Analysis:
    """What a map shows before it is drawn: the network, its figures and its change. Colours and sizes reuse it."""

    network: Network
    figures: NetworkFigures
    change: Change | None
    previous_graph: nx.Graph | None
    # In focus: the chosen actor's neighbourhood, which the map draws, now and (with the change) before. The figures
    # stay the whole selection's.
    shown: nx.Graph | None = None
    shown_before: nx.Graph | None = None


ANALYSIS_OPTIONS = ("show_change", "focus", "steps", "confirmations", "confirmed")


@gc_paused()
def build_map(selection: Selection, **options) -> MapView:
    return draw_map(selection, analyse(selection, **analysis_options(options)), **options)


def analysis_options(options: dict) -> dict:
    return {name: value for name, value in options.items() if name in ANALYSIS_OPTIONS}


def analyse(
    selection: Selection,
    *,
    version: str | None = None,
    show_change: bool = False,
    focus: int | None = None,
    steps: int = 1,
    confirmations: tuple = (),
    confirmed: str = "",
) -> Analysis:
    """`version` is figures_version(selection), when the caller has read it already (before the data)."""
    if confirmed and confirmations:
        network = only_confirmed(load_network(selection), confirmations, confirmed)
        figures = compute_figures(network)
    else:
        network, figures = network_and_figures(selection, version or figures_version(selection))
    change, previous_graph = None, None
    if show_change and (previous := selection.previous()):
        previous_network = load_network(previous)
        if confirmed and confirmations:
            # Compared on the same footing: a tie the round left unconfirmed is in neither period, not "ended".
            previous_network = only_confirmed(previous_network, confirmations, confirmed)
        previous_graph = previous_network.graph
        change = compare(previous_graph, network.graph)
    shown, shown_before = None, None
    if focus is not None and focus in network.graph:
        # The map draws the actor's neighbourhood; the key figures and the tables stay those of the selection its
        # filters chose, so that they agree with the overview and the report of the same selection.
        shown = nx.ego_graph(network.graph, focus, radius=steps)
        if previous_graph is not None:
            # Its neighbours before too, so that the ties it has lost are drawn with the ones it has.
            before = nx.ego_graph(previous_graph, focus, radius=steps) if focus in previous_graph else nx.Graph()
            shown_before = previous_graph.subgraph(set(shown) | set(before))
    return Analysis(network, figures, change, previous_graph, shown, shown_before)


def figures_version(selection: Selection) -> str:
    """The version of the selection's data and of the code that works out its figures (the same as its map's)."""
    return store.digest((data_version(selection.centre_ids), drawing_version()))


def network_and_figures(selection: Selection, version: str) -> tuple[Network, NetworkFigures]:
    """The selection's network and its figures, worked out once for every process: the map, the overview and each
    report of the same selection and data read the figures the first of them stored (the exact betweenness of
    10,000 actors takes seconds; reading it back, milliseconds). `version` is read before the data is, so figures
    worked out from data that changed meanwhile are never stored as the current ones."""
    network = load_network(selection)
    if network.graph.number_of_nodes() <= settings.FIGURES_STORE_ACTORS:
        return network, compute_figures(network)
    key = store.digest(("figures", in_one_order(selection)))
    fingerprint = network_fingerprint(network)
    stored = store.load(key, version)
    if stored is not None and stored[0] == fingerprint:
        return network, stored[1]
    started = time.monotonic()
    figures = compute_figures(network)
    is_current = figures_version(selection) == version
    store.save(key, version, (fingerprint, figures), time.monotonic() - started, is_current=is_current)
    return network, figures


def network_fingerprint(network: Network) -> str:
    """What the figures are worked out from: the ties, their forms and weights, and each actor's sector and
    category. Stored figures are read back only for the same (data that changed between reading the version and
    reading the network would show here). 129,000 ties: some 0.2 s, against 8 s to work the figures out."""
    graph = network.graph
    digest = hashlib.sha256()
    for a, b, data in sorted((min(a, b), max(a, b), data) for a, b, data in graph.edges(data=True)):
        digest.update(repr((a, b, data.get("forms"), data.get("count"))).encode())
    for pk in sorted(graph):
        node = graph.nodes[pk]
        digest.update(repr((pk, node.get("sector"), node.get("category"))).encode())
    return digest.hexdigest()


def in_one_order(selection: Selection) -> Selection:
    """The same selection however its centres and filters were listed: the map names its centres in the order of
    their names, a report in the order of their ids, an address its forms in the order they were ticked."""
    return dataclasses.replace(
        selection,
        **{name: tuple(sorted(set(getattr(selection, name)))) for name in ORDERLESS_SELECTION_FIELDS},
    )


ORDERLESS_SELECTION_FIELDS = ("centre_ids", "forms", "themes", "levels", "sectors", "categories")


def draw_map(
    selection: Selection,
    analysis: Analysis,
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    centre_names: tuple[tuple[int, str], ...] = (),
    confirmations: tuple = (),
    centre_maps: tuple[tuple[int, str], ...] = (),
    every_actor: bool = False,
    **_analysis_options,
) -> MapView:
    """The map drawn from its analysis. Many centres with more actors than MAP_AGGREGATE_ACTORS are drawn as the
    centres themselves, each opening its own map (`centre_maps`: id and address), unless `every_actor` is asked."""
    graph, previous_graph = analysis.network.graph, analysis.previous_graph
    if analysis.shown is not None:
        graph, previous_graph = analysis.shown, analysis.shown_before
    nodes = set(graph) | (set(previous_graph) if previous_graph is not None else set())
    several = len(selection.centre_ids) > 1
    homes = home_centres(selection, graph, previous_graph, nodes)
    positions = positions_in_selection(selection, homes)
    aggregated = not every_actor and drawn_as_centres(len(selection.centre_ids), graph.number_of_nodes())
    if aggregated:
        names = dict(centre_names)
        centres = tuple((pk, names.get(pk, ""), url) for pk, url in centre_maps)
        # Counted when the network was read (a map stored by an earlier release has none: its actors' ties then).
        ties = getattr(analysis.network, "ties_per_centre", None) if graph is analysis.network.graph else None
        figure = centres_figure(graph, positions, homes, centres, ties or None)
    else:
        figure = map_figure(
            graph,
            analysis.figures,
            positions,
            colour_by=colour_by,
            size_by=size_by,
            change=analysis.change,
            ended_graph=previous_graph,
            homes=homes if several else None,
            captions=centre_captions(selection, dict(centre_names)) if several and centre_names else (),
            confirmations=confirmations,
        )
    return MapView(
        network=analysis.network,
        figures=analysis.figures,
        change=analysis.change,
        map_script=json_script_tag(figure, "map-data"),
        previous_graph=analysis.previous_graph,
        aggregated=aggregated,
        focused=analysis.shown is not None,
    )


def panel_network(view: MapView, selection: Selection, options: dict, actor_id: int) -> Network:
    """The network an actor's panel on this map reads the actor's ties from. A map this process holds the networks
    of already, and the last map shown while a newer one is computed (whose figures the panel shows too) give their
    own. Otherwise the actor's own collaborations are read (a few rows, with the map's filters): they
    make the same ties to the actor as the whole network does, so a stored map of 10,000 actors is not unpacked
    (110 MiB in the process) for a click on one of them."""
    if view.networks_unpacked or view.stale_since is not None:
        return view.network
    network = load_actor_network(selection, actor_id)
    if options["confirmed"] and options["confirmations"]:
        network = only_confirmed(network, options["confirmations"], options["confirmed"])
    return network


def drawn_as_centres(centre_count: int, actor_count: int) -> bool:
    """Whether a map of these centres is drawn as the centres themselves, unless every actor is asked for."""
    return centre_count > 1 and actor_count > settings.MAP_AGGREGATE_ACTORS


# "Only confirmed": by both sides, or by at least one.
CONFIRMED_STATES = {"both": {TieState.BOTH}, "any": {TieState.BOTH, TieState.ONE_SIDE}}


def only_confirmed(network: Network, confirmations: tuple, confirmed: str) -> Network:
    """The network with only the ties the latest round confirmed. An actor left without a tie by it stays when it is
    present in the centre, counted as disconnected as any present actor without a tie is; one that was on the map
    only through its ties goes."""
    kept = {(a, b) for a, b, state, *_said in confirmations if state in CONFIRMED_STATES[confirmed]}
    graph = network.graph.copy()
    dropped = [(a, b) for a, b in graph.edges if (min(a, b), max(a, b)) not in kept]
    touched = {actor for tie in dropped for actor in tie}
    graph.remove_edges_from(dropped)
    graph.remove_nodes_from(
        [actor for actor in touched if graph.degree(actor) == 0 and not graph.nodes[actor]["present"]]
    )
    directed = Counter({(a, b): n for (a, b), n in network.directed.items() if graph.has_edge(a, b)})
    return Network(selection=network.selection, graph=graph, directed=directed)


def side_charts(selection: Selection, graph: nx.Graph) -> dict[str, str]:
    rows = list(collaborations_in(selection).values_list("id", "started_on", "ended_on", "form"))
    return {
        "quarterly": charts.quarterly_by_form([(started, form) for _id, started, _end, form in rows]),
        "sectors": charts.sector_matrix(graph),
        "ladder": charts.pairs_over_time(pairs_by_quarter(graph, rows, selection.start, selection.end)),
    }
