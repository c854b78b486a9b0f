"""`seed_synthetic`: a large, made-up but valid network for benchmarks, repeatable for the same seed."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from centres.models import Actor, Centre, CentreKind, Presence, PresenceKind
from collaboration.models import (
    ROLES_FOR_FORM,
    Collaboration,
    Form,
    ParticipantRole,
    Participation,
)

TODAY = datetime.date(2026, 3, 15)
SMALL = ("--centres", "2", "--actors", "40", "--collaborations", "200", "--today", TODAY.isoformat())


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_synthetic", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Every collaboration as a user would see it, with its participants by name and role, in writing order."""
    participants = defaultdict(list)
    for collaboration_id, name, role in Participation.objects.order_by("id").values_list(
        "collaboration_id", "actor__name", "role"
    ):
        participants[collaboration_id].append((name, role))
    return [
        (c.centre.slug, c.title, c.form, c.started_on, c.ended_on, c.frequency, c.resource_kind, participants[c.pk])
        for c in Collaboration.objects.select_related("centre").order_by("id")
    ]


def delete_synthetic() -> None:
    Collaboration.objects.all().delete()
    Presence.objects.all().delete()
    Actor.objects.all().delete()
    Centre.objects.all().delete()


@pytest.fixture
def seeded(db, settings) -> str:
    settings.DEBUG = True
    return seed(*SMALL)


def test_counts(seeded):
    assert Centre.objects.count() == 2
    assert Actor.objects.count() == 40
    assert Collaboration.objects.count() == 200
    assert "2 centre, 40 aktører" in seeded and "200 samarbejder" in seeded
    assert list(Centre.objects.order_by("slug").values_list("slug", "name", "kind", "municipality")) == [
        ("syntetisk-01", "Syntetisk center 01", CentreKind.HOUSING_AREA, "Syntetisk Kommune"),
        ("syntetisk-02", "Syntetisk center 02", CentreKind.ASSOCIATION, "Syntetisk Kommune"),
    ]
    assert Actor.objects.filter(name__startswith="Syntetisk aktør 0001 (").exists()
    assert len(set(Actor.objects.values_list("category", flat=True))) > 5


def test_every_actor_is_present_and_most_are_ad_hoc(seeded):
    presences_per_actor = defaultdict(int)
    for actor_id in Presence.objects.values_list("actor_id", flat=True):
        presences_per_actor[actor_id] += 1
    assert set(presences_per_actor) == set(Actor.objects.values_list("id", flat=True))
    assert set(presences_per_actor.values()) <= {1, 2}
    based = Presence.objects.filter(kind=PresenceKind.BASED).count()
    assert 0 < based < Presence.objects.filter(kind=PresenceKind.AD_HOC).count()


def test_every_form_is_present_and_the_lower_forms_are_most_common(seeded):
    forms = list(Collaboration.objects.values_list("form", flat=True))
    assert set(forms) == set(Form.values)
    assert forms.count(Form.KNOWLEDGE_SHARING) > forms.count(Form.CO_CREATION)


def test_every_collaboration_has_two_to_five_distinct_actors_in_valid_roles(seeded):
    by_collaboration = defaultdict(list)
    for collaboration_id, actor_id, role in Participation.objects.values_list("collaboration_id", "actor_id", "role"):
        by_collaboration[collaboration_id].append((actor_id, role))
    collaborations = Collaboration.objects.in_bulk()
    assert set(by_collaboration) == set(collaborations)
    sizes = []
    for collaboration_id, members in by_collaboration.items():
        collaboration = collaborations[collaboration_id]
        actors = [actor_id for actor_id, _role in members]
        assert len(set(actors)) == len(actors)
        assert 2 <= len(actors) <= 5
        assert all(role in ROLES_FOR_FORM[collaboration.form] for _actor, role in members)
        assert collaboration.ended_on is None or collaboration.ended_on >= collaboration.started_on
        assert TODAY - datetime.timedelta(days=3 * 365) <= collaboration.started_on <= TODAY
        sizes.append(len(actors))
    # Most collaborations are between two actors.
    assert sizes.count(2) > len(sizes) / 2


def test_participants_come_from_the_collaborations_centre(seeded):
    present = set(Presence.objects.values_list("centre_id", "actor_id"))
    for centre_id, actor_id in Participation.objects.values_list("collaboration__centre_id", "actor_id"):
        assert (centre_id, actor_id) in present


def test_resource_exchanges_have_a_giver_a_receiver_and_a_kind(seeded):
    exchanges = Collaboration.objects.filter(form=Form.RESOURCE_EXCHANGE)
    assert exchanges.exists()
    for collaboration in exchanges.prefetch_related("participations"):
        roles = {p.role for p in collaboration.participations.all()}
        assert {ParticipantRole.GIVER, ParticipantRole.RECEIVER} <= roles
        assert collaboration.resource_kind
    assert not Collaboration.objects.exclude(form=Form.RESOURCE_EXCHANGE).exclude(resource_kind="").exists()


def test_some_referrals_and_leads(seeded):
    roles = set(Participation.objects.filter(collaboration__form=Form.ALIGNMENT).values_list("role", flat=True))
    assert {ParticipantRole.REFERRER, ParticipantRole.REFERRED} <= roles
    assert Participation.objects.filter(
        collaboration__form__in=[Form.COORDINATED_ACTION, Form.CO_CREATION], role=ParticipantRole.LEAD
    ).exists()


def test_some_actors_are_present_but_never_collaborate(seeded):
    silent = Actor.objects.filter(presences__isnull=False, participations__isnull=True).distinct().count()
    assert silent >= 2  # 5 % of 40


def test_some_actors_are_hubs(seeded):
    counts = defaultdict(int)
    for actor_id in Participation.objects.values_list("actor_id", flat=True):
        counts[actor_id] += 1
    busiest = max(counts.values())
    assert busiest > 4 * (sum(counts.values()) / len(counts))


def test_the_same_seed_gives_the_same_rows(seeded):
    first = snapshot()
    delete_synthetic()
    seed(*SMALL)
    assert snapshot() == first
    delete_synthetic()
    seed(*SMALL, "--seed", "2")
    assert snapshot() != first


def test_a_second_run_continues_the_numbering(seeded):
    seed("--centres", "1", "--actors", "10", "--collaborations", "20", "--today", TODAY.isoformat())
    assert Centre.objects.filter(slug="syntetisk-03", name="Syntetisk center 03").exists()
    assert Actor.objects.filter(name__startswith="Syntetisk aktør 0050 (").exists()
    assert Actor.objects.count() == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred two-actor trigger")
def test_postgresql_accepts_the_rows_at_commit(seeded):
    # The test runs inside a transaction that never commits: make the deferred triggers check now instead.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Collaboration.objects.count() == 200


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed(*SMALL)
    assert not Collaboration.objects.exists()
    seed(*SMALL, "--force")
    assert Collaboration.objects.count() == 200
