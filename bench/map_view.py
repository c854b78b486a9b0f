"""Server time and transfer size of the map views, written under '## Map view' in bench/RESULTS.md.

Run after bench/figures.py has seeded the bench database: `.venv/bin/python bench/map_view.py`.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samkort.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/samkort-bench.sqlite3")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from reference import raw_reference  # noqa: E402
from results import write_section  # noqa: E402

from centres.models import Centre, Membership, Role  # noqa: E402
from collaboration.maps.pages import clear_cache  # noqa: E402
from collaboration.models import ActorPosition, StoredMap  # noqa: E402

ALL_TIME = {"start": "2020-01-01", "end": "2026-12-31"}
WARM_RUNS = 7
COLD_RUNS = 5


def bench_user(centres: list[Centre]):
    # A user per selection: the map of all of a user's centres is exactly these.
    user, _ = get_user_model().objects.get_or_create(username=f"bench-manager-{len(centres)}")
    for centre in centres:
        Membership.objects.get_or_create(user=user, centre=centre, defaults={"role": Role.MANAGER})
    return user


def timed(client: Client, url: str, params: dict) -> tuple[float, int]:
    began = time.perf_counter()
    response = client.get(url, params)
    seconds = time.perf_counter() - began
    assert response.status_code == 200, response.status_code
    return seconds, len(response.content), response.content


def measure(name: str, url: str, centres: list[Centre], params: dict) -> dict:
    client = Client()
    client.force_login(bench_user(centres))
    ActorPosition.objects.filter(centre__in=centres).delete()
    clear_cache()
    StoredMap.objects.all().delete()
    first, _size, _body = timed(client, url, params)  # lays out and stores every actor's position
    computed = []
    for _ in range(3):
        StoredMap.objects.all().delete()
        clear_cache()
        computed.append(timed(client, url, params)[0])
    colds = []
    for _ in range(COLD_RUNS):
        clear_cache()
        seconds, size, body = timed(client, url, params)
        colds.append(seconds)
    cold = statistics.median(colds)
    warm = statistics.median(timed(client, url, params)[0] for _ in range(WARM_RUNS))
    raw = statistics.median(raw_reference([centre.pk for centre in centres]) for _ in range(3))
    return {
        "name": name,
        "first": first,
        "computed": statistics.median(computed),
        "raw": raw,
        "cold": cold,
        "warm": warm,
        "html": size,
        "html_gz": len(gzip.compress(body)),
    }


def static_size(path: str) -> tuple[int, int]:
    data = (ROOT / "static" / path).read_bytes()
    return len(data), len(gzip.compress(data))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def main() -> None:
    centre = Centre.objects.get(slug="syntetisk-01")
    municipality = list(Centre.objects.filter(slug__startswith="syntetisk-").exclude(slug="syntetisk-01"))
    rows = [
        measure(
            "centre map (300 actors, 3,000 collaborations)",
            reverse("centre_map", args=[centre.slug]),
            [centre],
            ALL_TIME,
        ),
        measure(
            "municipal map (2,000 actors, 20,000 collaborations)", reverse("all_centres_map"), municipality, ALL_TIME
        ),
    ]
    plotly_raw, plotly_gz = static_size("vendor/plotly/plotly-cartesian-3.7.0.min.js")
    own = [static_size(p) for p in ("samkort/samkort.css", "samkort/samkort.js", "samkort/map.js")]
    targets = {"centre": ("< 100 ms", "< 500 ms"), "municipal": ("< 300 ms", "< 2 s")}
    lines = [
        "## Map view",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/map_view.py`, on the machine and"
        " database described above, through Django's test client (the whole view: access check, data version,"
        " network, figures, layout, plotly data, template). Period: all three years.",
        "",
        "- *first*: the very first view of a centre, which lays out and stores every actor's position;",
        "- *computed*: positions stored, nothing remembered or stored (as after a data change): the whole"
        " computation, median of 3; *raw* is the reference measured in the same run: one SQL query for the pairs"
        " of actors, then igraph's degree and betweenness, nothing else;",
        "- *cold*: a process that has not seen the map reads it from the store (maps that took more than"
        " `MAP_STORE_SECONDS`, 50 ms, are stored for every process), as after a restart or in another server"
        f" process (median of {COLD_RUNS}); the page is stored ready to show, its networks stay packed;",
        f"- *warm*: the same map again, served from the in-process cache keyed by the data version (median of "
        f"{WARM_RUNS}).",
        "",
        "| view | first | computed | raw | computed / raw | cold | cold / raw | warm | target warm | target cold |"
        " HTML | HTML gzip |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for row, key in zip(rows, targets, strict=True):
        warm_target, cold_target = targets[key]
        lines.append(
            f"| {row['name']} | {ms(row['first'])} | {ms(row['computed'])} | {ms(row['raw'])} |"
            f" {row['computed'] / row['raw']:.1f}× | {ms(row['cold'])} | {row['cold'] / row['raw']:.2f}× |"
            f" {ms(row['warm'])} | {warm_target} | "
            f"{cold_target} | {kb(row['html'])} | {kb(row['html_gz'])} |"
        )
    lines += [
        "",
        "Where a cold municipal map's time goes (profiled): igraph's betweenness (about 40 %), reading and building",
        "the network (about 35 %), the plotly data and the page (the rest). Python's cyclic garbage collector is",
        "paused while a map is built (`samkort/gcpause.py`): the network's hundreds of thousands of small objects",
        "otherwise set off full collections that free nothing.",
        "",
        "Static files a map page loads (served by the app; WhiteNoise serves the gzip and Brotli files that",
        "`collectstatic` writes in production):",
        "",
        "| file | raw | gzip |",
        "|---|---:|---:|",
        f"| plotly.js, cartesian partial bundle 3.7.0 | {kb(plotly_raw)} | {kb(plotly_gz)} |",
        f"| Samkort's own css and js | {kb(sum(r for r, _ in own))} | {kb(sum(g for _, g in own))} |",
        "| htmx 2 (from django-htmx) | 51 KB | 16 KB |",
        "",
    ]
    section = "\n".join(lines)
    write_section("## Map view", section)
    print(section)


if __name__ == "__main__":
    main()
