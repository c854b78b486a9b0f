"""A centre with a mapping round: the café and the job centre asked, the youth guidance service not."""

from __future__ import annotations

import datetime

import pytest

from centres.models import ActorCategory
from collaboration.models import Form
from collaboration.rounds.tokens import link_token
from tests.factories import make_actor, make_collaboration, make_invitation, make_round


@pytest.fixture
def actors(db):
    return {
        "job": make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        "cafe": make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
        "uu": make_actor(name="UU Vestsjælland", category=ActorCategory.YOUTH_GUIDANCE),
        "church": make_actor(name="Kirkens Korshær", category=ActorCategory.NGO),
    }


@pytest.fixture
def record(centre, actors):
    """Three collaborations in 2026 and one from 2024, outside the round's period."""
    return {
        "jobcafe": make_collaboration(
            centre,
            actors=[actors["job"], actors["cafe"]],
            title="Fælles jobcafé",
            form=Form.COORDINATED_ACTION,
            started_on=datetime.date(2026, 3, 1),
        ),
        "guidance": make_collaboration(
            centre,
            actors=[actors["uu"], actors["church"]],
            title="Vejledning i kirkens lokaler",
            started_on=datetime.date(2026, 4, 1),
        ),
        "meeting": make_collaboration(
            centre,
            actors=[actors["cafe"], actors["uu"]],
            title="Husmøde",
            started_on=datetime.date(2026, 5, 1),
        ),
        "old": make_collaboration(
            centre,
            actors=[actors["job"], actors["cafe"]],
            title="Gammelt projekt",
            started_on=datetime.date(2024, 3, 1),
            ended_on=datetime.date(2024, 6, 30),
        ),
    }


@pytest.fixture
def round_(centre, coordinator, record):
    return make_round(centre, created_by=coordinator)


@pytest.fixture
def invitations(round_, actors):
    return {key: make_invitation(round_, actors[key]) for key in ("job", "cafe")}


@pytest.fixture
def cafe_link(invitations):
    return f"/svar/{link_token(invitations['cafe'])}/"


@pytest.fixture
def job_link(invitations):
    return f"/svar/{link_token(invitations['job'])}/"
