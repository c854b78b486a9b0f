"""Everyone in a centre can browse its collaborations: filters, search, pages, and a shareable address."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import ActorCategory
from collaboration.models import Form, Level, Theme
from tests.factories import make_actor, make_collaboration

HTMX = {"HTTP_HX_REQUEST": "true"}


def list_url(centre):
    return reverse("collaboration_list", args=[centre.slug])


@pytest.fixture
def logged(centre):
    """Three collaborations that differ in every filterable way."""
    jobcenter = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    library = make_actor(name="Korsør Bibliotek", category=ActorCategory.LIBRARY_CULTURE)
    employment = Theme.objects.get(name="Beskæftigelse")
    return {
        "jobfair": make_collaboration(
            centre,
            actors=[jobcenter, cafe],
            title="Jobmesse i kvarterhuset",
            form=Form.COORDINATED_ACTION,
            level=Level.ORGANISATIONAL,
            started_on=datetime.date(2026, 5, 1),
            ended_on=datetime.date(2026, 5, 1),
            themes=[employment],
        ),
        "kitchen": make_collaboration(
            centre,
            actors=[cafe, library],
            title="Køkken mod rengøring",
            form=Form.RESOURCE_EXCHANGE,
            level=Level.CITIZEN,
            started_on=datetime.date(2025, 1, 10),
        ),
        "meeting": make_collaboration(
            centre,
            actors=[library, jobcenter],
            title="Netværksmøde",
            description="Vi fortalte om efterårets lektiecafé",
            form=Form.KNOWLEDGE_SHARING,
            level=Level.LEADERSHIP,
            started_on=datetime.date(2024, 3, 3),
            ended_on=datetime.date(2024, 6, 1),
        ),
    }


def titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


class TestListing:
    def test_every_member_sees_the_list_newest_first(self, staff_client, centre, logged):
        response = staff_client.get(list_url(centre))
        assert response.status_code == 200
        assert titles(response) == ["Jobmesse i kvarterhuset", "Køkken mod rengøring", "Netværksmøde"]
        html = response.content.decode()
        assert "3 samarbejder" in html
        assert "01.05.2026" in html  # dates in Danish format
        # Right under the page's h1, each collaboration's title is an h2: no heading level is skipped.
        assert re.findall(r"<(h[1-6])\b", html.split('id="results"')[0])[-1:] == ["h1"]
        assert html.count('<h2 class="collab-title">') == 3 and '<h3 class="collab-title">' not in html

    def test_managers_read_but_are_not_offered_to_log(self, manager_client, centre, logged):
        html = manager_client.get(list_url(centre)).content.decode()
        assert "Jobmesse i kvarterhuset" in html
        assert reverse("collaboration_create", args=[centre.slug]) not in html

    def test_an_outsider_gets_404(self, outsider_client, centre, logged):
        assert outsider_client.get(list_url(centre)).status_code == 404

    def test_it_refuses_post(self, staff_client, centre):
        assert staff_client.post(list_url(centre)).status_code == 405

    def test_it_shows_an_empty_state_that_invites_logging(self, staff_client, centre):
        html = staff_client.get(list_url(centre)).content.decode()
        assert "Der er endnu ikke logget nogen samarbejder i dette center." in html
        assert reverse("collaboration_create", args=[centre.slug]) in html

    def test_it_shows_only_this_centres_collaborations(self, staff_client, centre, other_centre, logged):
        make_collaboration(other_centre, title="Hemmeligt andetsteds")
        assert "Hemmeligt andetsteds" not in staff_client.get(list_url(centre)).content.decode()


class TestFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"form": "4"}, ["Jobmesse i kvarterhuset"]),
            ({"level": "citizen"}, ["Køkken mod rengøring"]),
            ({"q": "lektiecafé"}, ["Netværksmøde"]),
            ({"q": "sumak"}, ["Jobmesse i kvarterhuset", "Køkken mod rengøring"]),
            # Whatever the case of æ, ø and å, on SQLite as on PostgreSQL.
            ({"q": "KØKKEN"}, ["Køkken mod rengøring"]),
            ({"q": "CAFÉ SUMAK"}, ["Jobmesse i kvarterhuset", "Køkken mod rengøring"]),
            ({"start": "2026-01-01"}, ["Jobmesse i kvarterhuset", "Køkken mod rengøring"]),
            ({"end": "2024-12-31"}, ["Netværksmøde"]),
            ({"start": "2024-07-01", "end": "2024-12-31"}, []),
        ],
    )
    def test_it_filters(self, staff_client, centre, logged, params, expected):
        assert titles(staff_client.get(list_url(centre), params)) == expected

    def test_it_filters_by_actor_and_theme(self, staff_client, centre, logged):
        jobcenter = logged["jobfair"].participations.first().actor
        theme = Theme.objects.get(name="Beskæftigelse")
        assert titles(staff_client.get(list_url(centre), {"actor": jobcenter.pk})) == [
            "Jobmesse i kvarterhuset",
            "Netværksmøde",
        ]
        assert titles(staff_client.get(list_url(centre), {"theme": theme.pk})) == ["Jobmesse i kvarterhuset"]

    def test_htmx_gets_only_the_results_fragment(self, staff_client, centre, logged):
        response = staff_client.get(list_url(centre), {"form": "3"}, **HTMX)
        html = response.content.decode()
        assert "<html" not in html
        assert html.strip().startswith('<section id="results"')
        assert "Køkken mod rengøring" in html and "Jobmesse" not in html
        assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]

    @pytest.mark.parametrize(
        "params",
        [
            {"form": "9"},
            {"form": "abc"},
            {"start": "31-02-2026"},
            {"actor": "999999"},
            {"theme": "x"},
            {"level": "boss"},
        ],
    )
    def test_malformed_filters_are_ignored_with_a_visible_message(self, staff_client, centre, logged, params):
        response = staff_client.get(list_url(centre), params)
        assert response.status_code == 200
        assert len(titles(response)) == 3
        assert "Nogle filtre kunne ikke bruges" in response.content.decode()

    @pytest.mark.parametrize("name, given", [("form", ["3", "4"]), ("level", ["citizen", "organisational"])])
    def test_a_filter_of_one_value_given_several_is_left_out_and_said_so(
        self, staff_client, centre, logged, name, given
    ):
        response = staff_client.get(list_url(centre), {name: given})

        assert len(titles(response)) == 3
        said = "Filteret kan kun have én værdi; adressen indeholdt 2, så filteret er ikke brugt."
        assert said in response.content.decode()
        # The field shows no value: not the last one given, which is not applied.
        assert f'value="{given[-1]}" selected' not in response.content.decode()

    def test_the_same_value_twice_is_one_value(self, staff_client, centre, logged):
        assert titles(staff_client.get(list_url(centre), {"form": ["4", "4"]})) == ["Jobmesse i kvarterhuset"]

    def test_an_end_before_the_start_is_explained(self, staff_client, centre, logged):
        html = staff_client.get(list_url(centre), {"start": "2026-01-01", "end": "2025-01-01"}).content.decode()
        assert "Slutdatoen kan ikke ligge før startdatoen" in html

    def test_another_centres_actor_cannot_be_used_as_a_filter(self, staff_client, centre, other_centre, logged):
        stranger = make_actor(name="Fremmed forening")
        make_collaboration(other_centre, actors=[stranger, make_actor()])
        response = staff_client.get(list_url(centre), {"actor": stranger.pk})
        assert "Nogle filtre kunne ikke bruges" in response.content.decode()

    def test_no_match_shows_a_way_back(self, staff_client, centre, logged):
        html = staff_client.get(list_url(centre), {"q": "findes ikke"}).content.decode()
        assert "Ingen samarbejder passer til filtrene." in html


class TestPagination:
    def test_it_pages_by_25_and_keeps_the_filters_in_the_links(self, staff_client, centre):
        actors = [make_actor(), make_actor()]
        for day in range(30):
            make_collaboration(centre, actors=actors, form=Form.ALIGNMENT, started_on=datetime.date(2026, 1, 1 + day))
        first = staff_client.get(list_url(centre), {"form": "2"})
        assert len(first.context["page"].object_list) == 25
        assert "?form=2&amp;page=2" in first.content.decode()
        second = staff_client.get(list_url(centre), {"form": "2", "page": "2"})
        assert len(second.context["page"].object_list) == 5

    @pytest.mark.parametrize(("page", "shown"), [("999", 3), ("abc", 1), ("-1", 1), ("0", 1), ("1.5", 1)])
    def test_an_impossible_page_number_shows_the_nearest_real_page(self, staff_client, centre, page, shown):
        actors = [make_actor(), make_actor()]
        for day in range(60):
            make_collaboration(centre, actors=actors, started_on=datetime.date(2026, 1, 1 + day % 28))
        response = staff_client.get(list_url(centre), {"page": page})
        assert response.status_code == 200
        assert response.context["page"].number == shown

    def test_an_actors_pages_are_plain_links_where_the_page_has_nothing_to_swap(self, staff_client, centre):
        actors = [make_actor(), make_actor()]
        for day in range(30):
            make_collaboration(centre, actors=actors, started_on=datetime.date(2026, 1, 1 + day % 28))
        html = staff_client.get(reverse("actor_detail", args=[actors[0].pk]), {"page": "2"}).content.decode()
        pages = html[
            html.index('<nav class="pagination"') : html.index("</nav>", html.index('<nav class="pagination"'))
        ]
        # An hx-get without a target would put the whole next page inside the link.
        assert 'href="?page=1"' in pages and "hx-get" not in pages

    def test_the_pages_between_link_to_the_first_and_the_last(self, staff_client, centre):
        actors = [make_actor(), make_actor()]
        for day in range(110):
            make_collaboration(centre, actors=actors, started_on=datetime.date(2026, 1, 1 + day % 28))
        html = staff_client.get(list_url(centre), {"page": "3"}).content.decode()
        assert "Side 3 af 5" in html
        assert '<a href="?page=1" hx-get="?page=1"' in html and "Første" in html
        assert '<a href="?page=5" hx-get="?page=5"' in html and "Sidste" in html
        # Next to the first page, "previous" is the first: no link twice.
        assert "Første" not in staff_client.get(list_url(centre), {"page": "2"}).content.decode()


class TestQueryCount:
    def count_queries(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_the_list_needs_the_same_few_queries_whatever_the_number_of_rows(self, staff_client, centre):
        url = list_url(centre) + "?q=e"
        actors = [make_actor() for _ in range(4)]
        theme = Theme.objects.first()
        make_collaboration(centre, actors=actors[:2], themes=[theme], title="e")
        staff_client.get(url)  # warm the session and the content types
        few = self.count_queries(staff_client, url)
        for i in range(20):
            make_collaboration(centre, actors=actors[i % 2 : i % 2 + 3], themes=[theme], title=f"e{i}")
        many = self.count_queries(staff_client, url)
        assert few == many == 9
