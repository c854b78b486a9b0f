"""Centres, actors, presences and memberships: the rules the database keeps and the named filters."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from centres.models import (
    SECTOR_OF_CATEGORY,
    Actor,
    ActorCategory,
    Centre,
    Membership,
    Presence,
    PresenceKind,
    Role,
    Sector,
)
from centres.similarity import name_similarity, normalise_name
from tests.factories import make_actor, make_collaboration, make_membership, make_presence, make_user

fill_name_keys = importlib.import_module("centres.migrations.0004_clean_text").fill_name_keys


class TestActor:
    def test_it_refuses_a_name_that_differs_only_in_case(self, db):
        make_actor(name="Jobcenter Slagelse")
        with pytest.raises(IntegrityError), transaction.atomic():
            Actor.objects.create(name="JOBCENTER slagelse", category=ActorCategory.JOB_CENTRE)
        assert Actor.objects.count() == 1

    def test_names_saved_before_folding_keep_both_actors_and_the_later_one_is_renamed_on_record(self, db):
        first, second = make_actor(name="Ældreråd"), make_actor(name="Ældreråd Nord")
        with connection.cursor() as cursor:  # as SQLite's ASCII-only lower() let them in before
            cursor.execute("UPDATE centres_actor SET name = %s, name_key = '-' WHERE id = %s", ["ÆLDRERÅD", second.pk])

        fill_name_keys(apps, None)

        assert Actor.objects.get(pk=first.pk).name == "Ældreråd"
        renamed = Actor.objects.get(pk=second.pk)
        assert (renamed.name, renamed.name_key) == ("ÆLDRERÅD (2)", "ældreråd (2)")
        assert renamed.history.get().changes == {"name": ["ÆLDRERÅD", "ÆLDRERÅD (2)"]}

    def test_model_validation_explains_the_duplicate_in_danish(self, db):
        make_actor(name="Café Sumak")
        with pytest.raises(ValidationError) as error:
            Actor(name="café sumak", category=ActorCategory.BUSINESS).full_clean()
        assert "Der findes allerede en aktør med dette navn." in error.value.messages

    def test_it_refuses_an_unknown_category(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            Actor.objects.create(name="Ukendt", category="alien")

    @pytest.mark.parametrize(
        ("category", "sector", "label"),
        [
            (ActorCategory.JOB_CENTRE, Sector.PUBLIC, "Offentlig sektor"),
            (ActorCategory.LIBRARY_CULTURE, Sector.PUBLIC, "Offentlig sektor"),
            (ActorCategory.HOUSING_ASSOCIATION, Sector.HOUSING, "Boligsektor"),
            (ActorCategory.RESIDENTS_GROUP, Sector.CIVIL_SOCIETY, "Civilsamfund"),
            (ActorCategory.NGO, Sector.CIVIL_SOCIETY, "Civilsamfund"),
            (ActorCategory.BUSINESS, Sector.PRIVATE, "Privat sektor"),
            (ActorCategory.SOCIAL_ENTERPRISE, Sector.PRIVATE, "Privat sektor"),
        ],
    )
    def test_its_sector_follows_from_its_category(self, category, sector, label):
        actor = Actor(name="X", category=category)
        assert actor.sector == sector
        assert actor.get_sector_display() == label

    def test_every_category_has_a_sector(self):
        assert set(SECTOR_OF_CATEGORY) == set(ActorCategory.values)

    def test_in_sector_filters_by_category(self, db):
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
        assert [a.name for a in Actor.objects.in_sector(Sector.PUBLIC)] == ["Jobcenter Slagelse"]
        assert [a.name for a in Actor.objects.in_sector(Sector.PRIVATE)] == ["Café Sumak"]

    def test_known_in_means_present_or_collaborated_in_the_centre(self, centre, other_centre):
        present = make_actor(name="Har base")
        collaborated = make_actor(name="Har samarbejdet")
        elsewhere = make_actor(name="Andetsteds")
        make_presence(centre, present)
        make_presence(centre, collaborated)  # twice known: still listed once
        make_collaboration(centre, actors=[collaborated, make_actor(name="Partner")])
        make_collaboration(other_centre, actors=[elsewhere, present])
        assert [a.name for a in Actor.objects.known_in(centre)] == ["Har base", "Har samarbejdet", "Partner"]


class TestSimilarNames:
    @pytest.fixture
    def actors(self, db):
        return [
            make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
            make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
        ]

    def test_it_finds_a_near_duplicate(self, actors):
        assert [a.name for a in Actor.objects.similar_to("Jobcentret Slagelse")] == ["Jobcenter Slagelse"]

    def test_it_finds_the_same_words_in_another_order(self, actors):
        assert [a.name for a in Actor.objects.similar_to("Slagelse Jobcenter")] == ["Jobcenter Slagelse"]
        assert [a.name for a in Actor.objects.similar_to("Sumak, Café")] == ["Café Sumak"]

    def test_it_ignores_case_and_punctuation(self, actors):
        assert [a.name for a in Actor.objects.similar_to("CAFE-SUMAK!")] == ["Café Sumak"]

    def test_it_does_not_find_a_different_actor(self, actors):
        assert Actor.objects.similar_to("Korsør Bibliotek") == []

    def test_an_empty_name_finds_nothing(self, actors):
        assert Actor.objects.similar_to(" ... ") == []

    def test_the_most_similar_comes_first_and_the_limit_holds(self, db):
        for name in ["Jobcenter Slagelse Vest", "Jobcenter Slagelse", "Jobcentret Slagelse"]:
            make_actor(name=name)
        assert [a.name for a in Actor.objects.similar_to("Jobcenter Slagelse", limit=2)] == [
            "Jobcenter Slagelse",
            "Jobcentret Slagelse",
        ]

    @pytest.mark.parametrize(
        ("name", "normalised"),
        [
            ("Jobcenter Slagelse", "jobcenter slagelse"),
            ("  Café   SUMAK! ", "café sumak"),
            ("Jobcenter-Slagelse", "jobcenter slagelse"),
            ("Boligselskabet (BSB) Slagelse", "boligselskabet bsb slagelse"),
            ("ÆBLEHAVEN", "æblehaven"),
            ("Straße", "strasse"),
            ("ﬁskeklub", "fiskeklub"),  # NFKC turns the ligature into two letters
            ("Boernehuset Maelkevejen, Aarhus", "børnehuset mælkevejen århus"),
            # A key to compare by, not a spelling: "beboer" has an "oe" of its own, in either spelling of the name.
            ("Beboerraadet", "bebørrådet"),
            ("Beboerrådet", "bebørrådet"),
            ("...", ""),
        ],
    )
    def test_normalise_name(self, name, normalised):
        assert normalise_name(name) == normalised

    def test_name_similarity_ignores_case_spacing_and_punctuation_but_not_accents(self):
        assert name_similarity("Café Sumak", "cafe  sumak") < 1
        assert name_similarity("Café Sumak", "CAFÉ, sumak") == 1


class TestPresence:
    def test_it_cannot_end_before_it_starts(self, centre):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_presence(
                centre, make_actor(), started_on=datetime.date(2026, 2, 1), ended_on=datetime.date(2026, 1, 31)
            )
        assert not Presence.objects.exists()

    @pytest.mark.parametrize(
        ("started_on", "ended_on"),
        [
            (datetime.date(2026, 2, 1), datetime.date(2026, 2, 1)),
            (None, datetime.date(2026, 2, 1)),
            (datetime.date(2026, 2, 1), None),
            (None, None),
        ],
    )
    def test_open_or_one_day_periods_are_fine(self, centre, started_on, ended_on):
        make_presence(centre, make_actor(), started_on=started_on, ended_on=ended_on)
        assert Presence.objects.count() == 1

    def test_it_is_unique_per_centre_actor_and_start(self, centre):
        actor = make_actor()
        make_presence(centre, actor, started_on=datetime.date(2026, 1, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            make_presence(centre, actor, started_on=datetime.date(2026, 1, 1), kind=PresenceKind.AD_HOC)
        make_presence(centre, actor, started_on=datetime.date(2026, 6, 1))
        assert Presence.objects.count() == 2

    def test_current_means_going_on_that_day(self, centre):
        day = datetime.date(2026, 6, 15)
        cases = {
            "Uden datoer": (None, None),
            "Startet": (datetime.date(2026, 1, 1), None),
            "Slutter i dag": (datetime.date(2026, 1, 1), day),
            "Starter i dag": (day, None),
            "Kun slutdato": (None, datetime.date(2026, 12, 31)),
            "Sluttet": (datetime.date(2025, 1, 1), datetime.date(2026, 6, 14)),
            "Starter senere": (datetime.date(2026, 6, 16), None),
            "Kun slutdato, sluttet": (None, datetime.date(2026, 1, 1)),
        }
        for name, (started_on, ended_on) in cases.items():
            make_presence(centre, make_actor(name=name), started_on=started_on, ended_on=ended_on)
        current = Presence.objects.current(on=day).values_list("actor__name", flat=True)
        assert sorted(current) == sorted(["Uden datoer", "Startet", "Slutter i dag", "Starter i dag", "Kun slutdato"])

    def test_current_defaults_to_today(self, centre):
        today = datetime.date.today()
        make_presence(centre, make_actor(name="Nu"), started_on=today - datetime.timedelta(days=1))
        make_presence(centre, make_actor(name="Senere"), started_on=today + datetime.timedelta(days=30))
        assert list(Presence.objects.current().values_list("actor__name", flat=True)) == ["Nu"]


class TestMembership:
    def test_a_user_is_a_member_of_a_centre_once(self, centre):
        user = make_user()
        make_membership(user, centre, Role.STAFF)
        with pytest.raises(IntegrityError), transaction.atomic():
            make_membership(user, centre, Role.COORDINATOR)
        assert Membership.objects.get(user=user).role == Role.STAFF

    def test_a_user_may_be_a_member_of_several_centres(self, centre, other_centre):
        user = make_user()
        make_membership(user, centre, Role.STAFF)
        make_membership(user, other_centre, Role.MANAGER)
        assert user.memberships.count() == 2

    def test_it_refuses_an_unknown_role(self, centre):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_membership(make_user(), centre, "boss")

    @pytest.mark.parametrize(
        ("role", "can_log", "can_manage"),
        [(Role.STAFF, True, False), (Role.COORDINATOR, True, True), (Role.MANAGER, False, False)],
    )
    def test_what_each_role_may_do(self, centre, role, can_log, can_manage):
        membership = make_membership(make_user(), centre, role)
        assert (membership.can_log, membership.can_manage) == (can_log, can_manage)


class TestCentreQuerySet:
    def test_for_user_gives_the_centres_the_user_is_a_member_of(self, staff, outsider, centre, other_centre):
        unknown = Centre.objects.create(name="Tomt", slug="tomt", kind="library", municipality="Sorø")
        assert list(Centre.objects.for_user(staff)) == [centre]
        assert list(Centre.objects.for_user(outsider)) == [other_centre]
        make_membership(staff, other_centre, Role.MANAGER)
        assert list(Centre.objects.for_user(staff)) == [other_centre, centre]
        assert unknown not in Centre.objects.for_user(staff)

    def test_for_user_gives_nothing_to_anonymous_users(self, centre):
        assert list(Centre.objects.for_user(AnonymousUser())) == []
        assert list(Centre.objects.where_user_has_role(AnonymousUser(), [Role.STAFF])) == []

    def test_where_user_has_role(self, staff, manager, coordinator, centre):
        assert list(Centre.objects.where_user_has_role(staff, [Role.STAFF, Role.COORDINATOR])) == [centre]
        assert list(Centre.objects.where_user_has_role(coordinator, [Role.COORDINATOR])) == [centre]
        assert list(Centre.objects.where_user_has_role(manager, [Role.STAFF, Role.COORDINATOR])) == []

    def test_active(self, centre, other_centre):
        Centre.objects.filter(pk=other_centre.pk).update(active=False)
        assert list(Centre.objects.active()) == [centre]
