"""The network over time: quarters, and the actor pairs at each highest form quarter by quarter."""

from __future__ import annotations

import datetime

import networkx as nx
from django.utils.translation import gettext as _


def quarter_index(day: datetime.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def quarter_label(year: int, quarter: int) -> str:
    """'2026 K3' in Danish: year first, so labels sort in time order."""
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def pairs_by_quarter(graph: nx.Graph, rows: list[tuple], start=None, end=None) -> list[tuple[str, dict[int, int]]]:
    """For each quarter of the period: the actor pairs by the highest form of their collaborations going on then."""
    if not rows:
        return []
    first = quarter_index(max(start, min(r[1] for r in rows)) if start else min(r[1] for r in rows))
    last = quarter_index(min(end, datetime.date.today()) if end else datetime.date.today())
    spans = {
        pk: (quarter_index(started), quarter_index(ended) if ended else last, form) for pk, started, ended, form in rows
    }
    counts = [{} for _ in range(first, last + 1)]
    for _a, _b, data in graph.edges(data=True):
        best = {}
        for collaboration in data["collaborations"]:
            if collaboration not in spans:
                continue
            begins, ends, form = spans[collaboration]
            for quarter in range(max(begins, first), min(ends, last) + 1):
                best[quarter] = max(best.get(quarter, 0), form)
        for quarter, form in best.items():
            counts[quarter - first][form] = counts[quarter - first].get(form, 0) + 1
    return [(quarter_label(q // 4, q % 4 + 1), counts[q - first]) for q in range(first, last + 1)]
