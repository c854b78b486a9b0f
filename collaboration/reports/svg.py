"""Static pictures for reports: the network map and two small charts as SVG, drawn on the server.

The map uses the same stored positions and the same styles per form and sector as the interactive map, so a
report's map looks like the one on screen. No browser is needed: WeasyPrint draws SVG itself.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape

import networkx as nx
from django.utils.safestring import SafeString, mark_safe

from collaboration.models import Form
from collaboration.network.labels import LINE_HEIGHT, Mark, place_labels, wrap_name
from collaboration.styles import CROSS_CENTRE_STYLE, FORM_STYLE, SECTOR_COLOURS
from samkort.text import exportable

DASHES = {"dot": "1.5,3", "dash": "6,3", "dashdot": "7,3,1.5,3", "longdash": "12,4", "solid": ""}
# The same shapes as the interactive map, so sectors read without colour.
SECTOR_SHAPES = {"public": "circle", "civil_society": "diamond", "private": "square", "housing": "triangle"}
MAP_WIDTH = 680
MAP_HEIGHT = 560
MAP_PADDING = 16
LABEL_SIZE = 7.5
FONT = "'Samkort Sans', 'Samkort Emoji', 'DejaVu Sans', sans-serif"


# Emoji variation selectors: the PDF's monochrome emoji font has no use for them, and Pango drew one that followed an
# emoji it could not join with the one before (👩‍⚕️) as a dotted circle.
VARIATION_SELECTORS = str.maketrans("", "", "\ufe0e\ufe0f")


def xml_text(content: str) -> str:
    """Text for inside the SVG: escaped, and without what XML cannot hold (a name saved before the rules could)."""
    return escape(exportable(content).translate(VARIATION_SELECTORS))


@dataclass(frozen=True)
class StaticMap:
    svg: SafeString
    # The actors whose names found no free place: a page has no hover to show them, so it says how many.
    unnamed: int = 0


def network_map(
    graph: nx.Graph,
    positions: dict[int, tuple[float, float]],
    *,
    captions: list[tuple[float, float, str]] = (),
    homes: dict[int, int] | None = None,
    title: str = "",
) -> StaticMap:
    """The ties by highest form (one path per form: thousands of ties stay one element each), the actors, and as
    many names as fit without colliding.

    `captions` are texts at map coordinates, such as each centre's name above its group; with `homes` (each actor's
    centre on a map of several), ties between two centres' groups are drawn apart, grey and dotted.
    """
    nodes = [node for node in graph if node in positions]
    if not nodes:
        return StaticMap(mark_safe(""))
    xs = [positions[n][0] for n in nodes] + [x for x, _y, _t in captions]
    ys = [positions[n][1] for n in nodes] + [y for _x, y, _t in captions]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    width, height = MAP_WIDTH - 2 * MAP_PADDING, MAP_HEIGHT - 2 * MAP_PADDING

    def to_page(x: float, y: float) -> tuple[float, float]:
        # Stretched to the frame on both axes, as the interactive map is.
        px = (x - left) / ((right - left) or 1) * width + MAP_PADDING
        py = (top - y) / ((top - bottom) or 1) * height + MAP_PADDING
        return round(px, 1), round(py, 1)

    at = {node: to_page(*positions[node]) for node in nodes}
    paths = defaultdict(list)
    for a, b, data in graph.edges(data=True):
        if a in at and b in at:
            (x0, y0), (x1, y1) = at[a], at[b]
            kind = "across" if homes and homes[a] != homes[b] else data["highest_form"]
            paths[kind].append(f"M{x0} {y0}L{x1} {y1}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" width="{MAP_WIDTH}" '
        f'height="{MAP_HEIGHT}" role="img" aria-label="{xml_text(title)}" font-family="{FONT}">'
    ]
    # Thousands of ties drawn at full strength hide each other and the actors: the more ties, the fainter each.
    opacity = max(0.08, min(0.75, 300 / max(graph.number_of_edges(), 1)))
    for kind, style in [*((form.value, FORM_STYLE[form.value]) for form in Form), ("across", CROSS_CENTRE_STYLE)]:
        if paths[kind]:
            dash = DASHES[style["dash"]]
            parts.append(
                f'<path d="{"".join(paths[kind])}" fill="none" stroke="{style["color"]}" '
                f'stroke-width="{style["width"] * 0.6:.1f}" stroke-opacity="{opacity:.2f}"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
    degrees = dict(graph.degree())
    top_degree = max(degrees.values(), default=0) or 1
    radius = {node: 2.5 + 7 * degrees[node] / top_degree for node in nodes}
    for node in sorted(nodes, key=lambda n: degrees[n]):
        data = graph.nodes[node]
        parts.append(shape(data["sector"], *at[node], radius[node], stroke_width=1.6 if data["based"] else 0.6))
    marks = [Mark(node, *at[node], radius[node], wrap_name(graph.nodes[node]["name"]), degrees[node]) for node in nodes]
    placed = place_labels(marks, MAP_WIDTH, MAP_HEIGHT, font_size=LABEL_SIZE)
    parts += name_labels(marks, placed)
    for x, y, caption in captions:
        px, py = to_page(x, y)
        parts.append(
            f'<text x="{px}" y="{py + 4:.1f}" font-size="10" font-weight="bold" text-anchor="middle" '
            f'fill="#1d2433">{xml_text(caption)}</text>'
        )
    parts.append("</svg>")
    return StaticMap(mark_safe("".join(parts)), unnamed=sum(1 for mark in marks if mark.key not in placed))


def name_labels(marks: list[Mark], placed: dict) -> list[str]:
    """Each placed name on a pale box of its own, ties dimmed under it, then a white outline as a halo, then the
    text itself on top of it: lines that cross a name no longer cut through its letters.

    WeasyPrint ignores `paint-order`, so one element with a stroke would draw the halo over its own letters.
    """
    parts = []
    for mark in marks:
        if mark.key not in placed:
            continue
        _position, box = placed[mark.key]
        lines = "".join(
            f'<tspan x="{box.left:.1f}" y="{box.top + LABEL_SIZE * (LINE_HEIGHT * i + 1):.1f}">{xml_text(line)}</tspan>'
            for i, line in enumerate(mark.lines)
        )
        common = f'font-size="{LABEL_SIZE}"'
        parts.append(
            f'<rect x="{box.left - 1:.1f}" y="{box.top:.1f}" width="{box.right - box.left + 2:.1f}" '
            f'height="{box.bottom - box.top + 1:.1f}" fill="#ffffff" fill-opacity="0.8"/>'
        )
        parts.append(f'<text {common} fill="#ffffff" stroke="#ffffff" stroke-width="2.5">{lines}</text>')
        parts.append(f'<text {common} fill="#1d2433">{lines}</text>')
    return parts


def shape(sector: str, x: float, y: float, r: float, *, stroke_width: float = 0.6) -> str:
    """A sector's shape centred on (x, y), each drawn to about the same area as a circle of radius r."""
    colour = SECTOR_COLOURS.get(sector, "#777777")
    common = f'fill="{colour}" stroke="#1d2433" stroke-width="{stroke_width}"'
    kind = SECTOR_SHAPES.get(sector, "circle")
    if kind == "square":
        r *= 0.89  # a square of side 1.77 r has a circle's area
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    if kind == "diamond":
        r *= 1.25
        return f'<path d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z" {common}/>'
    if kind == "triangle":
        r *= 1.3
        return f'<path d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y + r * 0.7:.1f}L{x - r:.1f} {y + r * 0.7:.1f}Z" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'


def legend_shape(sector: str) -> SafeString:
    """The shape at one size for every sector, in a box with room for the largest, so the legend lines up."""
    icon = shape(sector, 8, 8, 5)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
        f"{icon}</svg>"
    )


def legend_line(style: dict) -> SafeString:
    dash = DASHES[style["dash"]]
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="36" height="10" viewBox="0 0 36 10" aria-hidden="true">'
        f'<line x1="1" y1="5" x2="35" y2="5" stroke="{style["color"]}" stroke-width="{style["width"] * 0.8:.1f}"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + "/></svg>"
    )


# Each form's bar has a pattern over its shade, as on the map page's chart, so the bars read without colour: none for
# knowledge sharing, then diagonal lines, crossed lines, level lines and dots.
PATTERNS = {
    2: '<path d="M0 6L6 0" stroke="#ffffff" stroke-width="1.1"/>',
    3: '<path d="M0 6L6 0M0 0L6 6" stroke="#ffffff" stroke-width="0.9"/>',
    4: '<path d="M0 3H6" stroke="#ffffff" stroke-width="1.1"/>',
    5: '<circle cx="3" cy="3" r="1.1" fill="#ffffff"/>',
}
# Chart text, in the chart's own units: a chart 680 wide is drawn some 600 px wide on a screen and 17 cm in the PDF.
CHART_TEXT = 10
# What a chart's label takes: a character of the font is some 0.58 of its size on average; names keep this apart.
AVERAGE_CHARACTER_WIDTH = 0.58
LABEL_GAP = 6


def form_patterns(prefix: str, forms=tuple(PATTERNS)) -> str:
    return (
        "<defs>"
        + "".join(
            f'<pattern id="{prefix}-{form}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f"{PATTERNS[form]}</pattern>"
            for form in forms
            if form in PATTERNS
        )
        + "</defs>"
    )


def form_rect(x: float, y: float, width: float, height: float, form: int, prefix: str) -> str:
    shade = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{FORM_STYLE[form]["color"]}" stroke="#ffffff" stroke-width="0.5"/>'
    )
    if form not in PATTERNS:
        return shade
    return shade + (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="url(#{prefix}-{form})"/>'
    )


def legend_swatch(form: int) -> SafeString:
    """A bar's shade and pattern, for the legend beside the bars."""
    prefix = f"swatch-{form}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
        f"{form_patterns(prefix, (form,)) if form in PATTERNS else ''}{form_rect(0, 0, 14, 14, form, prefix)}</svg>"
    )


def stacked_bars(
    series: list[tuple[str, dict[int, int]]],
    *,
    title: str,
    width: int = 680,
    height: int = 220,
    divider: int | None = None,
    divider_captions: tuple[str, str] = ("", ""),
) -> SafeString:
    """Bars per period, stacked by form from the lowest form up; the total above each bar. `divider`: the bar the
    report's own period begins at, marked by a dashed line with a caption for each side (`divider_captions`)."""
    if not series:
        return mark_safe("")
    totals = [sum(counts.values()) for _label, counts in series]
    top = nice_top(max(totals))
    left, bottom, plot_height = 30, 34 if divider is None else 48, height - 56
    height += bottom - 34
    slot = (width - left - 10) / len(series)
    bar = min(36.0, slot * 0.7)
    prefix = "bars-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    parts = [
        svg_open(width, height, title),
        form_patterns(prefix),
        axis(left, width, height - bottom, top, plot_height),
    ]
    every = label_step([label for label, _counts in series], slot)
    for i, (label, counts) in enumerate(series):
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom
        for form in Form:
            value = counts.get(form.value, 0)
            if value:
                h = value / top * plot_height
                y -= h
                parts.append(form_rect(x, y, bar, h, form.value, prefix))
        parts.append(text(x + bar / 2, y - 4, str(totals[i])))
        if i % every == 0:
            parts.append(text(x + bar / 2, height - bottom + 14, label))
    if divider is not None:
        parts.append(period_divider(left + divider * slot, left, width - 10, height - bottom, plot_height))
        before, this = divider_captions
        caption_y = height - bottom + 30
        parts.append(text((left + left + divider * slot) / 2, caption_y, before, size=CHART_TEXT - 1))
        parts.append(text((left + divider * slot + width - 10) / 2, caption_y, this, size=CHART_TEXT - 1))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def period_divider(x: float, left: float, right: float, baseline: float, plot_height: float) -> str:
    """A dashed line between the period before and the report's own, from the top of the bars to their captions."""
    return (
        f'<line x1="{x:.1f}" y1="{baseline - plot_height:.1f}" x2="{x:.1f}" y2="{baseline + 34:.1f}" '
        f'stroke="#5b6475" stroke-width="1" stroke-dasharray="4 3"/>'
    )


def label_step(labels: list[str], slot: float) -> int:
    """Every how many periods a period is named: at most twelve names, and never closer than the widest of them
    needs ("september 2026" takes some 80 units of a 53-unit month), so they never run into each other."""
    widest = max((len(label) for label in labels), default=0) * CHART_TEXT * AVERAGE_CHARACTER_WIDTH
    return max(1, -(-len(labels) // 12), math.ceil((widest + LABEL_GAP) / slot) if slot else 1)


def form_lines(
    series: list[tuple[str, dict[int, int]]], *, title: str, width: int = 680, height: int = 220
) -> SafeString:
    """One line per form over the periods, with the same dashes as the map's ties; nothing for a single period,
    where there is no line to draw."""
    if len(series) < 2:
        return mark_safe("")
    top = nice_top(max((max(counts.values(), default=0) for _label, counts in series), default=0))
    # Room on both sides for half a label, so the first and last quarter's names are not cut.
    left, right, bottom, plot_height = 30, 30, 34, height - 56
    first = left + 20
    step = (width - first - right) / (len(series) - 1)
    parts = [svg_open(width, height, title), axis(left, width, height - bottom, top, plot_height)]
    for form in Form:
        style = FORM_STYLE[form.value]
        points = " ".join(
            f"{first + i * step:.1f},{height - bottom - counts.get(form.value, 0) / top * plot_height:.1f}"
            for i, (_label, counts) in enumerate(series)
        )
        dash = DASHES[style["dash"]]
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{style["color"]}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
    every = label_step([label for label, _counts in series], step)
    for i, (label, _counts) in enumerate(series):
        if i % every == 0:
            parts.append(text(first + i * step, height - bottom + 14, label))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def nice_top(value: int) -> int:
    """The top of the scale: an even number at or above the largest value, so the half-way line is whole too."""
    return max(2, value + value % 2)


def svg_open(width: int, height: int, title: str) -> str:
    """A chart's opening tag, named for screen readers (the figures themselves are in the tables beside it)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{xml_text(title)}" font-family="{FONT}">'
    )


def axis(left: int, width: int, baseline: float, top: int, plot_height: float) -> str:
    lines = [
        f'<line x1="{left}" y1="{baseline}" x2="{width - 5}" y2="{baseline}" stroke="#9aa3b2" stroke-width="0.8"/>'
    ]
    for fraction in (0.5, 1):
        y = baseline - fraction * plot_height
        lines.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 5}" y2="{y:.1f}" stroke="#e3e7ee" stroke-width="0.6"/>'
        )
        lines.append(text(left - 4, y + 3, f"{top * fraction:g}", anchor="end"))
    return "".join(lines)


def text(x: float, y: float, content: str, *, size: int = CHART_TEXT, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="#1d2433">'
        f"{xml_text(content)}</text>"
    )
