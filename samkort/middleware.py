from __future__ import annotations

import functools
import ipaddress
import logging
import os
import re
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect
from whitenoise.middleware import WhiteNoiseMiddleware

from samkort.signed_out import (
    KEEP_TYPING,
    MARKER_COOKIE,
    TYPING_HEADER,
    keep_unsent_form,
    typist_of,
    user_marker,
)

logger = logging.getLogger(__name__)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise without the static files' manifest: Django reads staticfiles.json from disk, and served it listed
    every static file of the installation (the admin's too) to anyone who asked."""

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if os.path.basename(path).startswith("staticfiles.json"):
            return
        super().add_file_to_dictionary(url, path, stat_cache=stat_cache)


# The language of a signed-in user's own choice, put in the session at login (centres/languages.py).
LANGUAGE_SESSION_KEY = "samkort_language"


class LanguageMiddleware:
    """Danish unless the user chose another language with the switch: the signed-in user's own choice (kept with
    their account and put in the session at login), else the browser's cookie.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many Danish offices run
    English-language browsers, and the product speaks Danish first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request that has a session reads it: a visitor's first page costs no query.
        chosen = request.session.get(LANGUAGE_SESSION_KEY, "") if request.session.session_key else ""
        language = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class SignedOutMiddleware:
    """When the session has run out, nothing sent or typed is lost, nor given to anyone else (samkort/signed_out.py).

    - A form sent to a view that keeps unsent forms is kept for the user who typed it, until that user logs in, and
      the login page says so; a form from a signed-in user's page that cannot be kept is said not to be saved.
    - An htmx request from a form being filled in (it sends TYPING_HEADER) leaves the page as it is and says what
      happened, with a button that sends the form to be kept (KEEP_TYPING), never saved, and leads to the login.
    - Any other htmx request sends the whole page to the login: htmx would otherwise swap the login page into the part
      of the page being updated. After logging in, the user returns to the page they were on, not to the fragment's.
    - The marker cookie says who is signed in now, for the page's script (see user_marker); it goes with the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After the CSRF check (this middleware comes after it).
        request.keeps_unsent_form = getattr(view_func, "keeps_unsent_form", False)
        if request.method == "POST" and request.keeps_unsent_form and KEEP_TYPING in request.POST:
            if not request.user.is_authenticated:
                return None  # the view sends it to the login, and the form is kept on the way out
            # Logged in again meanwhile, in another tab: the button never saves. The form comes back to the one who
            # typed it; anyone else signed in now is shown the form empty.
            if typist_of(request) == request.user.pk:
                keep_unsent_form(request)
            return HttpResponseRedirect(request.path)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        self.mark_who_is_signed_in(request, response)
        if not sends_to_login(response):
            return response
        if request.htmx:
            form_id = request.headers.get(TYPING_HEADER, "")
            if FORM_ID.fullmatch(form_id):
                return signed_out_notice(request, form_id)
            back_to = request.htmx.current_url_abs_path or "/"
            if request.method == "GET" and urlsplit(back_to).path == request.path:
                # The page's own filters, changed just now (the address htmx was about to show): kept for after.
                back_to = request.get_full_path()
            return HttpResponseClientRedirect(
                f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: back_to})}"
            )
        if request.method == "POST" and getattr(request, "csrf_processing_done", False):
            if getattr(request, "keeps_unsent_form", False) and keep_unsent_form(request):
                messages.warning(request, KEPT_FOR_AFTER_LOGIN)
            elif typist_of(request) is not None and not getattr(request, "unsent_replayed", False):
                messages.warning(request, NOT_SAVED)
        return response

    @staticmethod
    def mark_who_is_signed_in(request, response) -> None:
        marker = user_marker(request.user)
        if request.COOKIES.get(MARKER_COOKIE, "") == marker:
            return
        if marker:
            response.set_cookie(MARKER_COOKIE, marker, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
        else:
            response.delete_cookie(MARKER_COOKIE, samesite="Lax")


KEPT_FOR_AFTER_LOGIN = gettext_lazy(
    "You were logged out, so what you sent is not saved yet. Log in again, and it is back in the form, ready to save."
)
NOT_SAVED = gettext_lazy("You were logged out, so what you sent was not saved. Log in again and send it once more.")


FORM_ID = re.compile(r"[A-Za-z][\w-]{0,63}")


def sends_to_login(response) -> bool:
    """A login_required view's answer to a request without a session."""
    return response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL) + "?")


def signed_out_notice(request, form_id: str) -> HttpResponse:
    notice = render_to_string(
        "_signed_out.html",
        {"form_id": form_id, "keep_typing": KEEP_TYPING, "idle_hours": settings.SESSION_IDLE_HOURS},
        request=request,
    )
    response = HttpResponse(notice)
    # Into the page's own place for it, whatever part of the form asked: the part asking stays as it is.
    response["HX-Retarget"] = "#signed-out"
    response["HX-Reswap"] = "innerHTML"
    return response


class SessionIdleMiddleware:
    """Keeps a signed-in session alive while it is used: it ends SESSION_IDLE_HOURS after the last request.

    The expiry is pushed forward at most every few minutes, not on every request, so reading pages costs no write.
    """

    REFRESH_SECONDS = 300
    TOUCHED = "_samkort_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.TOUCHED, 0) >= self.REFRESH_SECONDS:
                request.session[self.TOUCHED] = now  # a changed session is saved with a fresh expiry
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Nothing personal is kept by a shared centre PC's browser, and the page asks for no camera or microphone.

    Every page a signed-in user sees, and every export, is marked no-store: the next person at the PC cannot find a
    report in the browser's cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class ProxyHeadersMiddleware:
    """X-Forwarded-Proto and X-Forwarded-For count only from the proxies in FORWARDED_ALLOW_IPS. From any other
    address they are dropped, and the address the request came from is the client's: gunicorn's own
    forwarded_allow_ips guards its URL scheme, not the headers Django reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_a_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            request.META["HTTP_X_FORWARDED_FOR"] = request.META.get("REMOTE_ADDR", "")
        return self.get_response(request)


def from_a_trusted_proxy(remote: str) -> bool:
    """As gunicorn decides it: an address or network of FORWARDED_ALLOW_IPS, any with "*", and a UNIX socket (no
    address at all: only a process on this machine reaches it)."""
    allowed = settings.FORWARDED_ALLOW_IPS
    if "*" in allowed or remote == "":
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    # An IPv4 proxy seen through a dual-stack socket ("::ffff:127.0.0.1") is the IPv4 proxy.
    address = getattr(address, "ipv4_mapped", None) or address
    return any(address in network for network in allowed_networks(tuple(allowed)))


@functools.cache
def allowed_networks(allowed: tuple[str, ...]) -> list:
    networks = []
    for entry in allowed:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            logger.warning("FORWARDED_ALLOW_IPS holds %r, which is no address or network", entry)
    return networks


class DatabaseUnavailableMiddleware:
    """A database that is down, or too slow to answer in time, gives a clear page, not a long wait and a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_away(exception):
            return None
        return database_unavailable(exception)


# What a database that cannot be reached, or went away, says (a connection-level error carries no SQLSTATE).
AWAY_WORDS = ("connect", "server closed", "terminating connection", "timeout", "timed out")


def is_database_away(exception: BaseException | None) -> bool:
    """A database that cannot be reached, went away, or was too busy to answer in time: a page that says so, not a
    server error. Any other OperationalError (a table missing after a deploy without migrate, a limit exceeded) is a
    fault to be seen, with its traceback."""
    if not isinstance(exception, OperationalError):
        return False
    if was_busy(exception):
        return True
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    return sqlstate is None and any(word in str(exception).lower() for word in AWAY_WORDS)


def database_unavailable(exception: OperationalError) -> HttpResponse:
    """The page that says the database did not answer, and when to try again."""
    logger.error("The database did not answer: %s", exception)
    # Rendered without a request: the session and the user live in the database that just failed.
    page = render_to_string("503.html", {"busy": was_busy(exception)})
    return HttpResponse(page, status=503, headers={"Retry-After": "30"})


# PostgreSQL's codes for a statement stopped by its timeout, or by waiting too long for a lock.
BUSY_STATES = ("57014", "55P03")


def was_busy(exception: OperationalError) -> bool:
    """The database answered, but too late: a statement ran out of time, or waited for rows another transaction was
    writing (a large import creating the same actor). Not the same as a database that cannot be reached."""
    if getattr(exception.__cause__, "sqlstate", None) in BUSY_STATES:
        return True
    return "database is locked" in str(exception)  # SQLite's word for the same wait


# The filters by part of a date (started_on__year, ended_on__year__gte …): Django checks that the value is a number,
# not that the calendar has it.
DATE_PARTS = {"year", "iso_year", "month", "day", "week", "week_day", "iso_week_day", "quarter"}


class AdminLookupMiddleware:
    """An administration list filtered by a value its database cannot take (?started_on__year=99999, a date of year
    0) gets the administration's own "invalid filter" answer (?e=1), as a malformed filter does, not a 500: Django
    checks the filter's form, not whether a year exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if not (
            isinstance(exception, ValueError | OverflowError)
            and match is not None
            and match.namespace == "admin"
            and (match.url_name or "").endswith("_changelist")
            and any(DATE_PARTS & set(name.split("__")[1:]) for name in request.GET)
        ):
            return None
        logger.info("Refused an administration filter that cannot be looked up: %s", exception)
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


class MethodNotAllowedPageMiddleware:
    """An address that only takes a form, opened as a page (the language switch after a refused form, a bookmark,
    Back), answers with a page that says so and leads on, not the browser's blank 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        # As a partner's link pages are: never kept by a browser or a proxy, never indexed.
        patch_cache_control(page, no_store=True)
        page["X-Robots-Tag"] = "noindex"
        return page
