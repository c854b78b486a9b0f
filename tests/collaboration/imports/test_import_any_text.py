"""Any text in any cell: the import answers with a plan or a clear refusal, never a crash, and keeps only clean text."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from centres.models import Actor
from collaboration.imports.files import FileRefused
from collaboration.imports.plan import Outcome
from collaboration.imports.write import write_plan
from collaboration.models import Collaboration
from samkort.text import exportable
from samkort.validators import contains_cpr_like_number
from tests.collaboration.imports.helpers import plan_of, stored, workbook_bytes
from tests.test_any_text import is_clean, pasted_text

cells = st.lists(pasted_text, min_size=6, max_size=6)


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)
    return text.getvalue().encode(encoding, errors="replace")


def check(plan) -> None:
    for row in plan.rows:
        assert not contains_cpr_like_number(row.what) and not contains_cpr_like_number(row.detail), row
    for draft in plan.new_actors.values():
        assert is_clean(draft.name) and is_clean(draft.description)
    for draft in plan.collaborations:
        for name in ("title", "description", "target_group", "goals", "outcome"):
            assert is_clean(draft.values[name]), name


@given(actor=cells, connection=cells)
def test_any_text_in_a_csv_gives_a_plan_or_a_refusal(centre, coordinator, tmp_path, actor, connection):
    actors = [
        ["Navn", "Type", "Beskrivelse"],
        ["Jobcenter Slagelse", "Jobcenter", ""],
        [actor[0], "Forening", actor[1]],
    ]
    connections = [
        ["Fra", "Til", "Form", "Titel", "Startdato", "Beskrivelse"],
        ["Jobcenter Slagelse", actor[0], connection[0], connection[1], connection[2], connection[3]],
        ["Jobcenter Slagelse", actor[0], "Samordne", connection[4], "01.02.2026", connection[5]],
    ]
    files = [
        stored(tmp_path, "aktører.csv", csv_bytes(actors)),
        stored(tmp_path, "samarbejder.csv", csv_bytes(connections)),
    ]
    with transaction.atomic():
        try:
            plan = plan_of(centre, files)
        except FileRefused as refusal:
            assert refusal.message and not contains_cpr_like_number(refusal.message)
        else:
            check(plan)
            if not plan.has_errors:
                written = write_plan(plan, coordinator)
                assert written.collaborations == plan.counts[Outcome.NEW_COLLABORATION]
                assert all(is_clean(actor.name) for actor in Actor.objects.all())
                assert all(is_clean(c.title) for c in Collaboration.objects.all())
        transaction.set_rollback(True)


@given(actor=cells)
def test_any_text_in_a_workbook_gives_a_plan_or_a_refusal(centre, tmp_path, actor):
    # A workbook cell cannot hold what XML cannot: Excel would never write it either.
    values = [exportable(value) for value in actor]
    content = workbook_bytes(
        {
            "Elements": [
                ["Label", "Type", "Description"],
                [values[0], values[1], values[2]],
                ["Café Sumak", "Forening", ""],
            ],
            "Connections": [
                ["From", "To", "Type", "Label", "From date"],
                ["Café Sumak", values[0], values[3], values[4], values[5]],
            ],
        }
    )
    try:
        plan = plan_of(centre, [stored(tmp_path, "kort.xlsx", content)])
    except FileRefused as refusal:
        assert refusal.message
    else:
        check(plan)
