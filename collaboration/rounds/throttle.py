"""Failed link lookups are counted per address: guessing links gets a pause, not an endless supply of tries."""

from __future__ import annotations

from django.conf import settings

from samkort.addresses import client_network
from samkort.throttle import attempts, count_attempt

WINDOW_SECONDS = 15 * 60


def key_for(request) -> str:
    return f"samkort:rounds:failed-links:{client_network(request) or 'unknown'}"


def is_blocked(request) -> bool:
    return attempts(key_for(request)) >= settings.ROUND_LINK_FAILURE_LIMIT


def count_failure(request) -> None:
    count_attempt(key_for(request), WINDOW_SECONDS)
