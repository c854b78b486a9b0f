"""The test suite's settings: development mode, as `make test` promises, then everything as in production."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "true")

from samkort.settings import *  # noqa: E402, F403

# Hashing passwords slowly is the point in production and only a cost in tests, which create hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test run keeps its uploads apart from the development server's.
IMPORT_DIR = Path(tempfile.mkdtemp(prefix="samkort-imports-"))
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="samkort-files-"))

# Each test run has a cache of its own, whatever REDIS_URL the shell has; tests/test_shared_cache.py uses Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samkort-tests"}}
# The counts of attempts in the same memory (one location is one store), so that clearing the cache clears them.
CACHES["counts"] = CACHES["default"]

# Whether a map computed in a request is stored depends on how long it took; tests count queries, so none is stored
# unless a test asks for it.
MAP_STORE_SECONDS = 3600
