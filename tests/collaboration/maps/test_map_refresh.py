"""After a centre's data changes, a worker computes its map again, so the first view after the change reads it from
the store instead of computing it in the request."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from collaboration.maps.pages import clear_cache
from collaboration.models import Form, StoredMap
from collaboration.rounds import services as rounds
from collaboration.rounds.models import Happened
from collaboration.signals import centre_written_in_bulk
from tests.collaboration.maps.helpers import never_computed_here, the_map_kept
from tests.factories import make_actor, make_collaboration, make_invitation, make_presence, make_round

REFRESH_TASK = "collaboration.maps.tasks.refresh_centre_map"


def map_url(centre) -> str:
    return f"/centres/{centre.slug}/map/"


@pytest.fixture
def refresh(settings):
    settings.MAP_REFRESH_AFTER_CHANGE = True
    cache.clear()


@pytest.fixture
def worker_backend(settings, refresh):
    """Tasks go to the database, for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"


def refreshes_queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=REFRESH_TASK))


class TestAfterAChange:
    def test_the_first_view_after_a_collaboration_is_logged_reads_the_map_from_the_store(
        self, staff_client, centre, refresh, django_capture_on_commit_callbacks, monkeypatch
    ):
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre, actors=[make_actor(name="Café Sumak"), make_actor(name="Jobcenter")])
        clear_cache()  # a server process that has not seen the map
        never_computed_here(monkeypatch)
        page = staff_client.get(map_url(centre)).content.decode()
        assert 'id="map-data"' in page and "Café Sumak" in page

    def test_its_charts_are_stored_with_it_so_no_process_unpacks_the_networks_to_draw_them(
        self, staff_client, centre, refresh, django_capture_on_commit_callbacks, monkeypatch
    ):
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre)
        clear_cache()
        never_computed_here(monkeypatch)
        staff_client.get(map_url(centre))
        charts = staff_client.get(f"{map_url(centre)}charts/", HTTP_HX_REQUEST="true").content.decode()
        assert 'id="chart-quarterly"' in charts
        assert not the_map_kept().networks_unpacked

    def test_in_english_too(self, staff_client, centre, refresh, django_capture_on_commit_callbacks, monkeypatch):
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre)
        assert StoredMap.objects.count() == 2  # Danish and English
        clear_cache()
        never_computed_here(monkeypatch)
        page = staff_client.get(map_url(centre), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'lang="en"' in page and 'id="map-data"' in page

    def test_a_deleted_collaboration_or_a_new_presence_refreshes_it_too(
        self, centre, refresh, django_capture_on_commit_callbacks
    ):
        collaboration = make_collaboration(centre)
        for change in (collaboration.delete, lambda: make_presence(centre, make_actor())):
            StoredMap.objects.all().delete()
            with django_capture_on_commit_callbacks(execute=True):
                change()
            assert StoredMap.objects.count() == 2

    def test_the_first_view_after_a_partner_answered_in_a_mapping_round_reads_the_map_with_its_marks(
        self, staff_client, centre, refresh, django_capture_on_commit_callbacks, monkeypatch
    ):
        cafe = make_actor(name="Café Sumak")
        collaboration = make_collaboration(centre, actors=[cafe, make_actor()], started_on=datetime.date(2026, 3, 1))
        invitation = make_invitation(make_round(centre), cafe)
        with django_capture_on_commit_callbacks(execute=True):
            rounds.save_answer(invitation, collaboration, Happened.YES, Form.COORDINATED_ACTION)
        clear_cache()
        never_computed_here(monkeypatch)
        page = staff_client.get(map_url(centre)).content.decode()
        assert 'id="map-data"' in page
        assert "Café Sumak: Fandt sted: Samordne" in page  # the mark on the tie: what the café said

    def test_nothing_is_refreshed_when_the_setting_is_off(self, centre, settings, django_capture_on_commit_callbacks):
        settings.MAP_REFRESH_AFTER_CHANGE = False
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre)
        assert not StoredMap.objects.exists()


@pytest.mark.django_db(transaction=True)
class TestWithAWorker:
    """The worker commits its own transactions, as it does in production: these tests let it."""

    def test_a_change_after_the_refresh_started_queues_another(
        self, centre, worker_backend, settings, django_capture_on_commit_callbacks
    ):
        settings.MAP_REFRESH_DELAY_SECONDS = 0
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        assert StoredMap.objects.count() == 2
        with django_capture_on_commit_callbacks(execute=True):
            make_collaboration(centre)
        assert len(refreshes_queued()) == 2


class TestQueuedForAWorker:
    def test_many_changes_at_once_queue_one_refresh_a_little_later(
        self, centre, worker_backend, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(5):
                make_collaboration(centre)
        (queued,) = refreshes_queued()
        assert queued.args_kwargs["args"] == [centre.pk]
        assert queued.run_after > timezone.now() + datetime.timedelta(seconds=5)

    def test_renaming_an_actor_refreshes_every_centre_it_is_known_in(
        self, centre, other_centre, worker_backend, django_capture_on_commit_callbacks
    ):
        actor = make_actor(name="Café Sumak")
        make_collaboration(centre, actors=[actor, make_actor()])
        make_presence(other_centre, actor)
        DBTaskResult.objects.all().delete()
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            actor.name = "Café Sumak ApS"
            actor.save()
        assert sorted(task.args_kwargs["args"][0] for task in refreshes_queued()) == sorted(
            [centre.pk, other_centre.pk]
        )

    def test_rows_written_in_bulk_are_announced_and_refreshed(
        self, centre, worker_backend, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            centre_written_in_bulk.send(sender=None, centre_id=centre.pk)
        assert [task.args_kwargs["args"] for task in refreshes_queued()] == [[centre.pk]]

    def test_a_link_sent_again_that_was_never_revoked_queues_nothing(
        self, centre, worker_backend, django_capture_on_commit_callbacks
    ):
        invitation = make_invitation(make_round(centre), make_actor())
        DBTaskResult.objects.all().delete()
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            rounds.resend(invitation, "https://samkort.example")
        assert refreshes_queued() == []

    @pytest.mark.parametrize("change", ["answer", "revoke", "resend"])
    def test_a_mapping_round_that_changes_the_marks_on_the_map_refreshes_it(
        self, centre, worker_backend, django_capture_on_commit_callbacks, change
    ):
        cafe = make_actor(name="Café Sumak")
        collaboration = make_collaboration(centre, actors=[cafe, make_actor()], started_on=datetime.date(2026, 3, 1))
        invitation = make_invitation(make_round(centre), cafe)
        if change == "resend":
            rounds.revoke(invitation)
            invitation.refresh_from_db()
        DBTaskResult.objects.all().delete()
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            if change == "answer":
                rounds.save_answer(invitation, collaboration, Happened.NO, None)
            elif change == "revoke":
                rounds.revoke(invitation)
            else:
                rounds.resend(invitation, "https://samkort.example")
        assert [task.args_kwargs["args"] for task in refreshes_queued()] == [[centre.pk]]

    def test_opening_a_mapping_round_refreshes_the_map_it_marks(
        self, centre, coordinator, worker_backend, django_capture_on_commit_callbacks
    ):
        cafe = make_actor(name="Café Sumak")
        make_collaboration(centre, actors=[cafe, make_actor()], started_on=datetime.date(2026, 3, 1))
        details = {
            "title": "Kortlægning 2026",
            "period_start": datetime.date(2026, 1, 1),
            "period_end": datetime.date(2026, 12, 31),
            "closes_on": timezone.localdate() + datetime.timedelta(days=14),
            "contact_name": "Tovholderen",
            "contact_email": "tovholder@center.example",
        }
        DBTaskResult.objects.all().delete()
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            contacts = [rounds.Contact(cafe, "Kontaktperson", "kontakt@cafe.example")]
            rounds.open_round(centre, coordinator, details, contacts, "https://samkort.example")
        assert [task.args_kwargs["args"] for task in refreshes_queued()] == [[centre.pk]]

    def test_a_link_revoked_already_queues_nothing(self, centre, worker_backend, django_capture_on_commit_callbacks):
        invitation = make_invitation(make_round(centre), make_actor())
        rounds.revoke(invitation)
        DBTaskResult.objects.all().delete()
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            rounds.revoke(invitation)
        assert refreshes_queued() == []

    def test_a_centre_deleted_before_its_refresh_ran_is_skipped(self, centre, refresh):
        from collaboration.maps.refresh import refresh_centre_map

        centre_id = centre.pk
        centre.delete()
        assert refresh_centre_map(centre_id) == 0


def test_with_the_refresh_off_saving_an_actor_asks_nothing_more_of_the_database(centre, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MAP_REFRESH_AFTER_CHANGE = False
    actor = make_actor()
    with CaptureQueriesContext(connection) as queries:
        actor.save()
    assert len(queries) == 1


def test_a_refresh_that_cannot_be_queued_never_undoes_or_fails_the_change(
    centre, refresh, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from collaboration.maps import tasks

    class Broken:
        def using(self, **kwargs):
            return self

        def enqueue(self, *args):
            raise RuntimeError("the queue is down")

    monkeypatch.setattr(tasks, "refresh_centre_map", Broken())
    with django_capture_on_commit_callbacks(execute=True):
        collaboration = make_collaboration(centre)
    assert type(collaboration).objects.filter(pk=collaboration.pk).exists()
    assert "the queue is down" in caplog.text
    # The next change tries again.
    assert cache.add(f"samkort:map-refresh-queued:{centre.pk}", True)
