"""The network map as plotly data: ties by their highest form, actors by sector, names placed so they do not collide.

Built as plain dicts without plotly's validation, which is slow for thousands of ties. Every text that came from a
user is escaped: plotly reads `<a href>` and friends in its texts as markup.

What the browser needs only once is sent once: each name in `names`, and each tie as a short row of numbers
(`samkort_ties`) that map.js turns into the tie's hover before drawing; the ties' hover points go as plotly's
binary arrays.
"""

from __future__ import annotations

import base64
import itertools
import sys
from array import array
from collections import Counter, defaultdict
from functools import lru_cache
from html import escape as html_escape

import networkx as nx
from django.utils import formats, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centres.models import ActorCategory, Sector
from collaboration.models import Form
from collaboration.network.change import Change
from collaboration.network.figures import NetworkFigures
from collaboration.network.labels import Mark, place_labels, wrap_name
from collaboration.styles import CROSS_CENTRE_STYLE, FORM_STYLE, SECTOR_COLOURS, SECTOR_SYMBOLS

CHANGE_STYLE = {
    "new": {"color": "#009e73", "symbol": "star", "dash": "solid"},
    "deepened": {"color": "#d55e00", "symbol": "triangle-up", "dash": "solid"},
    "ended": {"color": "#999999", "symbol": "x", "dash": "dot"},
}
SIZE_FIGURES = ("degree", "weighted_degree", "betweenness")
# Above this, hovering a tie is left out: the page would grow by megabytes. The table view lists every tie.
MAX_TIES_WITH_HOVER = 4000
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
MAP_HEIGHT = 640
# The top margin keeps every actor clear of plotly's tool bar, which would otherwise take its clicks.
MARGIN = {"l": 10, "r": 10, "t": 36, "b": 90}
# The plotting area the names are placed for: the map on a laptop screen. On narrower screens map.js hides the
# names that would then collide; the hover and the actor panel still give every name.
REFERENCE_WIDTH = 1040
REFERENCE_HEIGHT = MAP_HEIGHT - MARGIN["t"] - MARGIN["b"]
LABEL_FONT_SIZE = 11
LABEL_HALO = "-1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff, 1px 1px 1px #fff, 0 0 3px #fff"
FONT_FAMILY = "Verdana, 'DejaVu Sans', sans-serif"
# Room around the actors, as a share of the map's extent, so the outermost markers are not cut.
PADDING = 0.05


def map_figure(
    graph: nx.Graph,
    figures: NetworkFigures,
    positions: dict[int, tuple[float, float]],
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    change: Change | None = None,
    ended_graph: nx.Graph | None = None,
    homes: dict[int, int] | None = None,
    captions: list[tuple[float, float, str]] | tuple = (),
    confirmations: tuple = (),
) -> dict:
    """The map. On a map of several centres, `homes` gives each actor's centre, so ties between centres stand out,
    and `captions` each centre's name (x, y, text) above its group."""
    texts = {
        "collaborations": _("Collaborations"),
        # An actor's collaborations are counted once per partner (its strength): not the same number as its list.
        "per_partner": _("Collaborations, counted per partner"),
        "forms": _("Forms"),
        "ongoing": _("ongoing"),
        "partners": _("Partners"),
        "brokerage": _("Brokerage"),
        "form_labels": {form.value: str(form.label) for form in Form},
        "categories": {value: str(label) for value, label in ActorCategory.choices},
        "sectors": {value: str(label) for value, label in Sector.choices},
        # 0,05 in Danish, as on every other page; looked up once, not for each of the actors.
        "decimal": formats.get_format("DECIMAL_SEPARATOR"),
    }
    ties_by_form, across = defaultdict(list), []
    for a, b, data in graph.edges(data=True):
        if homes and homes[a] != homes[b]:
            across.append((a, b, data))
        else:
            ties_by_form[data["highest_form"]].append((a, b, data))
    traces = []
    for form in Form:
        traces += tie_traces(graph, ties_by_form[form.value], positions, texts, form=form)
    traces += tie_traces(graph, across, positions, texts)
    if change:
        traces += change_traces(graph, positions, change, ended_graph)
    if confirmations:
        traces += confirmation_traces(graph, positions, confirmations)
    frame = frame_of([*positions.values(), *((x, y) for x, y, _text in captions)])
    traces += actor_traces(graph, figures, positions, frame, colour_by=colour_by, size_by=size_by, texts=texts)
    layout = map_layout(frame)
    layout["legend"]["groupclick"] = "toggleitem"
    layout["xaxis"]["fixedrange"] = False
    layout["annotations"] = [
        {"x": x, "y": y, "text": f"<b>{escape(text)}</b>", "showarrow": False, "font": {"size": 13}}
        for x, y, text in captions
    ]
    figure = {"data": traces, "layout": layout}
    if any("samkort_ties" in trace for trace in traces):
        figure |= {"names": tie_names(graph), "tie_words": tie_words(texts)}
    return figure


def map_layout(frame: tuple[list[float], list[float]]) -> dict:
    """What every network map's layout shares: no axes, the legend under it, panning, its height."""
    return {
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.01, "yanchor": "top"},
        "margin": MARGIN,
        "font": {"family": FONT_FAMILY},
        # The network fills its frame: the axes are stretched to it, not kept at one scale.
        "xaxis": {"visible": False, "range": frame[0]},
        "yaxis": {"visible": False, "range": frame[1]},
        "hovermode": "closest",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": MAP_HEIGHT,
        "dragmode": "pan",
    }


def escape(text: str) -> str:
    """Text for plotly's names and hovers: <, > and & as entities, so no markup in a name can run; quotes as they
    are, as plotly would show &quot; as it stands."""
    return html_escape(text, quote=False)


def frame_of(points: list[tuple[float, float]], padding: float = PADDING) -> tuple[list[float], list[float]]:
    """The x and y ranges the map shows: the actors' (and captions') extent and a little room around it."""
    xs = [x for x, _y in points] or [0.0]
    ys = [y for _x, y in points] or [0.0]
    ranges = []
    for low, high in ((min(xs), max(xs)), (min(ys), max(ys))):
        room = max(high - low, 0.5) * padding
        ranges.append([point(low - room), point(high + room)])
    return ranges[0], ranges[1]


def point(value: float) -> float:
    # Four decimals are far finer than a pixel and keep the page small.
    return round(value, 4)


def segments(pairs, positions) -> tuple[list, list, dict, dict]:
    """The ties' lines (start, end and a gap per tie) and their midpoints. The midpoints go as binary arrays. The
    lines keep null gaps, the way plotly documents to break a line: as float32 with NaN gaps they were hardly
    smaller (three floats in base64 against their text at four decimals)."""
    xs, ys, mx, my = [], [], array("f"), array("f")
    for a, b in pairs:
        (x0, y0), (x1, y1) = positions[a], positions[b]
        xs += [point(x0), point(x1), None]
        ys += [point(y0), point(y1), None]
        mx.append((x0 + x1) / 2)
        my.append((y0 + y1) / 2)
    return xs, ys, binary(mx), binary(my)


def binary(values: array) -> dict:
    """Plotly's typed-array form: little-endian float32, base64. A third of the text the same numbers take in JSON,
    and read by the browser without parsing them one by one."""
    if sys.byteorder == "big":  # pragma: no cover - plotly reads little-endian
        values.byteswap()
    return {"dtype": "f4", "bdata": base64.b64encode(values.tobytes()).decode("ascii")}


def tie_names(graph: nx.Graph) -> dict[int, str]:
    """Every actor's name, escaped, once: the ties' hovers refer to them."""
    return {node: escape(name) for node, name in graph.nodes(data="name")}


def tie_words(texts: dict) -> dict:
    return {
        "collaborations": texts["collaborations"],
        "forms": texts["forms"],
        "ongoing": texts["ongoing"],
        "form_labels": texts["form_labels"],
    }


# Up to this many ties between centres are drawn at full strength; more, ever fainter (to a fifth).
FEW_TIES_BETWEEN_CENTRES = 40


def tie_traces(graph: nx.Graph, edges: list[tuple], positions, texts: dict, *, form: Form | None = None) -> list[dict]:
    """Ties as one line trace, and invisible midpoints that carry the hovers. Without a form: ties between centres."""
    if not edges:
        return []
    xs, ys, mx, my = segments([(a, b) for a, b, _d in edges], positions)
    if form is None:
        # On two lines: on one, a phone's legend cuts it off.
        ties, why = _("Ties between centres"), _("an actor present in both")
        style, group, name = CROSS_CENTRE_STYLE, "across", f"{ties}<br>({why})"
    else:
        style, group, name = FORM_STYLE[form.value], f"form{form.value}", f"{form.value} · {form.label}"
    lines = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "name": name,
        "legendgroup": group,
        "hoverinfo": "skip",
        "line": {"color": style["color"], "width": style["width"], "dash": style["dash"]},
    }
    if form is None and len(edges) > FEW_TIES_BETWEEN_CENTRES:
        # Many ties between centres cross the map's middle: fainter, so the groups and names stay readable.
        lines["opacity"] = max(0.2, FEW_TIES_BETWEEN_CENTRES / len(edges))
    if graph.number_of_edges() > MAX_TIES_WITH_HOVER:
        return [lines]
    # Lines do not take hovers along their length: an invisible point in the middle of each tie does. Its hover is
    # made in the browser from the tie's row (map.js): the names are sent once, in the figure's `names`.
    midpoints = {
        "type": "scatter",
        "x": mx,
        "y": my,
        "mode": "markers",
        "marker": {"size": 10, "opacity": 0},
        "samkort_ties": [tie_row(a, b, d) for a, b, d in edges],
        "hoverinfo": "text",
        "showlegend": False,
        "legendgroup": group,
    }
    return [lines, midpoints]


def tie_row(a: int, b: int, data: dict) -> list:
    """What a tie's hover says, without the names: [actor, actor, collaborations, forms, first, last or "" while
    ongoing]."""
    last = data["last"]
    return [a, b, data["count"], data["forms"], short_date(data["first"]), short_date(last) if last else ""]


def short_date(day) -> str:
    """A day in the reader's short date format; each day formatted once per language, as a map of thousands of
    ties holds the same days many times over."""
    return formatted_day(day, get_language())


@lru_cache(maxsize=8192)
def formatted_day(day, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def change_traces(graph, positions, change: Change, ended_graph) -> list[dict]:
    labels = {"new": _("New ties"), "deepened": _("Deepened ties"), "ended": _("Ended ties")}
    traces = []
    for kind in ("new", "deepened", "ended"):
        # A tie is drawn where both its actors are on the map: now (new, deepened) or before (ended).
        names = ended_graph if kind == "ended" and ended_graph is not None else graph
        pairs = [
            p
            for p in getattr(change, kind)
            if p[0] in names and p[1] in names and p[0] in positions and p[1] in positions
        ]
        if not pairs:
            continue
        style = CHANGE_STYLE[kind]
        xs, ys, mx, my = segments(pairs, positions)
        hover = [
            f"{labels[kind]}: {escape(names.nodes[a]['name'])} – {escape(names.nodes[b]['name'])}" for a, b in pairs
        ]
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


# One-sided and disputed ties get a mark of their own shape a little off the tie's middle (the change marks sit on
# it); ties both sides confirm, or nobody answered, are left plain.
CONFIRMATION_STYLE = {
    "one_side": {"symbol": "circle-open", "color": "#0f5c8c", "size": 11},
    "disputed": {"symbol": "x", "color": "#b3261e", "size": 13},
}


def confirmation_traces(graph, positions, confirmations: tuple) -> list[dict]:
    """Marks for the latest mapping round: (a, b, state, what a said, what b said) per tie."""
    labels = {"one_side": _("Confirmed by one side"), "disputed": _("Disputed")}
    traces = []
    for state, style in CONFIRMATION_STYLE.items():
        ties = [row for row in confirmations if row[2] == state and graph.has_edge(row[0], row[1])]
        if not ties:
            continue
        xs, ys, hover = [], [], []
        for a, b, _state, said_a, said_b in ties:
            (x0, y0), (x1, y1) = positions[a], positions[b]
            xs.append(point(x0 + (x1 - x0) * 0.4))
            ys.append(point(y0 + (y1 - y0) * 0.4))
            name_a, name_b = escape(graph.nodes[a]["name"]), escape(graph.nodes[b]["name"])
            hover.append(
                f"<b>{name_a} – {name_b}</b><br>{labels[state]}<br>"
                f"{name_a}: {escape(said_a)}<br>{name_b}: {escape(said_b)}"
            )
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "markers",
                "name": f"{labels[state]} ({len(ties)})",
                "legendgroup": f"confirmation-{state}",
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "symbol": style["symbol"],
                    "size": style["size"],
                    "color": style["color"],
                    "line": {"width": 2, "color": style["color"]},
                },
            }
        )
    return traces


def marker_size(value: float, top: float) -> float:
    """A marker's diameter in pixels: 10 for the least, 36 for the most."""
    return round(10 + 26 * (value / top), 1)


def actor_traces(graph, figures: NetworkFigures, positions, frame, *, colour_by: str, size_by: str, texts: dict):
    groups = defaultdict(list)
    for node in graph:
        groups[graph.nodes[node]["sector"] if colour_by == "sector" else graph.nodes[node]["category"]].append(node)
    values = {n: getattr(figures.per_actor[n], size_by) for n in graph}
    top = max(values.values(), default=0) or 1
    sizes = {n: marker_size(values[n], top) for n in graph}
    places = label_places(graph, positions, frame, sizes, values)
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
                "text": [label_text(graph.nodes[n]["name"]) if n in places else "" for n in nodes],
                "textposition": [places.get(n, "middle right") for n in nodes],
                # A white halo keeps each name legible where ties cross it.
                "textfont": {"size": LABEL_FONT_SIZE, "color": "#1d2433", "shadow": LABEL_HALO},
                "cliponaxis": False,
                "customdata": nodes,
                "hovertext": [actor_hover(graph, figures, n, texts) for n in nodes],
                "hoverinfo": "text",
                "marker": {
                    "size": [sizes[n] for n in nodes],
                    "color": colour,
                    "symbol": SECTOR_SYMBOLS.get(key, "circle") if colour_by == "sector" else "circle",
                    "line": {"width": [3 if graph.nodes[n]["based"] else 1 for n in nodes], "color": "#1d2433"},
                },
            }
        )
    return traces


def label_text(name: str) -> str:
    return "<br>".join(escape(line) for line in wrap_name(name))


def label_places(graph, positions, frame, sizes: dict[int, float], values: dict[int, float]) -> dict[int, str]:
    """Where each name goes (plotly's textposition), placed for the map at its reference size."""
    (x0, x1), (y0, y1) = frame
    marks = [
        Mark(
            key=node,
            x=(positions[node][0] - x0) / (x1 - x0) * REFERENCE_WIDTH,
            y=(y1 - positions[node][1]) / (y1 - y0) * REFERENCE_HEIGHT,
            radius=sizes[node] / 2,
            lines=wrap_name(graph.nodes[node]["name"]),
            priority=values[node],
        )
        for node in graph
    ]
    placed = place_labels(marks, REFERENCE_WIDTH, REFERENCE_HEIGHT, font_size=LABEL_FONT_SIZE)
    return {node: position for node, (position, _box) in placed.items()}


def actor_hover(graph, figures: NetworkFigures, node: int, texts: dict) -> str:
    data, f = graph.nodes[node], figures.per_actor[node]
    return (
        f"<b>{escape(data['name'])}</b><br>"
        f"{texts['categories'][data['category']]} · {texts['sectors'][data['sector']]}<br>"
        f"{texts['partners']}: {f.degree} · {texts['per_partner']}: {f.weighted_degree}<br>"
        f"{texts['brokerage']}: {f'{f.betweenness:.2f}'.replace('.', texts['decimal'])}"
    )


# -- Many centres: the centres themselves as the map ------------------------------------------------------------------

# Pairs of centres by how many ties they share, each group drawn as wide as it is strong.
ACROSS_WIDTHS = ((1, 2, 1.5), (3, 9, 3.5), (10, 29, 6), (30, None, 9))


def centres_figure(
    graph: nx.Graph, positions, homes: dict[int, int], centres: tuple, ties_per_centre: Counter | None = None
) -> dict:
    """A map of many centres drawn as the centres: one mark per centre, at its actors' middle and as large as they are
    many; one line per pair of centres that share actors (present in both, or in collaborations of both), as wide as
    they are many. A centre's actors and ties are those its own map shows: `ties_per_centre` counts the ties its own
    collaborations make (without it, the ties between its actors). A click on a centre opens its own map: `centres`
    is (id, name, address of its map) per centre."""
    drawn = {pk for pk, _name, _url in centres}
    at_home: dict[int, list[int]] = defaultdict(list)
    actors: Counter = Counter()
    elsewhere: Counter = Counter()
    shared: Counter = Counter()
    for node, data in graph.nodes(data=True):
        at_home[homes[node]].append(node)
        theirs = sorted(data["centres"] & drawn) or [homes[node]]
        actors.update(theirs)
        if len(theirs) > 1:
            elsewhere.update(theirs)
            shared.update(itertools.combinations(theirs, 2))
    if ties_per_centre is None:
        ties_per_centre = Counter(
            pk for a, b in graph.edges() for pk in graph.nodes[a]["centres"] & graph.nodes[b]["centres"] & drawn
        )
    middles = {
        centre: (
            sum(positions[n][0] for n in nodes) / len(nodes),
            sum(positions[n][1] for n in nodes) / len(nodes),
        )
        for centre, nodes in at_home.items()
    }
    names = {pk: name for pk, name, _url in centres}
    traces = across_traces(shared, middles, names)
    shown = [pk for pk, _name, _url in centres if pk in middles]
    largest = max((actors[pk] for pk in shown), default=1)
    words = {"actors": _("Actors"), "inside": _("Ties"), "elsewhere": _("Actors also in other centres")}
    traces.append(
        {
            "type": "scatter",
            "x": [point(middles[pk][0]) for pk in shown],
            "y": [point(middles[pk][1]) for pk in shown],
            "mode": "markers+text",
            "name": _("Centres (click one to see its map)"),
            "text": [label_text(names[pk]) for pk in shown],
            "textposition": "bottom center",
            "textfont": {"size": 12, "color": "#1d2433", "shadow": LABEL_HALO},
            "cliponaxis": False,
            "customdata": [url for pk, _name, url in centres if pk in middles],
            "hovertext": [
                f"<b>{escape(names[pk])}</b><br>{words['actors']}: {actors[pk]}<br>"
                f"{words['inside']}: {ties_per_centre[pk]}<br>{words['elsewhere']}: {elsewhere[pk]}"
                for pk in shown
            ],
            "hoverinfo": "text",
            "marker": {
                "size": [round(14 + 46 * (actors[pk] / largest) ** 0.5, 1) for pk in shown],
                "color": "#0f5c8c",
                "opacity": 1,
                "line": {"width": 1.5, "color": "#ffffff"},
            },
        }
    )
    # Room for the largest marks and their names under them.
    frame = frame_of(list(middles.values()), padding=0.2)
    return {"data": traces, "layout": map_layout(frame), "drill_down": True}


def across_traces(shared: Counter, middles: dict, names: dict) -> list[dict]:
    """The lines between centres, by the actors they share."""
    shared_words = _("Shared actors")
    traces = []
    for low, high, width in ACROSS_WIDTHS:
        pairs = [pair for pair, count in shared.items() if count >= low and (high is None or count <= high)]
        if not pairs:
            continue
        xs, ys, mx, my = segments(pairs, middles)
        label = (
            _("%(low)s–%(high)s shared actors") % {"low": low, "high": high}
            if high
            else _("%(low)s or more shared actors") % {"low": low}
        )
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "name": label,
                "legendgroup": f"across{low}",
                "hoverinfo": "skip",
                "line": {"color": CROSS_CENTRE_STYLE["color"], "width": width},
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": mx,
                "y": my,
                "mode": "markers",
                "marker": {"size": 12, "opacity": 0},
                "hovertext": [
                    f"<b>{escape(names[a])} – {escape(names[b])}</b><br>{shared_words}: {shared[(a, b)]}"
                    for a, b in pairs
                ],
                "hoverinfo": "text",
                "showlegend": False,
                "legendgroup": f"across{low}",
            }
        )
    return traces
