"""Betweenness of a large network shared out over several processes: the same exact figure as in one."""

from __future__ import annotations

import logging
import subprocess
import sys

import igraph
import networkx as nx
import pytest

from collaboration.network import betweenness
from collaboration.network.betweenness import raw_betweenness
from collaboration.network.figures import betweenness_centrality
from tests.collaboration.network.builders import actors_of, betweenness_of, network_of_pairs


def a_random_graph() -> igraph.Graph:
    # Several components and an isolated actor, so that shares meet every case of Brandes' sum.
    graph = nx.gnm_random_graph(120, 300, seed=7)
    graph.add_node(120)
    return igraph.Graph(n=graph.number_of_nodes(), edges=list(graph.edges()))


class TestSharedOut:
    @pytest.mark.parametrize("processes", [2, 3])
    def test_the_shares_add_up_to_the_betweenness_of_one_process(self, processes):
        g = a_random_graph()
        shared = raw_betweenness(g, processes=processes, min_work=0)
        assert shared == pytest.approx(g.betweenness(directed=False), rel=1e-12, abs=1e-9)

    def test_a_network_above_the_limit_gets_the_same_figures_as_networkx(self, settings):
        settings.FIGURE_PROCESSES, settings.FIGURE_PROCESSES_ABOVE = 2, 0
        karate = nx.karate_club_graph()
        pairs = [(a + 1, b + 1) for a, b in karate.edges()]
        network = network_of_pairs(pairs, actors=actors_of(names={n + 1: f"Forening {n + 1:02}" for n in karate}))
        assert betweenness_of(network) == pytest.approx(nx.betweenness_centrality(network.graph))

    def test_actors_who_broker_equally_stay_equal_when_it_is_shared_out(self, settings):
        ring = igraph.Graph.Ring(31)  # every actor brokers the same share of the pairs
        settings.FIGURE_PROCESSES, settings.FIGURE_PROCESSES_ABOVE = 3, 0
        shared = betweenness_centrality(ring)
        settings.FIGURE_PROCESSES = 1
        assert shared == betweenness_centrality(ring)
        assert len(set(shared)) == 1

    def test_a_network_below_the_limit_starts_no_process(self, monkeypatch):
        def no_process(*args, **kwargs):
            raise AssertionError("a process was started")

        monkeypatch.setattr(subprocess, "Popen", no_process)
        g = a_random_graph()
        assert raw_betweenness(g, processes=4, min_work=g.vcount() * g.ecount() + 1) == g.betweenness(directed=False)

    def test_one_process_asked_for_starts_none(self, monkeypatch):
        monkeypatch.setattr(subprocess, "Popen", lambda *args, **kwargs: pytest.fail("a process was started"))
        g = a_random_graph()
        assert raw_betweenness(g, processes=1, min_work=0) == g.betweenness(directed=False)


class TestWhenSharingFails:
    def test_no_process_can_start_gives_the_same_figures_from_this_process_and_says_so(self, monkeypatch, caplog):
        def cannot_start(*args, **kwargs):
            raise OSError("Resource temporarily unavailable")

        monkeypatch.setattr(subprocess, "Popen", cannot_start)
        g = a_random_graph()
        figures = shared_out_noting_warnings(g, caplog)
        assert figures == g.betweenness(directed=False)
        assert "could not share it out (Resource temporarily unavailable)" in caplog.text

    def test_a_share_that_fails_gives_the_same_figures_from_this_process(self, monkeypatch, caplog):
        monkeypatch.setattr(betweenness, "SHARE_COMMAND", [sys.executable, "-c", "raise SystemExit('out of memory')"])
        g = a_random_graph()
        figures = shared_out_noting_warnings(g, caplog)
        assert figures == g.betweenness(directed=False)
        assert "could not share it out (out of memory)" in caplog.text

    def test_a_share_that_never_ends_is_stopped_and_this_process_computes_the_figures(self, monkeypatch, caplog):
        monkeypatch.setattr(betweenness, "SHARE_COMMAND", [sys.executable, "-c", "import time; time.sleep(600)"])
        monkeypatch.setattr(betweenness, "SHARE_TIMEOUT_SECONDS", 0.5)
        started = recorded_processes(monkeypatch)
        g = a_random_graph()
        figures = shared_out_noting_warnings(g, caplog)
        assert figures == g.betweenness(directed=False)
        assert "a share took more than" in caplog.text
        assert all(process.poll() is not None for process in started)

    def test_a_share_that_cannot_start_stops_those_started_before_it(self, monkeypatch):
        monkeypatch.setattr(betweenness, "SHARE_COMMAND", [sys.executable, "-c", "import time; time.sleep(600)"])
        started = recorded_processes(monkeypatch, fail_after=1)
        g = a_random_graph()
        assert raw_betweenness(g, processes=3, min_work=0) == g.betweenness(directed=False)
        assert len(started) == 1 and started[0].poll() is not None


def shared_out_noting_warnings(g: igraph.Graph, caplog) -> list[float]:
    with caplog.at_level(logging.WARNING, logger="collaboration.network.betweenness"):
        return raw_betweenness(g, processes=2, min_work=0)


def recorded_processes(monkeypatch, fail_after: int | None = None) -> list[subprocess.Popen]:
    """The share processes started, recorded; with `fail_after`, the next one cannot start (no more processes)."""
    started, popen = [], subprocess.Popen

    def record(*args, **kwargs):
        if fail_after is not None and len(started) == fail_after:
            raise OSError("Resource temporarily unavailable")
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", record)
    return started
