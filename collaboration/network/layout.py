"""Stable map positions: computed once per centre, stored, and extended for new actors near their neighbours."""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict

import igraph
import networkx as nx
from django.db import IntegrityError, transaction

from collaboration.models import ActorPosition
from collaboration.network.figures import IGRAPH_RANDOM_LOCK
from collaboration.network.graph import Selection, load_network, to_igraph

LAYOUT_SEED = 7
# How far apart the centres' groups sit on a map of several centres (a centre's own map spans -1 to 1).
GRID_SPACING = 2.6


def stored_positions(centre_ids) -> dict[int, dict[int, tuple[float, float]]]:
    """Every stored position of these centres' maps, by centre: one query however many centres."""
    by_centre = defaultdict(dict)
    rows = ActorPosition.objects.filter(centre_id__in=centre_ids).values_list("centre_id", "actor_id", "x", "y")
    for centre_id, actor_id, x, y in rows:
        by_centre[centre_id][actor_id] = (x, y)
    return by_centre


def positions_for_centre(
    centre_id: int, actor_ids: set[int], stored: dict[int, tuple[float, float]] | None = None
) -> dict[int, tuple[float, float]]:
    """Stored positions of these actors on the centre's map (read here unless given); actors without one are placed
    and stored now."""
    stored = dict(stored_positions([centre_id])[centre_id] if stored is None else stored)
    missing = actor_ids - stored.keys()
    if missing:
        # Placed against the centre's whole history, so a filtered view shows everyone where they always are.
        whole = load_network(Selection(centre_ids=(centre_id,))).graph
        whole.add_nodes_from(missing)
        placed = initial_layout(whole) if not stored else place_near_neighbours(whole, stored, missing)
        new = {actor_id: placed[actor_id] for actor_id in missing}
        save_positions(centre_id, new)
        stored |= new
    return spread(stored)


def spread(positions: dict[int, tuple[float, float]], weight: float = 0.5) -> dict[int, tuple[float, float]]:
    """Positions drawn out of a crowded middle: each coordinate halfway between itself and its rank among all the
    centre's actors. Left stays left of right, so the map keeps its shape, and names find room in the middle.

    Computed from every stored position of the centre, never from a filtered few, so filters move no one.
    """
    if len(positions) < 3:
        return positions
    actors = sorted(positions)
    spread_axes = []
    for axis in (0, 1):
        values = [positions[actor][axis] for actor in actors]
        order = sorted(range(len(values)), key=lambda i: (values[i], actors[i]))
        ranks = [0.0] * len(values)
        for rank, i in enumerate(order):
            ranks[i] = 2 * rank / (len(values) - 1) - 1
        spread_axes.append([(1 - weight) * value + weight * rank for value, rank in zip(values, ranks, strict=True)])
    return {actor: (spread_axes[0][i], spread_axes[1][i]) for i, actor in enumerate(actors)}


def initial_layout(graph: nx.Graph) -> dict[int, tuple[float, float]]:
    """A seeded force-directed layout (igraph's Fruchterman-Reingold: fast, and the same every time)."""
    if graph.number_of_nodes() == 0:
        return {}
    g, nodes = to_igraph(graph)
    rng = random.Random(LAYOUT_SEED)
    seed = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    # Fruchterman-Reingold draws from igraph's random generator even from a seed layout: seeded, it repeats itself.
    with IGRAPH_RANDOM_LOCK:
        igraph.set_random_number_generator(random.Random(LAYOUT_SEED))
        try:
            coords = g.layout_fruchterman_reingold(seed=seed, niter=500) if g.ecount() else igraph.Layout(seed)
        finally:
            igraph.set_random_number_generator(random)
    return normalise(dict(zip(nodes, (tuple(c) for c in coords), strict=True)))


def normalise(positions: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """Scale into [-1, 1] on both axes, keeping the aspect."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {node: ((x - cx) / half, (y - cy) / half) for node, (x, y) in positions.items()}


def place_near_neighbours(graph: nx.Graph, stored: dict, missing: set[int]) -> dict[int, tuple[float, float]]:
    """New actors go to the middle of their placed neighbours, a little off it; loners to the edge."""
    placed = dict(stored)
    for actor_id in sorted(missing, key=lambda a: -graph.degree(a)):
        neighbours = [placed[n] for n in graph.neighbors(actor_id) if n in placed]
        angle, radius = jitter(actor_id)
        if neighbours:
            x = sum(p[0] for p in neighbours) / len(neighbours) + 0.08 * math.cos(angle)
            y = sum(p[1] for p in neighbours) / len(neighbours) + 0.08 * math.sin(angle)
        else:
            x, y = (1.1 + 0.1 * radius) * math.cos(angle), (1.1 + 0.1 * radius) * math.sin(angle)
        placed[actor_id] = (x, y)
    return placed


def jitter(actor_id: int) -> tuple[float, float]:
    """A fixed angle and radius per actor, so the same actor always lands on the same spot."""
    digest = hashlib.sha256(str(actor_id).encode()).digest()
    return digest[0] / 255 * 2 * math.pi, digest[1] / 255


def save_positions(centre_id: int, positions: dict[int, tuple[float, float]]) -> None:
    try:
        with transaction.atomic():
            ActorPosition.objects.bulk_create(
                ActorPosition(centre_id=centre_id, actor_id=actor_id, x=x, y=y)
                for actor_id, (x, y) in positions.items()
            )
    except IntegrityError:
        # Another request placed them at the same moment; its positions are as good as ours.
        pass


def grid_offset(selection: Selection, centre_id: int) -> tuple[float, float]:
    """Where a centre's group sits on a map of several centres: a grid, in the order of the centres' ids."""
    columns = max(1, round(len(selection.centre_ids) ** 0.5 + 0.49))
    index = sorted(selection.centre_ids).index(centre_id)
    return (index % columns) * GRID_SPACING, -(index // columns) * GRID_SPACING


def centre_captions(selection: Selection, names: dict[int, str]) -> list[tuple[float, float, str]]:
    """Each centre's name just above its group on a map of several centres, at map coordinates."""
    captions = []
    for centre_id in selection.centre_ids:
        dx, dy = grid_offset(selection, centre_id)
        captions.append((dx, dy + 1.25, names.get(centre_id, "")))
    return captions


def home_centres(selection: Selection, graph, previous_graph, nodes) -> dict[int, int]:
    """Each actor's centre on the map: the first of its centres in the selection (an actor in two has one home)."""
    home = {}
    for node in nodes:
        data = graph.nodes[node] if node in graph else previous_graph.nodes[node]
        centres = sorted(data["centres"] & set(selection.centre_ids)) or [selection.centre_ids[0]]
        home[node] = centres[0]
    return home


def positions_in_selection(selection: Selection, homes: dict[int, int]) -> dict[int, tuple[float, float]]:
    """One centre: its stored layout. Several: each centre's layout in a cell of a grid, actors at their home."""
    positions = {}
    stored_by_centre = stored_positions(selection.centre_ids)
    for centre_id in sorted(selection.centre_ids):
        members = {node for node, centre in homes.items() if centre == centre_id}
        if not members:
            continue
        stored = positions_for_centre(centre_id, members, stored_by_centre[centre_id])
        dx, dy = grid_offset(selection, centre_id)
        positions.update({node: (stored[node][0] + dx, stored[node][1] + dy) for node in members})
    return positions
