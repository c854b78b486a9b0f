"""What an upload's preview shows, made once and kept beside the upload; a large upload's by a worker.

Reading 50,000 rows and comparing them with Samkort's actors took 29 s, longer than a proxy waits: an upload with
more text than IMPORT_PREVIEW_BACKGROUND_BYTES is planned by a worker while its page waits, a smaller one at once.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collaboration.imports import uploads
from collaboration.imports.files import FileRefused
from collaboration.imports.runs import plan_for, preview_key
from samkort.text import list_of_names

logger = logging.getLogger(__name__)


def kept_or_made(ticket: dict, centre, key: str) -> dict | None:
    """The preview kept under the key (runs.preview_key), or made now for a small upload; None for a large one
    that a worker has still to make."""
    preview = uploads.kept_preview(ticket["t"], key)
    if preview is None and not is_large(ticket):
        preview = make_and_keep(ticket, centre, key)
    return preview


def is_large(ticket: dict) -> bool:
    return uploads.text_size(ticket["t"], ticket["n"]) > settings.IMPORT_PREVIEW_BACKGROUND_BYTES


def make_and_keep(ticket: dict, centre, key: str) -> dict:
    """The preview, or what stops the file from being read ({"refused": …}); kept under the key either way, so that
    a worker's answer reaches the page that waits for it."""
    started = time.time()
    try:
        preview = make(ticket, centre)
    except FileRefused as refusal:
        preview = {"refused": refusal.message}
    uploads.keep_preview(ticket["t"], key, preview, made_since=started)
    return preview


def make(ticket: dict, centre) -> dict:
    """What the preview's pages show of the plan. The drafts the import writes from are left out (at 50,000 rows,
    most of the time to read it back); the import itself makes its plan anew."""
    plan = plan_for(ticket, centre)
    joining = [plan.display.get(key, key) for key in [*plan.new_actors, *sorted(plan.missing_presences)]]
    return {
        "plan": dataclasses.replace(plan, collaborations=[], new_actors={}, existing_actors={}),
        "changes_anything": plan.changes_anything,
        "joining": len(joining),
        "joining_names": names_of_some(sorted(joining, key=str.casefold)),
    }


def names_of_some(names: list[str], shown: int = 20) -> str:
    """The first names, and how many more."""
    text = list_of_names(names[:shown])
    if len(names) > shown:
        rest = len(names) - shown
        text += " " + ngettext("and %(count)s more", "and %(count)s more", rest) % {"count": rest}
    return text


def prepare(ticket: dict, centre) -> None:
    """Make a large upload's preview in a worker. Whatever goes wrong is said on the waiting page, which would
    otherwise wait for ever."""
    key = preview_key(ticket, centre)
    if uploads.kept_preview(ticket["t"], key) is not None:
        return
    started = time.time()
    try:
        make_and_keep(ticket, centre, key)
    except Exception:
        logger.exception("The preview of upload %s could not be made", ticket["t"])
        failed = _("Samkort could not read the file. Upload it again; if the same happens, ask your administrator.")
        uploads.keep_preview(ticket["t"], key, {"refused": failed}, made_since=started)
