"""Actors the records tests log collaborations between."""

from __future__ import annotations

import pytest

from centres.models import ActorCategory
from tests.factories import make_actor


@pytest.fixture
def actors(db):
    """A job centre, a social enterprise and the youth guidance service: three sectors, no presences."""
    return [
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
        make_actor(name="UU Vestsjælland", category=ActorCategory.YOUTH_GUIDANCE),
    ]
