"""The collaboration network of a selection: collaborations -> networkx graph -> figures -> change between periods.

Nothing here knows about HTTP. `load_network` reads the database in a constant number of queries; everything
after it works on plain graphs, so it can be tested with graphs built by hand. Every figure is defined in
`FIGURE_DEFINITIONS`, which the "how is this computed?" page shows.
"""

from __future__ import annotations

import datetime
import random
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from itertools import combinations

import igraph
import networkx as nx
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from centres.models import SECTOR_OF_CATEGORY, Actor, Presence, PresenceKind
from collaboration.models import Collaboration, Form, Frequency, HistoryEntry, ParticipantRole, Participation
from samkort.gcpause import gc_paused

COMMUNITY_SEED = 20261123
# igraph's random generator is one global setting: requests in other threads must not interleave with ours.
IGRAPH_RANDOM_LOCK = threading.Lock()

# Direction only exists for referrals and resource exchange: (from role, to role).
DIRECTED_ROLES = [
    (ParticipantRole.GIVER, ParticipantRole.RECEIVER),
    (ParticipantRole.REFERRER, ParticipantRole.REFERRED),
]
FREQUENCY_ORDER = list(Frequency.values)


@dataclass(frozen=True)
class Selection:
    """Which collaborations and actors a network is built from. Empty tuples mean 'all'."""

    centre_ids: tuple[int, ...]
    start: datetime.date | None = None
    end: datetime.date | None = None
    forms: tuple[int, ...] = ()
    themes: tuple[int, ...] = ()
    levels: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def previous(self) -> Selection | None:
        """The period of equal length just before this one; None when the period is open."""
        if not (self.start and self.end):
            return None
        end = self.start - datetime.timedelta(days=1)
        months = whole_months(self.start, self.end)
        if months:
            # A quarter is compared with the quarter before, whatever the number of days.
            return replace(self, start=add_months(self.start, -months), end=end)
        return replace(self, start=end - (self.end - self.start), end=end)

    @property
    def is_narrowed(self) -> bool:
        """Filtered by more than centres and period."""
        return bool(self.forms or self.themes or self.levels or self.sectors or self.categories)

    def collaborations_exist(self) -> bool:
        return collaborations_in(self).exists()

    def includes_actor(self, category: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        return not self.sectors or SECTOR_OF_CATEGORY[category] in self.sectors


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """The number of calendar months from start to end, if the period is exactly that; otherwise 0."""
    if start.day != 1 or (end + datetime.timedelta(days=1)).day != 1:
        return 0
    after = end + datetime.timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


@dataclass
class Network:
    selection: Selection
    graph: nx.Graph
    # Directed ties (giver -> receiver, referrer -> referred), counted per ordered pair.
    directed: Counter = field(default_factory=Counter)
    # The same graph in igraph, for the heavy figures; built with the graph when it is loaded, else on first use.
    twin: tuple[igraph.Graph, list[int]] | None = None

    def igraph(self) -> tuple[igraph.Graph, list[int]]:
        if self.twin is None:
            self.twin = to_igraph(self.graph)
        return self.twin


def data_version(centre_ids: tuple[int, ...]) -> tuple:
    """Changes whenever collaborations or presences of these centres are added, changed or deleted."""
    collaborations = Collaboration.objects.filter(centre_id__in=centre_ids).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    deleted = HistoryEntry.objects.filter(centre_id__in=centre_ids).aggregate(latest=Max("id"))
    presences = Presence.objects.filter(centre_id__in=centre_ids).aggregate(n=Count("id"), latest=Max("id"))
    return (collaborations["n"], collaborations["latest"], deleted["latest"], presences["n"], presences["latest"])


def collaborations_in(selection: Selection):
    qs = Collaboration.objects.filter(centre_id__in=selection.centre_ids).in_period(selection.start, selection.end)
    if selection.forms:
        qs = qs.filter(form__in=selection.forms)
    if selection.levels:
        qs = qs.filter(level__in=selection.levels)
    if selection.themes:
        qs = qs.filter(
            pk__in=Collaboration.themes.through.objects.filter(theme_id__in=selection.themes).values("collaboration_id")
        )
    return qs


@gc_paused()
def load_network(selection: Selection) -> Network:
    """Read the selection from the database (four queries, whatever its size) and build its network."""
    return build_network(selection, *read_rows(selection))


@gc_paused()
def load_networks_by_centre(selection: Selection) -> dict[int, Network]:
    """Each centre's own network, read in the same four queries as one network of all of them."""
    collaborations, participations, presences, actors = read_rows(selection)
    centre_of = {row[0]: row[1] for row in collaborations}
    return {
        centre_id: build_network(
            replace(selection, centre_ids=(centre_id,)),
            [row for row in collaborations if row[1] == centre_id],
            [row for row in participations if centre_of[row[0]] == centre_id],
            [row for row in presences if row[1] == centre_id],
            actors,
        )
        for centre_id in selection.centre_ids
    }


def read_rows(selection: Selection) -> tuple[list, list, list, dict]:
    """The selection's collaborations, participations, presences and actors as plain rows."""
    collaborations = list(
        collaborations_in(selection).values_list("id", "centre_id", "form", "started_on", "ended_on", "frequency")
    )
    participations = (
        fetch_rows(
            Participation.objects.filter(collaboration_id__in=collaborations_in(selection).values("id"))
            .order_by("collaboration_id", "id")
            .values_list("collaboration_id", "actor_id", "role")
        )
        if collaborations
        else []
    )
    presences = list(presences_in(selection).values_list("actor_id", "centre_id", "kind"))
    actor_ids = {actor_id for _c, actor_id, _r in participations} | {actor_id for actor_id, _c, _k in presences}
    actors = (
        {
            pk: {"name": name, "category": category}
            for pk, name, category in Actor.objects.filter(pk__in=actor_ids).values_list("id", "name", "category")
        }
        if actor_ids
        else {}
    )
    return collaborations, participations, presences, actors


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a values_list of plain numbers and strings, without the ORM's per-row conversion.

    A municipality's participations run to tens of thousands of rows; this reads them in half the time.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def presences_in(selection: Selection):
    """Presences in the selected centres that overlap the period."""
    qs = Presence.objects.filter(centre_id__in=selection.centre_ids)
    if selection.end:
        qs = qs.filter(Q(started_on__isnull=True) | Q(started_on__lte=selection.end))
    if selection.start:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=selection.start))
    return qs


def build_network(selection, collaborations, participations, presences, actors) -> Network:
    """The graph from plain rows: nodes are actors, a tie joins every pair in a collaboration."""
    # Built in plain dicts first and handed to networkx once: much faster than growing the graph row by row.
    nodes: dict[int, dict] = {}
    for actor_id, centre_id, kind in presences:
        if includes(actor_id, actors, selection):
            node = nodes.setdefault(actor_id, new_node(actors[actor_id]))
            node["present"] = True
            node["based"] |= kind == PresenceKind.BASED
            node["centres"].add(centre_id)

    by_collaboration = defaultdict(list)
    for collaboration_id, actor_id, role in participations:
        if includes(actor_id, actors, selection):
            by_collaboration[collaboration_id].append((actor_id, role))

    directed: Counter = Counter()
    ties = defaultdict(list)
    # An open-ended collaboration lasts until the end of the selection (or today).
    open_end = selection.end or datetime.date.today()
    for collaboration_id, centre_id, form, started_on, ended_on, frequency in collaborations:
        members = by_collaboration.get(collaboration_id, ())
        actor_ids = sorted({a for a, _r in members})
        if len(actor_ids) < 2:
            continue  # the selection left this collaboration without a pair: no tie, and no node for it
        for actor_id in actor_ids:
            nodes.setdefault(actor_id, new_node(actors[actor_id]))["centres"].add(centre_id)
        row = (collaboration_id, form, started_on, ended_on or max(open_end, started_on), frequency)
        for pair in combinations(actor_ids, 2):
            ties[pair].append(row)
        for giver_role, receiver_role in DIRECTED_ROLES:
            for giver, role_g in members:
                if role_g == giver_role:
                    for receiver, role_r in members:
                        if role_r == receiver_role and giver != receiver:
                            directed[(giver, receiver)] += 1

    edges = [(a, b, tie_attributes(rows)) for (a, b), rows in ties.items()]
    graph = nx.Graph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from(edges)
    return Network(selection=selection, graph=graph, directed=directed, twin=igraph_of(nodes, edges))


def igraph_of(nodes: dict[int, dict], edges: list[tuple[int, int, dict]]) -> tuple[igraph.Graph, list[int]]:
    """The igraph twin straight from the rows, without walking the networkx graph."""
    order = sorted(nodes)
    index = {node: i for i, node in enumerate(order)}
    g = igraph.Graph(n=len(order), edges=[(index[a], index[b]) for a, b, _d in edges])
    g.vs["sector"] = [nodes[node]["sector"] for node in order]
    g.es["count"] = [data["count"] for _a, _b, data in edges]
    g.es["highest_form"] = [data["highest_form"] for _a, _b, data in edges]
    return g, order


def new_node(actor: dict) -> dict:
    return {
        "name": actor["name"],
        "category": actor["category"],
        "sector": str(SECTOR_OF_CATEGORY[actor["category"]]),
        "present": False,
        "based": False,
        "centres": set(),
    }


def includes(actor_id: int, actors: dict, selection: Selection) -> bool:
    actor = actors.get(actor_id)
    return actor is not None and selection.includes_actor(actor["category"])


def tie_attributes(rows: list[tuple]) -> dict:
    ids, forms, starts, ends, frequencies = zip(*rows, strict=True)
    forms_seen = sorted(set(forms))
    return {
        "count": len(rows),
        "forms": forms_seen,
        "highest_form": forms_seen[-1],
        "first": min(starts),
        "last": max(ends),
        "frequency": most_frequent(frequencies),
        "collaborations": sorted(ids),
    }


def most_frequent(frequencies: tuple[str, ...]) -> str:
    """The most frequent rhythm; on a tie the more frequent rhythm wins."""
    if len(frequencies) == 1:
        return frequencies[0]
    counts = Counter(frequencies)
    return max(counts, key=lambda f: (counts[f], FREQUENCY_ORDER.index(f)))


# ---------------------------------------------------------------------------------------------------------------
# Figures

FIGURE_LABELS = {
    "degree": _("Partners (degree)"),
    "weighted_degree": _("Collaborations (weighted degree)"),
    "betweenness": _("Brokerage (betweenness)"),
    "community": _("Community"),
    "actors": _("Actors"),
    "ties": _("Ties"),
    "density": _("Density"),
    "components": _("Components"),
    "disconnected": _("Disconnected actors"),
    "ei_index": _("Bridging (E-I index)"),
    "cross_sector_share": _("Ties across sector groups"),
    "form_shares": _("Forms of the ties"),
    "reciprocity": _("Reciprocity"),
}
FIGURE_DEFINITIONS = {
    "degree": _("The number of other actors an actor has at least one tie with."),
    "weighted_degree": _("The number of collaborations an actor takes part in, counted once per partner."),
    "betweenness": (
        _(
            "The share of shortest paths between two other actors that pass through this actor (0 to 1). "
            "High values mark brokers."
        )
    ),
    "community": _("Groups of actors with more ties inside than between them (Louvain, seeded, so repeatable)."),
    "actors": _("Actors with at least one tie, plus actors present in the centre in the period without one."),
    "ties": _("Pairs of actors that collaborated at least once in the selection."),
    "density": _("Ties as a share of all possible pairs among the actors (0 to 1)."),
    "components": _("Groups of actors connected through ties; a disconnected actor is a group of its own."),
    "disconnected": _("Actors present in the centre in the period who have no tie in the selection."),
    "ei_index": (
        _(
            "Krackhardt's E-I index over sector groups: (ties across groups - ties within) / all ties. "
            "-1 is pure bonding, +1 pure bridging."
        )
    ),
    "cross_sector_share": _(
        "The share of ties that join actors from two different sector groups (public, civil society, private, "
        "housing). The same count as the E-I index, told as a share."
    ),
    "form_shares": _("The share of ties whose highest form is each of the five forms."),
    "reciprocity": (
        _(
            "Of directed ties (resources given, referrals made), the share that also go the other way between "
            "the same two actors."
        )
    ),
}


@dataclass(frozen=True)
class ActorFigures:
    degree: int
    weighted_degree: int
    betweenness: float
    community: int


@dataclass(frozen=True)
class NetworkFigures:
    actors: int
    ties: int
    density: float
    components: int
    disconnected: list[int]
    ei_index: float | None
    cross_sector_share: float | None
    form_shares: dict[int, float]
    reciprocity: float | None
    per_actor: dict[int, ActorFigures]


def compute_figures(network: Network) -> NetworkFigures:
    graph = network.graph
    # The igraph twin serves every per-actor figure: it is many times faster than networkx.
    g, nodes = network.igraph()
    degrees = g.degree()
    weighted = g.strength(weights="count") if g.ecount() else degrees
    betweenness = betweenness_centrality(g)
    communities = community_of(graph, g, nodes)
    per_actor = {
        node: ActorFigures(
            degree=degrees[i],
            weighted_degree=int(weighted[i]),
            betweenness=betweenness[i],
            community=communities[node],
        )
        for i, node in enumerate(nodes)
    }
    n = g.vcount()
    return NetworkFigures(
        actors=n,
        ties=g.ecount(),
        density=g.density() if n > 1 else 0.0,
        components=len(g.connected_components()) if n else 0,
        disconnected=disconnected_actors(graph),
        ei_index=ei_index(g),
        cross_sector_share=cross_sector_share(network),
        form_shares=form_shares(g),
        reciprocity=reciprocity(network.directed),
        per_actor=per_actor,
    )


def to_igraph(graph: nx.Graph) -> tuple[igraph.Graph, list[int]]:
    """The same graph in igraph, with each tie's number of collaborations as `count`; nodes in sorted order."""
    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(graph.edges(data=True))
    g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b, _d in edges])
    g.vs["sector"] = [graph.nodes[node]["sector"] for node in nodes]
    g.es["count"] = [data.get("count", 1) for _a, _b, data in edges]
    g.es["highest_form"] = [data.get("highest_form", 1) for _a, _b, data in edges]
    return g, nodes


def betweenness_centrality(g: igraph.Graph) -> list[float]:
    """Normalised as networkx does: the share of shortest paths between other actors through each actor."""
    n = g.vcount()
    if n < 3:
        return [0.0] * n
    scale = 2 / ((n - 1) * (n - 2))
    return [value * scale for value in g.betweenness(directed=False)]


def community_of(graph: nx.Graph, g: igraph.Graph, nodes: list[int]) -> dict[int, int]:
    """Louvain communities numbered 1.. from the largest; isolated actors get a community of their own."""
    if g.ecount() == 0:
        groups = [[node] for node in nodes]
    else:
        # igraph draws from Python's random module: a seeded generator of its own makes the result repeatable.
        with IGRAPH_RANDOM_LOCK:
            igraph.set_random_number_generator(random.Random(COMMUNITY_SEED))
            try:
                clustering = g.community_multilevel()
            finally:
                igraph.set_random_number_generator(random)
        groups = [[nodes[i] for i in members] for members in clustering]
    names = {node: graph.nodes[node]["name"] for node in nodes}
    groups.sort(key=lambda members: (-len(members), min(names[m] for m in members)))
    return {member: number for number, members in enumerate(groups, start=1) for member in members}


def disconnected_actors(graph: nx.Graph) -> list[int]:
    """Actors present in the centre in the period without a tie in the selection, by name."""
    lonely = (node for node, data in graph.nodes(data=True) if data["present"] and not graph.degree(node))
    return sorted(lonely, key=lambda node: graph.nodes[node]["name"])


def cross_sector_share(network: Network) -> float | None:
    g, _nodes = network.igraph()
    return ties_across_sectors(g) / g.ecount() if g.ecount() else None


def ties_across_sectors(g: igraph.Graph) -> int:
    sectors = g.vs["sector"]
    return sum(1 for a, b in g.get_edgelist() if sectors[a] != sectors[b])


def ei_index(g: igraph.Graph) -> float | None:
    if g.ecount() == 0:
        return None
    external = ties_across_sectors(g)
    internal = g.ecount() - external
    return (external - internal) / (external + internal)


def sector_tie_counts(graph: nx.Graph) -> Counter:
    """Ties per pair of sector groups, counted both ways round when the groups differ (a symmetric matrix)."""
    counts: Counter = Counter()
    for a, b in graph.edges():
        sa, sb = graph.nodes[a]["sector"], graph.nodes[b]["sector"]
        counts[(sa, sb)] += 1
        if sa != sb:
            counts[(sb, sa)] += 1
    return counts


def form_shares(g: igraph.Graph) -> dict[int, float]:
    total = g.ecount()
    counts = Counter(g.es["highest_form"]) if total else Counter()
    return {form.value: (counts[form.value] / total if total else 0.0) for form in Form}


def reciprocity(directed: Counter) -> float | None:
    if not directed:
        return None
    reciprocated = sum(1 for (a, b) in directed if (b, a) in directed)
    return reciprocated / len(directed)


# ---------------------------------------------------------------------------------------------------------------
# Change between two periods


@dataclass(frozen=True)
class Change:
    new: list[tuple[int, int]]
    ended: list[tuple[int, int]]
    deepened: list[tuple[int, int]]
    weakened: list[tuple[int, int]]
    joined: list[int]
    left: list[int]

    def of_tie(self, a: int, b: int) -> str | None:
        pair = tuple(sorted((a, b)))
        for kind in ("new", "ended", "deepened", "weakened"):
            if pair in getattr(self, kind):
                return kind
        return None


def compare(before: nx.Graph, after: nx.Graph) -> Change:
    """What changed from one period's network to the next: ties new, ended, deepened, weakened; actors."""
    old = highest_form_by_pair(before)
    now = highest_form_by_pair(after)
    tied_before = {n for n in before if before.degree(n)}
    tied_after = {n for n in after if after.degree(n)}
    return Change(
        new=sorted(now.keys() - old.keys()),
        ended=sorted(old.keys() - now.keys()),
        deepened=sorted(p for p in now.keys() & old.keys() if now[p] > old[p]),
        weakened=sorted(p for p in now.keys() & old.keys() if now[p] < old[p]),
        joined=sorted(tied_after - tied_before),
        left=sorted(tied_before - tied_after),
    )


def highest_form_by_pair(graph: nx.Graph) -> dict[tuple[int, int], int]:
    return {tuple(sorted((a, b))): data["highest_form"] for a, b, data in graph.edges(data=True)}
