"""With REDIS_URL, every server process shares one cache: a guessed partner link counts on every server."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import caches
from django.test import Client

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"samkort-test-{uuid.uuid4().hex}"
    shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    settings.CACHES = {"default": shared, "counts": shared}
    yield prefix
    caches["default"].clear()


def test_redis_url_chooses_the_shared_cache():
    environment = os.environ | {"DEBUG": "true", "REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "samkort.settings"}
    backend = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_without_redis_the_counts_of_attempts_are_kept_in_the_database():
    environment = os.environ | {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "samkort.settings"}
    environment.pop("REDIS_URL", None)
    code = "from django.conf import settings; print(settings.CACHES['counts']['BACKEND'])"
    backend = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_counts_in_the_database_are_the_same_for_every_server_process(db, settings):
    from django.core.management import call_command

    from samkort.throttle import count_attempt

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "one-process"},
        "counts": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samkort_counts"},
    }
    call_command("createcachetable", verbosity=0)
    assert [count_attempt("samkort:test:guess", 60) for _ in range(3)] == [1, 2, 3]
    caches["counts"].close()
    del caches["counts"]  # as another server process, with a connection of its own
    assert count_attempt("samkort:test:guess", 60) == 4


def test_failed_link_lookups_count_on_every_server(db, redis_cache, settings):
    settings.ROUND_LINK_FAILURE_LIMIT = 3
    # Three guesses at "server one"; the same address is paused at "server two", which reads the same Redis.
    for attempt in range(3):
        assert Client(REMOTE_ADDR="10.1.2.3").get(f"/svar/gæt-{attempt}/").status_code == 404
    caches["default"].close()
    assert Client(REMOTE_ADDR="10.1.2.3").get("/svar/endnu-et-gæt/").status_code == 429
    import redis

    stored = redis.Redis.from_url(REDIS_URL).keys(f"{redis_cache}:*failed-links*")
    assert len(stored) == 1
