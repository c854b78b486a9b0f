"""What a report counts: its collaborations as plain rows, and the small counts over them. No HTTP."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from collaboration.models import CitizensPart, Collaboration
from collaboration.network.graph import Selection, collaborations_in

INVOLVING_CITIZENS = (CitizensPart.INITIATOR, CitizensPart.CO_DESIGNER, CitizensPart.CO_IMPLEMENTER)


@dataclass(frozen=True)
class CollaborationRow:
    """What the counts need of a collaboration, read in one query."""

    pk: int
    centre_id: int
    form: int
    started_on: datetime.date
    ended_on: datetime.date | None
    level: str
    citizens_part: str
    citizen_count: int | None


def collaboration_rows(selection: Selection) -> tuple[list[CollaborationRow], dict[int, list[int]]]:
    """The selection's collaborations and their themes, in two queries."""
    qs = collaborations_in(selection)
    rows = [
        CollaborationRow(*values)
        for values in qs.order_by("id").values_list(
            "id", "centre_id", "form", "started_on", "ended_on", "level", "citizens_part", "citizen_count"
        )
    ]
    themes: dict[int, list[int]] = {}
    if rows:
        through = Collaboration.themes.through.objects.filter(collaboration_id__in=qs.values("id"))
        for collaboration_id, theme_id in through.values_list("collaboration_id", "theme_id"):
            themes.setdefault(collaboration_id, []).append(theme_id)
    return rows, themes


def maybe(function, value):
    return None if value is None else function(value)


def nx_edges(graph) -> int:
    return graph.number_of_edges()


def active_actors(graph) -> int:
    """Actors with at least one tie in the selection."""
    return sum(1 for node in graph if graph.degree(node))


def involving_citizens(rows: list[CollaborationRow]) -> int:
    return sum(1 for r in rows if r.citizens_part in INVOLVING_CITIZENS)


def citizens_counted(rows: list[CollaborationRow]) -> int:
    return sum(r.citizen_count or 0 for r in rows)


def started_within(rows: list[CollaborationRow] | None, selection: Selection | None) -> list[CollaborationRow]:
    if rows is None or selection is None:
        return []
    return [
        r
        for r in rows
        if (selection.start is None or r.started_on >= selection.start)
        and (selection.end is None or r.started_on <= selection.end)
    ]
