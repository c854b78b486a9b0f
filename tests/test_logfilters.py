"""What the log says of a refused request: one line; of a server error: the traceback too."""

from __future__ import annotations

import logging
import sys

import pytest
from django.conf import settings

from samkort.logfilters import ClientErrorsWithoutTraceback, HidePartnerTokens


def logged(status_code: int) -> str:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), sys.exc_info())
    record.status_code = status_code
    ClientErrorsWithoutTraceback().filter(record)
    return logging.Formatter().format(record)


@pytest.mark.parametrize("status_code", [400, 403, 404])
def test_a_refused_request_is_one_line(status_code):
    assert logged(status_code) == "Forbidden"


def test_a_server_error_keeps_its_traceback():
    assert "Traceback" in logged(500) and "PermissionError: refused" in logged(500)


def test_the_console_log_uses_the_filters():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["client_errors_in_one_line", "no_partner_tokens"]


def test_a_partners_link_token_never_reaches_the_log():
    token = "WzEsImFiYyJd:1xYJgQ:3YINQrAVyxI9eafhzfQIXUxvMTAs8nlnYkBePE6ornk"
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/svar/{token}/",), None
    )
    access = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s',
        ({"h": "10.0.0.1", "r": f"POST /svar/{token}/answers/7/ HTTP/1.1", "s": "200"},),
        None,
    )

    for entry in (record, access):
        HidePartnerTokens().filter(entry)

    assert record.getMessage() == "Not Found: /svar/…/"
    assert access.getMessage() == '10.0.0.1 "POST /svar/…/answers/7/ HTTP/1.1" 200'


def test_gunicorns_access_log_goes_through_the_same_filter():
    import runpy

    from django.conf import settings as django_settings

    config = runpy.run_path(str(django_settings.BASE_DIR / "samkort" / "gunicorn.conf.py"))["logconfig_dict"]
    assert config["handlers"]["console"]["filters"] == ["no_partner_tokens"]
    assert config["loggers"]["gunicorn.access"]["handlers"] == ["console"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "logger", "status_code"),
    [({"HTTP_HOST": "evil.example"}, "django.security.DisallowedHost", 400), ({}, "django.request", 404)],
)
def test_refused_requests_as_django_logs_them_are_one_line_each(admin_client, caplog, headers, logger, status_code):
    with caplog.at_level(logging.WARNING):
        response = admin_client.get("/centres/no-such-centre/", **headers)
    assert response.status_code == status_code
    records = [record for record in caplog.records if record.name == logger]
    assert records
    for record in records:
        ClientErrorsWithoutTraceback().filter(record)
        assert "\n" not in logging.Formatter().format(record)
