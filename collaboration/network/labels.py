"""Where each actor's name goes on a map, so that names neither collide with each other nor cover other actors.

A greedy placement: the most important actors first, each name tried in eight places around its marker, the first
free one kept; a name with no free place is left out (the hover and the actor panel still show it). Geometry only,
in pixels with y growing downwards, so the PDF's SVG map and the interactive map use the same placement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_FILE = Path(__file__).resolve().parents[2] / "static" / "samkort" / "fonts" / "DejaVuSans.ttf"
LINE_HEIGHT = 1.2
# Plotly's names for the places around a marker, in the order they are tried: beside first, as people read.
POSITIONS = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "bottom right",
    "top left",
    "bottom left",
)
GAP = 3.0
CELL = 48.0


@dataclass(frozen=True)
class Mark:
    """An actor's marker on the page: its centre and radius in pixels, its label's lines, and how much it matters."""

    key: int
    x: float
    y: float
    radius: float
    lines: tuple[str, ...]
    priority: float


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        horizontally = self.left < other.right and other.left < self.right
        return horizontally and self.top < other.bottom and other.top < self.bottom

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width and self.bottom <= height


def wrap_name(name: str, width: int = 22, max_lines: int = 3) -> tuple[str, ...]:
    """A name in lines of about `width` characters, broken between words, and a word longer than a line (a Danish
    compound: "Beboerrådgivningsservicekontoret…") within it, with a hyphen; the last line ends in … if cut."""
    lines: list[str] = []
    for word in (piece for whole in name.split() for piece in pieces_of(whole, width)):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return tuple(lines)


def pieces_of(word: str, width: int) -> list[str]:
    """A word as it fits lines of `width` characters: whole, or in pieces that end in a hyphen."""
    if len(word) <= width:
        return [word]
    step = width - 1
    pieces = [word[start : start + step] + "-" for start in range(0, len(word) - 1, step)]
    pieces[-1] = pieces[-1][:-1]
    return pieces


@cache
def advance_widths() -> tuple[dict[int, int], int, int]:
    """The shipped DejaVu Sans's advance width per code point, the default width and its units per em."""
    font = TTFont(FONT_FILE, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return widths, metrics[".notdef"][0], font["head"].unitsPerEm


# Characters that take no room: joiners and variation selectors, within emoji.
ZERO_WIDTH = frozenset(map(ord, "\u200c\u200d\ufe0e\ufe0f"))


def text_width(text: str, size: float) -> float:
    widths, default, units = advance_widths()
    return sum(0 if ord(char) in ZERO_WIDTH else widths.get(ord(char), default) for char in text) * size / units


def label_size(lines: tuple[str, ...], size: float) -> tuple[float, float]:
    return max(text_width(line, size) for line in lines), len(lines) * size * LINE_HEIGHT


def box_at(mark: Mark, position: str, width: float, height: float) -> Box:
    """The label's box in one of the eight places around the marker."""
    vertical, horizontal = position.split()
    r = mark.radius + GAP
    if horizontal == "center":
        left = mark.x - width / 2
    elif vertical == "middle":
        left = mark.x + r if horizontal == "right" else mark.x - r - width
    else:  # a corner: the text starts where the marker's diagonal ends
        left = mark.x + r * 0.7 if horizontal == "right" else mark.x - r * 0.7 - width
    if vertical == "middle":
        top = mark.y - height / 2
    elif horizontal == "center":
        top = mark.y - r - height if vertical == "top" else mark.y + r
    else:
        top = mark.y - r * 0.7 - height if vertical == "top" else mark.y + r * 0.7
    return Box(left, top, left + width, top + height)


class Grid:
    """Boxes filed by the cells they touch, so a new box is checked against its neighbours only."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Box, int]]] = defaultdict(list)

    def cells_of(self, box: Box) -> Iterable[tuple[int, int]]:
        for cx in range(int(box.left // CELL), int(box.right // CELL) + 1):
            for cy in range(int(box.top // CELL), int(box.bottom // CELL) + 1):
                yield cx, cy

    def add(self, box: Box, owner: int) -> None:
        for cell in self.cells_of(box):
            self.cells[cell].append((box, owner))

    def collides(self, box: Box, owner: int) -> bool:
        return any(
            other_owner != owner and box.overlaps(other)
            for cell in self.cells_of(box)
            for other, other_owner in self.cells.get(cell, ())
        )


def place_labels(
    marks: list[Mark], width: float, height: float, *, font_size: float, limit: int = 250
) -> dict[int, tuple[str, Box]]:
    """For each mark whose name found room: the place (one of POSITIONS) and the box of its label.

    First every name looks for a place clear of other names and markers; then the names still without one may
    cover a marker, though never another name, so that a busy actor in a crowded middle is still named.
    """
    markers, names = Grid(), Grid()
    for mark in marks:
        r = mark.radius
        markers.add(Box(mark.x - r, mark.y - r, mark.x + r, mark.y + r), mark.key)
    placed: dict[int, tuple[str, Box]] = {}
    ordered = sorted(marks, key=lambda m: (-m.priority, m.lines))[:limit]
    for clear_of_markers in (True, False):
        for mark in ordered:
            if mark.key in placed:
                continue
            label_width, label_height = label_size(mark.lines, font_size)
            for position in POSITIONS:
                box = box_at(mark, position, label_width, label_height)
                if not box.inside(width, height) or names.collides(box, mark.key):
                    continue
                if clear_of_markers and markers.collides(box, mark.key):
                    continue
                placed[mark.key] = (position, box)
                names.add(box, mark.key)
                markers.add(box, mark.key)  # a name is in the way of later names' first choices too
                break
    return placed
