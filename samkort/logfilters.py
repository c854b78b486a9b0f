"""Filters for the log: what an operator reads should say what happened, once."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A request refused as forbidden, not found or bad (403, 404, 400: a wrong Host header, too many fields) is one
    line in the log, not a traceback: Django logs each with the exception that answered it, and a security probe
    left thousands of tracebacks of nothing gone wrong. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        from_django = record.name == "django.request" or record.name.startswith("django.security.")
        if from_django and 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
