"""`make serve`, as the README documents it, behind a simulated TLS proxy: a real gunicorn, DEBUG off, a log-in and a
logged collaboration over real HTTP."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.test_production import PRODUCTION, TEST_ONLY_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
HOST = "samkort.kommune.example"
# What the proxy adds to every request it passes on.
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}

SETUP = """
from centres.models import Actor, Centre, Membership
from django.contrib.auth import get_user_model
centre = Centre.objects.create(name="Kvarterhuset", slug="kvarterhuset", kind="housing_area", municipality="Slagelse")
user = get_user_model().objects.create_user("medarbejder", password="hemmeligt-kodeord-42")
Membership.objects.create(user=user, centre=centre, role="staff")
for name in ("Jobcenter Slagelse", "Café Sumak"):
    Actor.objects.create(name=name, category="association")
"""
COUNT = "from collaboration.models import Collaboration; print(Collaboration.objects.count())"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies kept, headers of the proxy added."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(PROXY_HEADERS) | ({"HX-Request": "true"} if htmx else {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies |= {key: morsel.value for key, morsel in cookie.items()}
        return response

    def token(self) -> str:
        return self.cookies["csrftoken"]


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    env |= PRODUCTION | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'samkort.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "check": True, "timeout": 120}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # On a fresh clone collectstatic compresses every static file first, which takes a while on a slow machine.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None:
                raise AssertionError(server.stdout.read().decode())
            time.sleep(0.1)
        yield Browser(port), lambda: subprocess.run([sys.executable, "manage.py", "shell", "-c", COUNT], **run).stdout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_make_serve_runs_the_production_server_and_a_colleague_logs_a_collaboration_through_the_proxy(served):
    browser, collaborations = served

    login = browser.request("GET", "/login/")
    assert login.status == 200
    assert "script-src 'self'" in login.headers["Content-Security-Policy"]
    assert login.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    stylesheet = re.search(r'href="(/static/samkort/samkort\.[0-9a-f]{12}\.css)"', login.text)
    assert stylesheet, "static files are served under hashed names from collectstatic"
    assert browser.request("GET", stylesheet.group(1)).status == 200
    # The manifest of every static file is read by Django from disk, not served.
    assert browser.request("GET", "/static/staticfiles.json").status == 404

    response = browser.request(
        "POST",
        "/login/",
        {"username": "medarbejder", "password": "hemmeligt-kodeord-42", "csrfmiddlewaretoken": browser.token()},
    )
    assert response.status == 302, response.text[:500]
    assert "sessionid" in browser.cookies

    form = browser.request("GET", "/centres/kvarterhuset/collaborations/new/")
    assert form.status == 200
    assert "no-store" in form.headers["Cache-Control"]
    # The actor search, as the log form uses it, finds both actors.
    first, second = (
        re.search(
            r'"add_actor": "(\d+)"', browser.request("GET", f"/centres/kvarterhuset/log/actors/?q={q}", htmx=True).text
        )
        for q in ("Slagelse", "Sumak")
    )
    data = {
        "csrfmiddlewaretoken": browser.token(),
        "form": "1",
        "title": "Fælles nyhedsbrev",
        "participants": [first.group(1), second.group(1)],
        f"role-{first.group(1)}": "participant",
        f"role-{second.group(1)}": "participant",
        "started_on": "2026-10-01",
        "frequency": "monthly",
        "level": "organisational",
        "citizens_part": "not_involved",
    }
    response = browser.request("POST", "/centres/kvarterhuset/collaborations/new/", data)
    assert response.status == 302, response.text[:1000]
    assert collaborations().strip().splitlines()[-1] == "1"

    # DEBUG is off: an unknown address gets Samkort's own page, not Django's debug page.
    missing = browser.request("GET", "/centres/findes-ikke/")
    assert missing.status == 404 and "Siden findes ikke" in missing.text and "URLconf" not in missing.text
