"""Every collaboration address for every role, what the detail page shows, and the HTMX fragments."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import Actor
from collaboration import urls as collaboration_urls
from collaboration.models import Collaboration, HistoryEntry, ParticipantRole, Participation, Theme
from tests.factories import collaboration_post, make_actor, make_collaboration
from tests.helpers import html_of

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_FOUND = "Siden findes ikke, eller den hører til et center, du ikke er medlem af."
FORBIDDEN = "Din rolle i dette center giver ikke adgang til dette."

# Every address in collaboration/urls.py and the methods it answers.
METHODS = {
    "centre_detail": ["GET"],
    "collaboration_list": ["GET"],
    "collaboration_deletions": ["GET"],
    "collaboration_create": ["GET", "POST"],
    "collaboration_detail": ["GET"],
    "collaboration_edit": ["GET", "POST"],
    "collaboration_delete": ["GET", "POST"],
    "collaboration_form_refresh": ["POST"],
    "actor_search": ["GET"],
    "new_actor": ["GET", "POST"],
    "centre_map": ["GET"],
    "centre_map_table": ["GET"],
    "actor_panel": ["GET"],
    "centre_map_charts": ["GET"],
    "centre_overview": ["GET"],
}
# Managers may read these; every other address logs or changes something.
READ_VIEWS = {
    "centre_detail",
    "collaboration_list",
    "collaboration_deletions",
    "collaboration_detail",
    "centre_map",
    "centre_map_table",
    "actor_panel",
    "centre_map_charts",
    "centre_overview",
}
# Not about one centre: they show the user's own centres, or no data at all (tested in test_map_views.py and
# test_report_views.py).
NOT_CENTRE_SCOPED = {
    "actor_detail",  # actors are a register shared by all centres (tested in test_centre_pages.py)
    "actor_merge",  # tested with every role in tests/test_access_matrix.py and tests/collaboration/merging/
    "all_centres_actor_panel",
    "all_centres_map",
    "all_centres_map_charts",
    "figure_definitions",
    "report_builder",
    "report_download",
    "report_prepared",  # the user's own large report (tests/collaboration/reports/test_prepared_reports.py)
    "report_prepared_file",
    "report_prepared_cancel",
}
# For coordinators only, tested with every role in tests/test_access_matrix.py, in test_history.py and in
# tests/collaboration/imports/.
COORDINATORS_ONLY = {
    "collaboration_restore",
    "import_upload",
    "import_preview",
    "import_confirm",
    "import_run",
    "import_template",
    "round_list",
    "round_create",
    "round_detail",
    "round_remind",
    "round_close",
    "invitation_revoke",
    "invitation_resend",
    "invitation_contact",
    "invitation_create",
    "proposal_accept",
    "proposal_reject",
}
# A partner's page in a mapping round, behind a personal link and no login: tested with every role in
# tests/test_access_matrix.py and with every kind of link in tests/collaboration/rounds/.
PARTNER_LINKS = {
    "partner_page",
    "partner_answer",
    "partner_rating",
    "partner_proposal",
    "partner_proposal_withdraw",
    "partner_comment",
    "partner_finish",
}
ANSWERED = [(name, method) for name, methods in METHODS.items() for method in methods]
REFUSED = [
    (name, method)
    for name, methods in METHODS.items()
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]
    if method not in methods
]
GET_PAGES = [name for name, methods in METHODS.items() if "GET" in methods]
POSTS = [name for name, methods in METHODS.items() if "POST" in methods]
ROLES_WHO_LOG = ["staff", "coordinator"]


def database_state() -> tuple:
    """Everything the collaboration views can change, to show that a refused request changed nothing."""
    return (
        list(
            Collaboration.objects.order_by("pk").values_list(
                "pk", "centre", "title", "form", "started_on", "ended_on", "frequency", "level"
            )
        ),
        list(Collaboration.themes.through.objects.order_by("pk").values_list("collaboration", "theme")),
        list(Participation.objects.order_by("pk").values_list("pk", "collaboration", "actor", "role")),
        list(Actor.objects.order_by("pk").values_list("pk", "name", "category", "active")),
        list(HistoryEntry.objects.order_by("pk").values_list("pk", "collaboration", "action", "title", "user")),
    )


def log_in(client, request, role: str):
    """One client per test: the *_client fixtures all share it, so roles are chosen by name."""
    client.force_login(request.getfixturevalue(role))
    return client


def valid_post(actors, **overrides) -> dict:
    """A complete log/edit form for a coordinated action between these actors, the first of them the lead."""
    roles = [ParticipantRole.LEAD] + [ParticipantRole.PARTICIPANT] * (len(actors) - 1)
    return collaboration_post(actors, roles, **({"started_on": "2026-03-01", "ended_on": "2026-06-30"} | overrides))


@pytest.fixture
def collaboration(centre, actors):
    return make_collaboration(centre, actors=actors[:2], title="Gammel titel")


@pytest.fixture
def addresses(centre, collaboration, actors):
    """For each address: its URL, the query of a GET and the data of a POST that would change something."""
    slug, pk = centre.slug, collaboration.pk
    jobcenter, cafe, _uu = actors
    return {
        "centre_detail": (reverse("centre_detail", args=[slug]), {}, {}),
        "collaboration_list": (reverse("collaboration_list", args=[slug]), {}, {}),
        "collaboration_deletions": (reverse("collaboration_deletions", args=[slug]), {}, {}),
        "collaboration_create": (reverse("collaboration_create", args=[slug]), {}, valid_post(actors)),
        "collaboration_detail": (reverse("collaboration_detail", args=[slug, pk]), {}, {}),
        "collaboration_edit": (
            reverse("collaboration_edit", args=[slug, pk]),
            {},
            valid_post(actors, title="Ny titel", version=collaboration.version),
        ),
        "collaboration_delete": (
            reverse("collaboration_delete", args=[slug, pk]),
            {},
            {"version": collaboration.version},
        ),
        "collaboration_form_refresh": (
            reverse("collaboration_form_refresh", args=[slug]),
            {},
            {"form": "1", "participants": [jobcenter.pk], "add_actor": cafe.pk},
        ),
        "actor_search": (reverse("actor_search", args=[slug]), {"q": "jobcenter"}, {}),
        "centre_map": (reverse("centre_map", args=[slug]), {}, {}),
        "centre_map_table": (reverse("centre_map_table", args=[slug]), {}, {}),
        "actor_panel": (reverse("actor_panel", args=[slug, jobcenter.pk]), {}, {}),
        "centre_map_charts": (reverse("centre_map_charts", args=[slug]), {}, {}),
        "centre_overview": (reverse("centre_overview", args=[slug]), {}, {}),
        "new_actor": (
            reverse("new_actor", args=[slug]),
            {"name": "Kirkens Korshær"},
            {
                "form": "1",
                "participants": [jobcenter.pk],
                "new_actor-name": "Kirkens Korshær",
                "new_actor-category": "ngo",
            },
        ),
    }


# Pieces of the map page, which the page asks for through htmx (as pages of their own they lead to the map).
# Pieces of a page that htmx asks for; asked for on their own, they lead to their page.
PAGE_PIECES = {"actor_panel", "centre_map_charts", "actor_search", "new_actor", "collaboration_form_refresh"}


def send(client, addresses, name: str, method: str):
    url, query, data = addresses[name]
    piece = {"HTTP_HX_REQUEST": "true"} if name in PAGE_PIECES else {}
    if method != "GET":
        return client.post(url, data, **piece)
    return client.get(url, query, **piece)


class TestAccess:
    def test_the_matrix_covers_every_address_in_the_app(self):
        assert {pattern.name for pattern in collaboration_urls.urlpatterns} == (
            set(METHODS) | NOT_CENTRE_SCOPED | COORDINATORS_ONLY | PARTNER_LINKS
        )

    @pytest.mark.parametrize(("name", "method"), ANSWERED)
    def test_anonymous_users_are_sent_to_log_in(self, client, addresses, name, method):
        before = database_state()
        url, _query, data = addresses[name]
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
        assert database_state() == before

    @pytest.mark.parametrize(("name", "method"), ANSWERED)
    def test_an_outsider_gets_404_and_changes_nothing(self, outsider_client, addresses, name, method):
        before = database_state()
        response = send(outsider_client, addresses, name, method)
        assert response.status_code == 404
        assert NOT_FOUND in html_of(response)
        assert database_state() == before

    @pytest.mark.parametrize(("name", "method"), ANSWERED)
    def test_a_manager_reads_but_gets_403_on_everything_that_writes(self, manager_client, addresses, name, method):
        before = database_state()
        response = send(manager_client, addresses, name, method)
        if name in READ_VIEWS:
            assert response.status_code == 200
        else:
            assert response.status_code == 403
            assert FORBIDDEN in html_of(response)
        assert database_state() == before

    @pytest.mark.parametrize("name", GET_PAGES)
    @pytest.mark.parametrize("role", ROLES_WHO_LOG)
    def test_staff_and_coordinators_open_every_page(self, client, request, addresses, role, name):
        before = database_state()
        response = send(log_in(client, request, role), addresses, name, "GET")
        assert response.status_code == 200
        assert database_state() == before

    @pytest.mark.parametrize("name", POSTS)
    @pytest.mark.parametrize("role", ROLES_WHO_LOG)
    def test_the_posts_used_above_go_through_for_staff_and_coordinators(self, client, request, addresses, role, name):
        """So that an unchanged database above means the request was refused, not that it was a no-op."""
        before = database_state()
        response = send(log_in(client, request, role), addresses, name, "POST")
        if name == "collaboration_form_refresh":
            assert response.status_code == 200  # it only redraws the form
            assert database_state() == before
        else:
            assert response.status_code == (200 if name == "new_actor" else 302)
            assert database_state() != before

    @pytest.mark.parametrize(("name", "method"), REFUSED)
    def test_it_refuses_the_wrong_method(self, staff_client, addresses, name, method):
        before = database_state()
        url, _query, _data = addresses[name]
        assert staff_client.generic(method, url).status_code == 405
        assert database_state() == before


class TestDetail:
    def test_it_shows_what_a_user_would_see_after_an_edit(self, staff_client, centre, collaboration, actors):
        jobcenter, cafe, _uu = actors
        edit_url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])
        data = valid_post([jobcenter, cafe], title="Jobmesse i kvarterhuset", version=collaboration.version)
        edited = staff_client.post(edit_url, data)
        assert edited.status_code == 302
        assert edited["Location"] == collaboration.get_absolute_url()

        response = staff_client.get(collaboration.get_absolute_url())

        assert response.status_code == 200
        html = html_of(response)
        assert "<h1>Jobmesse i kvarterhuset</h1>" in html
        assert "<h1>Gammel titel</h1>" not in html
        assert '<th scope="row">Titel</th><td>Gammel titel</td><td>Jobmesse i kvarterhuset</td>' in html  # history
        assert "4 · Samordne" in html
        assert "Jobcenter Slagelse</a> <small>Jobcenter</small> – tovholder" in html
        assert "Café Sumak</a> <small>Socialøkonomisk virksomhed</small> – deltager" in html
        assert "<dd>1. marts 2026 – 30. juni 2026</dd>" in html
        assert "<dd>Beskæftigelse</dd>" in html
        assert "staff ændrede" in html
        assert "staff oprettede" not in html  # the factory wrote no history; only the edit did

    def test_staff_are_offered_to_edit_and_delete(self, staff_client, centre, collaboration):
        html = html_of(staff_client.get(collaboration.get_absolute_url()))
        edit_url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])
        delete_url = reverse("collaboration_delete", args=[centre.slug, collaboration.pk])
        assert f'href="{edit_url}">Rediger</a>' in html
        assert f'href="{delete_url}">Slet</a>' in html

    def test_a_manager_is_offered_neither_edit_nor_delete(self, manager_client, centre, collaboration):
        response = manager_client.get(collaboration.get_absolute_url())
        assert response.status_code == 200
        html = html_of(response)
        assert "<h1>Gammel titel</h1>" in html
        assert reverse("collaboration_edit", args=[centre.slug, collaboration.pk]) not in html
        assert reverse("collaboration_delete", args=[centre.slug, collaboration.pk]) not in html
        assert ">Rediger</a>" not in html
        assert ">Slet</a>" not in html


class TestHtmxFragments:
    def test_the_list_answers_htmx_with_only_its_results(self, staff_client, centre, collaboration):
        response = staff_client.get(reverse("collaboration_list", args=[centre.slug]), **HTMX)
        assert response.status_code == 200
        html = html_of(response)
        assert html.strip().startswith('<section id="results"')
        assert "<html" not in html
        assert "Gammel titel" in html
        assert "HX-Request" in response["Vary"]

    def test_the_htmx_list_needs_the_same_queries_for_2_or_22_collaborations(self, staff_client, centre):
        url = reverse("collaboration_list", args=[centre.slug])
        actors = [make_actor() for _ in range(4)]
        theme = Theme.objects.first()
        for i in range(2):
            make_collaboration(centre, actors=actors[i : i + 2], themes=[theme])
        staff_client.get(url, **HTMX)  # warm the session and the content types

        def count_queries() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as queries:
                response = staff_client.get(url, **HTMX)
            assert response.status_code == 200
            assert "<html" not in html_of(response)
            return len(response.context["page"].object_list), len(queries)

        few = count_queries()
        for i in range(20):
            make_collaboration(centre, actors=actors[i % 2 : i % 2 + 3], themes=[theme], form=1 + i % 5)
        many = count_queries()
        # session, user, membership, count, collaborations, participations with actors, themes
        assert few == (2, 7)
        assert many == (22, 7)

    def test_the_actor_search_answers_with_a_fragment(self, staff_client, centre, actors):
        response = staff_client.get(reverse("actor_search", args=[centre.slug]), {"q": "jobcenter"}, **HTMX)
        assert response.status_code == 200
        html = html_of(response)
        assert "<html" not in html
        assert "Jobcenter Slagelse" in html

    @pytest.mark.parametrize(
        ("name", "method"),
        [("actor_search", "get"), ("new_actor", "get"), ("new_actor", "post"), ("collaboration_form_refresh", "post")],
    )
    def test_a_piece_of_the_log_form_asked_for_on_its_own_leads_to_the_log_form(
        self, staff_client, centre, name, method
    ):
        response = getattr(staff_client, method)(reverse(name, args=[centre.slug]))

        assert response.status_code == 302 and response["Location"] == reverse(
            "collaboration_create", args=[centre.slug]
        )

    def test_the_new_actor_panel_is_a_fragment(self, staff_client, centre):
        response = staff_client.get(reverse("new_actor", args=[centre.slug]), {"name": "Kirkens Korshær"}, **HTMX)
        assert response.status_code == 200
        html = html_of(response)
        assert html.strip().startswith('<div id="new-actor"')
        assert "<html" not in html
