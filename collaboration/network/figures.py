"""Figures of a network: per actor (partners, collaborations, brokerage, community) and of the whole.

Every figure is defined in `FIGURE_DEFINITIONS`, which the "how is this computed?" page shows. The heavy ones
are computed by igraph on the network's twin.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import igraph
import networkx as nx
from django.utils.translation import gettext_lazy as _

from collaboration.models import Form
from collaboration.network.graph import Network

COMMUNITY_SEED = 20261123
# igraph's random generator is one global setting: requests in other threads must not interleave with ours.
IGRAPH_RANDOM_LOCK = threading.Lock()

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


def whole_percent(share: float) -> int:
    """A share in whole per cent, halves rounded up (not to even), the same way in every format."""
    return int(Decimal(str(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
