"""Plotly figures for the network map and the charts beside it, built from `network.py`'s results."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx
from django.utils.translation import gettext as _

from centres.models import ActorCategory, Sector
from collaboration.models import Form
from collaboration.network.change import Change
from collaboration.network.figures import NetworkFigures, sector_tie_counts
from collaboration.network.timeline import quarter_label
from collaboration.styles import FORM_STYLE, SECTOR_COLOURS, SECTOR_SYMBOLS

CHANGE_STYLE = {
    "new": {"color": "#009e73", "symbol": "star", "dash": "solid"},
    "deepened": {"color": "#d55e00", "symbol": "triangle-up", "dash": "solid"},
    "ended": {"color": "#999999", "symbol": "x", "dash": "dot"},
}
SIZE_FIGURES = ("degree", "weighted_degree", "betweenness")
# Above this, hovering a tie is left out: the page would grow by megabytes. The table view lists every tie.
MAX_TIES_WITH_HOVER = 4000
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]


def map_figure(
    graph: nx.Graph,
    figures: NetworkFigures,
    positions: dict[int, tuple[float, float]],
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    change: Change | None = None,
    ended_graph: nx.Graph | None = None,
) -> dict:
    """The map as plain plotly data: built without plotly's validation, which is slow for thousands of ties."""
    texts = {
        "collaborations": _("Collaborations"),
        "forms": _("Forms"),
        "partners": _("Partners"),
        "brokerage": _("Brokerage"),
        "form_labels": {form.value: str(form.label) for form in Form},
        "categories": {value: str(label) for value, label in ActorCategory.choices},
        "sectors": {value: str(label) for value, label in Sector.choices},
    }
    ties_by_form = defaultdict(list)
    for a, b, data in graph.edges(data=True):
        ties_by_form[data["highest_form"]].append((a, b, data))
    traces = []
    for form in Form:
        traces += tie_traces(graph, ties_by_form[form.value], positions, form, texts)
    if change:
        traces += change_traces(graph, positions, change, ended_graph)
    traces += actor_traces(graph, figures, positions, colour_by, size_by, texts)
    layout = {
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "groupclick": "toggleitem"},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "hovermode": "closest",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": 640,
        "dragmode": "pan",
    }
    return {"data": traces, "layout": layout}


def point(value: float) -> float:
    # Four decimals are far finer than a pixel and keep the page small.
    return round(value, 4)


def segments(pairs, positions) -> tuple[list, list, list, list]:
    xs, ys, mx, my = [], [], [], []
    for a, b in pairs:
        (x0, y0), (x1, y1) = positions[a], positions[b]
        xs += [point(x0), point(x1), None]
        ys += [point(y0), point(y1), None]
        mx.append(point((x0 + x1) / 2))
        my.append(point((y0 + y1) / 2))
    return xs, ys, mx, my


def tie_traces(graph: nx.Graph, edges: list[tuple], positions, form: Form, texts: dict) -> list[dict]:
    """The ties whose highest form is `form`: one line trace, and invisible midpoints that carry the hovers."""
    if not edges:
        return []
    xs, ys, mx, my = segments([(a, b) for a, b, _d in edges], positions)
    style = FORM_STYLE[form.value]
    group = f"form{form.value}"
    lines = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "name": f"{form.value} · {form.label}",
        "legendgroup": group,
        "hoverinfo": "skip",
        "line": {"color": style["color"], "width": style["width"], "dash": style["dash"]},
    }
    if graph.number_of_edges() > MAX_TIES_WITH_HOVER:
        return [lines]
    # Lines do not take hovers along their length: an invisible point in the middle of each tie does.
    midpoints = {
        "type": "scatter",
        "x": mx,
        "y": my,
        "mode": "markers",
        "marker": {"size": 10, "opacity": 0},
        "hovertext": [tie_hover(graph, a, b, d, texts) for a, b, d in edges],
        "hoverinfo": "text",
        "showlegend": False,
        "legendgroup": group,
    }
    return [lines, midpoints]


def tie_hover(graph: nx.Graph, a: int, b: int, data: dict, texts: dict) -> str:
    forms = ", ".join(texts["form_labels"][f] for f in data["forms"])
    return (
        f"<b>{graph.nodes[a]['name']} – {graph.nodes[b]['name']}</b><br>"
        f"{texts['collaborations']}: {data['count']}<br>{texts['forms']}: {forms}<br>"
        f"{danish_date(data['first'])} – {danish_date(data['last'])}"
    )


def danish_date(day) -> str:
    # Much faster than strftime, which matters for thousands of ties.
    return f"{day.day:02}.{day.month:02}.{day.year}"


def change_traces(graph, positions, change: Change, ended_graph) -> list[dict]:
    labels = {"new": _("New ties"), "deepened": _("Deepened ties"), "ended": _("Ended ties")}
    traces = []
    for kind in ("new", "deepened", "ended"):
        pairs = [p for p in getattr(change, kind) if p[0] in positions and p[1] in positions]
        if not pairs:
            continue
        style = CHANGE_STYLE[kind]
        xs, ys, mx, my = segments(pairs, positions)
        names = ended_graph if kind == "ended" and ended_graph is not None else graph
        hover = [f"{labels[kind]}: {names.nodes[a]['name']} – {names.nodes[b]['name']}" for a, b in pairs]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "hoverinfo": "skip",
                "legendgroup": kind,
                "showlegend": False,
                "opacity": 0.8,
                "line": {"color": style["color"], "width": 3, "dash": style["dash"]},
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": mx,
                "y": my,
                "mode": "markers",
                "name": f"{labels[kind]} ({len(pairs)})",
                "legendgroup": kind,
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "symbol": style["symbol"],
                    "size": 13,
                    "color": style["color"],
                    "line": {"width": 1, "color": "#fff"},
                },
            }
        )
    return traces


def actor_traces(graph, figures: NetworkFigures, positions, colour_by: str, size_by: str, texts: dict) -> list[dict]:
    groups = defaultdict(list)
    for node in graph:
        groups[graph.nodes[node]["sector"] if colour_by == "sector" else graph.nodes[node]["category"]].append(node)
    values = {n: getattr(figures.per_actor[n], size_by) for n in graph}
    top = max(values.values(), default=0) or 1
    labels = texts["sectors"] if colour_by == "sector" else texts["categories"]
    traces = []
    for index, key in enumerate(sorted(groups, key=lambda k: labels[k])):
        nodes = sorted(groups[key])
        colour = SECTOR_COLOURS.get(key) if colour_by == "sector" else PALETTE[index % len(PALETTE)]
        traces.append(
            {
                "type": "scatter",
                "x": [point(positions[n][0]) for n in nodes],
                "y": [point(positions[n][1]) for n in nodes],
                "mode": "markers+text",
                "name": labels[key],
                "text": [short_name(graph.nodes[n]["name"]) if values[n] >= top * 0.5 else "" for n in nodes],
                "textposition": "top center",
                "textfont": {"size": 11, "color": "#1d2433"},
                "customdata": nodes,
                "hovertext": [actor_hover(graph, figures, n, texts) for n in nodes],
                "hoverinfo": "text",
                "marker": {
                    "size": [round(10 + 26 * (values[n] / top), 1) for n in nodes],
                    "color": colour,
                    "symbol": SECTOR_SYMBOLS.get(key, "circle") if colour_by == "sector" else "circle",
                    "line": {"width": [3 if graph.nodes[n]["based"] else 1 for n in nodes], "color": "#1d2433"},
                },
            }
        )
    return traces


def short_name(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def actor_hover(graph, figures: NetworkFigures, node: int, texts: dict) -> str:
    data, f = graph.nodes[node], figures.per_actor[node]
    return (
        f"<b>{data['name']}</b><br>{texts['categories'][data['category']]} · {texts['sectors'][data['sector']]}<br>"
        f"{texts['partners']}: {f.degree} · {texts['collaborations']}: {f.weighted_degree}<br>"
        f"{texts['brokerage']}: {f.betweenness:.2f}"
    )


def quarterly_by_form(rows: list[tuple]) -> dict:
    """Collaborations started per quarter, stacked by form. rows: (started_on, form)."""
    counts = Counter((quarter_label(d.year, (d.month - 1) // 3 + 1), form) for d, form in rows)
    quarters = sorted({q for q, _f in counts})
    bars = [
        {
            "type": "bar",
            "x": quarters,
            "y": [counts[(q, form.value)] for q in quarters],
            "name": f"{form.value} · {form.label}",
            # A pattern per form as well as a shade, so the bars read without colour.
            "marker": {
                "color": FORM_STYLE[form.value]["color"],
                "pattern": {"shape": ["", "/", "x", "-", "."][form - 1]},
            },
        }
        for form in Form
    ]
    return {"data": bars, "layout": small_chart_layout() | {"barmode": "stack"}}


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
    layout = small_chart_layout() | {"yaxis": {"automargin": True}, "xaxis": {"automargin": True}}
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
            "line": {"color": FORM_STYLE[form.value]["color"], "dash": FORM_STYLE[form.value]["dash"], "width": 2},
        }
        for form in Form
    ]
    return {"data": lines, "layout": small_chart_layout()}


def small_chart_layout() -> dict:
    return {
        "height": 300,
        "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.25, "font": {"size": 10}},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
