"""Figures of a network: per actor (partners, collaborations, brokerage, community) and of the whole.

Every figure is defined in `FIGURE_DEFINITIONS`, which the "how is this computed?" page shows. The heavy ones
are computed by igraph on the network's twin.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

import igraph
import networkx as nx
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from collaboration.models import Form
from collaboration.network.betweenness import raw_betweenness
from collaboration.network.graph import Network
from samkort.numbers import signed

COMMUNITY_SEED = 20261123
# igraph's random generator is one global setting: requests in other threads must not interleave with ours.
IGRAPH_RANDOM_LOCK = threading.Lock()

FIGURE_LABELS = {
    "degree": _("Partners (degree)"),
    "weighted_degree": _("Collaborations, counted per partner"),
    "betweenness": _("Brokerage (betweenness)"),
    "community": _("Community"),
    "active_actors": _("Active actors"),
    "ties": _("Ties"),
    "density": _("Density"),
    "components": _("Components"),
    "disconnected": _("Disconnected actors"),
    "ei_index": _("Bridging (E-I index)"),
    "expected_ei_index": _("E-I index of a random mix"),
    "cross_sector_share": _("Ties across sector groups"),
    "form_shares": _("Forms of the ties"),
    "modularity": _("Modularity of the communities"),
    "tie_period": _("A tie's period"),
}
FIGURE_DEFINITIONS = {
    "degree": _("The number of other actors an actor has at least one tie with."),
    "weighted_degree": _(
        "For each partner, the number of collaborations the actor shares with it, added up over all partners. "
        "A collaboration with three partners counts three times; a tie's strength is its number of collaborations."
    ),
    "betweenness": (
        _(
            "The share of shortest paths between two other actors that pass through this actor (0 to 1), among "
            "all the actors on the map, the disconnected ones included. High values mark brokers."
        )
    ),
    "community": _(
        "Groups of actors with more and stronger ties inside than between them (Louvain, weighted by each tie's "
        "number of collaborations, seeded, so repeatable). Each disconnected actor is a group of its own."
    ),
    "active_actors": _("Actors with at least one tie in the selection."),
    "ties": _("Pairs of actors that collaborated at least once in the selection."),
    "density": _(
        "Ties as a share of all possible pairs among the actors on the map, active and disconnected (0 to 1)."
    ),
    "components": _("Groups of actors connected through ties; a disconnected actor is a group of its own."),
    "disconnected": _("Actors present in the centre in the period who have no tie in the selection."),
    "ei_index": (
        _(
            "Krackhardt's E-I index over sector groups: (ties across groups - ties within) / all ties. "
            "-1 is pure bonding, +1 pure bridging."
        )
    ),
    "expected_ei_index": _(
        "The E-I index the same active actors would give if their ties fell at random, whatever the sector: "
        "1 - 2 × (pairs within a sector group / all pairs). A centre with many actors of one sector bonds more by "
        "chance alone, so read the E-I index against this: above it, the centre bridges more than chance; below "
        "it, its actors keep to their own sector more than chance."
    ),
    "cross_sector_share": _(
        "The share of ties that join actors from two different sector groups (public, civil society, private, "
        "housing). The same count as the E-I index, told as a share. Shares are rounded to whole per cent from "
        "the counts, halves up: 23 of 40 is 58 %."
    ),
    "form_shares": _("The share of ties whose highest form is each of the five forms."),
    "modularity": _(
        "How much more the ties fall within the communities than a random network with the same actors and "
        "tie strengths would have them (Newman's modularity, weighted, -0.5 to 1). Above about 0.3 the groups "
        "are real; from about 0.1 they are weak groups; below that they are little more than chance."
    ),
    "tie_period": _(
        "From the start of the earliest of the tie's collaborations in the selection to the end of the latest: the "
        "collaborations' own dates, even where they lie outside the selected period; ongoing while any of them has "
        "no end date."
    ),
}


@dataclass(frozen=True)
class Share:
    """A part of a whole, kept as the two counts so that every format rounds it the same way, exactly."""

    part: int
    whole: int

    @property
    def value(self) -> float:
        return self.part / self.whole

    @property
    def percent(self) -> int:
        return whole_percent(self.part, self.whole)

    def __str__(self) -> str:
        # "74 %" in Danish, "74%" in English: each language's own way (the translation holds the space).
        return gettext("%(percent)s%%") % {"percent": self.percent}


def share_of(part: int, whole: int) -> Share | None:
    return Share(part, whole) if whole else None


def whole_percent(part: int, whole: int) -> int:
    """part / whole in whole per cent, halves rounded up, from the counts: 23 of 40 is 58, never 57."""
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class ActorFigures:
    degree: int
    weighted_degree: int
    betweenness: float
    community: int


@dataclass(frozen=True)
class NetworkFigures:
    actors: int
    active_actors: int
    ties: int
    density: float
    components: int
    disconnected: list[int]
    ei_index: float | None
    expected_ei_index: float | None
    cross_sector_share: Share | None
    # Of all pairs of active actors, those across sector groups: the share of ties across by chance alone.
    expected_cross_sector_share: Share | None
    form_shares: dict[int, Share | None]
    modularity: float | None
    per_actor: dict[int, ActorFigures]


def compute_figures(network: Network) -> NetworkFigures:
    graph = network.graph
    # The igraph twin serves every per-actor figure: it is many times faster than networkx.
    g, nodes = network.igraph()
    degrees = g.degree()
    weighted = g.strength(weights="count") if g.ecount() else degrees
    betweenness = betweenness_centrality(g)
    communities, modularity = community_of(graph, g, nodes)
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
        active_actors=sum(1 for degree in degrees if degree),
        ties=g.ecount(),
        density=g.density() if n > 1 else 0.0,
        components=len(g.connected_components()) if n else 0,
        disconnected=disconnected_actors(graph),
        ei_index=ei_index(g),
        expected_ei_index=expected_ei_index(g),
        cross_sector_share=cross_sector_share(network),
        expected_cross_sector_share=pairs_across_sectors(g),
        form_shares=form_shares(g),
        modularity=modularity,
        per_actor=per_actor,
    )


def betweenness_centrality(g: igraph.Graph) -> list[float]:
    """Normalised as networkx does: the share of shortest paths between other actors through each actor."""
    n = g.vcount()
    if n < 3:
        return [0.0] * n
    scale = 2 / ((n - 1) * (n - 2))
    raw = raw_betweenness(g, processes=settings.FIGURE_PROCESSES, min_work=settings.FIGURE_PROCESSES_ABOVE)
    # To 12 significant digits, far below anything shown, so that equal figures stay equal (and brokers of equal rank
    # keep their order by name) whichever order the additions took: shared out over processes, they add up in another.
    return [float(f"{value * scale:.12g}") for value in raw]


def community_of(graph: nx.Graph, g: igraph.Graph, nodes: list[int]) -> tuple[dict[int, int], float | None]:
    """Louvain communities numbered 1.. from the largest, weighted by each tie's number of collaborations, and
    their modularity; isolated actors get a community of their own."""
    if g.ecount() == 0:
        groups, modularity = [[node] for node in nodes], None
    else:
        # igraph draws from Python's random module: a seeded generator of its own makes the result repeatable.
        with IGRAPH_RANDOM_LOCK:
            igraph.set_random_number_generator(random.Random(COMMUNITY_SEED))
            try:
                clustering = g.community_multilevel(weights="count")
            finally:
                igraph.set_random_number_generator(random)
        groups = [[nodes[i] for i in members] for members in clustering]
        modularity = g.modularity(clustering.membership, weights="count")
    names = {node: graph.nodes[node]["name"] for node in nodes}
    groups.sort(key=lambda members: (-len(members), min(names[m] for m in members)))
    return {member: number for number, members in enumerate(groups, start=1) for member in members}, modularity


def disconnected_actors(graph: nx.Graph) -> list[int]:
    """Actors present in the centre in the period without a tie in the selection, by name."""
    lonely = (node for node, data in graph.nodes(data=True) if data["present"] and not graph.degree(node))
    return sorted(lonely, key=lambda node: graph.nodes[node]["name"])


def cross_sector_share(network: Network) -> Share | None:
    g, _nodes = network.igraph()
    return share_of(ties_across_sectors(g), g.ecount())


def ties_across_sectors(g: igraph.Graph) -> int:
    sectors = g.vs["sector"]
    return sum(1 for a, b in g.get_edgelist() if sectors[a] != sectors[b])


def ei_index(g: igraph.Graph) -> float | None:
    if g.ecount() == 0:
        return None
    external = ties_across_sectors(g)
    internal = g.ecount() - external
    return (external - internal) / (external + internal)


def pairs_across_sectors(g: igraph.Graph) -> Share | None:
    """Of all pairs of active actors, those from two different sector groups: where random ties would fall."""
    sectors = [sector for sector, degree in zip(g.vs["sector"], g.degree(), strict=True) if degree]
    n = len(sectors)
    all_pairs = n * (n - 1) // 2
    pairs_within = sum(size * (size - 1) // 2 for size in Counter(sectors).values())
    return share_of(all_pairs - pairs_within, all_pairs)


def expected_ei_index(g: igraph.Graph) -> float | None:
    """The E-I index if the same active actors' ties fell at random: 1 - 2 × the share of pairs within a sector."""
    across = pairs_across_sectors(g)
    return None if across is None else 2 * across.value - 1


def sector_tie_counts(graph: nx.Graph) -> Counter:
    """Ties per pair of sector groups, counted both ways round when the groups differ (a symmetric matrix)."""
    counts: Counter = Counter()
    for a, b in graph.edges():
        sa, sb = graph.nodes[a]["sector"], graph.nodes[b]["sector"]
        counts[(sa, sb)] += 1
        if sa != sb:
            counts[(sb, sa)] += 1
    return counts


def form_shares(g: igraph.Graph) -> dict[int, Share | None]:
    total = g.ecount()
    counts = Counter(g.es["highest_form"]) if total else Counter()
    return {form.value: share_of(counts[form.value], total) for form in Form}


# Closer than this to a random mix, the difference is not worth a word.
EI_MARGIN = 0.05
# Modularity from which communities are clear groups rather than chance (Newman: 0.3 and above is typical), and
# below which they are little more than chance.
CLEAR_MODULARITY = 0.3
CHANCE_MODULARITY = 0.1


def bridging_sentence(figures: NetworkFigures) -> str:
    """The E-I index against a random mix of the same actors, in one sentence. Compared with chance, and said
    plainly where the comparison and the ties themselves point different ways (most ties cross sectors, yet fewer
    than chance would have them)."""
    ei, expected = figures.ei_index, figures.expected_ei_index
    if ei is None or expected is None:
        return ""
    values = {"ei": signed(ei), "expected": signed(expected)}
    if ei > expected + EI_MARGIN and ei >= 0:
        sentence = gettext(
            "The ties cross sector groups more often than a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s): the centre bridges between sectors."
        )
    elif ei > expected + EI_MARGIN:
        sentence = gettext(
            "The ties cross sector groups more often than a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s), though most of them stay within one sector."
        )
    elif ei < expected - EI_MARGIN and ei < 0:
        sentence = gettext(
            "The ties stay within sector groups more often than a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s): actors mostly work with their own sector."
        )
    elif ei < expected - EI_MARGIN and ei > 0:
        sentence = gettext(
            "The ties stay within sector groups more often than a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s), though most of them still cross sectors."
        )
    elif ei < expected - EI_MARGIN:
        sentence = gettext(
            "The ties stay within sector groups more often than a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s): half of them cross sectors."
        )
    else:
        sentence = gettext(
            "The ties cross sector groups about as often as a random mix of the same actors would "
            "(E-I %(ei)s against %(expected)s)."
        )
    return sentence % values


def modularity_sentence(figures: NetworkFigures) -> str:
    if figures.modularity is None:
        return ""
    q = {"q": signed(figures.modularity)}
    if figures.modularity >= CLEAR_MODULARITY:
        return gettext("The communities are clear groups (modularity %(q)s).") % q
    if figures.modularity >= CHANCE_MODULARITY:
        return gettext("The communities are weak groups (modularity %(q)s).") % q
    return gettext("The communities are weak groups, little more than chance (modularity %(q)s).") % q
