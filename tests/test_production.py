"""Ready for a municipality's IT review: production defaults, a TLS proxy in front, headers, health, a slow database."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from centres.models import Role
from collaboration.models import Collaboration
from samkort.logfilters import ClientErrorsWithoutTraceback
from tests.factories import collaboration_post, make_actor, make_membership, make_user

ROOT = Path(__file__).resolve().parent.parent
# The production variables the README documents (section "Running in production"), with example values.
PRODUCTION = {
    "SECRET_KEY": "a-long-random-value-for-the-test-only-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "samkort.kommune.example",
    "CSRF_TRUSTED_ORIGINS": "https://samkort.kommune.example",
    "TRUST_X_FORWARDED_PROTO": "true",
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


# What the test run sets for itself, and a production process must not inherit (the browser tests allow Django's
# database calls inside Playwright's event loop; production never does).
TEST_ONLY_VARIABLES = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with exactly these variables: no DEBUG unless given."""
    clean = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "samkort.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_debug_a_missing_secret_key_stops_the_start_with_a_clear_message():
    result = manage("check", env={})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "DEBUG=true" in result.stderr  # and what to do for the demo


def test_the_deploy_check_is_clean_with_the_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_unset_debug_means_production(settings):
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_in_production_every_cookie_goes_over_https_only_and_to_this_site_only():
    names = ["SESSION", "CSRF", "LANGUAGE"]
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(s.{name}_COOKIE_SECURE, s.{name}_COOKIE_SAMESITE)" for name in names
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-3:] == ["True Lax"] * 3


@pytest.fixture
def behind_the_proxy(settings):
    """The settings the production variables give, as seen by a request that came through the TLS proxy."""
    settings.ALLOWED_HOSTS = ["samkort.kommune.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://samkort.kommune.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return Client(
        enforce_csrf_checks=True,
        HTTP_HOST="samkort.kommune.example",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="10.1.2.3",
    )


class TestOnlyTheProxySaysHowAndFromWhomARequestCame:
    """A client that reaches the app without the proxy cannot claim HTTPS, nor a new address for each password."""

    def test_a_request_from_elsewhere_is_not_taken_for_https(self, behind_the_proxy, settings, db):
        settings.FORWARDED_ALLOW_IPS = ["10.9.9.9"]
        response = behind_the_proxy.get(reverse("login"), REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 301 and response["Location"].startswith("https://")
        through_the_proxy = behind_the_proxy.get(reverse("login"), REMOTE_ADDR="10.9.9.9")
        assert through_the_proxy.status_code == 200

    @pytest.mark.parametrize(
        ("remote", "client_address"),
        [
            ("192.0.2.7", "192.0.2.7"),
            ("10.9.9.9", "10.1.2.3"),
            ("10.8.0.5", "10.1.2.3"),  # in the proxies' network
            ("", "10.1.2.3"),  # a UNIX socket, as gunicorn trusts it
            ("::ffff:10.9.9.9", "10.1.2.3"),  # the proxy through a dual-stack socket
            ("not-an-address", "not-an-address"),
        ],
    )
    def test_the_clients_address_is_the_proxys_word_only_from_the_proxy(self, settings, remote, client_address):
        from axes.helpers import get_client_ip_address
        from django.test import RequestFactory

        from samkort.middleware import ProxyHeadersMiddleware

        settings.FORWARDED_ALLOW_IPS = ["10.9.9.9", "10.8.0.0/16"]
        request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="10.1.2.3")
        seen = ProxyHeadersMiddleware(lambda request: request)(request)
        assert seen.META["HTTP_X_FORWARDED_FOR"] == client_address
        if settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR",):
            assert get_client_ip_address(seen) == client_address


def test_behind_the_tls_proxy_login_and_logging_a_collaboration_work(behind_the_proxy, centre):
    client = behind_the_proxy
    make_membership(make_user("medarbejder", password="hemmeligt-kodeord-42"), centre, Role.STAFF)
    origin = {"HTTP_ORIGIN": "https://samkort.kommune.example", "secure": True}

    client.get(reverse("login"), secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": "medarbejder", "password": "hemmeligt-kodeord-42", "csrfmiddlewaretoken": token},
        **origin,
    )
    assert response.status_code == 302, response.content.decode()[:300]
    assert client.cookies["sessionid"]["secure"]

    actors = [make_actor(), make_actor()]
    page = client.get(reverse("collaboration_create", args=[centre.slug]), secure=True)
    assert page.status_code == 200
    token = client.cookies["csrftoken"].value
    data = collaboration_post(actors) | {"csrfmiddlewaretoken": token}
    response = client.post(reverse("collaboration_create", args=[centre.slug]), data, **origin)
    assert response.status_code == 302
    assert Collaboration.objects.count() == 1


def test_a_post_from_another_origin_is_refused(behind_the_proxy, centre):
    client = behind_the_proxy
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"),
        {"username": "x", "password": "y", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        HTTP_ORIGIN="https://evil.example",
        secure=True,
    )
    assert response.status_code == 403


def test_plain_http_is_sent_to_https_except_the_health_check(behind_the_proxy, db):
    client = Client(HTTP_HOST="samkort.kommune.example")
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get(reverse("health")).status_code == 200


class TestHeaders:
    def test_every_page_has_a_content_security_policy_of_the_apps_own_scripts_and_styles(self, staff_client, centre):
        policy = staff_client.get(reverse("centre_map", args=[centre.slug]))["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"].startswith("'self' 'unsafe-hashes' 'sha256-")
        assert "unsafe-eval" not in policy and "unsafe-inline" not in policy
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"

    def test_the_login_page_has_it_too_and_asks_for_no_camera_or_microphone(self, client, db):
        response = client.get(reverse("login"))
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]

    def test_signed_in_pages_are_never_stored_by_a_shared_pcs_browser(self, manager_client, centre):
        for url in (reverse("centre_detail", args=[centre.slug]), reverse("collaboration_list", args=[centre.slug])):
            assert "no-store" in manager_client.get(url)["Cache-Control"], url

    def test_exports_are_never_stored_either(self, manager_client, centre):
        from tests.factories import make_collaboration

        make_collaboration(centre)
        query = {"centres": [centre.pk], "start": "2026-01-01", "end": "2026-06-30"}
        response = manager_client.get(reverse("report_download", args=["xlsx"]), query)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


class TestHealth:
    def test_it_says_ok_to_anyone_and_nothing_more(self, client, db):
        response = client.get(reverse("health"))
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    def test_a_load_balancer_may_ask_with_head(self, client, db):
        assert client.head(reverse("health")).status_code == 200

    def test_without_a_database_it_says_so_and_nothing_more(self, client, db, monkeypatch):
        from samkort import views

        class Unreachable:
            def cursor(self):
                raise OperationalError("could not connect to server: secret host 10.0.0.5")

        monkeypatch.setattr(views, "connection", Unreachable())
        response = client.get(reverse("health"))
        assert response.status_code == 503
        assert response.content == b"unavailable\n"


def test_pages_answer_head_as_get_and_partner_links_do_not_count_it_as_opened(staff_client, centre):
    assert staff_client.head(reverse("collaboration_list", args=[centre.slug])).status_code == 200
    assert staff_client.head(reverse("centre_map", args=[centre.slug])).status_code == 200
    # A mail scanner's HEAD is no partner opening the link: that page answers GET alone.
    assert staff_client.head(reverse("partner_page", args=["ukendt-link"])).status_code == 405


def test_a_database_that_does_not_answer_gives_a_clear_danish_page(staff_client, centre, monkeypatch):
    from collaboration.records import views

    def hanging(*args, **kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(views, "get_centre_for_user", hanging)
    response = staff_client.get(reverse("centre_detail", args=[centre.slug]))
    assert response.status_code == 503
    assert "Samkort kan ikke nå sin database lige nu" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_a_signed_in_user_whose_session_the_database_cannot_give_gets_the_same_clear_page(
    staff, centre, monkeypatch, caplog
):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    def unreachable(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    # The session is read by the middleware, before any view: the database goes away between two pages.
    monkeypatch.setattr(import_string(settings.SESSION_ENGINE + ".SessionStore"), "load", unreachable)
    response = client.get(reverse("centre_detail", args=[centre.slug]))

    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Samkort kan ikke nå sin database lige nu" in response.content.decode()
    # One line in the log for each such request, not a traceback.
    records = [record for record in caplog.records if record.name == "django.request"]
    for record in records:
        ClientErrorsWithoutTraceback().filter(record)
        assert "Traceback" not in logging.Formatter().format(record)


def test_another_database_fault_is_a_server_error_with_its_traceback_not_said_to_be_an_outage(
    staff, centre, monkeypatch, caplog
):
    from collaboration.records import views

    def missing_table(*args, **kwargs):
        raise OperationalError("no such table: collaboration_collaboration")  # a deploy without migrate

    monkeypatch.setattr(views, "get_centre_for_user", missing_table)
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.get(reverse("centre_detail", args=[centre.slug]))

    assert response.status_code == 500 and "Der skete en fejl" in response.content.decode()
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records
    for record in records:
        ClientErrorsWithoutTraceback().filter(record)
    assert any("Traceback" in logging.Formatter().format(record) for record in records)


def test_a_database_busy_with_other_work_is_not_said_to_be_unreachable(staff_client, centre, monkeypatch):
    import psycopg

    from collaboration.records import views

    def waiting_for_an_import(*args, **kwargs):
        # A statement that waited for rows a large import is writing, until its timeout.
        try:
            raise psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
        except psycopg.errors.QueryCanceled as cause:
            raise OperationalError(str(cause)) from cause

    monkeypatch.setattr(views, "get_centre_for_user", waiting_for_an_import)
    response = staff_client.get(reverse("centre_detail", args=[centre.slug]))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Samkort nåede ikke at svare i tide" in page and "for eksempel en stor import" in page
    assert "kan ikke nå sin database" not in page


def test_postgresql_gives_up_connecting_and_stops_slow_statements():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    env = PRODUCTION | {"DATABASE_URL": "postgres://samkort@127.0.0.1:5432/samkort", "DB_STATEMENT_TIMEOUT": "7"}
    result = manage("shell", "-c", code, env=env)
    assert "'connect_timeout': 5" in result.stdout
    assert "statement_timeout=7000" in result.stdout


@pytest.mark.parametrize(
    ("forwarded_for", "address"),
    [
        ("192.0.2.10", "192.0.2.10"),  # nginx as docs/nginx.conf sets it: the header is the client's address
        ("6.6.6.6, 192.0.2.10", "192.0.2.10"),  # a proxy that appends: what the client wrote itself is not believed
    ],
)
def test_behind_the_documented_proxy_the_lockout_counts_the_clients_own_address(forwarded_for, address):
    """With TRUSTED_PROXY_COUNT=1 the lockout once saw no address at all (so five wrong passwords locked a user out
    from everywhere), and behind a proxy that appends, the client chose its own."""
    script = (
        "from django.test import RequestFactory; from axes.helpers import get_client_ip_address; "
        f"print(get_client_ip_address(RequestFactory().get('/', HTTP_X_FORWARDED_FOR='{forwarded_for}', "
        "REMOTE_ADDR='127.0.0.1')))"
    )
    result = manage("shell", "-c", script, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == address, result.stderr


class TestErrorPagesSayWhatHappenedInDanish:
    def test_a_form_sent_from_a_page_older_than_the_login_asks_to_reload_it(self, staff, centre):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)
        response = client.post(reverse("collaboration_create", args=[centre.slug]), {"title": "Fest"})
        page = response.content.decode()
        assert response.status_code == 403
        assert "Siden var udløbet" in page and "genindlæs siden" in page and "DEBUG" not in page
        assert "samkort.css" in page

    def test_the_expired_page_speaks_the_users_language(self, staff, centre, settings):
        client = Client(enforce_csrf_checks=True)
        client.force_login(staff)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.post(reverse("collaboration_create", args=[centre.slug]), {"title": "Fest"}).content.decode()
        assert '<html lang="en">' in page and "The page had expired" in page and "Siden var udløbet" not in page

    def test_a_page_not_found_offers_the_way_in_to_a_visitor_and_back_to_a_member(self, client, staff, settings):
        settings.DEBUG = False
        visitor = client.get("/ingen-side/")
        assert visitor.status_code == 404
        assert "Siden blev ikke fundet" in visitor.content.decode()
        assert 'href="/login/">Log ind i Samkort</a>' in visitor.content.decode()
        client.force_login(staff)
        member = client.get("/ingen-side/").content.decode()
        assert "Tilbage til mine centre" in member and "ikke er medlem af" in member

    def test_a_request_for_another_host_gets_a_page_in_danish(self, client, db):
        response = client.get("/", HTTP_HOST="evil.example")
        assert response.status_code == 400
        assert "Forespørgslen kunne ikke læses" in response.content.decode()

    def test_a_server_error_has_the_sites_look_and_a_way_back(self, staff, centre, monkeypatch):
        from collaboration.records import views

        def broken(*args, **kwargs):
            raise ValueError("a bug")

        monkeypatch.setattr(views, "get_centre_for_user", broken)
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        response = client.get(reverse("centre_detail", args=[centre.slug]))
        page = response.content.decode()
        assert response.status_code == 500
        assert "Der skete en fejl" in page and 'href="/"' in page and "samkort.css" in page
        assert "a bug" not in page


def test_an_address_that_takes_a_form_opened_as_a_page_says_so_and_leads_on(coordinator_client, centre):
    url = reverse("presence_delete", args=[centre.slug, 1])
    response = coordinator_client.get(url)
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "Her er intet at vise" in page and 'href="/"' in page
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    # Other refusals keep their own answer.
    assert coordinator_client.post(reverse("home")).status_code == 405


def test_a_partner_who_opens_an_address_that_takes_a_form_is_not_sent_to_a_login_they_do_not_have(client, db):
    page = client.get("/svar/ikke-et-link/answers/1/")
    assert page.status_code == 405
    assert "Til forsiden" not in page.content.decode() and "tilbageknap" in page.content.decode()
