"""Pages that belong to no app: the login lockout, the health check and the server error."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from samkort.middleware import database_unavailable, is_database_away


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """Too many wrong passwords for this user name from this address: say when to try again, in plain words."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 when not; never any details."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, unless the database failed: then the 503 page that says so, wherever on the way it failed
    (a signed-in user's session is read from it by the middleware, before any view)."""
    exception = sys.exc_info()[1]
    if is_database_away(exception):
        return database_unavailable(exception)
    return django_server_error(request)
