"""Coordinators review the network map of their centres: roles, filters, fragments, the panel, the tables."""

from __future__ import annotations

import base64
import datetime
import json
import re
from array import array

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import ActorCategory, Presence, PresenceKind
from collaboration.maps.pages import clear_cache
from collaboration.models import ActorPosition, Form
from tests.factories import make_actor, make_collaboration, make_presence
from tests.helpers import html_of

HTMX = {"HTTP_HX_REQUEST": "true"}
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def network(centre, other_centre):
    jobcentre = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    board = make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD)
    lonely = make_actor(name="Stille forening")
    make_presence(centre, lonely)
    make_collaboration(
        centre, actors=[jobcentre, cafe], form=Form.COORDINATED_ACTION, started_on=datetime.date(2026, 3, 1)
    )
    make_collaboration(
        centre,
        actors=[cafe, board],
        form=Form.KNOWLEDGE_SHARING,
        started_on=datetime.date(2025, 10, 1),
        ended_on=datetime.date(2025, 10, 1),
    )
    secret = make_actor(name="Hemmelig partner")
    make_collaboration(other_centre, actors=[cafe, secret], started_on=datetime.date(2026, 3, 1))
    return {"jobcentre": jobcentre, "cafe": cafe, "board": board, "lonely": lonely, "secret": secret}


def map_url(centre):
    return reverse("centre_map", args=[centre.slug])


def map_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="map-data" type="application/json">') + len(
        '<script id="map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def tie_names_on(response) -> set[frozenset[str]]:
    """The pairs of names the map's ties join, as the browser's hovers will name them."""
    figure = map_data(response)
    names = figure["names"]
    return {
        frozenset((names[str(a)], names[str(b)]))
        for trace in figure["data"]
        for a, b, *_rest in trace.get("samkort_ties") or []
    }


def key_figures_of(response) -> str:
    """The key figures above the map, as their text reads."""
    html = response.content.decode()
    start = html.index('class="key-figures')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</dl>", start)]).split())


def actor_names_on(response) -> set[str]:
    names = set()
    for trace in map_data(response)["data"]:
        for text in trace.get("hovertext") or []:
            if text.startswith("<b>") and "–" not in text.split("<br>")[0]:
                names.add(text.split("<br>")[0].removeprefix("<b>").removesuffix("</b>"))
    return names


class TestCentreMap:
    def test_every_member_sees_the_map_of_the_period(self, manager_client, centre, network):
        response = manager_client.get(map_url(centre), PERIOD)
        assert response.status_code == 200
        assert actor_names_on(response) == {"Jobcenter Slagelse", "Café Sumak", "Stille forening"}
        html = response.content.decode()
        assert "Stille forening" in html  # named as disconnected
        assert "plotly-cartesian-3.7.0.min.js" in html

    def test_a_long_list_of_actors_without_ties_names_thirty_and_counts_the_rest(self, staff_client, centre, network):
        for number in range(31):
            make_presence(centre, make_actor(name=f"Forening uden bånd {number:02d}"))
        html = staff_client.get(map_url(centre), PERIOD).content.decode()
        # Folded away under its count, so the map is not pushed down by a paragraph of names.
        start = html.index('<details class="help disconnected"><summary>32 aktører tilknyttet centret, men uden bånd')
        listed = html[start : html.index("</p>", start)]
        assert listed.count("Forening uden bånd") + listed.count("Stille forening") == 30
        assert listed.endswith("og 2 flere")

    def test_another_centres_actors_never_appear(self, staff_client, centre, network):
        response = staff_client.get(map_url(centre), {"start": "2020-01-01", "end": "2026-12-31"})
        assert "Hemmelig partner" not in response.content.decode()

    def test_an_outsider_gets_404(self, outsider_client, centre, network):
        assert outsider_client.get(map_url(centre)).status_code == 404
        assert outsider_client.get(reverse("centre_map_table", args=[centre.slug])).status_code == 404
        url = reverse("actor_panel", args=[centre.slug, network["cafe"].pk])
        assert outsider_client.get(url).status_code == 404

    def test_it_refuses_post(self, staff_client, centre):
        assert staff_client.post(map_url(centre)).status_code == 405

    def test_filters_redraw_only_the_map_area(self, staff_client, centre, network):
        response = staff_client.get(map_url(centre), {**PERIOD, "form": "4"}, **HTMX)
        html = response.content.decode()
        assert "<html" not in html
        assert html.strip().startswith('<div id="map-area"')
        assert actor_names_on(response) == {"Jobcenter Slagelse", "Café Sumak", "Stille forening"}

    def test_a_sector_filter_leaves_other_sectors_out(self, staff_client, centre, network):
        params = {"start": "2025-01-01", "end": "2026-12-31", "sectors": ["public", "private"]}
        assert actor_names_on(staff_client.get(map_url(centre), params)) == {"Jobcenter Slagelse", "Café Sumak"}

    @pytest.mark.parametrize(
        "params", [{"form": "9"}, {"start": "2026-13-01"}, {"sectors": "moon"}, {"themes": "x"}, {"size_by": "shoe"}]
    )
    def test_malformed_filters_are_ignored_with_a_visible_message(self, staff_client, centre, network, params):
        response = staff_client.get(map_url(centre), params)
        assert response.status_code == 200
        assert "Nogle filtre kunne ikke bruges" in response.content.decode()

    def test_an_empty_selection_says_so_instead_of_an_empty_plot(self, staff_client, centre, network):
        response = staff_client.get(map_url(centre), {"start": "2010-01-01", "end": "2010-12-31"})
        html = response.content.decode()
        assert "Ingen samarbejder i dette udvalg." in html
        assert 'id="network-map"' not in html

    def test_changes_against_the_previous_period_are_listed(self, staff_client, centre, network):
        response = staff_client.get(map_url(centre), {**PERIOD, "changes": "on"})
        html = response.content.decode()
        # The half-year before (2025-07-01..2025-12-31) had Café Sumak – Afdelingsbestyrelsen; 2026 H1 has
        # Jobcenter – Café Sumak.
        assert "Jobcenter Slagelse – Café Sumak" in html or "Café Sumak – Jobcenter Slagelse" in html
        assert "Café Sumak – Afdelingsbestyrelsen" in html or "Afdelingsbestyrelsen – Café Sumak" in html

    def test_a_map_that_changed_by_many_ties_counts_them_all_and_names_the_first_twenty(self, staff_client, centre):
        hub = make_actor(name="Jobcentret")
        for n in range(23):
            partner = make_actor(name=f"Forening {n:02}")
            make_collaboration(centre, [hub, partner], started_on=datetime.date(2026, 2, 1))
        html = staff_client.get(map_url(centre), {**PERIOD, "changes": "on"}).content.decode()
        section = html[html.index('id="change"') : html.index("</section>", html.index('id="change"'))]

        assert "★ 23 nye bånd" in section
        new = section[section.index("<h3>Nye</h3>") : section.index("</ul>", section.index("<h3>Nye</h3>"))]
        assert new.count("<li>") == 20
        assert "Jobcentret – Forening 00" in new and "Jobcentret – Forening 19" in new
        assert "Forening 20" not in new
        assert '<li class="help">og 3 flere</li>' in new
        assert "Kommet til:</strong> Forening 00, Forening 01," in section and "flere." not in section

    def test_positions_are_stored_and_stay_put_when_filters_change(self, staff_client, centre, network):
        staff_client.get(map_url(centre), PERIOD)
        stored = dict(ActorPosition.objects.values_list("actor_id", "x"))
        staff_client.get(map_url(centre), {**PERIOD, "form": "4"})
        make_collaboration(centre, actors=[network["lonely"], network["board"]], started_on=datetime.date(2026, 4, 1))
        staff_client.get(map_url(centre), PERIOD)
        after = dict(ActorPosition.objects.values_list("actor_id", "x"))
        assert {pk: after[pk] for pk in stored} == stored

    def test_the_map_needs_the_same_queries_whatever_the_size(self, staff_client, centre, network):
        staff_client.get(map_url(centre), PERIOD)  # places the actors once
        clear_cache()
        with CaptureQueriesContext(connection) as few:
            staff_client.get(map_url(centre), PERIOD)
        actors = [make_actor() for _ in range(6)]
        for i in range(20):
            make_collaboration(centre, actors=actors[i % 4 : i % 4 + 3], started_on=datetime.date(2026, 2, 1 + i))
        staff_client.get(map_url(centre), PERIOD)
        clear_cache()
        with CaptureQueriesContext(connection) as many:
            staff_client.get(map_url(centre), PERIOD)
        # session, user, membership, the latest mapping round (none here), data version (4), the stored map (none),
        # the selection's size, network (4), positions, the filter's themes (the charts' rows are read by the
        # charts' own request)
        assert len(few) == len(many) == 16

    def test_a_renamed_actor_shows_on_the_map_at_once(self, staff_client, centre, network):
        staff_client.get(map_url(centre), PERIOD)
        actor = network["cafe"]
        actor.name = "Café Sumak (nyt navn)"
        actor.version += 1
        actor.save()
        assert "Café Sumak (nyt navn)" in staff_client.get(map_url(centre), PERIOD).content.decode()

    def test_a_presence_edited_in_place_shows_on_the_map_at_once(self, staff_client, centre, network):
        def outline_of(name: str) -> int:
            figure = map_data(staff_client.get(map_url(centre), PERIOD))
            for trace in figure["data"]:
                for text, width in zip(
                    trace.get("hovertext") or [],
                    trace.get("marker", {}).get("line", {}).get("width") or [],
                    strict=False,
                ):
                    if text.startswith(f"<b>{name}</b>"):
                        return width
            raise AssertionError(f"{name} is not on the map")

        assert outline_of("Stille forening") == 3  # based in the centre: a thick outline
        # As the presence form saves it: the new kind, and the version raised.
        Presence.objects.filter(centre=centre, actor=network["lonely"]).update(
            kind=PresenceKind.AD_HOC, version=F("version") + 1
        )
        assert outline_of("Stille forening") == 1

    def test_a_map_seen_before_is_served_from_memory_until_the_data_changes(self, staff_client, centre, network):
        staff_client.get(map_url(centre), PERIOD)
        with CaptureQueriesContext(connection) as warm:
            staff_client.get(map_url(centre), PERIOD)
        # session, user, membership, the latest mapping round (none here), the data version (4), the filter's themes
        assert len(warm) == 9
        make_collaboration(centre, actors=[network["lonely"], network["cafe"]], started_on=datetime.date(2026, 5, 1))
        response = staff_client.get(map_url(centre), PERIOD)
        assert frozenset({"Café Sumak", "Stille forening"}) in tie_names_on(response)


class TestWhatTheMapSends:
    """A map of thousands of ties must stay small: each name once, ties as numbers, lines as binary arrays."""

    def test_each_tie_is_a_row_of_ids_and_numbers_and_each_name_is_sent_once(self, staff_client, centre, network):
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        rows = [row for trace in figure["data"] for row in trace.get("samkort_ties") or []]
        jobcentre, cafe = network["jobcentre"].pk, network["cafe"].pk
        assert len(rows) == 1
        a, b, count, forms, first, last = rows[0]
        assert {a, b} == {jobcentre, cafe}
        assert (count, forms, first, last) == (1, [Form.COORDINATED_ACTION], "01.03.2026", "")  # going on
        assert figure["tie_words"]["ongoing"] == "pågår"
        assert figure["names"][str(jobcentre)] == "Jobcenter Slagelse"
        assert figure["tie_words"]["form_labels"][str(Form.COORDINATED_ACTION.value)] == "Samordne"
        # Only actors carry hover texts of their own; the ties' are made in the browser from the rows.
        hovers = [text for trace in figure["data"] for text in trace.get("hovertext") or []]
        assert not any(" – " in text.split("<br>")[0] for text in hovers)

    def test_ties_hover_points_are_binary_float32_arrays_in_the_middle_of_each_tie(self, staff_client, centre, network):
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        hover_points = next(trace for trace in figure["data"] if trace.get("samkort_ties"))
        assert hover_points["x"]["dtype"] == "f4"
        (middle,) = array("f", base64.b64decode(hover_points["x"]["bdata"]))
        actor_xs = {
            actor: x
            for trace in figure["data"]
            if trace.get("customdata")
            for actor, x in zip(trace["customdata"], trace["x"], strict=True)
        }
        ends = actor_xs[network["jobcentre"].pk], actor_xs[network["cafe"].pk]
        assert middle == pytest.approx(sum(ends) / 2, abs=1e-3)
        # The line itself keeps plain numbers: plotly breaks a line only at a missing value (null).
        lines = next(trace for trace in figure["data"] if trace.get("mode") == "lines")
        assert lines["x"][2] is None and sorted(lines["x"][:2]) == pytest.approx(sorted(ends), abs=1e-3)

    def test_names_sent_for_the_ties_are_escaped(self, staff_client, centre, network):
        network["cafe"].name = "Café <img src=x onerror=alert(1)>"
        network["cafe"].save()
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        assert figure["names"][str(network["cafe"].pk)] == "Café &lt;img src=x onerror=alert(1)&gt;"


class TestActorPanel:
    def test_clicking_an_actor_shows_its_ties_and_collaborations(self, staff_client, centre, network):
        url = reverse("actor_panel", args=[centre.slug, network["cafe"].pk])
        response = staff_client.get(url, PERIOD, **HTMX)
        html = response.content.decode()
        assert "<html" not in html
        assert "Café Sumak" in html and "Jobcenter Slagelse" in html
        assert "Hemmelig partner" not in html
        assert "focus=" in html

    @pytest.mark.parametrize(("partners", "more"), [(23, "og 3 flere"), (21, "og 1 mere")])
    def test_a_busy_actors_panel_lists_its_strongest_ties_and_latest_collaborations_and_counts_the_rest(
        self, staff_client, centre, partners, more
    ):
        hub = make_actor(name="Jobcentret")
        for n in range(partners):
            partner = make_actor(name=f"Forening {n:02}")
            make_collaboration(
                centre, [hub, partner], title=f"Samarbejde {n:02}", started_on=datetime.date(2026, 1, 1 + n)
            )
        url = reverse("actor_panel", args=[centre.slug, hub.pk])
        html = staff_client.get(url, PERIOD, **HTMX).content.decode()

        ties = html[html.index('<ul class="plain ties">') : html.index("</ul>", html.index('<ul class="plain ties">'))]
        assert ties.count("form-badge") == 20 and f'<li class="help">{more}</li>' in ties
        assert f"{partners} partnere" in html
        latest, oldest_shown = partners - 1, partners - 20
        assert f"Samarbejde {latest:02}" in html and f"Samarbejde {oldest_shown:02}" in html
        assert f"Samarbejde {oldest_shown - 1:02}" not in html
        assert f'{more}: <a href="{reverse("actor_detail", args=[hub.pk])}">' in html

    def test_the_panel_says_its_count_of_collaborations_is_per_partner(self, staff_client, centre, network):
        # One collaboration of three actors: two partners, counted once each, beside a list of one collaboration.
        make_collaboration(
            centre, actors=[network["board"], network["jobcentre"], network["lonely"]], started_on=PERIOD["start"]
        )
        url = reverse("actor_panel", args=[centre.slug, network["lonely"].pk])

        html = staff_client.get(url, PERIOD, **HTMX).content.decode()

        assert "2 partnere · 2 samarbejder talt pr. partner ·" in html

    def test_the_panel_reuses_the_map_the_page_has_just_computed(self, staff_client, centre, network):
        staff_client.get(map_url(centre), PERIOD)
        url = reverse("actor_panel", args=[centre.slug, network["cafe"].pk])
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(url, PERIOD, **HTMX)
        # session, user, membership, the latest mapping round (none here), data version (4), the actor's
        # collaborations (3): no network is rebuilt
        assert len(queries) == 11

    def test_an_actor_outside_the_selection_answers_404(self, staff_client, centre, network):
        url = reverse("actor_panel", args=[centre.slug, network["secret"].pk])
        assert staff_client.get(url, PERIOD, **HTMX).status_code == 404

    @pytest.mark.parametrize("pk", [99999999999999999999, 2**63])
    def test_an_id_no_database_holds_answers_404(self, staff_client, centre, network, pk):
        for url in (reverse("actor_panel", args=[centre.slug, pk]), reverse("all_centres_actor_panel", args=[pk])):
            assert staff_client.get(url, PERIOD, **HTMX).status_code == 404

    def test_focus_mode_shows_only_actors_within_one_step(self, staff_client, centre, network):
        params = {"start": "2025-01-01", "end": "2026-12-31", "focus": network["jobcentre"].pk, "steps": "1"}
        assert actor_names_on(staff_client.get(map_url(centre), params)) == {"Jobcenter Slagelse", "Café Sumak"}
        params["steps"] = "2"
        assert "Afdelingsbestyrelsen" in actor_names_on(staff_client.get(map_url(centre), params))

    def test_an_actors_brokerage_on_the_map_is_written_with_a_danish_decimal_comma(self, staff_client, centre, network):
        hovers = [
            text
            for trace in map_data(staff_client.get(map_url(centre), PERIOD))["data"]
            for text in trace.get("hovertext") or []
        ]
        brokerage = [text.rsplit("Brobygning: ", 1)[1] for text in hovers if "Brobygning: " in text]
        assert brokerage and all(re.fullmatch(r"\d+,\d\d", value) for value in brokerage)

    def test_showing_everyone_again_keeps_every_chosen_form(self, staff_client, centre, network):
        """Filters of several values (two forms) come back whole when one leaves the focus, not only the last."""
        params = {"start": "2025-01-01", "end": "2026-12-31", "form": ["1", "4"]}
        html = staff_client.get(map_url(centre), params | {"focus": network["jobcentre"].pk, "steps": "2"})
        html = html.content.decode()
        assert "Kortet viser kun aktørerne tæt på den valgte aktør" in html
        link = 'href="?start=2025-01-01&amp;end=2026-12-31&amp;form=1&amp;form=4"'
        assert link in html and "Vis alle igen" in html

    def test_a_focus_on_an_actor_outside_the_selection_says_the_whole_selection_is_drawn(
        self, staff_client, centre, network
    ):
        """The board's meeting ended more than a year ago: focused on it, the map of the last months draws everyone,
        and says so instead of claiming to show the board's neighbourhood."""
        board = network["board"].pk
        response = staff_client.get(map_url(centre), {"start": "2026-01-01", "end": "2026-12-31", "focus": board})
        html = response.content.decode()
        assert "Den valgte aktør har intet samarbejde i dette udvalg" in html
        assert "Kortet viser kun aktørerne tæt på" not in html
        assert actor_names_on(response) >= {"Jobcenter Slagelse", "Café Sumak"}

    def test_focus_with_the_change_draws_the_ties_the_actor_has_lost(self, staff_client, centre, network):
        """Café Sumak's tie to the tenants' board ended last half-year: its neighbourhood before is drawn too."""
        params = {"start": "2026-01-01", "end": "2026-06-30", "changes": "on", "focus": network["cafe"].pk}
        data = map_data(staff_client.get(map_url(centre), params))["data"]
        ended = [text for trace in data if trace.get("legendgroup") == "ended" for text in trace.get("hovertext") or []]
        assert ended == ["Ophørte bånd: Café Sumak – Afdelingsbestyrelsen"]

    def test_focus_mode_keeps_the_key_figures_of_the_whole_selection(self, staff_client, centre, network):
        """Focus draws an actor's neighbourhood; the figures above the map stay those its filters chose, as on the
        overview and in the report of the same selection."""
        params = {"start": "2025-01-01", "end": "2026-12-31"}
        whole = key_figures_of(staff_client.get(map_url(centre), params))
        focused = key_figures_of(staff_client.get(map_url(centre), params | {"focus": network["jobcentre"].pk}))
        assert focused == whole
        assert "Aktive aktører 3" in whole and "Uden bånd 1" in whole

    def test_a_focus_from_the_map_as_first_opened_keeps_its_last_twelve_months(self, staff_client, centre, network):
        """The panel's focus links carry the map's address; the map as first opened has none, and the focus alone
        must not turn it into all time (the board's meeting ended more than a year ago)."""
        first = staff_client.get(map_url(centre))
        focused = staff_client.get(map_url(centre), {"focus": network["cafe"].pk, "steps": "1"})
        assert key_figures_of(focused) == key_figures_of(first)
        assert "Afdelingsbestyrelsen" not in actor_names_on(focused)
        # Chosen all time, by emptying both dates, stays all time.
        all_time = staff_client.get(map_url(centre), {"start": "", "end": "", "focus": network["cafe"].pk})
        assert "Afdelingsbestyrelsen" in actor_names_on(all_time)


class TestCharts:
    def test_the_charts_load_after_the_map_as_a_fragment(self, staff_client, centre, network):
        map_html = staff_client.get(map_url(centre), PERIOD).content.decode()
        charts_url = reverse("centre_map_charts", args=[centre.slug])
        assert f'data-charts="{charts_url}?' in map_html  # asked for by map.js once the map is drawn
        response = staff_client.get(charts_url, PERIOD, **HTMX)
        html = response.content.decode()
        assert "<html" not in html
        for name in ("chart-quarterly", "chart-sectors", "chart-ladder"):
            assert f'id="{name}"' in html

    def test_the_charts_of_all_centres_need_a_centre(self, client, db):
        from tests.factories import make_user

        client.force_login(make_user("nobody"))
        assert client.get(reverse("all_centres_map_charts")).status_code == 404


class TestOtherViews:
    def test_the_table_view_lists_actors_and_ties(self, staff_client, centre, network):
        html = staff_client.get(reverse("centre_map_table", args=[centre.slug]), PERIOD).content.decode()
        assert "<table" in html and "Jobcenter Slagelse" in html and "Samordne" in html
        # Its filters say what they update; each tie names an actor and its partner.
        assert "Opdatér tabellerne" in html and "Opdatér kortet" not in html
        assert '<th scope="col">Aktør</th><th scope="col">Partner</th>' in html

    def test_the_table_view_shows_the_changes_above_its_tables_when_asked(self, staff_client, centre, network):
        url = reverse("centre_map_table", args=[centre.slug])
        html = staff_client.get(url, {**PERIOD, "changes": "on"}).content.decode()
        # The job café is new since the half year before; the café's meeting with the board ended in it.
        changes = html.index('id="change"')
        assert changes < html.index("<h2>Aktører</h2>")
        assert "★ 1 nyt bånd" in html[changes:] and "✕ 1 bånd ophørt" in html[changes:]

    def test_the_table_view_pages_a_long_list_of_ties_by_a_hundred(self, staff_client, centre):
        hub = make_actor(name="Jobcentret")
        for n in range(105):
            make_collaboration(centre, [hub, make_actor(name=f"Forening {n:03}")], started_on=datetime.date(2026, 2, 1))
        url = reverse("centre_map_table", args=[centre.slug])
        first = staff_client.get(url, PERIOD).content.decode()
        second = staff_client.get(url, {**PERIOD, "page": "2"}).content.decode()

        def tie_rows(html):
            ties = html[html.index('id="ties"') :]
            return ties[: ties.index("</tbody>")].count('<td class="period">')

        assert (tie_rows(first), tie_rows(second)) == (100, 5)
        assert "1–100 af 105" in first and "101–105 af 105" in second
        assert "?start=2026-01-01&amp;end=2026-06-30&amp;page=2#ties" in first
        # Every actor is listed on each page; only the ties are paged.
        assert first.count('<th scope="row">Forening') == second.count('<th scope="row">Forening') == 105
        assert "Nogle filtre kunne ikke bruges" not in second

    def test_the_table_view_gives_each_tie_its_own_period_ongoing_or_ended(self, staff_client, centre, network):
        url = reverse("centre_map_table", args=[centre.slug])
        html = staff_client.get(url, {"start": "2025-01-01", "end": "2026-06-30"}).content.decode()
        # The job café goes on past the selection's end; the café's meeting with the board ended within it, on the
        # day it began: one day, written once.
        assert '<td class="period">01.03.2026 – pågår</td>' in html
        assert '<td class="period">01.10.2025</td>' in html

    def test_the_charts_and_an_actors_panel_opened_as_pages_of_their_own_lead_to_their_map(
        self, staff_client, centre, network
    ):
        charts = staff_client.get(f"{map_url(centre)}charts/", PERIOD)
        assert charts.status_code == 302 and charts["Location"] == f"{map_url(centre)}?start=2026-01-01&end=2026-06-30"
        cafe = network["cafe"].pk
        panel = staff_client.get(reverse("actor_panel", args=[centre.slug, cafe]), PERIOD)
        assert panel.status_code == 302
        assert panel["Location"] == f"{map_url(centre)}?start=2026-01-01&end=2026-06-30&focus={cafe}"
        everywhere = staff_client.get(reverse("all_centres_map_charts"), PERIOD)
        assert everywhere["Location"].startswith(reverse("all_centres_map") + "?")

    def test_the_map_of_all_centres_shows_every_centre_the_user_is_a_member_of(self, client, staff, centre, network):
        client.force_login(staff)
        html = client.get(reverse("all_centres_map"), {"start": "2020-01-01", "end": "2026-12-31"}).content.decode()
        assert "Jobcenter Slagelse" in html
        assert "Hemmelig partner" not in html

    def test_a_user_of_no_centre_is_told_why_the_map_is_empty_and_gets_no_charts(self, client, db):
        from tests.factories import make_user

        client.force_login(make_user("nobody"))
        page = client.get(reverse("all_centres_map"))
        assert page.status_code == 200 and "Du er endnu ikke medlem af noget center." in page.content.decode()
        assert 'id="network-map"' not in page.content.decode()
        assert client.get(reverse("all_centres_map_charts")).status_code == 404

    def test_an_administrator_of_no_centre_is_sent_to_the_administration(self, admin_client):
        page = admin_client.get(reverse("all_centres_map")).content.decode()
        assert "Du administrerer Samkort og er ikke medlem af noget center." in page
        assert reverse("admin:index") in page

    def test_anonymous_users_are_sent_to_log_in(self, client, db):
        for name in ["all_centres_map", "figure_definitions"]:
            assert client.get(reverse(name))["Location"].startswith(reverse("login"))

    def test_the_definitions_page_explains_every_figure(self, staff_client):
        html = staff_client.get(reverse("figure_definitions")).content.decode()
        assert "E-I" in html and "Louvain" in html
        assert "E-I-indeks ved tilfældig blanding" in html and "Fællesskabernes modularitet" in html
        # Reciprocity is the mapping round's figure, both sides confirming a tie: not read off giving and referring.
        assert html.count("Gensidighed") == 1
        assert "Gensidighed (kortlægningsrunde)" in html
        assert "2 × 113/171 - 1 = +0,32" in html  # the worked example from the demo

    def test_the_definitions_page_offers_reports_to_those_who_make_them(self, manager_client):
        assert reverse("report_builder") in manager_client.get(reverse("figure_definitions")).content.decode()


class TestReadableMaps:
    def test_the_network_fills_its_frame(self, staff_client, centre, network):
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        layout = figure["layout"]
        assert "scaleanchor" not in layout["yaxis"]  # stretched to the frame, not kept square in its middle
        xs = [x for trace in figure["data"] if trace.get("customdata") for x in trace["x"]]
        low, high = layout["xaxis"]["range"]
        assert low < min(xs) and max(xs) < high
        assert (max(xs) - min(xs)) / (high - low) > 0.85

    def test_every_actor_of_a_small_map_is_named_and_names_are_escaped(self, staff_client, centre, network):
        network["cafe"].name = 'Café <a href="https://evil.example">Sumak</a>'
        network["cafe"].save()
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        texts = [text for trace in figure["data"] if trace.get("customdata") for text in trace["text"]]
        assert all(texts), texts
        page = json.dumps(figure)
        assert "<a href" not in page
        hovers = [text for trace in figure["data"] if trace.get("customdata") for text in trace["hovertext"]]
        # Quotes stay as they are: plotly would show &quot; as it stands; no markup can run without < and >.
        assert any(
            text.startswith('<b>Café &lt;a href="https://evil.example"&gt;Sumak&lt;/a&gt;</b>') for text in hovers
        )

    def test_the_map_lists_its_actors_for_keyboard_and_screen_reader(self, staff_client, centre, network):
        html = staff_client.get(map_url(centre), PERIOD).content.decode()
        panel = reverse("actor_panel", args=[centre.slug, network["cafe"].pk])
        assert f'hx-get="{panel}?start=2026-01-01&amp;end=2026-06-30"' in html
        assert 'id="actor-filter"' in html
        assert 'role="img"' not in html.split('id="network-map"')[1].split(">")[0]

    def test_the_filter_form_builds_its_address_from_itself_alone(self, staff_client, centre, network):
        html = staff_client.get(map_url(centre), {**PERIOD, "form": ["4", "4"]}).content.decode()
        form = html.split('<form class="filters map-filters"')[1].split(">")[0]
        assert f'hx-get="{map_url(centre)}"' in form and f'action="{map_url(centre)}"' in form

    def test_ties_between_two_centres_are_drawn_apart_on_the_map_of_both(
        self, client, staff, two_centres_sharing_an_actor
    ):
        client.force_login(staff)
        figure = map_data(client.get(reverse("all_centres_map"), PERIOD))
        names = [trace.get("name") for trace in figure["data"]]
        # On two lines in the legend, so a phone does not cut it off.
        assert "Bånd mellem centre<br>(en aktør, der er til stede i begge)" in names
        assert {a["text"] for a in figure["layout"]["annotations"]} == {"<b>Andet Hus</b>", "<b>Kvarterhuset</b>"}


@pytest.fixture
def two_centres_sharing_an_actor(staff, centre, other_centre):
    from tests.factories import make_membership

    make_membership(staff, other_centre)
    shared, here, there = make_actor(name="Kirkens Korshær"), make_actor(name="Her"), make_actor(name="Der")
    make_presence(centre, shared)
    make_presence(other_centre, shared)
    make_presence(other_centre, there)
    make_collaboration(centre, actors=[shared, here], started_on=datetime.date(2026, 3, 1))
    make_collaboration(other_centre, actors=[shared, there], started_on=datetime.date(2026, 3, 1))
    return {"shared": shared, "here": here, "there": there}


class TestFindingAnActorOnAMapOfMany:
    """Above MAP_FINDER_ACTORS the list under the map names only the server's matches for what one types."""

    @pytest.fixture
    def many(self, settings, network):
        settings.MAP_FINDER_ACTORS = 2

    def finder_of(self, response) -> str:
        html = response.content.decode()
        return html[html.index('id="actor-finder"') : html.index("</details>", html.index('id="actor-finder"'))]

    def test_a_small_map_lists_every_actor_and_filters_in_the_browser(self, staff_client, centre, network):
        finder = self.finder_of(staff_client.get(map_url(centre), PERIOD))
        assert finder.count("<li ") == 3
        assert 'name="find"' not in finder

    def test_the_page_lists_no_one_until_asked_and_says_how_to_ask(self, staff_client, centre, many):
        finder = self.finder_of(staff_client.get(map_url(centre), PERIOD))
        assert "<li " not in finder
        assert 'name="find"' in finder and "Skriv en del af et navn" in finder
        # The map's filters come along in the search, so the matches are the same map's actors.
        assert '<input type="hidden" name="start" value="2026-01-01">' in finder

    def test_typing_part_of_a_name_lists_the_matches_with_their_panel_links(self, staff_client, centre, network, many):
        response = staff_client.get(
            map_url(centre), PERIOD | {"find": " sUMAK "}, HTTP_HX_TARGET="actor-matches", **HTMX
        )
        html = response.content.decode()
        assert "<html" not in html and 'id="network-map"' not in html
        assert html.count("<li ") == 1 and ">Café Sumak</a>" in html
        panel = reverse("actor_panel", args=[centre.slug, network["cafe"].pk])
        assert f'hx-get="{panel}?start=2026-01-01&amp;end=2026-06-30"' in html

    def test_from_a_focused_map_each_match_leads_to_its_own_focus_once(self, staff_client, centre, network, many):
        focused = PERIOD | {"focus": network["jobcentre"].pk, "find": "sumak"}
        html = staff_client.get(map_url(centre), focused, HTTP_HX_TARGET="actor-matches", **HTMX).content.decode()
        link = f'href="?start=2026-01-01&amp;end=2026-06-30&amp;focus={network["cafe"].pk}"'
        assert link in html and html.count("focus=") == 1

    def test_without_javascript_the_search_reloads_the_page_with_the_list_open(
        self, staff_client, centre, network, many
    ):
        finder = self.finder_of(staff_client.get(map_url(centre), PERIOD | {"find": "a"}))
        assert 'id="actor-finder" open' in finder
        assert 'value="a"' in finder
        assert ">Café Sumak</a>" in finder and ">Jobcenter Slagelse</a>" in finder
        assert "Stille forening" not in finder

    def test_matches_beyond_the_first_fifty_are_counted(self, staff_client, centre, many, monkeypatch):
        from collaboration.maps import pages

        monkeypatch.setattr(pages, "FINDER_MATCHES", 1)
        html = staff_client.get(map_url(centre), PERIOD | {"find": "a"}, HTTP_HX_TARGET="actor-matches", **HTMX)
        assert html.content.decode().count("<li ") == 1
        # Café Sumak and Jobcenter Slagelse have an a: the first by name is listed, the other counted.
        assert ">Café Sumak</a>" in html.content.decode()
        assert "Og 1 mere: skriv mere af navnet." in html.content.decode()

    def test_what_was_found_is_said_in_the_status_line_a_screen_reader_reads(self, staff_client, centre, network, many):
        page = staff_client.get(map_url(centre), PERIOD).content.decode()
        assert '<p id="actor-finder-status" class="help" role="status">' in page
        html = staff_client.get(
            map_url(centre), PERIOD | {"find": "a"}, HTTP_HX_TARGET="actor-matches", **HTMX
        ).content.decode()
        # Swapped into the line already on the page, so it is announced; the list itself is not a live region.
        assert '<p id="actor-finder-status" hx-swap-oob="innerHTML">2 aktører har det i deres navn.</p>' in html
        assert "aria-live" not in page.split('id="actor-finder"')[1].split("</details>")[0]

    def test_a_search_while_the_map_is_being_computed_says_so(self, staff_client, centre, network, many, settings):
        settings.MAP_BACKGROUND_COLLABORATIONS = 0
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        html = staff_client.get(
            map_url(centre), PERIOD | {"find": "a"}, HTTP_HX_TARGET="actor-matches", **HTMX
        ).content.decode()
        assert "<li " not in html and "Kortet beregnes." in html

    def test_no_match_says_so(self, staff_client, centre, many):
        html = staff_client.get(
            map_url(centre), PERIOD | {"find": "zzz"}, HTTP_HX_TARGET="actor-matches", **HTMX
        ).content.decode()
        assert "<li " not in html and "Ingen aktør på kortet har det i sit navn." in html

    def test_hostile_or_endless_text_is_escaped_and_cut(self, staff_client, centre, many):
        hostile = '"><script>alert(1)</script>' + "x" * 5000
        response = staff_client.get(map_url(centre), PERIOD | {"find": hostile})
        assert response.status_code == 200
        finder = self.finder_of(response)
        assert "<script>alert(1)" not in finder
        assert "x" * 200 not in finder


class TestManyActorsShownAsTheirCentres:
    """Above MAP_AGGREGATE_ACTORS, a map of several centres draws the centres, and a click opens a centre's map."""

    def test_each_centre_is_one_mark_that_leads_to_its_own_map(
        self, client, staff, centre, other_centre, two_centres_sharing_an_actor, settings
    ):
        settings.MAP_AGGREGATE_ACTORS = 2
        client.force_login(staff)
        response = client.get(reverse("all_centres_map"), PERIOD)
        figure = map_data(response)
        assert figure["drill_down"] is True
        (marks,) = [trace for trace in figure["data"] if trace.get("customdata")]
        by_name = dict(zip(marks["text"], marks["customdata"], strict=True))
        other_map = reverse("centre_map", args=[other_centre.slug])
        assert by_name == {"Kvarterhuset": map_url(centre), "Andet Hus": other_map}
        # The actor present in both joins them: one tie across, drawn as the thinnest line.
        lines = [trace for trace in figure["data"] if trace.get("mode") == "lines"]
        assert [trace["name"] for trace in lines] == ["1–2 fælles aktører"]
        html = response.content.decode()
        assert "Kortet viser centrene: 3 aktører er flere, end et kort kan vise hver for sig." in html
        assert "actors=all" in html
        assert "Her" in html and "Der" in html  # the list under the map still finds every actor
        # Each centre's map is a link too, for the keyboard and the screen reader, with the same period.
        assert f'href="{map_url(centre)}?start=2026-01-01&amp;end=2026-06-30">Kvarterhuset</a>' in html

    def test_each_centre_counts_the_actors_and_ties_its_own_map_shows(
        self, client, staff, centre, other_centre, two_centres_sharing_an_actor, settings
    ):
        """The shared actor and its partner "Her" also meet in the other centre, where "Her" only takes part: each
        centre's mark counts its own map's actors and ties, and the two centres share both actors."""
        shared, here = two_centres_sharing_an_actor["shared"], two_centres_sharing_an_actor["here"]
        make_collaboration(other_centre, actors=[shared, here], started_on=datetime.date(2026, 4, 1))
        client.force_login(staff)
        own = {}
        for place in (centre, other_centre):
            page = client.get(map_url(place) if place == centre else reverse("centre_map", args=[place.slug]), PERIOD)
            figures = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(\d+)", html_of(page)))
            own[place.name] = (int(figures["Aktive aktører"]) + int(figures["Uden bånd"]), int(figures["Bånd"]))
        assert own == {"Kvarterhuset": (2, 1), "Andet Hus": (3, 2)}

        settings.MAP_AGGREGATE_ACTORS = 2
        figure = map_data(client.get(reverse("all_centres_map"), PERIOD))
        (marks,) = [trace for trace in figure["data"] if trace.get("customdata")]
        for name, hover in zip(marks["text"], marks["hovertext"], strict=True):
            actors, ties = own[name]
            assert f"Aktører: {actors}<br>Bånd: {ties}<br>Aktører også i andre centre: 2" in hover
        (line,) = [trace for trace in figure["data"] if trace.get("hovertext") and not trace.get("customdata")]
        assert line["hovertext"] == ["<b>Kvarterhuset – Andet Hus</b><br>Fælles aktører: 2"]

    def test_every_actor_is_one_click_further(self, client, staff, centre, two_centres_sharing_an_actor, settings):
        settings.MAP_AGGREGATE_ACTORS = 2
        client.force_login(staff)
        response = client.get(reverse("all_centres_map"), PERIOD | {"actors": "all"})
        figure = map_data(response)
        assert "drill_down" not in figure
        assert actor_names_on(response) == {"Kirkens Korshær", "Her", "Der"}
        html = response.content.decode()
        assert '<input type="hidden" name="actors" value="all">' in html  # a filter change keeps every actor
        assert "Vis centrene i stedet" in html
        settings.MAP_AGGREGATE_ACTORS = 100  # below the limit, there are no centres to show instead
        assert (
            "Vis centrene i stedet"
            not in client.get(reverse("all_centres_map"), PERIOD | {"actors": "all"}).content.decode()
        )

    def test_a_centres_own_map_always_shows_its_actors(self, staff_client, centre, network, settings):
        settings.MAP_AGGREGATE_ACTORS = 0
        figure = map_data(staff_client.get(map_url(centre), PERIOD))
        assert "drill_down" not in figure
        assert "Café Sumak" in actor_names_on(staff_client.get(map_url(centre), PERIOD))

    def test_below_the_limit_the_map_of_several_centres_shows_every_actor(
        self, client, staff, two_centres_sharing_an_actor
    ):
        client.force_login(staff)
        response = client.get(reverse("all_centres_map"), PERIOD)
        assert "drill_down" not in map_data(response)
        assert "Kortet viser centrene" not in response.content.decode()


class TestAllCentresActorPanel:
    def test_an_actor_opens_across_the_users_centres(self, staff_client, centre, network):
        url = reverse("all_centres_actor_panel", args=[network["cafe"].pk])
        response = staff_client.get(url, PERIOD, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Jobcenter Slagelse" in html and "Hemmelig partner" not in html
        assert f'href="{reverse("all_centres_map")}?start=2026-01-01&amp;end=2026-06-30&amp;focus=' in html

    def test_an_actor_of_another_centre_only_is_404(self, staff_client, centre, network):
        assert (
            staff_client.get(
                reverse("all_centres_actor_panel", args=[network["secret"].pk]), PERIOD, **HTMX
            ).status_code
            == 404
        )


def test_the_sector_matrix_reads_from_the_top_left_as_the_overviews_table_does():
    """plotly draws a heatmap's first row at the bottom: the matrix turned the table upside down."""
    import networkx as nx

    from centres.models import Sector
    from collaboration.maps.charts import sector_matrix

    graph = nx.Graph()
    graph.add_node(1, sector=Sector.PUBLIC.value)
    graph.add_node(2, sector=Sector.PUBLIC.value)
    graph.add_edge(1, 2)
    chart = sector_matrix(graph)
    heatmap = chart["data"][0]
    assert heatmap["y"][0] == str(list(Sector)[0].label) and chart["layout"]["yaxis"]["autorange"] == "reversed"
    row = heatmap["y"].index(str(Sector.PUBLIC.label))
    assert heatmap["z"][row][heatmap["x"].index(str(Sector.PUBLIC.label))] == 1


def test_the_charts_count_in_whole_numbers_on_a_small_map():
    import datetime

    from collaboration.maps.charts import pairs_over_time, quarterly_by_form

    bars = quarterly_by_form([(datetime.date(2026, 2, 1), 1), (datetime.date(2026, 5, 1), 2)])
    lines = pairs_over_time([("2026 K1", {1: 1}), ("2026 K2", {1: 1, 2: 2})])
    assert bars["layout"]["yaxis"]["dtick"] == 1 and lines["layout"]["yaxis"]["dtick"] == 1
    # Many collaborations: plotly spaces the ticks itself.
    many = quarterly_by_form([(datetime.date(2026, 2, 1), 1)] * 40)
    assert "dtick" not in many["layout"]["yaxis"] and many["layout"]["yaxis"]["rangemode"] == "tozero"


def test_the_chart_of_new_collaborations_shows_a_quarter_without_any_as_empty():
    import datetime

    from collaboration.maps.charts import quarterly_by_form

    bars = quarterly_by_form([(datetime.date(2025, 2, 1), 1), (datetime.date(2025, 11, 3), 3)])

    assert bars["data"][0]["x"] == ["2025 K1", "2025 K2", "2025 K3", "2025 K4"]
    assert [sum(trace["y"][i] for trace in bars["data"]) for i in range(4)] == [1, 0, 0, 1]
    assert quarterly_by_form([])["data"][0]["x"] == []


def test_the_legend_of_a_chart_sits_above_it_where_no_number_of_quarters_reaches_it():
    import datetime

    from collaboration.maps.charts import pairs_over_time, quarterly_by_form

    # Three years of quarters: their labels slant and need the room below the bars.
    days = [datetime.date(2024 + n // 4, n % 4 * 3 + 1, 1) for n in range(12)]
    for chart in (quarterly_by_form([(day, 1) for day in days]), pairs_over_time([("2026 K1", {1: 1})])):
        legend = chart["layout"]["legend"]
        assert legend["y"] >= 1 and legend["yanchor"] == "bottom"


def test_the_map_of_all_centres_takes_as_many_queries_for_five_centres_as_for_two(client, db):
    from centres.models import Role
    from tests.factories import make_centre, make_membership, make_user

    manager = make_user("leder")
    client.force_login(manager)
    centres = []
    for n in range(5):
        centre = make_centre(name=f"Center {n}", slug=f"center-{n}")
        make_collaboration(centre, started_on=datetime.date(2026, 2, 1))
        centres.append(centre)

    def first_view_queries() -> int:
        client.get(reverse("all_centres_map"), PERIOD)  # lays out and stores the new centre's positions
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("all_centres_map"), PERIOD).status_code == 200
        return len(queries)

    for centre in centres[:2]:
        make_membership(manager, centre, Role.MANAGER)
    two = first_view_queries()
    for centre in centres[2:]:
        make_membership(manager, centre, Role.MANAGER)
    assert first_view_queries() == two


def test_a_charts_hover_names_the_quarter_the_form_in_full_and_the_count():
    import datetime

    from collaboration.maps.charts import pairs_over_time, quarterly_by_form

    bars = quarterly_by_form([(datetime.date(2026, 2, 1), 3)])
    lines = pairs_over_time([("2026 K1", {1: 1})])
    for trace in [*bars["data"], *lines["data"]]:
        assert trace["hovertemplate"] == "%{x} · %{fullData.name}: %{y}<extra></extra>"


def test_many_ties_between_centres_are_drawn_fainter_so_the_groups_stay_readable():
    import datetime

    import networkx as nx

    from collaboration.maps.figures import FEW_TIES_BETWEEN_CENTRES, tie_traces

    def across(count):
        graph = nx.Graph()
        tie = {"count": 1, "forms": [1], "first": datetime.date(2026, 1, 1), "last": None}
        edges = [(n, n + 1000, tie) for n in range(count)]
        graph.add_edges_from(edges)
        positions = {node: (float(node % 7), float(node % 5)) for node in graph}
        texts = {"collaborations": "", "forms": "", "ongoing": "", "form_labels": {}}
        return tie_traces(graph, edges, positions, texts)[0]

    assert "opacity" not in across(FEW_TIES_BETWEEN_CENTRES)
    assert across(FEW_TIES_BETWEEN_CENTRES * 2)["opacity"] == 0.5
    assert across(FEW_TIES_BETWEEN_CENTRES * 100)["opacity"] == 0.2
