"""No input ever produces a 500: hand-edited ids, huge numbers and NUL bytes get a clear answer."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from centres.models import Actor
from collaboration.models import Collaboration
from tests.factories import make_actor, make_collaboration

HTMX = {"HTTP_HX_REQUEST": "true"}
HUGE = "99999999999999999999999"
HOSTILE_VALUES = [HUGE, "-1", "\x00", "1\x002", "' OR 1=1 --", "<script>alert(1)</script>", "１２"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_list_answers_any_filter_value(staff_client, centre, value):
    make_collaboration(centre)
    for name in ["q", "form", "actor", "theme", "level", "start", "end", "page"]:
        response = staff_client.get(reverse("collaboration_list", args=[centre.slug]), {name: value})
        assert response.status_code == 200, name


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_actor_search_answers_any_query(staff_client, centre, value):
    url = reverse("actor_search", args=[centre.slug])
    assert staff_client.get(url, {"q": value, "participants": [value]}, **HTMX).status_code == 200


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_log_form_refuses_any_hand_edited_actor_id(staff_client, centre, value):
    actor = make_actor()
    data = {
        "form": "1",
        "title": "Møde",
        "participants": [str(actor.pk), value],
        f"role-{actor.pk}": "participant",
        f"role-{value}": "participant",
        "started_on": "2026-10-01",
        "frequency": "once",
        "level": "citizen",
        "citizens_part": "not_involved",
    }
    response = staff_client.post(reverse("collaboration_create", args=[centre.slug]), data)
    assert response.status_code == 200
    assert "En af aktørerne blev ikke genkendt" in response.content.decode()
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_form_refresh_answers_any_actor_to_add_or_remove(staff_client, centre, value):
    url = reverse("collaboration_form_refresh", args=[centre.slug])
    for name in ["add_actor", "remove_actor", "form"]:
        response = staff_client.post(url, {name: value, "participants": [value]}, **HTMX)
        assert response.status_code == 200, name


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_new_actor_panel_answers_any_name(staff_client, centre, value):
    url = reverse("new_actor", args=[centre.slug])
    assert staff_client.get(url, {"name": value}, **HTMX).status_code == 200
    response = staff_client.post(url, {"new_actor-name": value, "new_actor-category": "ngo"}, **HTMX)
    assert response.status_code == 200


def test_huge_ids_in_addresses_answer_404(staff_client, centre):
    for name in ["collaboration_detail", "collaboration_edit", "collaboration_delete"]:
        assert staff_client.get(f"/centres/{centre.slug}/collaborations/{HUGE}/").status_code == 404, name
    assert staff_client.get(f"/actors/{HUGE}/").status_code == 404


@pytest.mark.parametrize("value", [HUGE, "abc", "-1"])
def test_a_hand_edited_theme_id_is_refused(staff_client, centre, value):
    actors = [make_actor(), make_actor()]
    data = {
        "form": "1",
        "title": "Møde",
        "participants": [str(a.pk) for a in actors],
        "started_on": "2026-10-01",
        "frequency": "once",
        "level": "citizen",
        "citizens_part": "not_involved",
        "themes": [value],
    }
    response = staff_client.post(reverse("collaboration_create", args=[centre.slug]), data)
    assert response.status_code == 200
    assert 'id="field-themes"' in response.content.decode()
    assert not Collaboration.objects.exists()


def test_a_cpr_like_number_in_a_new_actors_name_is_refused(staff_client, centre):
    url = reverse("new_actor", args=[centre.slug])
    data = {"new_actor-name": "Beboer 010190-1234", "new_actor-category": "residents_group"}
    html = staff_client.post(url, data, **HTMX).content.decode()
    assert "personoplysninger" in html.lower()
    assert not Actor.objects.filter(name__contains="010190").exists()


def test_a_history_restore_gets_the_whole_page(staff_client, centre):
    url = reverse("collaboration_list", args=[centre.slug])
    response = staff_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_an_expired_session_sends_the_whole_page_back_to_the_login(client, centre):
    page = reverse("collaboration_create", args=[centre.slug])
    response = client.post(
        reverse("collaboration_form_refresh", args=[centre.slug]),
        {"form": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/login/?next={page.replace('/', '%2F')}"


def test_filters_changed_as_the_session_expired_are_kept_for_after_the_login(client, centre):
    page = reverse("collaboration_list", args=[centre.slug])
    response = client.get(
        page,
        {"form": "4", "start": "2026-01-01"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )

    assert response["HX-Redirect"] == "/login/?" + urlencode({"next": f"{page}?form=4&start=2026-01-01"})


def test_a_piece_of_a_page_asked_for_as_the_session_expired_leads_back_to_the_page(client, centre):
    page = reverse("centre_map", args=[centre.slug])
    response = client.get(
        reverse("centre_map_charts", args=[centre.slug]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}?form=4",
    )

    assert response["HX-Redirect"] == "/login/?" + urlencode({"next": f"{page}?form=4"})
