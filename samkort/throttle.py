"""Counting attempts in a window, in the cache "counts" (Redis, or else the database): the same count for every
server process.

A cache that does not answer (Redis down) counts nothing and blocks nobody: the limits guard against floods and
guessing, and a partner's link or a reset e-mail must not fail with them. It is logged, once per attempt.
"""

from __future__ import annotations

import logging

from django.core.cache import caches

logger = logging.getLogger(__name__)


def counts():
    return caches["counts"]


def count_attempt(key: str, window_seconds: int) -> int:
    """One more attempt under this key; how many there have been in the window (which starts at the first), or 0
    when the cache cannot count."""
    try:
        cache = counts()
        cache.add(key, 0, window_seconds)
        try:
            return cache.incr(key)
        except ValueError:
            # The count expired between add and incr: this attempt starts a new window.
            cache.set(key, 1, window_seconds)
            return 1
    except Exception as error:  # the cache backend's own errors (redis.ConnectionError) are not Django's
        logger.warning("The cache could not count %s: %s", key, error)
        return 0


def attempts(key: str) -> int:
    """How many attempts the window under this key holds; 0 when the cache cannot say."""
    try:
        return counts().get(key) or 0
    except Exception as error:
        logger.warning("The cache could not read %s: %s", key, error)
        return 0


def forget_attempts(key: str) -> None:
    """The window under this key starts again (after a success that ends the need for it)."""
    try:
        counts().delete(key)
    except Exception as error:
        logger.warning("The cache could not forget %s: %s", key, error)
