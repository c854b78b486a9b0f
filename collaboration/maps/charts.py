"""The plotly charts beside the map: new collaborations per quarter, ties between sectors, pairs by form over time."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from centres.models import Sector
from collaboration.models import Form
from collaboration.network.figures import sector_tie_counts
from collaboration.network.timeline import quarter_index, quarter_label
from collaboration.styles import FORM_STYLE


def quarterly_by_form(rows: list[tuple]) -> dict:
    """Collaborations started per quarter, stacked by form. rows: (started_on, form)."""
    counts = Counter((quarter_index(day), form) for day, form in rows)
    # Every quarter from the first to the last, so a quarter without new collaborations shows as a gap (as in the
    # reports), never as bars side by side that hide it.
    quarters = list(range(min(q for q, _f in counts), max(q for q, _f in counts) + 1)) if counts else []
    labels = [quarter_label(q // 4, q % 4 + 1) for q in quarters]
    bars = [
        {
            "type": "bar",
            "x": labels,
            "y": [counts[(q, form.value)] for q in quarters],
            "name": f"{form.value} · {form.label}",
            # The quarter, the form and the count in full (plotly's own hover cut the form's name off).
            "hovertemplate": "%{x} · %{fullData.name}: %{y}<extra></extra>",
            # A pattern per form as well as a shade, so the bars read without colour.
            "marker": {
                "color": FORM_STYLE[form.value]["color"],
                "pattern": {"shape": ["", "/", "x", "-", "."][form - 1]},
            },
        }
        for form in Form
    ]
    totals = [sum(counts[(q, form.value)] for form in Form) for q in quarters]
    layout = small_chart_layout() | {"barmode": "stack", "yaxis": count_axis(max(totals, default=0))}
    return {"data": bars, "layout": layout}


def sector_matrix(graph: nx.Graph) -> dict:
    """How many ties join each pair of sector groups (the diagonal is bonding, the rest bridging)."""
    sectors = list(Sector)
    counts = sector_tie_counts(graph)
    z = [[counts[(row.value, col.value)] for col in sectors] for row in sectors]
    labels = [str(s.label) for s in sectors]
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": labels,
        "y": labels,
        # Light for few ties, dark for many (plotly.js's own "Blues" runs the other way round).
        "colorscale": [[0, "#f3f7fb"], [1, "#0b2f57"]],
        "text": z,
        "texttemplate": "%{text}",
        "hovertemplate": "%{y} – %{x}: %{z}<extra></extra>",
        "showscale": False,
    }
    # The first sector at the top, as in the overview's table: plotly counts rows from the bottom up.
    layout = small_chart_layout() | {
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "xaxis": {"automargin": True},
    }
    return {"data": [heatmap], "layout": layout}


def pairs_over_time(snapshots: list[tuple[str, dict[int, int]]]) -> dict:
    """The number of actor pairs at each highest form, period by period. snapshots: (label, {form: pairs})."""
    lines = [
        {
            "type": "scatter",
            "x": [label for label, _ in snapshots],
            "y": [counts.get(form.value, 0) for _, counts in snapshots],
            "name": f"{form.value} · {form.label}",
            "mode": "lines+markers",
            "hovertemplate": "%{x} · %{fullData.name}: %{y}<extra></extra>",
            "line": {"color": FORM_STYLE[form.value]["color"], "dash": FORM_STYLE[form.value]["dash"], "width": 2},
        }
        for form in Form
    ]
    largest = max((count for _label, counts in snapshots for count in counts.values()), default=0)
    return {"data": lines, "layout": small_chart_layout() | {"yaxis": count_axis(largest)}}


def count_axis(largest: int) -> dict:
    """An axis of counts: whole numbers only (plotly would mark 0.5 and 1.5 on a chart of one or two)."""
    return {"automargin": True, "rangemode": "tozero", **({"dtick": 1} if largest <= 6 else {})}


def small_chart_layout() -> dict:
    return {
        "height": 380,
        "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
        # Room for the tick labels as drawn: a quarter's slanted label ran off the chart's right edge.
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
        # Above the chart: below it, the legend lay over the quarters' slanted labels once there were more than
        # about eight of them (plotly keeps a legend's place when automargin makes room for the labels).
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom", "font": {"size": 12}},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
