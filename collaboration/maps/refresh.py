"""A centre's map computed again by a worker after its data changed, so the first view after a change reads it from
the store instead of computing it in the request. No HTTP.

Every change to a centre's collaborations or presences, to an actor known there, and to what partners said in its
latest mapping round, queues one refresh once the transaction has committed; changes made while one is queued join
it, as it reads the data when it runs.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict
from django.utils import timezone, translation

from centres.models import Actor, Centre, Presence
from collaboration.maps.forms import map_filters
from collaboration.maps.pages import cache_keys, compute_and_store, map_options
from collaboration.models import Collaboration, Participation
from collaboration.rounds.results import latest_results
from collaboration.signals import centre_written_in_bulk, round_marks_changed


def connect() -> None:
    """Listen for changes (from collaboration.apps, once the models are ready); bulk writes, which send no model
    signals, send centre_written_in_bulk (collaboration.imports.write); a mapping round's answers change the marks on
    the map and its key, and send round_marks_changed (collaboration.rounds.services)."""
    for model in (Collaboration, Presence):
        post_save.connect(centre_row_changed, sender=model, dispatch_uid=f"map-refresh-save-{model.__name__}")
        post_delete.connect(centre_row_changed, sender=model, dispatch_uid=f"map-refresh-delete-{model.__name__}")
    post_save.connect(actor_changed, sender=Actor, dispatch_uid="map-refresh-actor")
    centre_written_in_bulk.connect(centre_written, dispatch_uid="map-refresh-bulk")
    round_marks_changed.connect(centre_written, dispatch_uid="map-refresh-round")


def centre_written(sender, centre_id: int, **kwargs) -> None:
    centre_changed(centre_id)


def centre_row_changed(sender, instance, **kwargs) -> None:
    centre_changed(instance.centre_id)


def actor_changed(sender, instance: Actor, created: bool = False, **kwargs) -> None:
    # A new actor is on no map yet; a renamed or recategorised one is on the map of every centre it is known in.
    if created or not settings.MAP_REFRESH_AFTER_CHANGE:
        return
    present = Presence.objects.filter(actor=instance).values_list("centre_id", flat=True)
    collaborated = Participation.objects.filter(actor=instance).values_list("collaboration__centre_id", flat=True)
    for centre_id in set(present) | set(collaborated):
        centre_changed(centre_id)


def centre_changed(centre_id: int) -> None:
    """Queue a refresh of the centre's map for when the current transaction commits."""
    if settings.MAP_REFRESH_AFTER_CHANGE:
        # Robust: the change is saved whatever happens here; a refresh that cannot be queued is logged, never a 500.
        transaction.on_commit(lambda: queue_refresh(centre_id), robust=True)


def queue_refresh(centre_id: int) -> None:
    # One queued refresh per centre, whichever process saw the change (the shared cache says).
    if not cache.add(pending_key(centre_id), True, timeout=600):
        return
    from django_tasks import default_task_backend

    from collaboration.maps.tasks import refresh_centre_map

    task = refresh_centre_map
    if default_task_backend.supports_defer:
        later = timezone.now() + datetime.timedelta(seconds=settings.MAP_REFRESH_DELAY_SECONDS)
        task = task.using(run_after=later)
    try:
        task.enqueue(centre_id)
    except Exception:
        cache.delete(pending_key(centre_id))  # the next change tries again
        raise


def pending_key(centre_id: int) -> str:
    return f"samkort:map-refresh-queued:{centre_id}"


def refresh_centre_map(centre_id: int) -> int:
    """Store the centre's map as its page first shows it (the last twelve months, default colours), in each
    language; the bytes stored (0 when it was stored already, or the centre is gone)."""
    # From here on a new change queues a new refresh: this one may read the data before that change.
    cache.delete(pending_key(centre_id))
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None:
        return 0
    stored = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            stored += store_first_view(centre)
    return stored


def store_first_view(centre: Centre) -> int:
    filters = map_filters(QueryDict())
    selection = filters.selection((centre.pk,))
    values = filters.valid_values()
    options = map_options(values, [centre], latest_results(centre, values.get("start"), values.get("end")))
    key, _version = cache_keys(selection, options)
    return compute_and_store(selection, options, key)
