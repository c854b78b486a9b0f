"""Maps of large selections are computed here, by a worker, and stored for every server process."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from collaboration.maps import store
from samkort.task_priority import WAITED_FOR


@task(priority=WAITED_FOR)
def compute_map(selection_json: dict, options_json: dict, language: str, key: str) -> int:
    """Compute and store the map; the bytes stored. The version is read here, just before the data is."""
    from collaboration.maps.pages import compute_and_store, options_from_json

    selection, options = store.selection_from_json(selection_json), options_from_json(options_json)
    with translation.override(language):
        return compute_and_store(selection, options, key)


@task()
def refresh_centre_map(centre_id: int) -> int:
    """A centre's map computed again after its data changed (collaboration.maps.refresh); the bytes stored."""
    from collaboration.maps import refresh

    return refresh.refresh_centre_map(centre_id)
