"""Load on the production server: N users for T seconds against `make serve` on PostgreSQL, over loopback.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers N] [--largest DATABASE]

It makes a fresh database (samkort_load), loads the demo, starts `make serve` with the production settings, logs
each user in, and lets every user fetch pages one after another with no pause (a closed loop: the most the server
gives). With --largest it uses an existing database seeded at the largest size instead (see bench/stored_maps.py):
each user is a coordinator of every centre and works in one of them, a worker (`make worker`) runs beside the
server, and the map of all centres is stored by it before the clock starts. Then the same users fetch the health
check alone, a trivial view, to show what the machine does with no work behind a page. Requests per second,
p50/p95/p99 per page and every error are printed as Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "samkort_load"
HOST = "samkort.kommune.example"
# What the TLS proxy in front adds to every request.
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
USERS = [("tovholder", "motalavej"), ("medarbejder", "hedemarken"), ("leder", "foreningernes-hus")]
# The pages a working day is made of, by how often they are asked for.
PAGES = [
    ("centre page", "/centres/{slug}/", 10),
    ("collaboration list", "/centres/{slug}/collaborations/", 15),
    ("list, filtered", "/centres/{slug}/collaborations/?form=4&start=2026-01-01", 8),
    ("collaboration", "/centres/{slug}/collaborations/{collaboration}/", 12),
    ("map page", "/centres/{slug}/map/", 12),
    ("map charts", "/centres/{slug}/map/charts/", 8),
    ("actor panel", "/centres/{slug}/map/actors/{actor}/", 8),
    ("overview", "/centres/{slug}/overview/", 10),
    ("actor page", "/actors/{actor}/", 7),
    ("map of all centres", "/map/", 5),
    ("definitions", "/map/definitions/", 5),
]
# Parts of the map page that htmx asks for, as the browser does (a plain request for one leads to the map page).
FRAGMENTS = {"map charts", "actor panel"}


def production_env(port: int, workers: int | None, database: str = DATABASE) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    # The documented production variables, as behind the TLS proxy; the client below adds the proxy's headers.
    env |= {
        "SECRET_KEY": "load-test-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "TRUST_X_FORWARDED_PROTO": "true",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CONN_MAX_AGE": "60",
        "BIND": f"127.0.0.1:{port}",
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def prepare_database(env: dict[str, str]) -> None:
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run([PYTHON, "manage.py", "load_demo"], **run, stdout=subprocess.DEVNULL)


LARGEST_USER = "belastning"
ADD_LARGEST_USER = f"""
from django.contrib.auth import get_user_model
from centres.models import Centre, Membership, Role
user, _ = get_user_model().objects.get_or_create(username="{LARGEST_USER}")
user.set_password("samkort-demo")
user.save()
for centre in Centre.objects.all():
    Membership.objects.update_or_create(user=user, centre=centre, defaults={{"role": Role.COORDINATOR}})
print(" ".join(Centre.objects.order_by("slug").values_list("slug", flat=True)))
"""


def prepare_largest(env: dict[str, str]) -> list[tuple[str, str]]:
    """The user every simulated person logs in as, coordinator of every centre; one centre per person."""
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    slugs = subprocess.run([PYTHON, "manage.py", "shell", "-v", "0", "-c", ADD_LARGEST_USER], **run).stdout.split()
    return [(LARGEST_USER, slug) for slug in slugs]


def store_the_map_of_all_centres(port: int, user: tuple[str, str]) -> float:
    """Ask for the map of all centres and wait until the worker has stored it: the seconds it took."""
    visitor = User(port, *user)
    visitor.log_in()
    began = time.monotonic()
    while time.monotonic() - began < 600:
        status, text = visitor.fetch("GET", "/map/")
        if status == 200 and 'id="map-data"' in text:
            return time.monotonic() - began
        time.sleep(3)
    raise RuntimeError("the map of all centres was not stored within 10 minutes")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class User:
    def __init__(self, port: int, username: str, slug: str) -> None:
        self.port, self.username, self.slug = port, username, slug
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def fetch(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str]:
        headers = dict(PROXY_HEADERS) | ({"HX-Request": "true"} if htmx else {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"}
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection that the server closed while idle (after its keep-alive time, or as
                # gunicorn replaces a worker): like a browser, send the request again once on a new connection,
                # and count it.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.reconnects += 1
                if attempt == 2:
                    raise
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                raise
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies |= {key: morsel.value for key, morsel in SimpleCookie(header).items()}
        return response.status, text

    def log_in(self) -> None:
        self.fetch("GET", "/login/")
        data = {"username": self.username, "password": "samkort-demo", "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        status, _text = self.fetch("POST", "/login/", data)
        if status != 302:
            raise RuntimeError(f"{self.username} could not log in ({status})")

    def objects(self) -> dict[str, str]:
        """A collaboration and an actor of the user's centre, for the addresses that need them."""
        _status, listing = self.fetch("GET", f"/centres/{self.slug}/collaborations/")
        _status, page = self.fetch("GET", f"/centres/{self.slug}/map/")
        return {
            "collaboration": re.search(rf"/centres/{self.slug}/collaborations/(\d+)/", listing).group(1),
            "actor": re.search(r"/map/actors/([1-9][0-9]*)/", page).group(1),
        }


def run_load(
    port: int,
    users: int,
    seconds: float,
    pages: list[tuple[str, str, int]],
    people: list[tuple[str, str]] = USERS,
    think: float = 0.0,
) -> tuple[dict, list, float]:
    """Every user fetches pages one after another; with `think`, each waits between 0 and twice that many seconds
    after a page, as a person reads it (an open loop: the server is not kept saturated)."""
    timings: dict[str, list[float]] = defaultdict(list)
    # (seconds into the run, seconds it took) of every request, for the course of the run over time.
    timeline: list[tuple[float, float]] = []
    errors: list[str] = []
    reconnects = [0]
    lock = threading.Lock()
    logged_in = threading.Barrier(users + 1)
    go = threading.Event()
    deadline = [0.0]

    def work(number: int) -> None:
        username, slug = people[number % len(people)]
        user = User(port, username, slug)
        try:
            user.log_in()
            values = {"slug": slug} | user.objects()
        except Exception:
            logged_in.abort()  # the run stops at once instead of waiting for this user forever
            raise
        rng = random.Random(number)
        names, paths, weights = zip(*pages, strict=True)
        logged_in.wait()
        go.wait()
        while time.monotonic() < deadline[0]:
            index = rng.choices(range(len(names)), weights=weights)[0]
            path = paths[index].format(**values)
            began = time.monotonic()
            try:
                status, _text = user.fetch("GET", path, htmx=names[index] in FRAGMENTS)
                problem = None if status == 200 else f"{names[index]}: HTTP {status}"
            except (http.client.HTTPException, OSError) as error:
                problem = f"{names[index]}: {type(error).__name__}"
            took = time.monotonic() - began
            with lock:
                timings[names[index]].append(took)
                timeline.append((began - deadline[0] + seconds, took))
                if problem:
                    errors.append(problem)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        with lock:
            reconnects[0] += user.reconnects

    threads = [threading.Thread(target=work, args=(number,), daemon=True) for number in range(users)]
    for thread in threads:
        thread.start()
    logged_in.wait()
    began = time.monotonic()
    deadline[0] = began + seconds
    go.set()
    for thread in threads:
        thread.join()
    print(f"(requests sent again on a fresh connection after an idle keep-alive was closed: {reconnects[0]})")
    print(course_of_the_run(timeline, seconds))
    return timings, errors, time.monotonic() - began


def course_of_the_run(timeline: list[tuple[float, float]], seconds: float, window: float = 10) -> str:
    """Requests and p95 per window of the run: the first windows are the server's processes filling their memory."""
    lines = ["| seconds into the run | requests | p50 | p95 |", "|---|---:|---:|---:|"]
    start = 0.0
    while start < seconds:
        took = [t for at, t in timeline if start <= at < start + window]
        if took:
            lines.append(
                f"| {start:.0f}–{start + window:.0f} | {len(took)} | {percentile(took, 0.5) * 1000:.0f} ms |"
                f" {percentile(took, 0.95) * 1000:.0f} ms |"
            )
        start += window
    return "\n".join(lines)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(title: str, timings: dict, errors: list, elapsed: float) -> str:
    total = sum(len(values) for values in timings.values())
    lines = [
        f"**{title}**: {total} requests in {elapsed:.0f} s = **{total / elapsed:.1f} requests/s**, "
        f"{len(errors)} errors.",
        "",
        "| page | requests | p50 | p95 | p99 |",
        "|---|---:|---:|---:|---:|",
    ]
    everything = [value for values in timings.values() for value in values]
    for name, values in sorted(timings.items(), key=lambda item: -statistics.median(item[1])):
        lines.append(
            f"| {name} | {len(values)} | {percentile(values, 0.5) * 1000:.0f} ms | "
            f"{percentile(values, 0.95) * 1000:.0f} ms | {percentile(values, 0.99) * 1000:.0f} ms |"
        )
    lines.append(
        f"| **all** | {len(everything)} | {percentile(everything, 0.5) * 1000:.0f} ms | "
        f"{percentile(everything, 0.95) * 1000:.0f} ms | {percentile(everything, 0.99) * 1000:.0f} ms |"
    )
    if errors:
        lines += ["", "Errors: " + ", ".join(sorted(set(errors)))]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 × cores + 1)")
    parser.add_argument("--largest", metavar="DATABASE", help="an existing database seeded at the largest size")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a user reads a page (default: none)")
    args = parser.parse_args()
    port = free_port()
    env = production_env(port, args.workers, args.largest or DATABASE)
    if args.largest:
        people = prepare_largest(env)
    else:
        prepare_database(env)
        people = USERS
    background = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    server = subprocess.Popen(["make", "--no-print-directory", "serve"], **background, start_new_session=True)
    worker = subprocess.Popen(["make", "--no-print-directory", "worker"], **background, start_new_session=True)
    try:
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        workers = env.get("WEB_CONCURRENCY", f"{os.cpu_count() * 2 + 1} (default)")
        data = f"the database {args.largest}" if args.largest else "the demo"
        print(
            f"gunicorn, {workers} workers × 4 threads, PostgreSQL, {data}; {args.users} users, {args.seconds:.0f} s\n"
        )
        if args.largest:
            waited = store_the_map_of_all_centres(port, people[0])
            print(f"The map of all centres stored by the worker (or found stored) after {waited:.0f} s\n")
        if args.think:
            print(f"Each user reads a page for {args.think:.0f} s on average (0 to {2 * args.think:.0f} s)\n")
        timings, errors, elapsed = run_load(port, args.users, args.seconds, PAGES, people, args.think)
        print(report("Pages", timings, errors, elapsed))
        print()
        trivial = [("health check (trivial view)", "/health/", 1)]
        timings, errors, elapsed = run_load(port, args.users, min(args.seconds, 20), trivial, people)
        print(report("A trivial view in the same setting", timings, errors, elapsed))
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
