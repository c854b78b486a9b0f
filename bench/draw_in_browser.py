"""The map in Chromium: how soon it is drawn, how many DOM nodes it makes, and whether filter changes grow the
page's memory. Written under '## The map in the browser' in RESULTS.md.

    .venv/bin/python bench/draw_in_browser.py

Uses the database bench/figures.py seeded (SQLite; its centre of 300 actors and its 20 centres of 2,000), served as
`make serve` serves (gunicorn with its config, DEBUG off, WhiteNoise's compressed static files) over plain HTTP on
loopback, and Chromium from /usr/bin/chromium. The reference is a
plain page that draws the same plotly data with the same plotly.js and nothing else, from the same server.
"""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import free_port  # noqa: E402
from results import write_section  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:////tmp/samkort-bench.sqlite3")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUNS = 15
SWAPS = 10
PERIOD = "start=2020-01-01&end=2026-12-31"
# Two bench users, made before the server starts: one of the centre of 300 actors, one of the other 20 centres (the
# map of all of a user's centres is then the municipal map).
ADD_USERS = """
from django.contrib.auth import get_user_model
from centres.models import Centre, Membership, Role
centres = list(Centre.objects.filter(slug__startswith="syntetisk-").order_by("slug"))
for username, theirs in (("tegnetid", centres[:1]), ("tegnetid-kommune", centres[1:])):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password("samkort-demo")
    user.save()
    user.memberships.exclude(centre__in=theirs).delete()
    for centre in theirs:
        Membership.objects.update_or_create(user=user, centre=centre, defaults={"role": Role.COORDINATOR})
print(centres[0].slug)
"""

# The page says the map is drawn when plotly has drawn the actors' markers.
DRAWN = "document.querySelector('#network-map .scatterlayer .point') !== null"
REFERENCE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>plotly alone</title></head><body>
<div id="plot" style="width:100%;height:640px"></div>
<script src="/static/vendor/plotly/plotly-cartesian-3.7.0.min.js"></script>
<script id="data" type="application/json">{data}</script>
<script>const f = JSON.parse(document.getElementById('data').textContent);
Plotly.react('plot', f.data, f.layout, {{responsive: true}});</script></body></html>"""


def server_env(port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    return env | {
        "SECRET_KEY": "draw-bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "BIND": f"127.0.0.1:{port}",
        # Plain HTTP on loopback: no TLS proxy in front here.
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
    }


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [gunicorn, "samkort.wsgi:application", "--config", "samkort/gunicorn.conf.py", "--bind", env["BIND"]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "samkort-demo")
    page.click("form:has(input[name=username]) button")
    page.wait_for_load_state("networkidle")


def time_to_drawn(page, url: str, drawn: str) -> float:
    """Milliseconds from the start of navigation to the drawn map (looked for every 16 ms)."""
    page.goto(url, wait_until="commit")
    page.wait_for_function(drawn, polling=16, timeout=120_000)
    return page.evaluate("performance.now()")


def heap_mib(page) -> float:
    page.evaluate("window.gc && window.gc()")
    return page.evaluate("performance.memory.usedJSHeapSize") / 1024 / 1024


def reference_page(html: str) -> str:
    data = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    figure = json.loads(data)
    # What map.js does before drawing: the ties' hovers from their rows.
    names, words = figure.get("names", {}), figure.get("tie_words", {})
    for trace in figure["data"]:
        for a, b, count, forms, first, last in trace.pop("samkort_ties", []):
            labels = ", ".join(words["form_labels"][str(f)] for f in forms)
            trace.setdefault("hovertext", []).append(
                f"<b>{names[str(a)]} – {names[str(b)]}</b><br>{count}<br>{labels}<br>{first} – {last}"
            )
    text = json.dumps({"data": figure["data"], "layout": figure["layout"]}).replace("<", "\\u003C")
    return REFERENCE_PAGE.format(data=text)


def measure(browser, base: str, name: str, path: str, username: str) -> dict:
    # The app's Content-Security-Policy forbids eval, which Playwright's waiting on a condition uses.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    page = context.new_page()
    log_in(page, base, username)
    url = f"{base}{path}?{PERIOD}"
    html = page.request.get(url).text()  # computed and remembered before the clock starts
    # The plain page, served as a file from the same origin's static folder would need writing into the app; a
    # route answers it instead, with the same plotly.js from the server.
    reference = reference_page(html)
    page.route(f"{base}/plotly-alone/", lambda route: route.fulfill(body=reference, content_type="text/html"))
    plain_drawn = "document.querySelector('#plot .scatterlayer .point') !== null"
    # Taken in turns, so that the machine's own ups and downs (large on a shared machine) fall on both alike.
    ours, plain = [], []
    for _ in range(RUNS):
        ours.append(time_to_drawn(page, url, DRAWN))
        nodes = page.evaluate("document.getElementsByTagName('*').length")
        plain.append(time_to_drawn(page, f"{base}/plotly-alone/", plain_drawn))
        plain_nodes = page.evaluate("document.getElementsByTagName('*').length")
    # Memory over filter changes: each redraws the map area through htmx (map.js purges the old plot first).
    page.goto(url)
    page.wait_for_function(DRAWN, polling=16, timeout=120_000)
    before = heap_mib(page)
    for swap in range(SWAPS):
        colour = "category" if swap % 2 == 0 else "sector"
        page.select_option("#map-filters select[name=colour_by]", colour)
        page.wait_for_function(
            "(colour) => new URLSearchParams(location.search).get('colour_by') === colour"
            " && !document.querySelector('.htmx-request')"
            " && document.querySelector('#network-map .scatterlayer .point') !== null",
            arg=colour,
            polling=16,
            timeout=120_000,
        )
        page.wait_for_timeout(200)
    after = heap_mib(page)
    context.close()
    return {
        "name": name,
        "ours": statistics.median(ours),
        "ours_range": (min(ours), max(ours)),
        "plain": statistics.median(plain),
        "nodes": nodes,
        "plain_nodes": plain_nodes,
        "page_kb": len(html.encode()) / 1024,
        "heap_before": before,
        "heap_after": after,
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = server_env(port)
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    first = subprocess.run([PYTHON, "manage.py", "shell", "-v", "0", "-c", ADD_USERS], **run).stdout.split()[-1]
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--enable-precise-memory-info", "--js-flags=--expose-gc"],
            )
            results = [
                measure(
                    browser, base, "centre map (300 actors, 3,000 collaborations)", f"/centres/{first}/map/", "tegnetid"
                ),
                measure(
                    browser,
                    base,
                    "municipal map (20 centres, 2,000 actors, 20,000 collaborations)",
                    "/map/",
                    "tegnetid-kommune",
                ),
            ]
            version = browser.version
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lines = [
        "## The map in the browser",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} with `.venv/bin/python bench/draw_in_browser.py`: Chromium"
        f" {version} (headless, 1440 × 900) on {platform.machine()}, {os.cpu_count()} logical cores, served as `make"
        " serve` serves (gunicorn, DEBUG off, WhiteNoise) on the bench database, over loopback. *Drawn* is the time"
        " from the start of navigation until plotly has drawn the actors (median of"
        f" {RUNS}, the map already computed on the server); *plotly alone* is a page with the same plotly.js and"
        " the same data and nothing else, loaded in turns with ours (one after the other, so that neither has the"
        " browser's compiled plotly.js to itself first, nor a quieter minute of the machine)."
        " *Heap* is Chromium's JavaScript heap after a garbage collection, on"
        f" the loaded map and after {SWAPS} filter changes (colour by category, by sector, …), each of which"
        " htmx swaps in a new map area.",
        "",
        "| map | page | drawn (range) | plotly alone | ours / alone | DOM nodes (alone) | heap | after changes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['page_kb']:,.0f} KB | {r['ours']:,.0f} ms ({r['ours_range'][0]:,.0f}–"
            f"{r['ours_range'][1]:,.0f}) | {r['plain']:,.0f} ms |"
            f" {r['ours'] / r['plain']:.2f}× | {r['nodes']:,} ({r['plain_nodes']:,}) | {r['heap_before']:.1f} MiB |"
            f" {r['heap_after']:.1f} MiB |"
        )
    centre = results[0]
    lines += [
        "",
        f"Target: the centre map drawn within 600 ms ({'met' if centre['ours'] < 600 else 'NOT met'}: "
        f"{centre['ours']:,.0f} ms); memory flat over filter changes"
        f" ({'met' if centre['heap_after'] < centre['heap_before'] * 1.2 + 2 else 'NOT met'} at the centre:"
        f" {centre['heap_before']:.1f} → {centre['heap_after']:.1f} MiB).",
    ]
    section = "\n".join(lines) + "\n"
    write_section("## The map in the browser", section)
    print(section)


if __name__ == "__main__":
    main()
