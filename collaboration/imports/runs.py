"""A confirmed import, from the ticket its preview was shown with to the rows written: one ImportRun for each upload.

The run is written in the request when the preview counted few rows, and by a worker otherwise; either way
`carry_out` does the work, and can run again after a worker was stopped halfway (the rows and the run's outcome are
committed together, or neither is).
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centres.access import get_centre_for_managing
from centres.models import Actor, ActorHistoryEntry
from collaboration.imports import uploads
from collaboration.imports.files import FileRefused, open_tables
from collaboration.imports.plan import ImportPlan, make_plan
from collaboration.imports.write import Written, write_plan
from collaboration.models import HistoryEntry, ImportRun, ImportRunStatus, stale_since

logger = logging.getLogger(__name__)

# What the upload's ticket is signed with: it names the upload, its files, the centre, the user and the start date.
SALT = "samkort.import"
# Raised whenever what a kept preview holds changes shape (the plan's fields): a preview kept by the Samkort before
# an upgrade is then made again, never shown by code that reads it otherwise.
PREVIEW_FORMAT = 4


def plan_for(ticket: dict, centre) -> ImportPlan:
    files = uploads.kept(ticket["t"], ticket["n"])
    if files is None:
        raise FileRefused(_("The uploaded file is no longer here (it was imported, or it is more than a day old)."))
    start = datetime.date.fromisoformat(ticket["s"]) if ticket["s"] else None
    with open_tables(files) as tables:
        return make_plan(centre, tables, ticket["n"], default_start=start)


def preview_key(ticket: dict, centre) -> str:
    """The preview of this upload, in this language, as Samkort's actors and the centre's records are now: any change
    to them (a new or renamed actor, a collaboration logged or edited, a presence) makes a new preview."""
    version = (
        ActorHistoryEntry.objects.aggregate(Max("pk"))["pk__max"],
        Actor.objects.count(),
        HistoryEntry.objects.filter(centre=centre).aggregate(Max("pk"))["pk__max"],
        centre.presences.aggregate(Max("pk"), Count("pk")),
    )
    digest = hashlib.sha1(repr(version).encode(), usedforsecurity=False).hexdigest()
    return f"samkort:import-preview:{PREVIEW_FORMAT}:{ticket['t']}:{centre.pk}:{ticket['s']}:{get_language()}:{digest}"


def start_run(ticket: dict, signed_ticket: str, centre, user) -> tuple[ImportRun, bool]:
    """The run of this upload, and whether it is to be carried out now: a new run, one that failed, or one that is
    stuck (see ImportRun.is_stuck). A run done or on its way is only shown: a second click imports nothing twice."""
    preview = uploads.kept_preview(ticket["t"], preview_key(ticket, centre))
    rows = len(preview["plan"].rows) if preview else None
    run, created = ImportRun.objects.get_or_create(
        upload=ticket["t"],
        defaults={
            "centre": centre,
            "user": user,
            "ticket": signed_ticket,
            "file_names": ticket["n"],
            "rows": rows,
            "language": get_language(),
        },
    )
    if created:
        return run, True
    # One of two clicks at once starts it again; the other only shows it.
    again = Q(status=ImportRunStatus.FAILED) | ImportRun.stuck_condition()
    started_again = ImportRun.objects.filter(again, pk=run.pk).update(
        status=ImportRunStatus.QUEUED,
        message="",
        # Confirmed again now: it waits from now, and is not stuck (nor queued again by the next click).
        created_at=timezone.now(),
        claimed_at=None,
        finished_at=None,
        language=get_language(),
        rows=Value(rows) if rows is not None else F("rows"),
    )
    run.refresh_from_db()
    return run, bool(started_again)


def in_the_background(run: ImportRun) -> bool:
    """A worker writes what the preview counted as many rows, or did not count (its plan was no longer kept)."""
    return run.rows is None or run.rows > settings.IMPORT_BACKGROUND_ROWS


def carry_out(run: ImportRun) -> str:
    """Plan the upload again as Samkort is now and write it; the run says how it ended. Never raises for the file.

    Only the request or worker that claimed the run writes it, and its rows and the run's outcome commit together:
    run twice (a worker killed and its task run again, two workers at once), it is written once."""
    with translation.override(run.language):
        claimed = claim(run)
        if claimed is None:
            return settled(run)
        try:
            still_coordinates(run)
            ticket = signed_ticket(run)
            write_plan(plan_for(ticket, run.centre), run.user, on_written=lambda written: end(run, claimed, written))
        except FileRefused as refusal:
            return fail(run, claimed, refusal.message)
        except ClaimLost:
            return settled(run)
        except Exception:
            # The page must not wait for ever: it says the import failed, and the log says why.
            logger.exception("Import %s failed.", run.pk)
            return fail(run, claimed, _("Something went wrong on the server. Nothing was imported."))
        uploads.forget(run.upload)
        return ImportRunStatus.DONE


def claim(run: ImportRun) -> datetime.datetime | None:
    """Take a waiting run, or one whose writer is gone, to write it; None when another has it or it has ended."""
    now = timezone.now()
    claimable = Q(status=ImportRunStatus.QUEUED) | Q(status=ImportRunStatus.WRITING, claimed_at__lt=stale_since())
    taken = ImportRun.objects.filter(claimable, pk=run.pk).update(status=ImportRunStatus.WRITING, claimed_at=now)
    return now if taken else None


def settled(run: ImportRun) -> str:
    """How a run another request or worker has taken stands; once written, its upload goes."""
    status = ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)
    if status == ImportRunStatus.DONE:
        uploads.forget(run.upload)
    return status


def still_coordinates(run: ImportRun) -> None:
    """A coordinator who has left the centre, or whose account is closed, since confirming imports nothing."""
    try:
        if not run.user.is_active:
            raise PermissionDenied
        get_centre_for_managing(run.user, run.centre.slug)
    except (PermissionDenied, Http404) as error:
        raise FileRefused(_("You no longer coordinate this centre.")) from error


def signed_ticket(run: ImportRun) -> dict:
    try:
        return signing.loads(run.ticket, salt=SALT, max_age=uploads.KEPT_SECONDS)
    except signing.BadSignature as error:
        raise FileRefused(
            _("The uploaded file is no longer here (it was imported, or it is more than a day old).")
        ) from error


class ClaimLost(Exception):
    """Another worker took the run over or ended it: what this one wrote is rolled back."""


def held(run: ImportRun, claim: datetime.datetime) -> QuerySet[ImportRun]:
    """The run, if it is still being written by the writer that claimed it then."""
    return ImportRun.objects.filter(pk=run.pk, status=ImportRunStatus.WRITING, claimed_at=claim)


def end(run: ImportRun, claim: datetime.datetime, written: Written) -> None:
    """Mark the run done, in the transaction of its rows, if it is still this writer's."""
    if not held(run, claim).update(
        status=ImportRunStatus.DONE,
        message="",
        actors=written.actors,
        collaborations=written.collaborations,
        finished_at=timezone.now(),
    ):
        raise ClaimLost


def fail(run: ImportRun, claim: datetime.datetime, message: str) -> str:
    """Mark the run failed if it is still this writer's; otherwise it stands as the other writer left it."""
    if not held(run, claim).update(status=ImportRunStatus.FAILED, message=message[:300], finished_at=timezone.now()):
        return settled(run)
    return ImportRunStatus.FAILED
