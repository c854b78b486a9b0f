"""The demo data: four centres of the four kinds, about 150 consistent collaborations, and repeatable loading."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse

from centres.models import Actor, Centre, CentreKind, Membership, Presence, PresenceKind, Role
from collaboration.demo.loader import centre_files, danish_holidays, demo_logins
from collaboration.management.commands.load_demo import ALREADY_LOADED
from collaboration.models import (
    ROLES_FOR_FORM,
    Collaboration,
    Form,
    Frequency,
    ParticipantRole,
    Participation,
    Theme,
)
from samkort.validators import contains_cpr_like_number

TODAY = datetime.date(2026, 3, 15)
TWO_YEARS_BEFORE = datetime.date(2024, 3, 15)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo hashes its shared password once; a fast hasher keeps each test's load and login quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return load_demo()


def snapshot() -> list[tuple]:
    """What a user would see of every collaboration, in the order the rows were written."""
    return [
        (
            c.centre.slug,
            c.title,
            c.started_on,
            c.ended_on,
            c.form,
            c.frequency,
            c.level,
            c.citizen_count,
            c.resource_kind,
            sorted((p.actor.name, p.role) for p in c.participations.all()),
            sorted(theme.name for theme in c.themes.all()),
        )
        for c in Collaboration.objects.with_details().order_by("id")
    ]


def row_counts() -> dict[str, int]:
    return {
        "centres": Centre.objects.count(),
        "actors": Actor.objects.count(),
        "presences": Presence.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
        "collaborations": Collaboration.objects.count(),
        "participations": Participation.objects.count(),
    }


@pytest.mark.django_db
def test_it_loads_four_centres_of_each_kind(demo):
    assert sorted(Centre.objects.values_list("kind", flat=True)) == sorted(CentreKind.values)
    assert set(Centre.objects.values_list("slug", flat=True)) == {
        "motalavej",
        "foreningernes-hus",
        "hedemarken",
        "aalborg-oest",
    }


@pytest.mark.django_db
def test_it_loads_about_150_collaborations(demo):
    assert 130 <= Collaboration.objects.count() <= 170


@pytest.mark.django_db
def test_it_has_every_form_well_represented_in_every_centre(demo):
    for centre in Centre.objects.all():
        per_form = Counter(centre.collaborations.values_list("form", flat=True))
        assert set(per_form) == set(Form.values), centre.slug
        assert min(per_form.values()) >= 3, (centre.slug, per_form)
        # Sharing knowledge is more common than creating something new together.
        assert per_form[Form.KNOWLEDGE_SHARING] > per_form[Form.CO_CREATION], centre.slug


@pytest.mark.django_db
def test_it_gives_every_collaboration_two_to_five_distinct_participants(demo):
    # On PostgreSQL the deferred two-actor trigger also runs: Django checks deferred constraints as each test ends.
    per_collaboration = Collaboration.objects.annotate(
        actors=models.Count("participations__actor", distinct=True), rows=models.Count("participations")
    )
    for collaboration in per_collaboration:
        assert 2 <= collaboration.actors <= 5, collaboration.title
        assert collaboration.actors == collaboration.rows, collaboration.title
    with_three_or_more = per_collaboration.filter(actors__gte=3).count()
    assert 0.15 <= with_three_or_more / per_collaboration.count() <= 0.4


@pytest.mark.django_db
def test_it_gives_resource_exchanges_a_giver_a_receiver_and_a_resource_kind(demo):
    exchanges = Collaboration.objects.filter(form=Form.RESOURCE_EXCHANGE).prefetch_related("participations")
    assert exchanges.exists()
    for collaboration in exchanges:
        roles = {p.role for p in collaboration.participations.all()}
        assert {ParticipantRole.GIVER, ParticipantRole.RECEIVER} <= roles, collaboration.title
        assert collaboration.resource_kind, collaboration.title
    assert not Collaboration.objects.exclude(form=Form.RESOURCE_EXCHANGE).exclude(resource_kind="").exists()


@pytest.mark.django_db
def test_it_uses_only_roles_that_fit_each_form(demo):
    for collaboration in Collaboration.objects.prefetch_related("participations"):
        roles = [p.role for p in collaboration.participations.all()]
        assert set(roles) <= set(ROLES_FOR_FORM[collaboration.form]), collaboration.title
        if collaboration.form == Form.ALIGNMENT:
            assert (ParticipantRole.REFERRER in roles) == (ParticipantRole.REFERRED in roles), collaboration.title
        assert roles.count(ParticipantRole.LEAD) <= 1, collaboration.title
    referrals = Participation.objects.filter(role=ParticipantRole.REFERRER).count()
    alignments = Collaboration.objects.filter(form=Form.ALIGNMENT).count()
    assert 0 < referrals < alignments


@pytest.mark.django_db
def test_it_dates_every_collaboration_within_the_24_months_before_today(demo):
    for collaboration in Collaboration.objects.all():
        assert TWO_YEARS_BEFORE <= collaboration.started_on <= TODAY, collaboration.title
        if collaboration.ended_on:
            assert collaboration.started_on <= collaboration.ended_on <= TODAY, collaboration.title
        if collaboration.frequency == Frequency.ONCE:
            assert collaboration.ended_on == collaboration.started_on, collaboration.title
    assert Collaboration.objects.filter(ended_on__isnull=True).count() > Collaboration.objects.count() / 3


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-03-15", "2026-11-23", "2027-07-01"])
def test_it_starts_what_has_a_season_in_its_season(db, debug, today):
    call_command("load_demo", "--reset", "--today", today, stdout=io.StringIO())
    seasonal = {spec.title: spec.months for file in centre_files() for spec in file.collaborations if spec.months}
    assert "Sommerfest på Motalavej" in seasonal
    started = dict(Collaboration.objects.filter(title__in=seasonal).values_list("title", "started_on"))
    assert {title: day.month in seasonal[title] for title, day in started.items()} == dict.fromkeys(seasonal, True)


@pytest.mark.django_db
def test_it_starts_every_collaboration_on_a_working_day(demo):
    for title, day in Collaboration.objects.values_list("title", "started_on"):
        assert day.weekday() < 5 and day not in danish_holidays(day.year), (title, day)


def test_it_knows_the_danish_public_holidays():
    assert {datetime.date(2026, 4, 2), datetime.date(2026, 4, 3), datetime.date(2026, 4, 6)} < danish_holidays(2026)
    assert {datetime.date(2026, 5, 14), datetime.date(2026, 5, 25), datetime.date(2026, 12, 24)} < danish_holidays(2026)
    assert datetime.date(2026, 4, 7) not in danish_holidays(2026)


@pytest.mark.django_db
def test_it_records_a_failed_co_creation_and_what_was_learned(demo):
    failed = Collaboration.objects.filter(form=Form.CO_CREATION, ended_on__isnull=False, outcome__icontains="læring")
    assert failed.count() >= 1


@pytest.mark.django_db
def test_it_tags_collaborations_with_the_seeded_themes_mostly_active(demo):
    tagged = Collaboration.themes.through.objects.select_related("theme")
    assert Theme.objects.count() == 7
    assert sum(link.theme.active for link in tagged) > 0.9 * tagged.count()


@pytest.mark.django_db
def test_it_has_fixed_tenants_ad_hoc_users_and_an_ended_presence(demo):
    for centre in Centre.objects.all():
        kinds = set(centre.presences.values_list("kind", flat=True))
        assert kinds == {PresenceKind.BASED, PresenceKind.AD_HOC}, centre.slug
        assert 12 <= Actor.objects.known_in(centre).count() <= 21, centre.slug
    assert Presence.objects.filter(ended_on__isnull=False).exists()
    # Shared actors work with several centres, as the job centres and Kirkens Korshær do in real life.
    assert Actor.objects.get(name="Kirkens Korshær").presences.count() == 2


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again_without_reset(demo):
    before = snapshot(), row_counts()

    output = load_demo()

    assert ALREADY_LOADED in output
    assert (snapshot(), row_counts()) == before


@pytest.fixture
def debug(settings):
    """--reset deletes everything, so it only runs in development."""
    settings.DEBUG = True


@pytest.mark.django_db
def test_it_loads_identical_data_again_with_reset(demo, debug):
    before = snapshot(), row_counts()
    Collaboration.objects.filter(form=Form.KNOWLEDGE_SHARING).delete()

    output = load_demo("--reset")

    assert "medarbejder / samkort-demo" in output
    assert (snapshot(), row_counts()) == before


@pytest.mark.django_db
def test_it_moves_every_date_with_today(demo, debug):
    earlier = io.StringIO()
    call_command("load_demo", "--reset", "--today", "2025-03-15", stdout=earlier)

    assert max(Collaboration.objects.values_list("started_on", flat=True)) <= datetime.date(2025, 3, 15)


@pytest.mark.django_db
def test_it_refuses_to_reset_a_production_database(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Collaboration.objects.count() > 100


@pytest.mark.django_db
def test_it_rejects_a_malformed_date():
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("load_demo", "--today", "15-03-2026", stdout=io.StringIO())
    assert not Centre.objects.exists()


@pytest.mark.django_db
def test_it_creates_the_demo_users_with_their_roles(demo):
    def roles_of(username: str) -> set[tuple[str, str]]:
        return set(Membership.objects.filter(user__username=username).values_list("centre__slug", "role"))

    assert roles_of("medarbejder") == {("motalavej", Role.STAFF), ("hedemarken", Role.STAFF)}
    assert roles_of("tovholder") == {("motalavej", Role.COORDINATOR), ("foreningernes-hus", Role.COORDINATOR)}
    assert roles_of("leder") == {(slug, Role.MANAGER) for slug in Centre.objects.values_list("slug", flat=True)}
    assert roles_of("admin") == set()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not get_user_model().objects.filter(username="leder", is_staff=True).exists()


@pytest.mark.django_db
def test_a_new_round_of_the_demo_coordinator_is_signed_with_her_name(demo, client):
    client.force_login(get_user_model().objects.get(username="tovholder"))

    page = client.get(reverse("round_create", args=["motalavej"])).content.decode()

    assert 'value="Mette Holm"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "password", "description"), demo_logins())
def test_the_demo_users_can_log_in(demo, client, username, password, description):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert description in demo


@pytest.mark.django_db
def test_it_puts_no_cpr_like_number_in_any_text(demo):
    for model in (Centre, Actor, Presence, Collaboration):
        text_fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*text_fields):
            for value in row:
                assert not contains_cpr_like_number(value), value
