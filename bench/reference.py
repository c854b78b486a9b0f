"""The raw reference the map benchmarks set Samkort beside: the same network with nothing else.

One SQL query for every pair of actors that collaborated (in the given centres, or all), then igraph's degree and
betweenness. Import after django.setup().
"""

from __future__ import annotations

import time

import igraph
from django.db import connection


def raw_reference(centre_ids: list[int] | None = None) -> float:
    """Seconds for the query and the figures."""
    began = time.perf_counter()
    query = (
        "SELECT DISTINCT a.actor_id, b.actor_id FROM collaboration_participation a"
        " JOIN collaboration_participation b ON a.collaboration_id = b.collaboration_id"
        " AND a.actor_id < b.actor_id"
    )
    parameters = []
    if centre_ids is not None:
        placeholders = ", ".join(["%s"] * len(centre_ids))
        query += (
            f" JOIN collaboration_collaboration c ON c.id = a.collaboration_id WHERE c.centre_id IN ({placeholders})"
        )
        parameters = list(centre_ids)
    with connection.cursor() as cursor:
        cursor.execute(query, parameters)
        pairs = cursor.fetchall()
    ids = sorted({actor for pair in pairs for actor in pair})
    index = {actor: i for i, actor in enumerate(ids)}
    graph = igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b in pairs])
    graph.betweenness()
    graph.degree()
    return time.perf_counter() - began
