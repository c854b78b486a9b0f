"""Filters for the log: what an operator reads should say what happened, once."""

from __future__ import annotations

import logging
import re


class ClientErrorsWithoutTraceback(logging.Filter):
    """A request refused as forbidden, not found or bad (403, 404, 400: a wrong Host header, too many fields) is one
    line in the log, not a traceback: Django logs each with the exception that answered it, and a security probe
    left thousands of tracebacks of nothing gone wrong. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Imported here: the filter is made while logging is configured, before Django's apps are ready.
        from samkort.middleware import is_database_away

        from_django = record.name == "django.request" or record.name.startswith("django.security.")
        refused = 400 <= getattr(record, "status_code", 500) < 500
        # A database that does not answer is said once per request by the 503 page's own line, not with a traceback:
        # an outage would fill the log.
        unavailable = record.exc_info is not None and is_database_away(record.exc_info[1])
        if from_django and (refused or unavailable):
            record.exc_info = None
            record.exc_text = None
        return True


# A partner's link (/svar/<token>/) is the key to its answers: the log says which page, never the key.
PARTNER_TOKEN = re.compile(r"(/svar/)[^/\s\"'?]+")


class HidePartnerTokens(logging.Filter):
    """Keeps partners' link tokens out of the log: Django's 'Not Found: /svar/…' lines and gunicorn's access log
    named them in full, for anyone who reads the log to open a partner's page and answer for it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/svar/" in message:
            record.msg, record.args = PARTNER_TOKEN.sub(r"\1…", message), ()
        return True
