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
import tempfile
from array import array
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import igraph

logger = logging.getLogger(__name__)

# The folder that holds the `collaboration` package, so a share's process imports this module as the caller does.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARE_COMMAND = [sys.executable, "-m", __name__]
# What a share's Python may need of the caller's environment: where programs and libraries are, and the language.
SHARE_ENVIRONMENT = ("PATH", "PYTHONPATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "TMPDIR")
# A share that never ends (the machine swapping, a process stopped) gives way to one process after ten minutes and
# five times what a share of this size takes on a slow day (igraph: some 2e-8 s per vertex × edge on one core).
SHARE_TIMEOUT_SECONDS = 600
SHARE_SECONDS_PER_WORK = 1e-7


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
    timeout = SHARE_TIMEOUT_SECONDS + n * g.ecount() * SHARE_SECONDS_PER_WORK
    with ExitStack() as stack:
        # Interleaved shares (every processes-th actor), so that each has actors of every kind and they finish
        # together. Each is started inside the stack, so that one that cannot start stops those started before it.
        shares = [start_share(stack, n, first, processes) for first in range(processes)]
        # Every process gets its edges before any answer is awaited, so that they all compute at once.
        for share in shares:
            share.send(edges)
        parts = [share.figures(timeout) for share in shares]
    return [sum(values) for values in zip(*parts, strict=True)]


@dataclass
class Share:
    """One process computing one share. Its answer and its errors go to files, not pipes: a pipe that fills while
    another is read would stop both sides."""

    process: subprocess.Popen
    output: IO[bytes]
    errors: IO[bytes]
    n: int

    def send(self, edges: bytes) -> None:
        try:
            self.process.stdin.write(edges)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # the process ended before it read them: its exit status and errors say why

    def figures(self, timeout: float) -> array:
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise ShareFailed(f"a share took more than {timeout:.0f} s") from error
        if status != 0:
            self.errors.seek(0)
            lines = self.errors.read().decode(errors="replace").strip().splitlines()
            raise ShareFailed(lines[-1] if lines else f"exit status {status}")
        self.output.seek(0)
        answer = self.output.read()
        figures = array("d")
        figures.frombytes(answer[: len(answer) - len(answer) % figures.itemsize])
        if len(figures) != self.n:
            raise ShareFailed(f"a share gave {len(figures)} figures for {self.n} actors")
        return figures


def start_share(stack: ExitStack, n: int, first: int, step: int) -> Share:
    # Both closed by the stack, after the process is stopped.
    output = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
    errors = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
    process = subprocess.Popen(
        [*SHARE_COMMAND, str(n), str(first), str(step)],
        stdin=subprocess.PIPE,
        stdout=output,
        stderr=errors,
        # Started in the project's folder, so that it imports this module, not one the caller's working folder may
        # hold; given only what Python needs of the caller's environment, none of its secrets.
        cwd=PROJECT_ROOT,
        env={name: os.environ[name] for name in SHARE_ENVIRONMENT if name in os.environ},
    )
    stack.callback(stop, process)
    return Share(process, output, errors, n)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    if not process.stdin.closed:
        process.stdin.close()


def betweenness_of_share(n: int, edges: bytes, first: int, step: int) -> array:
    """One process's share: the betweenness counted over the shortest paths that start at actors first, first + step,
    first + 2 × step, …"""
    ends = array("q")
    ends.frombytes(edges)
    graph = igraph.Graph(n=n, edges=list(zip(ends[0::2], ends[1::2], strict=True)))
    return array("d", graph.betweenness(directed=False, sources=range(first, n, step)))


if __name__ == "__main__":
    # Below the web server's processes: a page asked for meanwhile comes before a share of a map in the background.
    os.nice(10)
    count, start, every = (int(value) for value in sys.argv[1:4])
    sys.stdout.buffer.write(betweenness_of_share(count, sys.stdin.buffer.read(), start, every).tobytes())
