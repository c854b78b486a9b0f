"""Collaborations and participations: the rules the database keeps, the named filters and the write path."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from centres.models import Role
from collaboration.models import (
    Collaboration,
    Form,
    HistoryAction,
    HistoryEntry,
    ParticipantRole,
    Participation,
    ResourceKind,
    Theme,
)
from collaboration.records.forms import CollaborationForm
from collaboration.records.services import delete_collaboration, save_collaboration
from tests.factories import collaboration_post, make_actor, make_collaboration, make_membership, make_user

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the two-actor rule is a deferred PostgreSQL trigger"
)


def titles(queryset) -> list[str]:
    return sorted(c.title for c in queryset)


def create_bare(centre, **kwargs) -> Collaboration:
    """A collaboration row alone, for checks that the database makes on insert.

    Only for rows that are refused or rolled back: PostgreSQL also checks the two-actor rule when a test ends.
    """
    kwargs.setdefault("title", "Netværksmøde")
    kwargs.setdefault("form", Form.KNOWLEDGE_SHARING)
    kwargs.setdefault("started_on", datetime.date(2026, 3, 1))
    return Collaboration.objects.create(centre=centre, **kwargs)


class TestCheckConstraints:
    def test_it_cannot_end_before_it_starts(self, centre):
        with pytest.raises(IntegrityError), transaction.atomic():
            create_bare(centre, started_on=datetime.date(2026, 3, 2), ended_on=datetime.date(2026, 3, 1))
        assert not Collaboration.objects.exists()

    def test_it_may_end_the_day_it_starts(self, centre):
        make_collaboration(centre, started_on=datetime.date(2026, 3, 1), ended_on=datetime.date(2026, 3, 1))
        assert Collaboration.objects.count() == 1

    def test_a_resource_exchange_must_say_what_was_exchanged(self, centre):
        with pytest.raises(IntegrityError), transaction.atomic():
            create_bare(centre, form=Form.RESOURCE_EXCHANGE, resource_kind="")
        make_collaboration(centre, form=Form.RESOURCE_EXCHANGE, resource_kind=ResourceKind.ROOMS)
        assert Collaboration.objects.count() == 1

    @pytest.mark.parametrize(
        "form", [Form.KNOWLEDGE_SHARING, Form.ALIGNMENT, Form.COORDINATED_ACTION, Form.CO_CREATION]
    )
    def test_other_forms_may_not_say_what_was_exchanged(self, centre, form):
        with pytest.raises(IntegrityError), transaction.atomic():
            create_bare(centre, form=form, resource_kind=ResourceKind.MONEY)
        assert not Collaboration.objects.exists()

    def test_at_most_100000_residents_take_part(self, centre):
        with pytest.raises(IntegrityError), transaction.atomic():
            create_bare(centre, citizen_count=1501901234)
        make_collaboration(centre, citizen_count=100_000)
        assert Collaboration.objects.get().citizen_count == 100_000

    def test_the_migration_that_sets_the_limit_clears_larger_counts_from_the_history_too(self, centre):
        from django.apps import apps

        migration = importlib.import_module("collaboration.migrations.0014_citizen_count_at_most_100000")
        logged = HistoryEntry.objects.create(
            centre=centre,
            title="Fest",
            action="created",
            changes={"citizen_count": ["", "1501901234"], "title": ["", "Fest"]},
            state={"citizen_count": 1501901234, "title": "Fest"},
        )
        fine = HistoryEntry.objects.create(
            centre=centre,
            title="Fest",
            action="edited",
            changes={"citizen_count": ["12", "40"]},
            state={"citizen_count": 40},
        )

        migration.clear_impossible_counts(apps, None)

        logged.refresh_from_db()
        fine.refresh_from_db()
        assert logged.changes == {"citizen_count": ["", ""], "title": ["", "Fest"]}
        assert logged.state == {"citizen_count": None, "title": "Fest"}
        assert fine.changes == {"citizen_count": ["12", "40"]}

    @pytest.mark.parametrize("form", [0, 6, 99])
    def test_the_form_lies_between_1_and_5(self, centre, form):
        with pytest.raises(IntegrityError), transaction.atomic():
            create_bare(centre, form=form)
        assert not Collaboration.objects.exists()

    def test_an_actor_takes_part_once_per_collaboration(self, centre):
        cafe, library = make_actor(), make_actor()
        collaboration = make_collaboration(centre, actors=[cafe, library])
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(collaboration=collaboration, actor=cafe, role=ParticipantRole.LEAD)
        assert collaboration.participations.count() == 2
        make_collaboration(centre, actors=[cafe, library])  # the same pair may meet again

    def test_a_participant_role_must_be_known(self, centre):
        collaboration = make_collaboration(centre)
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(collaboration=collaboration, actor=make_actor(), role="boss")


class TestQuerySet:
    @pytest.fixture
    def logged(self, centre, other_centre):
        jobcenter = make_actor(name="Jobcenter Slagelse")
        cafe = make_actor(name="Café Sumak")
        library = make_actor(name="Korsør Bibliotek")
        return {
            "jobcenter": jobcenter,
            "cafe": cafe,
            "library": library,
            "fair": make_collaboration(
                centre,
                actors=[jobcenter, cafe],
                title="Jobmesse",
                started_on=datetime.date(2026, 5, 1),
                ended_on=datetime.date(2026, 5, 1),
                goals="Ti ledige i praktik",
            ),
            "kitchen": make_collaboration(
                centre,
                actors=[cafe, library],
                title="Køkken mod rengøring",
                form=Form.RESOURCE_EXCHANGE,
                started_on=datetime.date(2025, 1, 10),
                outcome="Rent hver fredag",
            ),
            "meeting": make_collaboration(
                centre,
                actors=[library, jobcenter],
                title="Netværksmøde",
                description="Vi fortalte om lektiecaféen",
                target_group="Unge 15-17",
                started_on=datetime.date(2024, 3, 3),
                ended_on=datetime.date(2024, 6, 1),
            ),
            "elsewhere": make_collaboration(other_centre, actors=[jobcenter, make_actor()], title="Andetsteds"),
        }

    def test_for_user_gives_the_collaborations_of_the_users_centres(self, logged, staff, manager, outsider):
        assert titles(Collaboration.objects.for_user(staff)) == ["Jobmesse", "Køkken mod rengøring", "Netværksmøde"]
        assert titles(Collaboration.objects.for_user(manager)) == titles(Collaboration.objects.for_user(staff))
        assert titles(Collaboration.objects.for_user(outsider)) == ["Andetsteds"]
        assert titles(Collaboration.objects.for_user(AnonymousUser())) == []

    def test_a_member_of_two_centres_sees_both(self, logged, staff, other_centre):
        make_membership(staff, other_centre, Role.MANAGER)
        assert len(Collaboration.objects.for_user(staff)) == 4

    def test_editable_by_means_staff_or_coordinator_in_the_centre(self, logged, staff, coordinator, manager, outsider):
        assert len(Collaboration.objects.editable_by(staff)) == 3
        assert len(Collaboration.objects.editable_by(coordinator)) == 3
        assert titles(Collaboration.objects.editable_by(manager)) == []
        assert titles(Collaboration.objects.editable_by(outsider)) == ["Andetsteds"]
        assert titles(Collaboration.objects.editable_by(AnonymousUser())) == []

    def test_reading_somewhere_does_not_give_editing_there(self, logged, staff, other_centre):
        make_membership(staff, other_centre, Role.MANAGER)
        assert "Andetsteds" not in titles(Collaboration.objects.editable_by(staff))

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (None, None, ["Jobmesse", "Køkken mod rengøring", "Netværksmøde"]),
            (datetime.date(2026, 1, 1), None, ["Jobmesse", "Køkken mod rengøring"]),
            (None, datetime.date(2024, 12, 31), ["Netværksmøde"]),
            (datetime.date(2024, 7, 1), datetime.date(2024, 12, 31), []),
            (datetime.date(2024, 6, 1), datetime.date(2024, 6, 1), ["Netværksmøde"]),
            (datetime.date(2026, 5, 1), datetime.date(2026, 5, 1), ["Jobmesse", "Køkken mod rengøring"]),
            (datetime.date(2026, 5, 2), None, ["Køkken mod rengøring"]),
        ],
    )
    def test_in_period_gives_what_was_going_on_at_some_point(self, logged, centre, start, end, expected):
        assert titles(Collaboration.objects.filter(centre=centre).in_period(start, end)) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("jobmesse", ["Jobmesse"]),
            ("LEKTIECAF", ["Netværksmøde"]),
            ("praktik", ["Jobmesse"]),
            ("fredag", ["Køkken mod rengøring"]),
            ("15-17", ["Netværksmøde"]),
            ("sumak", ["Jobmesse", "Køkken mod rengøring"]),
            ("findes ikke", []),
        ],
    )
    def test_search_looks_in_the_texts_and_the_actor_names(self, logged, centre, text, expected):
        assert titles(Collaboration.objects.filter(centre=centre).search(text)) == expected

    def test_search_lists_each_collaboration_once_when_several_actors_match(self, logged, centre):
        found = list(Collaboration.objects.filter(centre=centre).search("s"))
        assert len(found) == len({c.pk for c in found}) == 3

    def test_involving_gives_the_collaborations_an_actor_took_part_in(self, logged, centre):
        assert titles(Collaboration.objects.involving(logged["jobcenter"])) == [
            "Andetsteds",
            "Jobmesse",
            "Netværksmøde",
        ]
        assert titles(Collaboration.objects.filter(centre=centre).involving(logged["cafe"])) == [
            "Jobmesse",
            "Køkken mod rengøring",
        ]
        assert titles(Collaboration.objects.involving(make_actor())) == []

    def test_the_named_filters_chain(self, logged, staff):
        found = Collaboration.objects.for_user(staff).in_period(datetime.date(2026, 1, 1)).involving(logged["library"])
        assert titles(found) == ["Køkken mod rengøring"]


def bound_form(actors, instance=None, **overrides) -> CollaborationForm:
    """The log form as sent; an edit as if opened just now, at the collaboration's current version."""
    if instance is not None:
        overrides.setdefault("version", Collaboration.objects.get(pk=instance.pk).version)
    data = collaboration_post(actors, **overrides)
    form = CollaborationForm(data, instance=instance)
    assert form.is_valid(), form.errors
    return form


class TestServices:
    def test_save_collaboration_creates_it_with_its_participants_and_history(self, centre, staff):
        actors = [make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")]
        collaboration = save_collaboration(bound_form(actors), centre, staff)
        collaboration.refresh_from_db()
        assert (collaboration.centre, collaboration.created_by, collaboration.updated_by) == (centre, staff, staff)
        assert set(collaboration.participations.values_list("actor__name", flat=True)) == {
            "Jobcenter Slagelse",
            "Café Sumak",
        }
        entry = HistoryEntry.objects.get()
        assert (entry.action, entry.user, entry.collaboration, entry.title) == (
            HistoryAction.CREATED,
            staff,
            collaboration,
            "Fælles jobcafé",
        )
        assert entry.changes["title"] == ["", "Fælles jobcafé"]
        # The form is kept by its value and read in the reader's language.
        assert entry.changes["form"] == ["", "4"]
        assert ("form", "", "Samordne") in entry.changes_as_read()
        assert entry.changes["themes"] == ["", "Beskæftigelse"]

    def test_save_collaboration_records_only_what_changed(self, centre, staff, coordinator):
        actors = [make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak"), make_actor(name="UU")]
        collaboration = save_collaboration(bound_form(actors[:2]), centre, staff)
        save_collaboration(
            bound_form([actors[0], actors[2]], instance=collaboration, title="Jobcafé hver uge"), centre, coordinator
        )
        collaboration.refresh_from_db()
        assert collaboration.title == "Jobcafé hver uge"
        assert (collaboration.created_by, collaboration.updated_by) == (staff, coordinator)
        assert set(collaboration.participations.values_list("actor__name", flat=True)) == {"Jobcenter Slagelse", "UU"}
        entry = HistoryEntry.objects.get(action=HistoryAction.UPDATED)
        assert entry.user == coordinator
        assert entry.title == "Jobcafé hver uge"
        assert set(entry.changes) == {"title", "participants"}
        assert entry.changes["title"] == ["Fælles jobcafé", "Jobcafé hver uge"]
        assert "Café Sumak" in entry.changes["participants"][0] and "UU" in entry.changes["participants"][1]

    def test_the_participants_roles_in_the_history_are_read_in_the_readers_language(self, centre, staff):
        actors = [make_actor(name="Jobcenter Slagelse, Team 2"), make_actor(name="Café Sumak")]
        with translation.override("da"):
            save_collaboration(bound_form(actors), centre, staff)
        entry = HistoryEntry.objects.get()
        with translation.override("en"):
            (after,) = [after for name, _before, after in entry.changes_as_read() if name == "participants"]
        assert after == "Jobcenter Slagelse, Team 2 (Participant), Café Sumak (Participant)"
        with translation.override("da"):
            (after,) = [after for name, _before, after in entry.changes_as_read() if name == "participants"]
        assert after == "Jobcenter Slagelse, Team 2 (Deltager), Café Sumak (Deltager)"
        # The theme, kept by its Danish name, is read in English too.
        with translation.override("en"):
            (themes,) = [after for name, _before, after in entry.changes_as_read() if name == "themes"]
        assert themes == "Employment"

    def test_delete_collaboration_keeps_only_a_note_that_it_happened(self, centre, staff):
        collaboration = make_collaboration(centre, title="Skal slettes")
        delete_collaboration(collaboration, staff, collaboration.version)
        assert not Collaboration.objects.exists()
        assert not Participation.objects.exists()
        entry = HistoryEntry.objects.get()
        assert (entry.action, entry.title, entry.user, entry.centre) == (
            HistoryAction.DELETED,
            "Skal slettes",
            staff,
            centre,
        )
        assert entry.collaboration is None
        # Deletion is real deletion: the content is gone, only who deleted what and when is kept.
        assert entry.changes == {}

    def test_the_history_outlives_its_collaboration(self, centre, staff):
        collaboration = save_collaboration(bound_form([make_actor(), make_actor()]), centre, staff)
        delete_collaboration(collaboration, staff, collaboration.version)
        assert list(HistoryEntry.objects.order_by("id").values_list("action", "collaboration")) == [
            (HistoryAction.CREATED, None),
            (HistoryAction.DELETED, None),
        ]


@postgresql_only
@pytest.mark.django_db(transaction=True)
class TestAtLeastTwoActors:
    """PostgreSQL checks the rule when the transaction commits, so these tests commit for real."""

    @pytest.fixture
    def centre_and_actors(self):
        from tests.factories import make_centre

        return make_centre(), [make_actor(), make_actor(), make_actor()]

    def test_a_collaboration_with_one_participant_fails_at_commit(self, centre_and_actors):
        centre, actors = centre_and_actors
        with pytest.raises(IntegrityError), transaction.atomic():
            make_collaboration(centre, actors=actors[:1])
        assert not Collaboration.objects.exists()
        assert not Participation.objects.exists()

    def test_a_collaboration_without_participants_fails_at_commit(self, centre_and_actors):
        centre, _actors = centre_and_actors
        with pytest.raises(IntegrityError):
            create_bare(centre)  # autocommit: the insert is its own transaction
        assert not Collaboration.objects.exists()

    def test_two_participants_commit(self, centre_and_actors):
        centre, actors = centre_and_actors
        with transaction.atomic():
            make_collaboration(centre, actors=actors[:2])
        assert Participation.objects.count() == 2

    def test_removing_a_participant_so_that_one_is_left_fails(self, centre_and_actors):
        centre, actors = centre_and_actors
        with transaction.atomic():
            collaboration = make_collaboration(centre, actors=actors[:2])
        with pytest.raises(IntegrityError), transaction.atomic():
            collaboration.participations.filter(actor=actors[0]).delete()
        assert collaboration.participations.count() == 2

    def test_moving_a_participant_away_so_that_one_is_left_fails(self, centre_and_actors):
        centre, actors = centre_and_actors
        with transaction.atomic():
            first = make_collaboration(centre, actors=actors[:2])
            second = make_collaboration(centre, actors=actors[1:])
        with pytest.raises(IntegrityError), transaction.atomic():
            first.participations.filter(actor=actors[0]).update(collaboration=second)
        assert first.participations.count() == 2

    def test_removing_one_of_three_participants_commits(self, centre_and_actors):
        centre, actors = centre_and_actors
        with transaction.atomic():
            collaboration = make_collaboration(centre, actors=actors)
        collaboration.participations.filter(actor=actors[0]).delete()
        assert collaboration.participations.count() == 2

    def test_deleting_a_whole_collaboration_commits(self, centre_and_actors):
        centre, actors = centre_and_actors
        with transaction.atomic():
            collaboration = make_collaboration(centre, actors=actors[:2])
        collaboration.delete()
        assert not Collaboration.objects.exists()
        assert not Participation.objects.exists()

    def test_the_services_commit_a_valid_collaboration_and_its_deletion(self, centre_and_actors):
        centre, actors = centre_and_actors
        user = make_user()
        Theme.objects.get_or_create(name="Beskæftigelse")  # the seeded themes do not survive a flush
        collaboration = save_collaboration(bound_form(actors[:2]), centre, user)
        save_collaboration(bound_form(actors[1:], instance=collaboration), centre, user)
        assert set(collaboration.participations.values_list("actor", flat=True)) == {actors[1].pk, actors[2].pk}
        delete_collaboration(collaboration, user, collaboration.version)
        assert not Collaboration.objects.exists()
        assert HistoryEntry.objects.count() == 3
