"""Coordinators read their centre's overview; managers and coordinators make reports and take them away as files."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centres.models import ActorCategory, Role
from collaboration.models import Form
from collaboration.reports.build import SECTION_KEYS
from tests.factories import make_actor, make_collaboration, make_membership, make_presence

HTMX = {"HTTP_HX_REQUEST": "true"}
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture
def logged(centre, other_centre):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    board = make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD)
    make_presence(centre, make_actor(name="Stille Forening"))
    make_collaboration(
        centre, [job, cafe], form=Form.KNOWLEDGE_SHARING, started_on=datetime.date(2025, 11, 1), title="Møde"
    )
    make_collaboration(
        centre,
        [job, cafe],
        form=Form.COORDINATED_ACTION,
        started_on=datetime.date(2026, 2, 1),
        title="Jobcafé",
        goals="Ti unge i job",
        outcome="Syv fik job",
    )
    make_collaboration(centre, [cafe, board], form=Form.RESOURCE_EXCHANGE, started_on=datetime.date(2026, 3, 1))
    make_collaboration(other_centre, [cafe, make_actor(name="Hemmelig partner")], started_on=datetime.date(2026, 2, 1))
    return centre


def overview_url(centre):
    return reverse("centre_overview", args=[centre.slug])


def report_query(centre, **overrides) -> dict:
    return {"centres": [centre.pk], **Q1} | overrides


def download(client, file_format: str, params: dict):
    return client.get(reverse("report_download", args=[file_format]), params)


# -- The overview page -------------------------------------------------------------------------------------------


def test_every_member_sees_the_overview_of_their_centre(staff_client, logged):
    response = staff_client.get(overview_url(logged), Q1)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hvad er ændret" in html
    assert "Jobcafé" in html and "Ti unge i job" in html and "Syv fik job" in html
    assert "Stille Forening" in html  # the disconnected actor
    # The shares by form are rounded one by one; the table says what that means for their sum.
    assert "tilsammen kan de give 99 eller 101 %" in html


def test_an_outsider_gets_404_for_the_overview(outsider_client, logged):
    assert outsider_client.get(overview_url(logged)).status_code == 404


def test_the_overview_and_the_map_link_to_each_other_with_the_same_filters(coordinator_client, logged):
    params = Q1 | {"form": "4"}

    overview = coordinator_client.get(overview_url(logged), params).content.decode()
    the_map = coordinator_client.get(reverse("centre_map", args=[logged.slug]), params).content.decode()

    assert (
        f'href="{reverse("centre_map", args=[logged.slug])}?start=2026-01-01&amp;end=2026-03-31&amp;form=4"' in overview
    )
    assert f'href="{overview_url(logged)}?start=2026-01-01&amp;end=2026-03-31&amp;form=4"' in the_map


def test_the_report_link_of_a_filtered_overview_says_the_filters_are_not_carried_over(coordinator_client, logged):
    note = "En rapport omfatter alle periodens samarbejder"

    assert note in coordinator_client.get(overview_url(logged), Q1 | {"form": "4"}).content.decode()
    assert note not in coordinator_client.get(overview_url(logged), Q1).content.decode()


def test_changing_a_filter_redraws_only_the_overview(coordinator_client, logged):
    response = coordinator_client.get(overview_url(logged), Q1, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="overview"')


def test_an_empty_selection_says_so_with_a_hint(coordinator_client, logged):
    html = coordinator_client.get(overview_url(logged), {"start": "2020-01-01", "end": "2020-03-31"}).content.decode()

    assert "Ingen samarbejder i dette udvalg." in html
    assert "Hvad er ændret" not in html


def test_an_empty_selection_still_compares_with_the_period_before_when_that_had_collaborations(
    coordinator_client, logged
):
    make_collaboration(
        logged,
        [make_actor(name="Biblioteket"), make_actor(name="Boligsocial helhedsplan")],
        form=Form.ALIGNMENT,
        started_on=datetime.date(2025, 7, 1),
        ended_on=datetime.date(2025, 8, 1),
    )
    params = {"start": "2025-10-01", "end": "2025-12-31", "form": "2"}
    html = coordinator_client.get(overview_url(logged), params).content.decode()

    assert "Ingen samarbejder i dette udvalg." in html
    assert re.search(
        r'data-figure="collaborations">\s*<th scope="row">Samarbejder i perioden</th>\s*'
        r'<td class="number">0</td>\s*<td class="number">1</td>\s*<td class="number">-1</td>',
        html,
    )
    assert "Sammenlignet med 3. kvartal 2025: 0 nye bånd, 1 ophørt" in html


def test_a_period_that_reaches_past_today_says_what_its_figures_after_today_count(coordinator_client, logged):
    note = "Perioden rækker ud over i dag"
    next_year = timezone.localdate().year + 1
    future = {"start": f"{next_year}-01-01", "end": f"{next_year}-12-31"}

    assert note in coordinator_client.get(overview_url(logged), future).content.decode()
    assert note not in coordinator_client.get(overview_url(logged), Q1).content.decode()


def test_a_period_without_a_start_or_an_end_has_no_columns_for_a_period_before(coordinator_client, logged):
    html = coordinator_client.get(overview_url(logged), {"start": "", "end": "2026-03-31"}).content.decode()

    assert "Vælg en periode med både start og slut" in html
    assert "Perioden før" not in html and "Forskel" not in html
    assert re.search(
        r'data-figure="collaborations">\s*<th scope="row">Samarbejder i perioden</th>\s*'
        r'<td class="number">3</td>\s*</tr>',
        html,
    )


@pytest.mark.parametrize("params", [{"start": "0001-01-01", "end": "2026-03-31"}, {"end": "9999-12-31"}])
def test_dates_out_of_reach_are_left_out_with_a_message(coordinator_client, logged, params):
    response = coordinator_client.get(overview_url(logged), params)

    assert response.status_code == 200
    assert "Vælg en dato mellem år 1900 og 2100." in response.content.decode()


def test_malformed_overview_filters_are_reported_not_a_crash(coordinator_client, logged):
    response = coordinator_client.get(overview_url(logged), {"start": "i går", "end": "2026-03-31", "form": "9"})

    assert response.status_code == 200
    assert "Nogle filtre kunne ikke bruges og er udeladt:" in response.content.decode()


def test_the_overview_takes_a_fixed_number_of_queries(coordinator_client, logged, django_assert_num_queries):
    coordinator_client.get(overview_url(logged), Q1)  # the first view lays out and stores positions
    make_collaboration(logged, started_on=datetime.date(2026, 1, 1))
    with CaptureQueriesContext(connection) as computed:
        coordinator_client.get(overview_url(logged), Q1)
    for day in range(2, 21):
        make_collaboration(logged, started_on=datetime.date(2026, 1, day), goals="Mål")
    with django_assert_num_queries(len(computed)):
        coordinator_client.get(overview_url(logged), Q1)


def test_the_report_preview_takes_as_many_queries_for_five_centres_as_for_two(manager_client, manager, logged):
    """Each centre with a mapping round that partners answered, rated and added to: the rounds are read together."""
    from collaboration.maps.pages import clear_cache
    from collaboration.rounds.models import Answer, Happened, Rating
    from tests.factories import make_centre, make_round_with_a_proposal

    def answered_round(centre):
        collaboration = centre.collaborations.first()
        actor, partner = (p.actor for p in collaboration.participations.all()[:2])
        asked = make_round_with_a_proposal(centre, actor)
        Answer.objects.create(invitation=asked["invitation"], collaboration=collaboration, happened=Happened.YES)
        Rating.objects.create(invitation=asked["invitation"], partner=partner, value=3, trust=4)

    def preview_queries(centres) -> int:
        query = {"centres": [c.pk for c in centres], **Q1}
        manager_client.get(reverse("report_builder"), query)  # lays out and stores the maps' positions
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(reverse("report_builder"), query).status_code == 200
        return len(queries)

    centres = [logged]
    for n in range(4):
        centre = make_centre(name=f"Center {n}", slug=f"center-{n}")
        make_membership(manager, centre, Role.MANAGER)
        make_collaboration(centre, started_on=datetime.date(2026, 2, 1))
        centres.append(centre)
    for centre in centres:
        answered_round(centre)
    assert preview_queries(centres[:2]) == preview_queries(centres)


def test_the_overview_is_remembered_until_the_data_changes(coordinator_client, logged):
    first = coordinator_client.get(overview_url(logged), Q1)
    with CaptureQueriesContext(connection) as remembered:
        again = coordinator_client.get(overview_url(logged), Q1)
    assert page_figures(again.content.decode()) == page_figures(first.content.decode())
    make_collaboration(logged, started_on=datetime.date(2026, 1, 5))
    with CaptureQueriesContext(connection) as computed:
        changed = coordinator_client.get(overview_url(logged), Q1)
    # Reading the networks again is what the remembered overview saves.
    assert len(remembered) < len(computed)
    figures = page_figures(changed.content.decode())
    assert int(figures["collaborations"]) == int(page_figures(first.content.decode())["collaborations"]) + 1


# -- The report builder --------------------------------------------------------------------------------------------


def test_staff_without_a_reporting_role_cannot_make_reports(staff_client, logged):
    refused = staff_client.get(reverse("report_builder"))
    assert refused.status_code == 403
    # Said of reports, not of "this centre": the page shows none.
    assert "Rapporter laves af ledere og tovholdere; din rolle giver ikke adgang til dem." in refused.content.decode()
    assert "i dette center" not in refused.content.decode()
    assert download(staff_client, "xlsx", report_query(logged)).status_code == 403


def test_a_manager_starts_with_their_centres_and_the_last_whole_quarter(manager_client, logged):
    response = manager_client.get(reverse("report_builder"))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.cleaned_data["centres"]) == [logged]
    assert form.cleaned_data["end"] < datetime.date.today()


def test_the_preview_redraws_as_the_choices_change(manager_client, logged):
    response = manager_client.get(reverse("report_builder"), report_query(logged), **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="preview"')
    assert "1. kvartal 2026" in html
    # The download links carry the choices shown.
    assert f"{reverse('report_download', args=['pdf'])}?centres={logged.pk}&amp;start=2026-01-01" in html


def test_a_selection_too_large_to_preview_offers_the_downloads_without_computing_it(
    manager_client, logged, settings, monkeypatch
):
    settings.REPORT_BACKGROUND_COLLABORATIONS = 1
    monkeypatch.setattr(
        "collaboration.reports.views.build_report", lambda *args, **kwargs: pytest.fail("computed in the request")
    )
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get(reverse("report_builder"), report_query(logged), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Forhåndsvisning: Kvarterhuset" in html and "1. kvartal 2026" in html
    # Every collaboration under way in the quarter, as the report would hold them.
    assert "Dine valg rummer 3 samarbejder: for mange til en forhåndsvisning her" in html
    assert f"{reverse('report_download', args=['xlsx'])}?centres={logged.pk}&amp;start=2026-01-01" in html
    # A count, not the network: a page that answers at once whatever the size.
    assert len(queries) <= 12


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-01-01"}, "Slutdatoen kan ikke ligge før startdatoen."),
        ({"start": "2020-01-01", "end": "2020-03-31"}, "Der er ingen samarbejder i perioden"),
        ({"start": "", "end": "2026-03-31"}, "Vælg periodens første dag."),
        ({"start": "31/02/2026"}, "Indtast en gyldig dato."),
        ({"centres": ["999999"]}, "Et af centrene findes ikke, eller du må ikke lave rapporter for det."),
        ({"centres": ["x'; drop"]}, "Et af centrene findes ikke, eller du må ikke lave rapporter for det."),
        ({"centres": []}, "Vælg mindst ét center."),
        ({"start": "1000-01-01"}, "Vælg en dato mellem år 1900 og 2100."),
        ({"end": "9999-12-31"}, "Vælg en dato mellem år 1900 og 2100."),
    ],
)
def test_bad_choices_get_a_clear_message_and_no_file(manager_client, logged, params, message):
    response = download(manager_client, "pdf", report_query(logged, **params))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert message in response.content.decode()


def test_a_centre_the_user_may_not_see_gets_the_same_answer_as_an_unknown_one(manager_client, logged, other_centre):
    response = download(manager_client, "xlsx", report_query(logged, centres=[logged.pk, other_centre.pk]))

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Et af centrene findes ikke, eller du må ikke lave rapporter for det." in response.content.decode()


def test_a_manager_of_one_centre_and_staff_in_another_can_report_only_on_the_first(client, logged, other_centre):
    from tests.factories import make_user

    user = make_user("leder-og-medarbejder")
    make_membership(user, logged, Role.MANAGER)
    make_membership(user, other_centre, Role.STAFF)
    client.force_login(user)

    assert download(client, "xlsx", report_query(logged)).status_code == 200
    assert download(client, "xlsx", report_query(other_centre)).status_code == 400


@pytest.mark.parametrize(
    ("file_format", "content_type", "extension"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("csv", "application/zip", "zip"),
        ("gexf", "application/gexf+xml", "gexf"),
        ("graphml", "application/graphml+xml", "graphml"),
    ],
)
def test_each_format_downloads_as_a_named_file(coordinator_client, logged, file_format, content_type, extension):
    response = download(coordinator_client, file_format, report_query(logged))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = f'attachment; filename="samkort-kvarterhuset-2026-01-01-2026-03-31.{extension}"'
    assert response["Content-Disposition"] == expected


def test_an_unknown_format_is_not_found(manager_client, logged):
    assert manager_client.get(f"/reports/download/exe/?centres={logged.pk}").status_code == 404


def test_only_get_is_allowed_for_downloads(manager_client, logged):
    assert manager_client.post(reverse("report_download", args=["xlsx"]), report_query(logged)).status_code == 405


# -- One source of numbers -----------------------------------------------------------------------------------------


def page_figures(html: str) -> dict[str, str]:
    rows = re.findall(r'<tr data-figure="([a-z_0-9]+)">\s*<th[^>]*>[^<]*</th>\s*<td class="number">([^<]*)</td>', html)
    return dict(rows)


def spreadsheet_figures(content: bytes) -> dict[str, object]:
    sheet = load_workbook(io.BytesIO(content))["Nøgletal"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_page_the_pdf_and_the_spreadsheet_show_the_same_numbers(manager_client, logged):
    from tests.collaboration.reports.test_exports import pdf_text

    try:
        import weasyprint  # noqa: F401
    except OSError:
        pytest.skip("WeasyPrint cannot load its libraries here")
    page = page_figures(manager_client.get(overview_url(logged), Q1).content.decode())
    preview = manager_client.get(reverse("report_builder"), report_query(logged))
    report = preview.context["report"]
    sheet = spreadsheet_figures(download(manager_client, "xlsx", report_query(logged)).content)
    pdf = " ".join(pdf_text(download(manager_client, "pdf", report_query(logged)).content).split())

    assert page_figures(preview.content.decode()) == page
    assert len(page) == len(report.key_figures) == 15
    for figure in report.key_figures:
        shown = page[figure.key]
        if figure.is_share:
            assert shown == f"{round(sheet[figure.label] * 100)} %"
        else:
            assert shown == str(sheet[figure.label]) == str(figure.value)
        assert re.search(rf"{re.escape(figure.label)}\s+{re.escape(shown)}", pdf), figure.label


def test_a_bad_choice_in_the_preview_shows_its_message_in_place(manager_client, logged):
    response = manager_client.get(reverse("report_builder"), report_query(logged, end="2025-01-01"), **HTMX)

    # htmx swaps in 2xx answers only: the fragment carries the error instead of the status.
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="preview"')
    assert "Slutdatoen kan ikke ligge før startdatoen." in html
    assert reverse("report_download", args=["pdf"]) not in html


def test_a_bad_choice_on_the_full_page_answers_400(manager_client, logged):
    response = manager_client.get(reverse("report_builder"), report_query(logged, end="2025-01-01"))

    assert response.status_code == 400
    assert "Slutdatoen kan ikke ligge før startdatoen." in response.content.decode()


def test_no_sections_chosen_means_the_whole_report_and_the_form_shows_it(manager_client, logged):
    response = manager_client.get(reverse("report_builder"), report_query(logged))

    assert response.context["report"].sections == SECTION_KEYS
    html = response.content.decode()
    for key in SECTION_KEYS:
        assert re.search(rf'<input type="checkbox" name="sections" value="{key}"[^>]* checked>', html), key


def test_a_link_with_centres_but_no_dates_shows_the_last_whole_quarter(manager_client, logged):
    response = manager_client.get(reverse("report_builder"), {"centres": [logged.pk]})
    assert response.status_code == 200
    form = response.context["form"]
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    assert (end - start).days in range(89, 92) and start.day == 1 and start.month in (1, 4, 7, 10)


def test_unticking_every_section_in_the_builder_asks_for_one(manager_client, logged):
    query = report_query(logged) | {"sections-shown": "1"}
    query.pop("sections", None)
    html = manager_client.get(reverse("report_builder"), query, HTTP_HX_REQUEST="true").content.decode()
    assert "Vælg mindst ét afsnit" in html
    assert reverse("report_download", args=["pdf"]) not in html  # no report, so nothing to download


def test_a_file_of_several_centres_names_them_up_to_three_and_counts_more():
    from types import SimpleNamespace

    from collaboration.reports.views import file_name

    def report(*slugs):
        start, end = datetime.date(2026, 1, 1), datetime.date(2026, 11, 30)
        centres = [SimpleNamespace(slug=slug) for slug in slugs]
        return SimpleNamespace(centres=centres, selection=SimpleNamespace(start=start, end=end))

    assert (
        file_name(report("motalavej", "hedemarken"), "pdf") == "samkort-hedemarken-motalavej-2026-01-01-2026-11-30.pdf"
    )
    assert file_name(report("a", "b", "c", "d"), "xlsx") == "samkort-4-centre-2026-01-01-2026-11-30.xlsx"
    assert file_name(report("a" * 80, "b" * 80), "csv") == "samkort-2-centre-2026-01-01-2026-11-30.csv"
