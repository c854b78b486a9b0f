"""Counting attempts in a window, in the shared cache: the same count for every server process."""

from __future__ import annotations

from django.core.cache import cache


def count_attempt(key: str, window_seconds: int) -> int:
    """One more attempt under this key; how many there have been in the window (which starts at the first)."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:
        # The count expired between add and incr: this attempt starts a new window.
        cache.set(key, 1, window_seconds)
        return 1
