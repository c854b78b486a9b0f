"""Nothing typed is lost when the session runs out in the middle of a form, and nobody else is given it.

A session ends after SESSION_IDLE_HOURS without a request, when the browser closes, or when the user logs out in
another tab; a long description can take longer to write than a session lives. A form that takes part renders who is
typing into it (`typist_field`: the user's id, signed by the server). Sent after the session ended, it is kept in the
new session with that id; after the login the view that owns the form shows it filled in again, not saved, to that
same user only (on a shared centre PC the next person to log in never sees it). A form without a valid signature, or
larger than UNSENT_MAX_CHARS, is not kept, nor more than UNSENT_KEPT_PER_HOUR forms of one typist an hour (each kept
form is a session row, made without a login: a page's signature must not let anyone fill the database). A view takes
part by `keeps_unsent_form` and reads what to fill its form with from `form_data`; only the address the form was sent
to gets it back, once it has been shown.

The page also carries a marker of its user (`user_marker`), compared in the browser with the marker cookie of whoever
is signed in now: only the same user's page takes up the CSRF token a login in another tab made (samkort.js).

SignedOutMiddleware (samkort/middleware.py) does the keeping; this module holds the parts the views and pages use.
"""

from __future__ import annotations

import datetime
import functools

from django.core import signing
from django.http import HttpRequest, QueryDict
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from samkort.throttle import count_attempt

UNSENT = "_samkort_unsent_form"
SALT = "samkort.signed-out"
# The hidden field that says who typed a form, and how long such a page may wait before it is sent.
TYPED_BY = "typed_by"
TYPED_BY_MAX_AGE = datetime.timedelta(days=3)
# More than a log form holds with every text field full: anything larger is not kept in a session.
UNSENT_MAX_CHARS = 64_000
# A person logged out mid-form sends it once or twice; more than this an hour is someone replaying a page.
UNSENT_KEPT_PER_HOUR = 10
# The cookie with the marker of the user signed in now, read by the page's script.
MARKER_COOKIE = "samkort_user"
# The header a form being filled in sends with its htmx requests (the log form's actor search, for one): a session
# that has run out then leaves the page as it is and says so, instead of sending the page to the login.
TYPING_HEADER = "Samkort-Typing"
# The button in that message sends the form under this name: kept for after the login, never saved by it.
KEEP_TYPING = "keep_typing"
BACK_IN_THE_FORM = gettext_lazy(
    "What you sent before you were logged out is back in the form. It is not saved yet: check it and save."
)


def typist_field(user) -> str:
    """The hidden field a form that keeps its typing renders: who is typing, signed."""
    token = signing.dumps(user.pk, salt=SALT) if user.is_authenticated else ""
    return format_html('<input type="hidden" name="{}" value="{}">', TYPED_BY, token)


def typist_of(request: HttpRequest) -> int | None:
    try:
        return signing.loads(request.POST.get(TYPED_BY, ""), salt=SALT, max_age=TYPED_BY_MAX_AGE)
    except signing.BadSignature:
        return None


def user_marker(user) -> str:
    """Who is signed in, as a page and a cookie may show it: the same for one user, telling nothing about them."""
    return salted_hmac(SALT, f"marker:{user.pk}").hexdigest()[:24] if user.is_authenticated else ""


def keeps_unsent_form(view):
    """Marks a view whose form comes back filled in after a login in between (its GET reads `form_data`)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.unsent_form = unsent_form_for(request)
        response = view(request, *args, **kwargs)
        if request.unsent_form is not None and response.status_code == 200:
            # Shown: given back once. A page that refused the user (no longer a member) leaves it, unshown.
            del request.session[UNSENT]
        return response

    wrapped.keeps_unsent_form = True
    return wrapped


def form_data(request: HttpRequest) -> QueryDict | None:
    """What the view's form is filled in with: what was sent now, or what was sent before a login in between."""
    if request.method == "POST":
        return request.POST
    return getattr(request, "unsent_form", None)


def restored(request: HttpRequest) -> bool:
    """The form is shown filled in from before a login: not sent again yet, so what it lacks is not an error yet."""
    return request.method == "GET" and getattr(request, "unsent_form", None) is not None


def keep_unsent_form(request: HttpRequest) -> bool:
    """Keep the form for whoever typed it, if the page said who that was and it is of a size to keep."""
    typist = typist_of(request)
    fields = [(key, value) for key, values in request.POST.lists() if key != "csrfmiddlewaretoken" for value in values]
    if typist is None or sum(len(key) + len(value) for key, value in fields) > UNSENT_MAX_CHARS:
        return False
    if count_attempt(f"unsent-form:{typist}", 3600) > UNSENT_KEPT_PER_HOUR:
        # A replay: not even a note that it was not saved, which would be a session row of its own.
        request.unsent_replayed = True
        return False
    request.session[UNSENT] = {"path": request.path, "fields": fields, "typist": typist}
    return True


def unsent_form_for(request: HttpRequest) -> QueryDict | None:
    """The form kept for this user at this address; one kept for someone else is dropped unseen."""
    kept = request.session.get(UNSENT)
    if request.method != "GET" or not kept or kept["path"] != request.path or not request.user.is_authenticated:
        return None
    if kept.get("typist") != request.user.pk:
        del request.session[UNSENT]
        return None
    data = QueryDict(mutable=True)
    for key, value in kept["fields"]:
        data.appendlist(key, value)
    return data
