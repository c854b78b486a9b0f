"""The collaboration network of a selection: collaborations -> networkx graph (and its igraph twin).

Nothing here knows about HTTP. `load_network` reads the database in a constant number of queries; everything
after it works on plain graphs, so it can be tested with graphs built by hand. The figures are in `figures.py`,
the change between two periods in `change.py`.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations

import igraph
import networkx as nx
from django.db import connection
from django.db.models import Count, Max, Q, Sum

from centres.models import SECTOR_OF_CATEGORY, Actor, Presence, PresenceKind
from collaboration.models import Collaboration, Frequency, HistoryEntry, ParticipantRole, Participation
from samkort.gcpause import gc_paused

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

    def actor_categories(self) -> list[str]:
        """The actor categories the selection includes, from its sectors and categories."""
        return [category for category in SECTOR_OF_CATEGORY if self.includes_actor(category)]

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
    # Per centre, the ties its own collaborations make: what its own map shows, for a map of many drawn as centres.
    ties_per_centre: Counter = field(default_factory=Counter)

    def igraph(self) -> tuple[igraph.Graph, list[int]]:
        if self.twin is None:
            self.twin = to_igraph(self.graph)
        return self.twin


def data_version(centre_ids: tuple[int, ...]) -> tuple:
    """Changes whenever collaborations or presences of these centres are added, changed or deleted, or an actor is
    edited."""
    collaborations = Collaboration.objects.filter(centre_id__in=centre_ids).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    deleted = HistoryEntry.objects.filter(centre_id__in=centre_ids).aggregate(latest=Max("id"))
    # A presence edited in place (based or ad hoc, its dates) raises its version.
    presences = Presence.objects.filter(centre_id__in=centre_ids).aggregate(
        n=Count("id"), latest=Max("id"), versions=Sum("version")
    )
    # Every edit of an actor raises its version: a new name or category shows on every stored map at once. A new actor
    # (version 1) reaches a map only through a presence or a collaboration in its centre, which the figures above
    # count, so it leaves the other centres' stored maps alone.
    actors = Actor.objects.filter(version__gt=1).aggregate(n=Count("id"), versions=Sum("version"))
    return (
        collaborations["n"],
        collaborations["latest"],
        deleted["latest"],
        presences["n"],
        presences["latest"],
        presences["versions"],
        actors["n"],
        actors["versions"],
    )


def collaborations_in(selection: Selection):
    """The selection's collaborations. Narrowed to sectors or categories, only those between at least two actors of
    them: the ones that make a tie on the map, so every figure on a page counts the same collaborations."""
    qs = Collaboration.objects.filter(centre_id__in=selection.centre_ids).in_period(selection.start, selection.end)
    if selection.forms:
        qs = qs.filter(form__in=selection.forms)
    if selection.levels:
        qs = qs.filter(level__in=selection.levels)
    if selection.themes:
        qs = qs.filter(
            pk__in=Collaboration.themes.through.objects.filter(theme_id__in=selection.themes).values("collaboration_id")
        )
    if selection.sectors or selection.categories:
        qs = qs.filter(pk__in=with_two_actors_in(selection.actor_categories()))
    return qs


def with_two_actors_in(categories: list[str]):
    """Ids of collaborations with at least two actors of these categories."""
    return (
        Participation.objects.filter(actor__category__in=categories)
        .values("collaboration_id")
        .annotate(actors=Count("actor_id", distinct=True))
        .filter(actors__gte=2)
        .values("collaboration_id")
    )


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


@gc_paused()
def load_actor_network(selection: Selection, actor_id: int) -> Network:
    """The actor and its partners in the selection, from only the collaborations it took part in (four queries that
    return only its own rows; narrowed to sectors or categories, the selection still weighs every collaboration of
    them). A tie counts the collaborations of both its actors, so each of this actor's ties is the same here as in
    the whole selection's network; the partners' own other ties are left out."""
    return build_network(selection, *read_rows(selection, involving=actor_id))


def read_rows(selection: Selection, involving: int | None = None) -> tuple[list, list, list, dict]:
    """The selection's collaborations, participations, presences and actors as plain rows; only the collaborations
    and presences of one actor when `involving` names it."""
    collaborations_query = collaborations_in(selection)
    presences_query = presences_in(selection)
    if involving is not None:
        theirs = Participation.objects.filter(actor_id=involving).values("collaboration_id")
        collaborations_query = collaborations_query.filter(pk__in=theirs)
        presences_query = presences_query.filter(actor_id=involving)
    collaborations = list(
        collaborations_query.values_list("id", "centre_id", "form", "started_on", "ended_on", "frequency")
    )
    participations = (
        fetch_rows(
            Participation.objects.filter(collaboration_id__in=collaborations_query.values("id"))
            .order_by("collaboration_id", "id")
            .values_list("collaboration_id", "actor_id", "role")
        )
        if collaborations
        else []
    )
    presences = list(presences_query.values_list("actor_id", "centre_id", "kind"))
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
    for collaboration_id, centre_id, form, started_on, ended_on, frequency in collaborations:
        members = by_collaboration.get(collaboration_id, ())
        actor_ids = sorted({a for a, _r in members})
        if len(actor_ids) < 2:
            continue  # the selection left this collaboration without a pair: no tie, and no node for it
        for actor_id in actor_ids:
            nodes.setdefault(actor_id, new_node(actors[actor_id]))["centres"].add(centre_id)
        row = (collaboration_id, form, started_on, ended_on, frequency, centre_id)
        for pair in combinations(actor_ids, 2):
            ties[pair].append(row)
        for giver_role, receiver_role in DIRECTED_ROLES:
            for giver, role_g in members:
                if role_g == giver_role:
                    for receiver, role_r in members:
                        if role_r == receiver_role and giver != receiver:
                            directed[(giver, receiver)] += 1

    graph = nx.Graph()
    graph.add_nodes_from(nodes.items())
    twin_edges: list[tuple[int, int, int, int]] = []
    ties_per_centre: Counter = Counter()
    graph.add_edges_from(edges_once(ties, twin_edges, ties_per_centre))
    twin = igraph_of(nodes, twin_edges)
    return Network(selection=selection, graph=graph, directed=directed, twin=twin, ties_per_centre=ties_per_centre)


def edges_once(
    ties: dict[tuple[int, int], list[tuple]], twin_edges: list, ties_per_centre: Counter
) -> Iterator[tuple[int, int, dict]]:
    """Each tie with its attributes, its rows let go as soon as they are summed up (each of its centres counting it
    once), and what the igraph twin needs noted in the same order. networkx copies each tie's attributes into a
    dict of its own: made all at once, with every tie's rows still held, the ties took twice the memory they end up
    in (100,000 collaborations, rows included: a peak of 259 MiB of Python objects before, 214 MiB now; the network
    keeps 88 MiB)."""
    note = twin_edges.append
    for (a, b), rows in ties.items():
        attributes = tie_attributes(rows)
        ties_per_centre.update({row[5] for row in rows})
        rows.clear()
        note((a, b, attributes["count"], attributes["highest_form"]))
        yield a, b, attributes


def igraph_of(nodes: dict[int, dict], edges: list[tuple[int, int, int, int]]) -> tuple[igraph.Graph, list[int]]:
    """The igraph twin straight from the rows, without walking the networkx graph: edges as (a, b, count, highest
    form), in the order networkx was given them."""
    order = sorted(nodes)
    index = {node: i for i, node in enumerate(order)}
    g = igraph.Graph(n=len(order), edges=[(index[a], index[b]) for a, b, _c, _f in edges])
    g.vs["sector"] = [nodes[node]["sector"] for node in order]
    g.es["count"] = [count for _a, _b, count, _f in edges]
    g.es["highest_form"] = [form for _a, _b, _c, form in edges]
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
    ids, forms, starts, ends, frequencies, _centres = zip(*rows, strict=True)
    forms_seen = sorted(set(forms))
    return {
        "count": len(rows),
        "forms": forms_seen,
        "highest_form": forms_seen[-1],
        "first": min(starts),
        # No last day while any of its collaborations goes on: the tie is ongoing, whatever the selection's end.
        "last": None if None in ends else max(ends),
        "frequency": most_frequent(frequencies),
        "collaborations": sorted(ids),
    }


def most_frequent(frequencies: tuple[str, ...]) -> str:
    """The most frequent rhythm; on a tie the more frequent rhythm wins."""
    if len(frequencies) == 1:
        return frequencies[0]
    counts = Counter(frequencies)
    return max(counts, key=lambda f: (counts[f], FREQUENCY_ORDER.index(f)))


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
