"""Large imports are written here, by a worker, for the coordinator who confirmed them; their page follows along."""

from __future__ import annotations

from django_tasks import task

from collaboration.imports.runs import carry_out
from collaboration.models import ImportRun
from samkort.task_priority import WATCHED


@task(priority=WATCHED)
def run_import(run_id: str) -> str:
    """Write a confirmed import. Running it twice writes it once: the second run finds it done."""
    run = ImportRun.objects.select_related("centre", "user").filter(pk=run_id).first()
    return "gone" if run is None else carry_out(run)
