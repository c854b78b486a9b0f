"""Benchmark: load a synthetic network and compute its figures, side by side with plain igraph.

Run from the project root: `.venv/bin/python bench/figures.py`. It uses DATABASE_URL from the environment, by
default a throwaway SQLite file (/tmp/samkort-bench.sqlite3) that it migrates and, when it holds no synthetic data
yet, fills with `seed_synthetic`. Prints Markdown tables and writes them to bench/RESULTS.md.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
DEFAULT_DATABASE_URL = "sqlite:////tmp/samkort-bench.sqlite3"
SEED_TODAY = "2026-03-15"
REPEATS = 5
MIN_SECONDS = 0.5
MAX_REPEATS = 100
NETWORKX_CAP_SECONDS = 60
NETWORKX_SAMPLE = 100
TARGET_RATIO = 1.5

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "samkort.settings"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
# Measure as in production: no query log. The key only lets settings load in this process; nothing is signed.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import django  # noqa: E402

django.setup()

import igraph  # noqa: E402
import networkx as nx  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from centres.models import Centre  # noqa: E402
from collaboration.models import Collaboration  # noqa: E402
from collaboration.network import figures as network_figures  # noqa: E402
from collaboration.network import graph as network_graph  # noqa: E402


@dataclass(frozen=True)
class Size:
    name: str
    centres: int
    actors: int
    collaborations: int
    slugs: tuple[str, ...]


# Seeded in this order into an empty database, so the single centre is syntetisk-01 and the municipality the next 20.
SIZES = [
    Size("centre", 1, 300, 3_000, ("syntetisk-01",)),
    Size("municipality", 20, 2_000, 20_000, tuple(f"syntetisk-{n:02d}" for n in range(2, 22))),
]


def main() -> None:
    started = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    prepare_database()
    results = [measure(size) for size in SIZES]
    text = report(results, started, load_before)
    print(text)
    RESULTS.write_text(text + "\n" + map_view_section())
    print(f"\nWrote {RESULTS.relative_to(ROOT)}.")


# ---------------------------------------------------------------------------------------------------------------
# Database


def prepare_database() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    synthetic = Centre.objects.filter(slug__startswith="syntetisk-")
    if not synthetic.exists():
        if Centre.objects.exists():
            sys.exit("The database holds other centres: point DATABASE_URL at an empty, throwaway database.")
        for size in SIZES:
            print(f"Seeding the {size.name} network ...", flush=True)
            call_command(
                "seed_synthetic",
                "--centres",
                str(size.centres),
                "--actors",
                str(size.actors),
                "--collaborations",
                str(size.collaborations),
                "--today",
                SEED_TODAY,
                "--force",
            )
    for size in SIZES:
        found = Collaboration.objects.filter(centre__slug__in=size.slugs).count()
        if found != size.collaborations:
            sys.exit(
                f"The {size.name} network has {found} collaborations, not {size.collaborations}: "
                "delete the benchmark database and run again."
            )


def database_description() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        elif connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            version = connection.vendor
    url = re.sub(r"//([^:@/]+):[^@/]*@", r"//\1:***@", os.environ["DATABASE_URL"])
    return f"{version} (`{url}`)"


# ---------------------------------------------------------------------------------------------------------------
# Measuring


def timed(function: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def median_time(function: Callable[[], object]) -> float:
    """The median of at least REPEATS runs; quick functions run more often (up to MIN_SECONDS) to steady them."""
    times: list[float] = []
    while len(times) < REPEATS or (sum(times) < MIN_SECONDS and len(times) < MAX_REPEATS):
        times.append(timed(function)[0])
    return statistics.median(times)


def side_by_side(ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """Medians of the two run in turn, after a warm-up each, so a busy moment on the machine hits both alike."""
    ours()
    theirs()
    pairs: list[tuple[float, float]] = []
    while len(pairs) < 2 * REPEATS or (sum(a + b for a, b in pairs) < 2 * MIN_SECONDS and len(pairs) < MAX_REPEATS):
        pairs.append((timed(ours)[0], timed(theirs)[0]))
    return statistics.median(a for a, _b in pairs), statistics.median(b for _a, b in pairs)


def seeded_igraph(function: Callable[[], object]) -> Callable[[], object]:
    """Louvain with the same kind of seeded generator as ours, so both sides do comparable work."""

    def run():
        igraph.set_random_number_generator(random.Random(network_figures.COMMUNITY_SEED))
        try:
            return function()
        finally:
            igraph.set_random_number_generator(random)

    return run


def measure(size: Size) -> dict:
    print(f"Measuring the {size.name} network ...", flush=True)
    centre_ids = tuple(Centre.objects.filter(slug__in=size.slugs).order_by("id").values_list("id", flat=True))
    selection = network_graph.Selection(centre_ids=centre_ids)
    connection.ensure_connection()

    load_cold, net = timed(lambda: network_graph.load_network(selection))
    load_warm = median_time(lambda: network_graph.load_network(selection))
    graph = net.graph

    # Plain igraph on the same graph, converted once outside the timing.
    nodes = sorted(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(graph.edges(data="count"))
    g = igraph.Graph(
        n=len(nodes),
        edges=[(index[a], index[b]) for a, b, _count in edges],
        edge_attrs={"count": [count for _a, _b, count in edges]},
    )
    igraph_parts = {
        "degree": lambda: g.degree(),
        "weighted degree": lambda: g.strength(weights="count"),
        "betweenness": lambda: g.betweenness(directed=False),
        "communities": seeded_igraph(lambda: g.community_multilevel(weights="count")),
        "density": lambda: g.density(),
        "components": lambda: g.connected_components(),
    }

    def all_igraph():
        for part in igraph_parts.values():
            part()

    figures, igraph_total = side_by_side(lambda: network_figures.compute_figures(net), all_igraph)

    # The same figures as computed inside compute_figures, one by one, to show where the time goes.
    ours_g, ours_nodes = network_graph.to_igraph(graph)
    our_parts = {
        "conversion to igraph (done when the graph is loaded)": lambda: network_graph.to_igraph(graph),
        "degree": lambda: ours_g.degree(),
        "weighted degree": lambda: ours_g.strength(weights="count"),
        "betweenness": lambda: network_figures.betweenness_centrality(ours_g),
        "communities": lambda: network_figures.community_of(graph, ours_g, ours_nodes),
        "density": lambda: ours_g.density(),
        "components": lambda: ours_g.connected_components(),
        "rest (E-I and its random mix, forms)": lambda: (
            network_figures.ei_index(ours_g),
            network_figures.expected_ei_index(ours_g),
            network_figures.form_shares(ours_g),
        ),
    }
    parts = {
        name: (median_time(ours), median_time(igraph_parts[name]) if name in igraph_parts else None)
        for name, ours in our_parts.items()
    }
    nx_seconds, nx_capped = networkx_betweenness(graph)
    return {
        "size": size,
        "actors": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "load_cold": load_cold,
        "load_warm": load_warm,
        "figures": figures,
        "igraph": igraph_total,
        "parts": parts,
        "nx_betweenness": nx_seconds,
        "nx_capped": nx_capped,
    }


def _networkx_betweenness(graph: nx.Graph) -> None:
    nx.betweenness_centrality(graph)


def networkx_betweenness(graph: nx.Graph) -> tuple[float, bool]:
    """networkx's own betweenness, in a child process stopped after NETWORKX_CAP_SECONDS.

    When stopped, the time is estimated from a sample of NETWORKX_SAMPLE source nodes, scaled to all nodes.
    """
    process = multiprocessing.get_context("fork").Process(target=_networkx_betweenness, args=(graph,))
    began = time.perf_counter()
    process.start()
    process.join(NETWORKX_CAP_SECONDS)
    seconds = time.perf_counter() - began
    if not process.is_alive():
        return seconds, False
    process.terminate()
    process.join()
    k = min(NETWORKX_SAMPLE, graph.number_of_nodes())
    sample, _ = timed(lambda: nx.betweenness_centrality(graph, k=k, seed=1))
    return sample * graph.number_of_nodes() / k, True


# ---------------------------------------------------------------------------------------------------------------
# Report


def ms(seconds: float) -> str:
    if seconds >= 0.1:
        return f"{seconds * 1000:,.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1_000_000:,.0f} µs" if seconds >= 0.000_001 else "< 1 µs"


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return [
        f"- CPU: {cpu.group(1).strip() if cpu else platform.processor() or 'unknown'}, {os.cpu_count()} logical cores",
        f"- RAM: {int(memory.group(1)) / 1024**2:.1f} GiB" if memory else "- RAM: unknown",
        f"- OS: {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, networkx {nx.__version__}, "
        f"igraph {igraph.__version__}",
        f"- Database: {database_description()}",
    ]


def report(results: list[dict], started: datetime.datetime, load_before: tuple[float, float, float]) -> str:
    load_after = os.getloadavg()
    command = ".venv/bin/python bench/figures.py"
    if os.environ["DATABASE_URL"] != DEFAULT_DATABASE_URL:
        command = f"DATABASE_URL={database_description().split('`')[1]} {command}"
    lines = [
        "# Benchmark: network figures",
        "",
        f"Measured {started:%Y-%m-%d %H:%M %Z} with `{command}`.",
        "",
        *machine(),
        f"- Load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        "(other work on the machine makes the numbers noisier)",
        "",
        "Synthetic data from `manage.py seed_synthetic` (seed 1, three years before "
        f"{SEED_TODAY}); each network is every collaboration of its centres, with no period or filter. "
        f"Warm times and figure times are the median of at least {REPEATS} runs (quick ones are repeated for "
        f"{MIN_SECONDS} s).",
        "",
        "## Figures",
        "",
        f"Target from the issue: `compute_figures` within {TARGET_RATIO}x of plain igraph computing the same figures "
        "(degree, strength with count weights, betweenness, Louvain communities, density, connected components) on "
        "the same graph, converted to igraph once outside the timing. `compute_figures` also works out the E-I "
        "index and its random mix, form shares, modularity and disconnected actors, which the igraph side does not. "
        f"The two sides run in turn, at least {2 * REPEATS} times each; the table gives the medians.",
        "",
        "| network | centres | collaborations | actors | ties | load_network cold | load_network warm "
        "| compute_figures | igraph, same figures | ours / igraph | target ≤ 1.5x |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        size, ratio = r["size"], r["figures"] / r["igraph"]
        lines.append(
            f"| {size.name} | {size.centres} | {size.collaborations:,} | {r['actors']:,} | {r['ties']:,} "
            f"| {ms(r['load_cold'])} | {ms(r['load_warm'])} | {ms(r['figures'])} | {ms(r['igraph'])} "
            f"| {ratio:.1f}x | {'met' if ratio <= TARGET_RATIO else 'not met'} |"
        )
    lines += [
        "",
        "### Where the time goes",
        "",
        "Each figure as `collaboration/network/` computes it (on the networkx graph, converting to igraph where "
        "it uses igraph) next to the igraph call alone.",
        "",
        "| figure | " + " | ".join(f"ours, {r['size'].name} | igraph, {r['size'].name}" for r in results) + " |",
        "|---|" + "---:|---:|" * len(results),
    ]
    for name in results[0]["parts"]:
        cells = []
        for r in results:
            ours, theirs = r["parts"][name]
            cells += [ms(ours), ms(theirs) if theirs is not None else "–"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### networkx's own betweenness, for contrast",
        "",
        f"`networkx.betweenness_centrality` on the same graph, stopped after {NETWORKX_CAP_SECONDS} s; a stopped "
        f"run is estimated from {NETWORKX_SAMPLE} sampled source nodes, scaled to all nodes.",
        "",
        "| network | networkx betweenness | igraph betweenness | networkx / igraph |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        igraph_betweenness = r["parts"]["betweenness"][1]
        seconds = f"{r['nx_betweenness']:.1f} s" + (" (estimate; stopped at the cap)" if r["nx_capped"] else "")
        lines.append(
            f"| {r['size'].name} | {seconds} | {ms(igraph_betweenness)} "
            f"| {r['nx_betweenness'] / igraph_betweenness:,.0f}x |"
        )
    return "\n".join(lines) + "\n"


def map_view_section() -> str:
    """Keep whatever someone has written under '## Map view'; a placeholder until then."""
    if RESULTS.exists():
        existing = RESULTS.read_text()
        match = re.search(r"^## Map view\b.*", existing, re.M | re.S)
        if match:
            return match.group(0).rstrip() + "\n"
    return "## Map view\n\nto be measured\n"


if __name__ == "__main__":
    main()
