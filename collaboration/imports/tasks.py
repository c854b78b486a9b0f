"""Large imports are planned and written here, by a worker, for the coordinator whose page follows along."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from centres.models import Centre
from collaboration.imports import previews
from collaboration.imports.runs import carry_out
from collaboration.models import ImportRun
from samkort.task_priority import WATCHED


@task(priority=WATCHED)
def run_import(run_id: str) -> str:
    """Write a confirmed import. Running it twice writes it once: the second run finds it done."""
    run = ImportRun.objects.select_related("centre", "user").filter(pk=run_id).first()
    return "gone" if run is None else carry_out(run)


@task(priority=WATCHED)
def prepare_preview(ticket: dict, centre_id: int, language: str) -> str:
    """Make a large upload's preview, in the language of the coordinator whose page waits for it."""
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None:
        return "gone"
    with translation.override(language):
        previews.prepare(ticket, centre)
    return "prepared"
