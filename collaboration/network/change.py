"""What changed from one period's network to the next: ties new, ended, deepened, weakened; actors."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


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
