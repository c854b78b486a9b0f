"""Exact betweenness of a large network, shared out over several processes.

Brandes' algorithm adds up, source by source, how often each actor lies on the shortest paths from that source; so
the betweenness over all sources is the sum of the betweenness over any split of them. Each process computes one
share of the sources with igraph and the shares are added: the same exact figure, in a fraction of the time on a
machine with several cores (10,000 actors: the largest single cost of a report or a map of every centre).

igraph holds Python's global interpreter lock while it computes, so threads would not help. Each share runs in a
new Python (`python -m collaboration.network.betweenness`) that reads the edges on its input and writes its figures
on its output: nothing is forked from a server or worker that runs threads and holds database connections, and the
caller's own main module is never run again (as multiprocessing's "spawn" would). This module imports nothing of
Django: a share's process loads only igraph.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from array import array
from pathlib import Path

import igraph

logger = logging.getLogger(__name__)

# The folder that holds the `collaboration` package, so a share's process imports this module as the caller does.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARE_COMMAND = [sys.executable, "-m", __name__]


class ShareFailed(Exception):
    """A share's process did not finish or gave no figures."""


def raw_betweenness(g: igraph.Graph, *, processes: int, min_work: int) -> list[float]:
    """igraph's undirected betweenness of every vertex, in `processes` processes when the graph's work (vertices ×
    edges, which Brandes' algorithm's time follows) is at least `min_work`; in this process otherwise, or when the
    processes cannot do it here (then the same figure, only slower)."""
    if processes < 2 or g.vcount() * g.ecount() < min_work:
        return g.betweenness(directed=False)
    try:
        return betweenness_in_processes(g, processes)
    except (OSError, ShareFailed) as error:
        logger.warning("Betweenness computed in one process: could not share it out (%s).", error)
        return g.betweenness(directed=False)


def betweenness_in_processes(g: igraph.Graph, processes: int) -> list[float]:
    n = g.vcount()
    edges = array("q", (end for edge in g.get_edgelist() for end in edge)).tobytes()
    # Interleaved shares (every processes-th actor), so that each has actors of every kind and they finish together.
    started = [start_share(n, first, processes) for first in range(processes)]
    try:
        # Every process gets its edges before any answer is awaited, so that they all compute at once.
        for process in started:
            process.stdin.write(edges)
            process.stdin.close()
        parts = [share_figures(process, n) for process in started]
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
    return [sum(values) for values in zip(*parts, strict=True)]


def start_share(n: int, first: int, step: int) -> subprocess.Popen:
    paths = [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")]
    return subprocess.Popen(
        [*SHARE_COMMAND, str(n), str(first), str(step)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | {"PYTHONPATH": os.pathsep.join(path for path in paths if path)},
    )


def share_figures(process: subprocess.Popen, n: int) -> array:
    output = process.stdout.read()
    errors = process.stderr.read().decode(errors="replace").strip()
    if process.wait() != 0:
        raise ShareFailed(errors.splitlines()[-1] if errors else f"exit status {process.returncode}")
    figures = array("d")
    figures.frombytes(output[: len(output) - len(output) % figures.itemsize])
    if len(figures) != n:
        raise ShareFailed(f"a share gave {len(figures)} figures for {n} actors")
    return figures


def betweenness_of_share(n: int, edges: bytes, first: int, step: int) -> array:
    """One process's share: the betweenness counted over the shortest paths that start at actors first, first + step,
    first + 2 × step, …"""
    ends = array("q")
    ends.frombytes(edges)
    graph = igraph.Graph(n=n, edges=list(zip(ends[0::2], ends[1::2], strict=True)))
    return array("d", graph.betweenness(directed=False, sources=range(first, n, step)))


if __name__ == "__main__":
    count, start, every = (int(value) for value in sys.argv[1:4])
    sys.stdout.buffer.write(betweenness_of_share(count, sys.stdin.buffer.read(), start, every).tobytes())
