"""Maps of large selections are computed here, by a worker, and stored for every server process."""

from __future__ import annotations

import time

from django.utils import translation
from django_tasks import task

from collaboration.maps import store


@task()
def compute_map(selection_json: dict, options_json: dict, language: str, key: str) -> int:
    """Compute and store the map; the bytes stored. The version is read here, just before the data is."""
    from collaboration.maps.pages import build_map, cache_keys, options_from_json

    selection, options = store.selection_from_json(selection_json), options_from_json(options_json)
    with translation.override(language):
        _key, version = cache_keys(selection, options)
        if store.exists(key, version):
            return 0
        started = time.monotonic()
        view = build_map(selection, **options)
        # What the page and its charts would otherwise work out on their first read, in every process.
        view.actor_list  # noqa: B018 - a cached property, computed now to be stored with the map
        view.chart_scripts  # noqa: B018
        seconds = time.monotonic() - started
        _key, current = cache_keys(selection, options)
        return store.save(key, version, view, seconds, is_current=current == version)


@task()
def refresh_centre_map(centre_id: int) -> int:
    """A centre's map computed again after its data changed (collaboration.maps.refresh); the bytes stored."""
    from collaboration.maps import refresh

    return refresh.refresh_centre_map(centre_id)
