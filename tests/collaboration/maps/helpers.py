"""What the map tests share: a process that must not compute a map, and the one map it keeps."""

from __future__ import annotations

from collaboration.maps import pages


def never_computed_here(monkeypatch):
    """From here on this process may read a stored map but not compute one."""

    def refuse(*args, **kwargs):
        raise AssertionError("the map was computed in this process")

    monkeypatch.setattr(pages, "analyse", refuse)


def the_map_kept() -> pages.MapView:
    """The one map this process keeps in memory."""
    (view,) = [entry[1] for entry in pages._cache.values() if isinstance(entry[1], pages.MapView)]
    return view
