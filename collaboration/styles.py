"""How forms and sectors look on every map and chart, on screen and in the PDF: one style, so they match."""

from __future__ import annotations

from centres.models import Sector

# One hue deepening with commitment (as in the CSS), and a dash and width per form so colour is never needed.
FORM_STYLE = {
    1: {"color": "#9cc5e3", "dash": "dot", "width": 1.2},
    2: {"color": "#6aa6d6", "dash": "dash", "width": 1.8},
    3: {"color": "#3b82c0", "dash": "dashdot", "width": 2.6},
    4: {"color": "#1f5f99", "dash": "longdash", "width": 3.6},
    5: {"color": "#0b2f57", "dash": "solid", "width": 5.0},
}
SECTOR_COLOURS = {
    Sector.PUBLIC: "#0072b2",
    Sector.CIVIL_SOCIETY: "#e69f00",
    Sector.PRIVATE: "#009e73",
    Sector.HOUSING: "#cc79a7",
}
SECTOR_SYMBOLS = {
    Sector.PUBLIC: "circle",
    Sector.CIVIL_SOCIETY: "diamond",
    Sector.PRIVATE: "square",
    Sector.HOUSING: "triangle-up",
}
# Ties between two centres' groups on a map of several centres: an actor present in both collaborated across.
CROSS_CENTRE_STYLE = {"color": "#8a8f98", "dash": "dot", "width": 1.2}
