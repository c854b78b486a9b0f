"""A round's results where people read them: the map, the actor panel, the overview, the spreadsheet, the demo."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from collaboration.rounds.confirmation import TieState
from collaboration.rounds.models import Answer, MappingRound, ProposalStatus, Rating
from collaboration.rounds.results import latest_results, load_results, load_results_of
from tests.factories import (
    make_actor,
    make_collaboration,
    make_invitation,
    make_presence,
    make_round,
    make_round_with_a_proposal,
)
from tests.helpers import html_of

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def answered(invitations, record):
    """The café confirms the job café, the job centre says it did not happen; the café confirms the house meeting
    and the youth guidance service (not asked) says nothing."""
    Answer.objects.create(invitation=invitations["cafe"], collaboration=record["jobcafe"], happened="yes", form=4)
    Answer.objects.create(invitation=invitations["job"], collaboration=record["jobcafe"], happened="no")
    Answer.objects.create(invitation=invitations["cafe"], collaboration=record["meeting"], happened="yes", form=1)


def map_data(response) -> dict:
    return json.loads(
        re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html_of(response), re.S).group(1)
    )


class TestTheMap:
    def test_one_sided_and_disputed_ties_are_marked_by_shape_with_what_each_side_said(
        self, staff_client, centre, answered
    ):
        traces = {
            t.get("name", ""): t for t in map_data(staff_client.get(f"/centres/{centre.slug}/map/", PERIOD))["data"]
        }
        one_side = traces["Bekræftet af én side (1)"]
        disputed = traces["Uenighed (1)"]
        assert one_side["marker"]["symbol"] != disputed["marker"]["symbol"]
        assert "Jobcenter Slagelse: Fandt ikke sted" in disputed["hovertext"][0]
        assert "UU Vestsjælland: Ikke besvaret" in one_side["hovertext"][0]

    @pytest.mark.parametrize(("confirmed", "ties"), [("", 3), ("any", 1)])
    def test_the_map_can_show_only_confirmed_ties(self, staff_client, centre, answered, confirmed, ties):
        response = staff_client.get(f"/centres/{centre.slug}/map/", PERIOD | {"confirmed": confirmed})
        figures = re.search(r"Bånd</dt>\s*<dd>(\d+)", html_of(response))
        assert int(figures.group(1)) == ties

    def test_the_change_among_confirmed_ties_compares_them_with_the_same_ties_before(
        self, staff_client, centre, actors, record, answered
    ):
        """Last year had the job café's pair and the house meeting's pair too. Of this year's three ties only the
        house meeting is confirmed: the job café's tie, disputed, is on neither side of the comparison, so it has
        not ended, and the confirmed tie is no new one."""
        make_collaboration(centre, actors=[actors["job"], actors["cafe"]], started_on=datetime.date(2025, 3, 1))
        make_collaboration(centre, actors=[actors["cafe"], actors["uu"]], started_on=datetime.date(2025, 5, 1))
        response = staff_client.get(f"/centres/{centre.slug}/map/", PERIOD | {"confirmed": "any", "changes": "on"})
        groups = Counter(trace.get("legendgroup") for trace in map_data(response)["data"] for _ in trace.get("x") or [])
        assert groups["ended"] == groups["new"] == 0
        table = html_of(
            staff_client.get(f"/centres/{centre.slug}/map/table/", PERIOD | {"confirmed": "any", "changes": "on"})
        )
        assert "✕ 0 bånd ophørt" in table and "★ 0 nye bånd" in table

    def test_a_present_actor_whose_ties_are_all_unconfirmed_stays_on_the_map_as_disconnected(
        self, staff_client, centre, actors, answered
    ):
        make_presence(centre, actors["job"])
        response = staff_client.get(f"/centres/{centre.slug}/map/", PERIOD | {"confirmed": "any"})
        page = html_of(response)
        # The job café is disputed: the job centre, present in the centre, is left with no tie; the church, on the
        # map only through the unanswered guidance, goes with its tie.
        assert int(re.search(r"Uden bånd</dt>\s*<dd>(\d+)", page).group(1)) == 1
        names = {trace_name for trace in map_data(response)["data"] for trace_name in trace.get("text") or []}
        assert "Jobcenter Slagelse" in names and "Kirkens Korshær" not in names

    def test_the_confirmed_filter_is_described_by_the_round_it_comes_from(self, staff_client, centre, answered):
        page = html_of(staff_client.get(f"/centres/{centre.slug}/map/", PERIOD))
        described = re.search(r'<select name="confirmed"[^>]*aria-describedby="([^"]+)"', page).group(1)
        assert re.search(rf'<p class="help" id="{described}">Fra kortlægningsrunden “', page)

    def test_with_no_tie_confirmed_by_both_the_map_says_it_is_empty(self, staff_client, centre, answered):
        response = staff_client.get(f"/centres/{centre.slug}/map/", PERIOD | {"confirmed": "both"})
        assert "Ingen samarbejder i dette udvalg." in html_of(response)

    def test_without_a_round_there_is_no_such_filter(self, staff_client, centre, record):
        assert 'name="confirmed"' not in html_of(staff_client.get(f"/centres/{centre.slug}/map/", PERIOD))

    def test_a_map_of_another_year_has_no_marks_or_filter_from_a_round_that_asked_about_this_one(
        self, staff_client, centre, answered
    ):
        response = staff_client.get(f"/centres/{centre.slug}/map/", {"start": "2024-01-01", "end": "2024-12-31"})
        assert 'name="confirmed"' not in html_of(response)
        assert not any("Uenighed" in trace.get("name", "") for trace in map_data(response)["data"])

    def test_the_actor_panel_lists_what_each_side_said(self, staff_client, centre, actors, answered):
        url = f"/centres/{centre.slug}/map/actors/{actors['job'].pk}/"
        panel = html_of(staff_client.get(url, PERIOD, HTTP_HX_REQUEST="true"))
        assert "Hvad hver side sagde" in panel
        assert "Jobcenter Slagelse: Fandt ikke sted · Café Sumak: Fandt sted: Samordne" in panel
        # No partner rated it, so no average is held back either.
        assert "vises ikke" not in panel

    @pytest.mark.parametrize("confirmed", ["", "any"])
    def test_the_actor_panel_on_a_map_read_from_the_store_is_the_panel_of_the_map_computed(
        self, staff_client, centre, actors, answered, settings, confirmed
    ):
        from collaboration.maps.pages import clear_cache
        from tests.collaboration.maps.helpers import the_map_kept

        settings.MAP_STORE_SECONDS = 0  # every map is stored for the other processes
        query = PERIOD | {"confirmed": confirmed}
        panel_url = f"/centres/{centre.slug}/map/actors/{actors['cafe'].pk}/"
        staff_client.get(f"/centres/{centre.slug}/map/", query)
        computed = html_of(staff_client.get(panel_url, query, HTTP_HX_REQUEST="true"))
        clear_cache()  # as another server process, which reads the map from the store
        staff_client.get(f"/centres/{centre.slug}/map/", query)
        from_the_store = html_of(staff_client.get(panel_url, query, HTTP_HX_REQUEST="true"))
        assert not the_map_kept().networks_unpacked
        assert from_the_store == computed
        # "Confirmed by at least one side" leaves out the job café, which the job centre says did not happen.
        ties = from_the_store.split('<ul class="plain ties">')[1].split("</ul>")[0]
        assert ("Jobcenter Slagelse" in ties) == (confirmed == "")
        assert "UU Vestsjælland" in ties


class TestTheOverviewAndTheSpreadsheet:
    def test_the_overview_has_a_section_for_the_latest_round(self, staff_client, centre, answered, round_):
        page = html_of(staff_client.get(f"/centres/{centre.slug}/overview/", PERIOD))
        section = page.split('id="section-round"')[1]
        assert round_.title in section
        assert "Svarprocent" in section
        assert "Café Sumak – Jobcenter Slagelse" in section
        assert "Jobcenter Slagelse: Fandt ikke sted" in section

    def test_a_round_just_opened_with_no_answer_yet_leaves_the_answered_one_on_the_map_and_the_overview(
        self, staff_client, centre, coordinator, answered, round_
    ):
        newer = make_round(centre, created_by=coordinator, title="Næste runde")
        make_invitation(newer, make_actor(name="Ny partner"))

        page = html_of(staff_client.get(f"/centres/{centre.slug}/overview/", PERIOD))
        section = page.split('id="section-round"')[1]
        assert round_.title in section and "Næste runde" not in section
        assert latest_results(centre).round == round_
        Answer.objects.create(
            invitation=newer.invitations.get(), collaboration=round_.collaborations().first(), happened="yes"
        )
        assert latest_results(centre).round == newer

    def test_a_closed_round_stays_on_the_map_and_in_reports_while_the_next_one_is_open_and_answered(
        self, staff_client, centre, coordinator, answered, round_
    ):
        round_.closes_on = datetime.date(2026, 11, 1)
        round_.save()
        newer = make_round(centre, created_by=coordinator, title="Næste runde")
        asked = make_invitation(newer, make_actor(name="Ny partner"))
        Answer.objects.create(invitation=asked, collaboration=round_.collaborations().first(), happened="yes", form=1)

        assert latest_results(centre).round == round_
        section = html_of(staff_client.get(f"/centres/{centre.slug}/overview/", PERIOD)).split('id="section-round"')[1]
        assert round_.title in section and "Næste runde" not in section and "lukket" in section
        newer.closed_early_at = timezone.now()
        newer.save()
        assert latest_results(centre).round == newer

    def test_an_open_round_shown_for_want_of_a_closed_one_says_its_figures_are_provisional(
        self, staff_client, centre, answered, round_
    ):
        section = html_of(staff_client.get(f"/centres/{centre.slug}/overview/", PERIOD)).split('id="section-round"')[1]
        assert "tallene er foreløbige" in section

    def test_the_overview_of_another_year_shows_no_round_that_asked_about_this_one(
        self, staff_client, centre, answered, round_
    ):
        # The round asked about 2026; the overview of 2024 has nothing from it.
        page = html_of(
            staff_client.get(f"/centres/{centre.slug}/overview/", {"start": "2024-01-01", "end": "2024-12-31"})
        )
        assert 'id="section-round"' not in page and round_.title not in page

    def test_the_connections_sheet_has_the_confirmation_state_value_and_trust(
        self, coordinator_client, centre, answered
    ):
        query = PERIOD | {"centres": [centre.pk]}
        response = coordinator_client.get("/reports/download/xlsx/", query)
        sheet = load_workbook(io.BytesIO(response.content))["Connections"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[-5:] == (
            "Bekræftelse (seneste kortlægningsrunde)",
            "Værdi (1-4)",
            "Svar om værdi",
            "Tillid (1-4)",
            "Svar om tillid",
        )
        by_pair = {(row[0], row[1]): row for row in rows[1:]}
        assert by_pair[("Café Sumak", "Jobcenter Slagelse")][-5] == "Uenighed"
        assert by_pair[("Café Sumak", "UU Vestsjælland")][-5] == "Bekræftet af én side"


class TestTheDemo:
    @pytest.fixture
    def demo(self, db, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("load_demo", "--today", "2026-11-23", stdout=io.StringIO())

    def test_motalavej_has_one_closed_round_with_every_kind_of_answer(self, demo):
        round_ = MappingRound.objects.get()
        assert round_.centre.slug == "motalavej"
        assert not round_.is_open
        results = latest_results(round_.centre)
        counts = results.state_counts
        assert counts[TieState.BOTH] > counts[TieState.ONE_SIDE] > 0
        assert counts[TieState.DISPUTED] == 1
        assert [p.status for p in results.proposals] == [ProposalStatus.PENDING]
        assert 0 < results.response_rate.part < results.response_rate.whole

    def test_it_is_the_same_every_time(self, demo, settings):
        settings.DEBUG = True  # --reset asks for it
        fields = ("collaboration__title", "invitation__actor__name", "happened", "form")
        first = sorted(Answer.objects.values_list(*fields))
        call_command("load_demo", "--reset", "--today", "2026-11-23", stdout=io.StringIO())
        assert sorted(Answer.objects.values_list(*fields)) == first


def test_the_definitions_page_explains_the_rounds_figures(staff_client):
    page = html_of(staff_client.get("/map/definitions/"))
    assert "Gensidighed (kortlægningsrunde)" in page
    assert "Uenighed: en side afviser båndet" in page


def test_the_map_reads_a_round_in_the_same_queries_whatever_its_size(staff_client, centre, round_, actors, invitations):
    url = f"/centres/{centre.slug}/map/"
    staff_client.get(url, PERIOD)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url, PERIOD)
    for i in range(10):
        partner = make_actor()
        collaboration = make_collaboration(
            centre, actors=[actors["cafe"], partner], started_on=datetime.date(2026, 6, 1 + i)
        )
        invitation = make_invitation(round_, partner)
        Answer.objects.create(invitation=invitation, collaboration=collaboration, happened="yes", form=1)
    staff_client.get(url, PERIOD)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url, PERIOD)
    assert len(few) == len(many)


def test_one_partners_rating_is_never_read_off_the_map(staff_client, centre, actors, invitations, answered):
    from collaboration.rounds.models import Rating

    Rating.objects.create(invitation=invitations["cafe"], partner=actors["job"], value=1, trust=1)
    url = f"/centres/{centre.slug}/map/actors/{actors['job'].pk}/"
    panel = html_of(staff_client.get(url, PERIOD, HTTP_HX_REQUEST="true"))
    assert "Hvad hver side sagde" in panel
    assert "værdi til" not in panel
    assert "Deres tillid" not in panel
    # The panel says why: an average of so few answers is held back, not missing.
    assert "Et gennemsnit af færre end 3 svar vises ikke" in panel


def test_the_rounds_of_several_centres_read_together_say_what_each_says_alone(
    centre, other_centre, round_, actors, invitations, answered
):
    Rating.objects.create(invitation=invitations["cafe"], partner=actors["job"], value=2, trust=3)
    elsewhere = make_collaboration(other_centre, started_on=datetime.date(2026, 2, 1))
    other_round = make_round_with_a_proposal(other_centre, elsewhere.participations.first().actor)["round"]

    def what_it_says(results) -> tuple:
        return (
            results.round.pk,
            sorted(results.marks()),
            results.state_counts,
            [invitation.pk for invitation in results.invitations],
            [proposal.pk for proposal in results.proposals],
            results.tie_ratings,
            results.actor_ratings,
        )

    together = load_results_of([round_, other_round])
    assert [what_it_says(r) for r in together] == [
        what_it_says(load_results(round_)),
        what_it_says(load_results(other_round)),
    ]
    assert together[0].state_counts[TieState.DISPUTED] == 1
    assert together[0].tie_ratings


def test_two_rounds_of_one_centre_are_not_read_together(centre, round_):
    with pytest.raises(ValueError):
        load_results_of([round_, make_round(centre)])


def test_the_round_page_lists_each_collaboration_the_partners_disagree_about(
    coordinator_client, centre, round_, record, answered
):
    page = html_of(coordinator_client.get(round_.get_absolute_url()))

    section = page.split("Samarbejder, partnerne er uenige om")[1].split("</table>")[0]
    jobcafe = record["jobcafe"]
    assert f'<a href="/centres/{centre.slug}/collaborations/{jobcafe.pk}/">Fælles jobcafé</a>' in section
    assert '">Café Sumak</td><td data-label="Fandt ikke sted, siger">Jobcenter Slagelse</td>' in section
    assert "Husmøde" not in section  # only the café answered about the house meeting


def test_a_report_of_several_centres_names_those_no_round_asked_about_rather_than_leave_them_out(
    centre, other_centre, answered, round_
):
    from collaboration.network.graph import Selection
    from collaboration.reports.build import build_report

    make_collaboration(other_centre, started_on=datetime.date(2026, 2, 1))
    selection = Selection(
        centre_ids=(centre.pk, other_centre.pk), start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )

    report = build_report(selection, [centre, other_centre])

    assert [results.round for results in report.rounds] == [round_]
    assert report.centres_without_round == ["Andet Hus"]
