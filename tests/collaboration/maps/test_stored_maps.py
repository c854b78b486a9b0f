"""Large maps are computed once, in the background, and every server process reads the same stored result."""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from collaboration.maps import pages, store
from collaboration.maps.pages import approximate_bytes, clear_cache
from collaboration.models import StoredMap
from tests.collaboration.maps.helpers import never_computed_here, the_map_kept
from tests.factories import make_actor, make_collaboration
from tests.helpers import html_of

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def network(centre):
    actors = [make_actor(name=f"Forening {i}") for i in range(5)]
    for i in range(4):
        make_collaboration(centre, actors=actors[i : i + 2], started_on=datetime.date(2026, 3, 1 + i))
    return actors


@pytest.fixture
def large(settings):
    """Every selection counts as large: computed by a task, not in the request."""
    settings.MAP_BACKGROUND_COLLABORATIONS = 0
    cache.clear()


@pytest.fixture
def no_worker_yet(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"


def map_url(centre) -> str:
    return f"/centres/{centre.slug}/map/"


def main_of(response) -> str:
    """The page's own content, without what differs on every response (the CSRF token, the CSP nonce)."""
    page = html_of(response)
    return page[page.index("<main") : page.index("</main>")]


class TestComputedInTheRequest:
    def test_a_map_that_took_longer_than_a_moment_is_stored_for_the_other_processes(
        self, staff_client, centre, network, settings, monkeypatch
    ):
        settings.MAP_STORE_SECONDS = 0
        staff_client.get(map_url(centre), PERIOD)
        assert StoredMap.objects.count() == 1
        clear_cache()  # as a second server process, with nothing in its memory
        never_computed_here(monkeypatch)
        assert "Forening 4" in html_of(staff_client.get(map_url(centre), PERIOD))

    def test_a_quick_map_is_kept_in_the_process_only(self, staff_client, centre, network, settings):
        settings.MAP_STORE_SECONDS = 3600
        staff_client.get(map_url(centre), PERIOD)
        assert not StoredMap.objects.exists()


class TestAStoredMapReadByAnotherProcess:
    """The page is stored ready to show; the networks stay packed until a request needs them."""

    @pytest.fixture
    def stored_then_forgotten(self, staff_client, centre, network, settings):
        settings.MAP_STORE_SECONDS = 0
        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        clear_cache()  # as a second server process, with nothing in its memory

    def test_the_page_is_shown_without_unpacking_the_networks(
        self, staff_client, centre, network, stored_then_forgotten
    ):
        page = html_of(staff_client.get(map_url(centre), PERIOD | {"changes": "on"}))
        assert "Forening 4" in page
        assert not the_map_kept().networks_unpacked

    def test_the_page_reads_the_same_as_the_one_computed(self, staff_client, centre, network, settings):
        settings.MAP_STORE_SECONDS = 0
        computed = main_of(staff_client.get(map_url(centre), PERIOD | {"changes": "on"}))
        clear_cache()
        assert main_of(staff_client.get(map_url(centre), PERIOD | {"changes": "on"})) == computed

    def test_the_actor_panel_shows_the_actors_ties_without_unpacking_them(
        self, staff_client, centre, network, stored_then_forgotten
    ):
        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        panel = html_of(
            staff_client.get(
                f"/centres/{centre.slug}/map/actors/{network[1].pk}/",
                PERIOD | {"changes": "on"},
                HTTP_HX_REQUEST="true",
            )
        )
        assert "Forening 0" in panel and "Forening 2" in panel
        assert not the_map_kept().networks_unpacked

    def test_the_table_unpacks_them_once(self, staff_client, centre, network, stored_then_forgotten):
        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        table = html_of(staff_client.get(f"/centres/{centre.slug}/map/table/", PERIOD | {"changes": "on"}))
        assert "Forening 0" in table
        view = the_map_kept()
        assert view.networks_unpacked
        assert view.previous_graph is not None and network[1].pk in view.network.graph

    def test_threads_asking_at_once_unpack_them_once(self, staff_client, centre, network, stored_then_forgotten):
        import threading

        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        view = the_map_kept()
        seen, start = [], threading.Barrier(4)

        def ask():
            start.wait()
            seen.append((view.network, view.previous_graph))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(network) for network, _previous in seen}) == 1
        assert len({id(previous) for _network, previous in seen}) == 1
        assert "packed_networks" not in view.__dict__

    def test_kept_packed_it_counts_for_less_memory_than_unpacked(
        self, staff_client, centre, network, stored_then_forgotten
    ):
        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        view = the_map_kept()
        packed = approximate_bytes(view)
        view.network  # noqa: B018 - unpacked, as by the actor panel
        assert approximate_bytes(view) > packed


class TestInTheBackground:
    def test_in_development_the_task_runs_at_once_and_the_map_is_stored(self, staff_client, centre, network, large):
        page = html_of(staff_client.get(map_url(centre), PERIOD))
        assert 'id="map-data"' in page
        assert StoredMap.objects.count() == 1

    def test_another_process_reads_the_stored_map_instead_of_computing_it(
        self, staff_client, centre, network, large, monkeypatch
    ):
        staff_client.get(map_url(centre), PERIOD)
        clear_cache()  # as a second server process, with nothing in its memory
        never_computed_here(monkeypatch)
        assert 'id="map-data"' in html_of(staff_client.get(map_url(centre), PERIOD))

    def test_a_large_map_is_never_computed_in_the_request(
        self, staff_client, centre, network, large, no_worker_yet, monkeypatch
    ):
        never_computed_here(monkeypatch)
        page = html_of(staff_client.get(map_url(centre), PERIOD))
        assert "Kortet beregnes." in page
        assert 'hx-trigger="every 3s"' in page
        assert 'id="map-data"' not in page
        assert DBTaskResult.objects.count() == 1

    def test_a_page_that_has_waited_longer_than_a_worker_takes_says_the_worker_may_not_run(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        first = html_of(staff_client.get(map_url(centre), PERIOD))
        began = int(re.search(r'"Samkort-Waiting-Since": "(\d+)"', first).group(1))
        assert "tager længere tid, end det burde" not in first

        soon = html_of(
            staff_client.get(
                map_url(centre), PERIOD, HTTP_HX_REQUEST="true", HTTP_SAMKORT_WAITING_SINCE=str(began - 60)
            )
        )
        late = html_of(
            staff_client.get(
                map_url(centre), PERIOD, HTTP_HX_REQUEST="true", HTTP_SAMKORT_WAITING_SINCE=str(began - 200)
            )
        )

        assert "tager længere tid, end det burde" not in soon
        assert f'"Samkort-Waiting-Since": "{began - 60}"' in soon  # it goes on counting from when it began
        assert "Dette tager længere tid, end det burde." in late and "om baggrundsarbejdet kører" in late

    @pytest.mark.parametrize("sent", ["abc", "-5", "99999999999", "1" * 40])
    def test_a_made_up_waiting_time_starts_the_count_afresh(
        self, staff_client, centre, network, large, no_worker_yet, sent
    ):
        page = html_of(
            staff_client.get(map_url(centre), PERIOD, HTTP_HX_REQUEST="true", HTTP_SAMKORT_WAITING_SINCE=sent)
        )
        assert "tager længere tid" not in page and "Kortet beregnes." in page

    def test_a_poll_while_the_map_is_computed_changes_nothing_on_the_page(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        first = html_of(staff_client.get(map_url(centre), PERIOD))
        assert '"Samkort-Waiting-For": "map"' in first and 'hx-target="#map-area"' in first

        poll = staff_client.get(map_url(centre), PERIOD, HTTP_HX_REQUEST="true", HTTP_SAMKORT_WAITING_FOR="map")

        assert poll.status_code == 204 and poll.content == b""  # htmx swaps nothing: focus and typing stay

    def test_a_poll_that_has_waited_too_long_says_so_and_asks_less_often(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        since = str(int(time.time()) - 3600)
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_SAMKORT_WAITING_FOR": "map", "HTTP_SAMKORT_WAITING_SINCE": since}

        late = html_of(staff_client.get(map_url(centre), PERIOD, **headers))

        assert "Dette tager længere tid, end det burde." in late and 'hx-trigger="every 30s"' in late

    def test_asking_again_while_it_is_computed_queues_no_second_task(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        for _ in range(3):
            staff_client.get(map_url(centre), PERIOD, HTTP_HX_REQUEST="true")
        assert DBTaskResult.objects.count() == 1

    def test_the_charts_and_the_panel_wait_for_the_map(self, staff_client, centre, network, large, no_worker_yet):
        assert staff_client.get(f"/centres/{centre.slug}/map/charts/", PERIOD, HTTP_HX_REQUEST="true").content == b""
        panel_url = f"/centres/{centre.slug}/map/actors/{network[0].pk}/"
        assert staff_client.get(panel_url, PERIOD, HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.django_db(transaction=True)
class TestWithAWorker:
    """The worker commits its own transactions, as it does in production: these tests let it."""

    def test_the_page_shows_the_map_once_a_worker_has_computed_it(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        staff_client.get(map_url(centre), PERIOD)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        poll = html_of(staff_client.get(map_url(centre), PERIOD, HTTP_HX_REQUEST="true"))
        assert 'id="map-data"' in poll
        assert "every 3s" not in poll

    def test_after_a_change_the_last_map_is_shown_with_a_note_until_the_new_one_is_ready(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        staff_client.get(map_url(centre), PERIOD)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        make_collaboration(centre, actors=network[:2], started_on=datetime.date(2026, 5, 1))
        page = html_of(staff_client.get(map_url(centre), PERIOD))
        assert 'id="map-data"' in page
        assert "En nyere udgave beregnes" in page
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        assert "En nyere udgave beregnes" not in html_of(staff_client.get(map_url(centre), PERIOD))
        assert StoredMap.objects.count() == 1  # the older version is gone

    def test_a_newer_version_is_offered_not_swapped_in_under_the_reader(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        staff_client.get(map_url(centre), PERIOD)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        make_collaboration(centre, actors=network[:2], started_on=datetime.date(2026, 5, 1))
        page = html_of(staff_client.get(map_url(centre), PERIOD))
        assert '"Samkort-Waiting-For": "newer"' in page and 'hx-target="this"' in page
        poll = {"HTTP_HX_REQUEST": "true", "HTTP_SAMKORT_WAITING_FOR": "newer"}

        assert staff_client.get(map_url(centre), PERIOD, **poll).status_code == 204
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        ready = html_of(staff_client.get(map_url(centre), PERIOD, **poll))

        assert "En nyere udgave af kortet er klar." in ready and "Vis den</button>" in ready
        assert 'id="map-data"' not in ready and "every 3s" not in ready

    def test_a_map_stored_by_an_earlier_release_is_shown_with_a_note_and_computed_again(
        self, staff_client, centre, network, large, no_worker_yet, monkeypatch
    ):
        staff_client.get(map_url(centre), PERIOD)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        # A new release draws maps differently; the data has not changed.
        monkeypatch.setattr(pages, "drawing_version", lambda: "the next release")
        clear_cache()
        page = html_of(staff_client.get(map_url(centre), PERIOD))
        assert 'id="map-data"' in page and "En nyere udgave beregnes" in page
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        assert "En nyere udgave beregnes" not in html_of(staff_client.get(map_url(centre), PERIOD))
        assert StoredMap.objects.count() == 1

    def test_an_actors_panel_on_the_last_map_shows_that_maps_ties_until_the_new_one_is_ready(
        self, staff_client, centre, network, large, no_worker_yet
    ):
        staff_client.get(map_url(centre), PERIOD)
        call_command("run_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
        make_collaboration(centre, actors=[network[0], network[4]], started_on=datetime.date(2026, 5, 1))
        clear_cache()  # as another server process, which reads the last map from the store
        assert "En nyere udgave beregnes" in html_of(staff_client.get(map_url(centre), PERIOD))
        panel = html_of(
            staff_client.get(f"/centres/{centre.slug}/map/actors/{network[0].pk}/", PERIOD, HTTP_HX_REQUEST="true")
        )
        # Its ties and its figures from the same map: one partner, not the one added since.
        ties = panel.split('<ul class="plain ties">')[1].split("</ul>")[0]
        assert "Forening 1" in ties and "Forening 4" not in ties
        assert '<p class="meta">1 partner ·' in panel


class TestTheStore:
    def test_the_drawing_version_follows_the_files_a_map_is_drawn_by(self, settings, tmp_path):
        figures = tmp_path / "collaboration" / "maps" / "figures.py"
        figures.parent.mkdir(parents=True)
        figures.write_text("LEGEND = 'Bånd mellem centre'\n")
        settings.BASE_DIR = tmp_path
        pages.drawing_version.cache_clear()
        try:
            before = pages.drawing_version()
            (tmp_path / "README.md").write_text("not a file the map is drawn by")
            pages.drawing_version.cache_clear()
            assert pages.drawing_version() == before
            figures.write_text("LEGEND = 'Bånd mellem centre<br>(en aktør i begge)'\n")
            pages.drawing_version.cache_clear()
            assert pages.drawing_version() != before
        finally:
            pages.drawing_version.cache_clear()

    def test_a_selection_survives_the_trip_through_a_task(self, centre):
        selection = pages.Selection(
            centre_ids=(centre.pk,), start=datetime.date(2026, 1, 1), forms=(1, 4), sectors=("public",)
        )
        assert store.selection_from_json(store.selection_to_json(selection)) == selection

    def test_options_survive_the_trip_so_the_key_is_the_same(self):
        options = {
            "colour_by": "sector",
            "centre_names": ((1, "A"), (2, "B")),
            "confirmations": ((1, 2, "both", "x", "y"),),
        }
        assert pages.options_from_json(pages.options_to_json(options)) == options

    def test_a_map_finished_after_the_data_changed_again_never_replaces_the_newer_one(self, centre, network):
        view = pages.build_map(pages.Selection(centre_ids=(centre.pk,)))
        store.save("key", "newer", view, 1.0)
        store.save("key", "older", view, 1.0, is_current=False)
        assert set(StoredMap.objects.values_list("version", flat=True)) == {"newer", "older"}
        store.save("key", "newest", view, 1.0)
        assert list(StoredMap.objects.values_list("version", flat=True)) == ["newest"]

    def test_a_map_stored_by_an_earlier_release_reads_its_change_again_from_its_networks(self, centre, network):
        period = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 6, 30)}
        view = pages.build_map(pages.Selection(centre_ids=(centre.pk,), **period), show_change=True)
        assert view.change is not None
        payload = store.pack(view)
        old = store.unpack(payload)
        # As an earlier release stored it: every changed tie listed, no counts.
        old.__dict__["change_rows"] = {"new": [{"names": "A – B", "before": None, "after": "Videndele"}]}
        again = store.unpack(store.pack(old))
        assert again.change_rows == view.change_rows
        assert set(again.change_rows["counts"]) == {"new", "deepened", "weakened", "ended", "joined", "left"}

    def test_purge_history_deletes_stored_maps_older_than_a_day(self, db):
        old = StoredMap.objects.create(key="a", version="1", payload=b"x", size=1, seconds=1)
        StoredMap.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
        StoredMap.objects.create(key="b", version="1", payload=b"x", size=1, seconds=1)
        call_command("purge_history", stdout=io.StringIO())
        assert list(StoredMap.objects.values_list("key", flat=True)) == ["b"]


class TestDisplayOnlyChanges:
    def test_changing_colours_or_sizes_reuses_the_network_and_its_figures(
        self, staff_client, centre, network, monkeypatch
    ):
        analysed = []
        original = pages.analyse
        monkeypatch.setattr(pages, "analyse", lambda *args, **kwargs: analysed.append(1) or original(*args, **kwargs))
        staff_client.get(map_url(centre), PERIOD)
        staff_client.get(map_url(centre), PERIOD | {"colour_by": "category"})
        staff_client.get(map_url(centre), PERIOD | {"size_by": "betweenness"})
        assert len(analysed) == 1
        staff_client.get(map_url(centre), PERIOD | {"changes": "on"})
        assert len(analysed) == 2


class TestWhatAProcessKeeps:
    def test_the_cache_is_bounded_in_bytes_and_keeps_the_most_recently_used(
        self, staff_client, centre, network, settings
    ):
        staff_client.get(map_url(centre), PERIOD)
        one_map = max(pages.entry_bytes(entry) for entry in pages._cache.values())
        settings.MAP_CACHE_MB = 0  # room for one map only: the newest always stays
        for colour in ("category", "sector"):
            staff_client.get(map_url(centre), PERIOD | {"colour_by": colour})
        assert len(pages._cache) == 1
        assert one_map > 0

    def test_the_estimate_grows_with_the_map(self, centre, network):
        small = pages.build_map(pages.Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 1, 1)))
        make_collaboration(centre, actors=[make_actor() for _ in range(6)], started_on=datetime.date(2026, 6, 1))
        larger = pages.build_map(pages.Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 1, 1)))
        assert approximate_bytes(larger) > approximate_bytes(small)
