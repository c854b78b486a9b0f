"""The test suite's settings: development mode, as `make test` promises, then everything as in production."""

import os

os.environ.setdefault("DEBUG", "true")

from samkort.settings import *  # noqa: E402, F403

# Hashing passwords slowly is the point in production and only a cost in tests, which create hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
