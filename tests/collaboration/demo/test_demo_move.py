"""The demo moved from Python literals to data files without changing a row.

The counts and checksums below were taken from `load_demo --reset --today 2026-11-23` before the move (at 2f409ee).
After the move, the dates were fitted to the calendar (a summer party in summer, no meeting on a Sunday): the
collaborations' dates changed then, on purpose, and nothing else did.
"""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from centres.models import Actor, Centre, Membership, Presence
from collaboration.models import Collaboration, Participation

COUNTS_BEFORE_THE_MOVE = {
    "centres": 4,
    "actors": 78,
    "presences": 75,
    "users": 4,
    "memberships": 8,
    "collaborations": 151,
    "participations": 386,
}
# Everything a row holds but database ids, timestamps and the collaborations' start and end dates.
CHECKSUM_WITHOUT_DATES_BEFORE_THE_MOVE = "487e5ea3cb976933275695a105a30f0cca8e3c744b3daf50434b2f8f8337bd48"


def demo_rows(with_dates: bool = True) -> dict[str, list]:
    """Every demo row as plain values, sorted, so the checksum depends on the data and not on ids or order."""
    collaborations = Collaboration.objects.select_related("centre", "created_by").prefetch_related(
        "participations__actor", "themes"
    )
    return {
        "centres": sorted(
            (c.slug, c.name, c.kind, c.municipality, c.address, c.helhedsplan, c.housing_organisation, c.description)
            for c in Centre.objects.all()
        ),
        "actors": sorted(
            (a.name, a.category, a.description, a.website, a.email, a.active) for a in Actor.objects.all()
        ),
        "presences": sorted(
            (p.centre.slug, p.actor.name, p.kind, str(p.started_on), str(p.ended_on), p.note)
            for p in Presence.objects.select_related("centre", "actor")
        ),
        "users": sorted((u.username, u.is_staff, u.is_superuser) for u in get_user_model().objects.all()),
        "memberships": sorted(
            (m.user.username, m.centre.slug, m.role) for m in Membership.objects.select_related("user", "centre")
        ),
        "collaborations": sorted(
            (
                c.centre.slug,
                c.title,
                c.form,
                str(c.started_on) if with_dates else "",
                str(c.ended_on) if with_dates else "",
                c.frequency,
                c.level,
                c.target_group,
                c.citizens_part,
                c.citizen_count or 0,
                c.resource_kind,
                c.description,
                c.goals,
                c.outcome,
                c.created_by.username if c.created_by else "",
                sorted((p.actor.name, p.role) for p in c.participations.all()),
                sorted(t.name for t in c.themes.all()),
            )
            for c in collaborations
        ),
    }


def checksum(rows: dict[str, list]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@pytest.fixture
def loaded(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--reset", "--today", "2026-11-23", stdout=io.StringIO())


def test_it_loads_as_many_rows_as_before_the_move(loaded):
    rows = demo_rows()
    counts = {name: len(values) for name, values in rows.items()} | {"participations": Participation.objects.count()}
    assert counts == COUNTS_BEFORE_THE_MOVE


def test_it_loads_the_same_rows_as_before_the_move_apart_from_the_dates(loaded):
    assert checksum(demo_rows(with_dates=False)) == CHECKSUM_WITHOUT_DATES_BEFORE_THE_MOVE


def test_it_loads_the_same_rows_as_when_the_dates_were_fitted_to_the_calendar(loaded):
    """Before the dates were fitted, every row, dates included, had the checksum 25613edd…2c5e."""
    assert checksum(demo_rows()) == "109f8587de0f5cfafff8eca08bdb813cdedb98d397dd58b569ac38f3f72b990b"
