"""Maps computed once, for every server process: kept in the database under the data version they came from.

A map of a large selection (tens of thousands of collaborations: a municipality, a national programme) takes longer
to compute than a page may wait. It is computed by a background task and stored here; every web process on every
machine then reads the same result. While a newer version is being computed, pages show the last one with a note
and fetch the new one when it is ready. No HTTP here.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import pickle
import zlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from collaboration.models import StoredMap
from collaboration.network.graph import Selection
from samkort.gcpause import gc_paused

# Fast compression: a map's payload is written once and read by every process that needs it.
COMPRESSION_LEVEL = 1


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def selection_to_json(selection: Selection) -> dict:
    """The selection as a task's argument (JSON): dates as ISO text."""
    values = dataclasses.asdict(selection)
    for name in ("start", "end"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def selection_from_json(values: dict) -> Selection:
    values = dict(values)
    for name in ("start", "end"):
        values[name] = datetime.date.fromisoformat(values[name]) if values[name] else None
    return Selection(**{name: tuple(value) if isinstance(value, list) else value for name, value in values.items()})


def pack(view) -> bytes:
    """The map as stored: its page ready to show, its networks packed inside (MapView.__getstate__)."""
    return zlib.compress(pickle.dumps(view, protocol=5), COMPRESSION_LEVEL)


@gc_paused()
def unpack(payload: bytes):
    # A map stored before its networks were packed apart is a million small objects at once (see unpack_networks).
    return pickle.loads(zlib.decompress(payload))  # noqa: S301 - written by this app only, never from a request


def pack_networks(networks) -> bytes:
    # Compressed on their own: a process keeps them packed, often for as long as it keeps the map.
    return zlib.compress(pickle.dumps(networks, protocol=5), COMPRESSION_LEVEL)


@gc_paused()
def unpack_networks(packed: bytes):
    # A large network is a million small objects at once: the collector would walk them all for nothing (0.47 s
    # against 0.12 s for the map of 10,000 actors).
    return pickle.loads(zlib.decompress(packed))  # noqa: S301 - written by this app only, never from a request


def load(key: str, version: str):
    """The map stored for exactly this version; None when there is none."""
    row = StoredMap.objects.filter(key=key, version=version).only("payload").first()
    return unpack(bytes(row.payload)) if row else None


def exists(key: str, version: str) -> bool:
    return StoredMap.objects.filter(key=key, version=version).exists()


def latest(key: str) -> tuple[int, datetime.datetime] | None:
    """The most recent stored version of the key, whatever its version: (row, when it was computed); or None."""
    return StoredMap.objects.filter(key=key).order_by("-created_at").values_list("pk", "created_at").first()


def load_row(pk: int):
    row = StoredMap.objects.filter(pk=pk).only("payload").first()
    return unpack(bytes(row.payload)) if row else None


def save(key: str, version: str, view, seconds: float, *, is_current: bool = True) -> int:
    """Store the map for its version; the size stored, in bytes. Other versions are dropped only when this one is
    the data's current version: a map that a slow worker finishes after the data changed again never replaces a
    newer one."""
    payload = pack(view)
    try:
        with transaction.atomic():
            if is_current:
                StoredMap.objects.filter(key=key).exclude(version=version).delete()
            StoredMap.objects.create(key=key, version=version, payload=payload, size=len(payload), seconds=seconds)
    except IntegrityError:
        pass  # another process stored the same version first: the same map
    return len(payload)


def purge(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    deleted, _ = StoredMap.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
