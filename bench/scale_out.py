"""Samkort scaled out: two web servers and one worker against one PostgreSQL and one Redis, all on loopback.

    .venv/bin/python bench/scale_out.py            # CI runs it as it is: small data, a minute or two

It starts two gunicorn servers in production mode (ports 8101 and 8102) and one worker (`manage.py run_worker`) on a
database of its own, then checks, as a user in a browser would see it:

1. a collaboration logged through the first server shows on the map served by the second at once;
2. a report asked for on the first server is made by the worker and downloaded from the second;
3. a worker killed while it makes a report loses nothing: the worker started after it makes it at once, seeing that
   the process named in the task has ended (TASK_STALE_MINUTES as in production, 30);
4. an import uploaded on the first server is read for its preview by the worker, previewed and confirmed on the
   second, and written by the worker, from the upload folder they share; its collaboration is on the map at once.

Exits with status 1, saying which check failed, when one does.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "samkort_scale_out"
PG = "postgres://postgres@127.0.0.1:5432"
PORTS = (8101, 8102)
PASSWORD = "skala-ud-kodeord-2026"
ENV = os.environ | {
    "DEBUG": "false",
    "SECRET_KEY": "scale-out-check-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": f"{PG}/{DATABASE}",
    "REDIS_URL": os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14"),
    "CACHE_KEY_PREFIX": f"scale-out-{uuid.uuid4().hex[:8]}",
    "TASKS_BACKEND": "database",
    # Every report goes to the worker; plain HTTP on loopback, so cookies without Secure.
    "REPORT_BACKGROUND_COLLABORATIONS": "0",
    "IMPORT_BACKGROUND_ROWS": "0",
    "IMPORT_PREVIEW_BACKGROUND_BYTES": "0",
    "IMPORT_DIR": tempfile.mkdtemp(prefix="samkort-scale-out-imports-"),
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "WEB_CONCURRENCY": "1",
    "LOG_LEVEL": "WARNING",
}


def manage(*args: str, check: bool = True) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=check
    ).stdout


def set_up_database() -> dict:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("seed_synthetic", "--centres", "2", "--actors", "60", "--collaborations", "1500", "--force")
    # A coordinator of both centres, and two actors of the first centre with no tie yet.
    output = manage(
        "shell",
        "-c",
        f"""
from django.contrib.auth import get_user_model
from centres.models import Actor, Centre, Membership, Role
from collaboration.network.graph import Selection, load_network
user = get_user_model().objects.create_user("skalering", password="{PASSWORD}")
for centre in Centre.objects.all():
    Membership.objects.create(user=user, centre=centre, role=Role.COORDINATOR)
centre = Centre.objects.order_by("pk").first()
graph = load_network(Selection(centre_ids=(centre.pk,))).graph
actors = sorted(graph)
a, b = next((a, b) for a in actors for b in actors if a < b and not graph.has_edge(a, b))
print("RESULT", centre.slug, centre.pk, a, b)
""",
    )
    slug, centre_pk, a, b = re.search(r"RESULT (\S+) (\d+) (\d+) (\d+)", output).groups()
    return {"slug": slug, "centre": centre_pk, "actors": (a, b)}


def start(*command: str) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_server(port: int) -> subprocess.Popen:
    return start(
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "samkort.wsgi:application",
        "--config",
        "samkort/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
    )


def start_worker() -> subprocess.Popen:
    return start(PYTHON, "manage.py", "run_worker")


class Browser:
    """One user's browser: a cookie jar shared by both servers (the session is in the database)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects())

    def get(self, port: int, path: str) -> tuple[int, str, dict]:
        return self.send(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port: int, path: str, data: dict) -> tuple[int, str, dict]:
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": token}, doseq=True).encode()
        return self.send(urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body))

    def post_files(self, port: int, path: str, files: dict[str, bytes]) -> tuple[int, str, dict]:
        """A form of files, as a browser sends it (multipart/form-data)."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        boundary = secrets.token_hex(16)
        body = f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode()
        for name, content in files.items():
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                    "Content-Type: text/csv\r\n\r\n"
                ).encode()
                + content
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        return self.send(request)

    def send(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def get_bytes(self, port: int, path: str) -> bytes:
        with self.opener.open(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return response.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The server on port {port} did not start.")


def ties_on_map(browser: Browser, port: int, slug: str) -> int:
    status, page, _headers = browser.get(port, f"/centres/{slug}/map/?start=2020-01-01&end=2030-12-31")
    assert status == 200, status
    return int(re.search(r"Bånd</dt>\s*<dd>(\d+)", page).group(1))


def log_collaboration(browser: Browser, port: int, slug: str, actors: tuple[str, str]) -> None:
    status, page, _headers = browser.get(port, f"/centres/{slug}/collaborations/new/")
    submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    data = {
        "submission": submission,
        "form": "4",
        "title": "Skaleringstest: fælles indsats",
        "participants": list(actors),
        "started_on": "2026-10-01",
        "frequency": "once",
        "level": "organisational",
        "citizens_part": "not_involved",
    } | {f"role-{actor}": "participant" for actor in actors}
    status, page, headers = browser.post(port, f"/centres/{slug}/collaborations/new/", data)
    assert status == 302, f"logging answered {status}: {re.findall(r'class=.error.[^>]*>([^<]+)', page)[:3]}"


def ask_for_report(browser: Browser, port: int, centre: str, file_format: str) -> str:
    query = urllib.parse.urlencode({"centres": centre, "start": "2020-01-01", "end": "2030-12-31"})
    status, _page, headers = browser.get(port, f"/reports/download/{file_format}/?{query}")
    assert status == 302, f"the report answered {status}"
    return headers["Location"]


def wait_for_file(browser: Browser, port: int, page_path: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, page, _headers = browser.get(port, page_path)
        if "report_prepared_file" in page or "/file/" in page:
            return re.search(r'href="(/reports/prepared/[^"]+/file/)"', page).group(1)
        assert "kunne ikke laves" not in page, "the worker could not make the report"
        time.sleep(0.5)
    raise AssertionError(f"no file after {seconds} s")


IMPORTED_FILES = {
    "aktører.csv": "Navn;Type\r\nSkaleringsforeningen;Forening\r\nSkaleringsklubben;Forening\r\n".encode("cp1252"),
    "samarbejder.csv": (
        "From;To;Type;Label;From date\r\n"
        "Skaleringsforeningen;Skaleringsklubben;Samordne;Importeret af en worker;01.10.2026\r\n"
    ).encode("cp1252"),
}


def import_through_the_worker(browser: Browser, upload_port: int, confirm_port: int, slug: str) -> str:
    """Upload on one server, whose page waits for the worker to read the file; the preview on the other, confirmed
    there; the import's page on the first once the worker has written it."""
    status, _page, headers = browser.post_files(upload_port, f"/centres/{slug}/import/", IMPORTED_FILES)
    assert status == 302, f"the upload answered {status}"
    preview = headers["Location"]
    status, page, _headers = browser.get(upload_port, preview)
    assert status == 200 and "Samkort læser filen" in page, f"the waiting page answered {status}"
    page = wait_for(lambda: browser.get(confirm_port, preview)[1], "<strong>1</strong> nyt samarbejde", "the preview")
    ticket = re.search(r'name="ticket" value="([^"]+)"', page).group(1)
    status, _page, headers = browser.post(confirm_port, f"/centres/{slug}/import/confirm/", {"ticket": ticket})
    assert status == 302, f"the confirmation answered {status}"
    assert re.fullmatch(r"/centres/[^/]+/import/[0-9a-f-]{36}/", headers["Location"]), headers["Location"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, page, _headers = browser.get(upload_port, headers["Location"])
        if "Importeret fra aktører.csv, samarbejder.csv" in page:
            return re.search(r"Importeret fra [^<]+", page).group(0)
        assert "Importen mislykkedes" not in page, "the worker could not write the import"
        time.sleep(0.5)
    raise AssertionError("the import was not written within 120 s")


def wait_for(fetch, text: str, what: str, seconds: float = 60) -> str:
    """The page once it holds the text, asked every half second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in (page := fetch()):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{what} did not come within {seconds:.0f} s")


def report_status(report_path: str) -> str:
    """The prepared report's status, read straight from PostgreSQL (fast enough to catch the worker at work)."""
    report_id = report_path.rstrip("/").rsplit("/", 1)[-1]
    query = f"SELECT status FROM collaboration_preparedreport WHERE id = '{uuid.UUID(report_id)}'"
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-tAc", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def main() -> int:
    data = set_up_database()
    processes = [start_server(port) for port in PORTS]
    worker = start_worker()
    try:
        for port in PORTS:
            wait_until_up(port)
        first, second = PORTS
        browser = Browser()
        browser.get(first, "/login/")
        status, _page, _headers = browser.post(first, "/login/", {"username": "skalering", "password": PASSWORD})
        assert status == 302, f"logging in answered {status}"

        before = ties_on_map(browser, second, data["slug"])
        log_collaboration(browser, first, data["slug"], data["actors"])
        after = ties_on_map(browser, second, data["slug"])
        assert after == before + 1, f"the second server's map has {after} ties, not {before + 1}"
        print(f"1. logged on :{first}, on the map of :{second} at once: {before} -> {after} ties")

        page_path = ask_for_report(browser, first, data["centre"], "xlsx")
        file_path = wait_for_file(browser, second, page_path)
        content = browser.get_bytes(second, file_path)
        assert content[:2] == b"PK", "the file is not a workbook"
        print(f"2. report asked on :{first}, made by the worker, downloaded from :{second}: {len(content):,} bytes")

        page_path = ask_for_report(browser, first, data["centre"], "pdf")
        killed_while = ""
        for _ in range(2000):
            killed_while = report_status(page_path)
            if killed_while in ("reading", "writing", "ready"):
                break
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = start_worker()
        file_path = wait_for_file(browser, second, page_path)
        content = browser.get_bytes(second, file_path)
        assert content[:4] == b"%PDF", "the file is not a PDF"
        assert killed_while in ("reading", "writing"), f"the worker was not caught at work ({killed_while})"
        print(f"3. worker killed while '{killed_while}'; the next worker made the report: {len(content):,} bytes")

        before = ties_on_map(browser, second, data["slug"])
        outcome = import_through_the_worker(browser, first, second, data["slug"])
        after = ties_on_map(browser, second, data["slug"])
        assert after == before + 1, f"after the import the map has {after} ties, not {before + 1}"
        print(
            f"4. uploaded on :{first}, read by the worker, previewed and confirmed on :{second}, written by the worker:"
            f" {outcome} ({after} ties)"
        )
        return 0
    finally:
        for process in [*processes, worker]:
            process.send_signal(signal.SIGTERM)
        for process in [*processes, worker]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(ENV["IMPORT_DIR"], ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
