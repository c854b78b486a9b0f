"""Nothing typed is lost when the session runs out in the middle of a form.

A session ends after SESSION_IDLE_HOURS without a request, when the browser closes, or when the user logs out in
another tab; a long description can take longer to write than a session lives. A form sent after that (with a valid
CSRF token, so it came from one of our pages in this browser) is kept in the new session; after the login the view
that owns the form shows it filled in again, not saved, for the user to check and save. A view takes part by
`keeps_unsent_form` and reads what to fill its form with from `form_data`. Only the address the form was sent to gets it
back, once.

SignedOutMiddleware (samkort/middleware.py) does the keeping; this module holds the parts the views use too.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy

UNSENT = "_samkort_unsent_form"
# The header a form being filled in sends with its htmx requests (the log form's actor search, for one): a session
# that has run out then leaves the page as it is and says so, instead of sending the page to the login.
TYPING_HEADER = "Samkort-Typing"
# The button in that message sends the form under this name: kept for after the login, never saved by it.
KEEP_TYPING = "keep_typing"
BACK_IN_THE_FORM = gettext_lazy(
    "What you sent before you were logged out is back in the form. It is not saved yet: check it and save."
)


def keeps_unsent_form(view):
    """Marks a view whose form comes back filled in after a login in between (its GET reads `form_data`)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.unsent_form = take_unsent_form(request)
        return view(request, *args, **kwargs)

    wrapped.keeps_unsent_form = True
    return wrapped


def form_data(request: HttpRequest) -> QueryDict | None:
    """What the view's form is filled in with: what was sent now, or what was sent before a login in between."""
    if request.method == "POST":
        return request.POST
    return getattr(request, "unsent_form", None)


def keep_unsent_form(request: HttpRequest) -> None:
    fields = [(key, value) for key, values in request.POST.lists() if key != "csrfmiddlewaretoken" for value in values]
    request.session[UNSENT] = {"path": request.path, "fields": fields}


def take_unsent_form(request: HttpRequest) -> QueryDict | None:
    kept = request.session.get(UNSENT)
    if request.method != "GET" or not kept or kept["path"] != request.path or not request.user.is_authenticated:
        return None
    del request.session[UNSENT]
    data = QueryDict(mutable=True)
    for key, value in kept["fields"]:
        data.appendlist(key, value)
    messages.info(request, BACK_IN_THE_FORM)
    return data
