"""Named users for the tests, each with a comment on what they may do.

All of them are members of `centre` except the outsider; `other_centre` belongs to someone else entirely.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from centres.models import ActorCategory, Role
from tests.factories import make_actor, make_centre, make_membership, make_presence, make_user


@pytest.fixture(autouse=True)
def danish(settings):
    """The product speaks Danish by default; tests assert on what a Danish user sees."""
    settings.LANGUAGE_CODE = "da"
    with translation.override("da"):
        yield


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts without maps remembered from another test's database, nor another test's counts of attempts
    (password resets, guessed links) in Django's cache."""
    from django.core.cache import cache

    from collaboration.maps.pages import clear_cache

    clear_cache()
    cache.clear()


@pytest.fixture
def centre(db):
    return make_centre(name="Kvarterhuset", slug="kvarterhuset")


@pytest.fixture
def other_centre(db):
    return make_centre(name="Andet Hus", slug="andet-hus", municipality="Aarhus")


@pytest.fixture
def staff(centre):
    """Logs and edits collaborations in `centre`; cannot manage actors or members."""
    user = make_user("staff")
    make_membership(user, centre, Role.STAFF)
    return user


@pytest.fixture
def coordinator(centre):
    """Everything staff can, plus managing the centre's actors, presences and memberships."""
    user = make_user("coordinator")
    make_membership(user, centre, Role.COORDINATOR)
    return user


@pytest.fixture
def manager(centre):
    """Reads `centre`; cannot log, edit or manage anything."""
    user = make_user("manager")
    make_membership(user, centre, Role.MANAGER)
    return user


@pytest.fixture
def outsider(other_centre):
    """Staff in `other_centre` only: every object of `centre` must answer 404."""
    user = make_user("outsider")
    make_membership(user, other_centre, Role.STAFF)
    return user


@pytest.fixture
def cafe(db):
    """A social enterprise that cooks in the centre's kitchen; present in `centre` through `presence`."""
    return make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)


@pytest.fixture
def presence(centre, cafe):
    return make_presence(centre, cafe, started_on=datetime.date(2025, 1, 1))


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    return client_for(client, staff)


@pytest.fixture
def coordinator_client(client, coordinator):
    return client_for(client, coordinator)


@pytest.fixture
def manager_client(client, manager):
    return client_for(client, manager)


@pytest.fixture
def outsider_client(client, outsider):
    return client_for(client, outsider)


# The browser fixtures live in tests/browser.py; pytest finds them through this import.
from tests.browser import browser, page  # noqa: E402, F401

# Hypothesis's budget: small enough for every `make test`, larger on demand (HYPOTHESIS_PROFILE=thorough). No deadline:
# an example's time depends on the machine and the database, and speed is measured in bench/, not in tests.
hypothesis_settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
