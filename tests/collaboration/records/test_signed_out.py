"""A session that runs out while someone is typing loses nothing: what they sent comes back in the form after the
login, not saved, and a form being filled in says so where the user is instead of leaving for the login page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from centres.models import Actor
from collaboration.models import Collaboration
from tests.factories import collaboration_post as valid_post
from tests.factories import make_collaboration
from tests.helpers import html_of

PASSWORD = "correct horse battery"  # tests.factories.make_user's
HIDDEN = re.compile(r'<input type="hidden" name="(version|opened|submission)" value="([^"]*)"')


def log_url(centre):
    return reverse("collaboration_create", args=[centre.slug])


def log_in(client, user):
    """Through the login page, as a person does: the session the form was kept in goes on."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def typed(actors):
    return valid_post(actors[:2], title="Langt referat fra netværksmødet", description="Tre sider noter om mødet.")


def test_a_collaboration_sent_after_the_session_ran_out_waits_for_the_login_unsaved(client, centre, staff, typed):
    sent = client.post(log_url(centre), typed)

    assert sent.status_code == 302
    assert sent["Location"].startswith(reverse("login") + "?next=")
    assert not Collaboration.objects.exists()
    login_page = html_of(client.get(sent["Location"]))
    assert "Du var logget ud, så det, du sendte, er ikke gemt endnu." in login_page

    log_in(client, staff)
    html = html_of(client.get(log_url(centre)))
    assert "Det, du sendte, før du blev logget ud, står i formularen igen. Det er ikke gemt endnu" in html
    assert 'value="Langt referat fra netværksmødet"' in html and "Tre sider noter om mødet." in html
    assert "Jobcenter Slagelse" in html and "Café Sumak" in html
    assert not Collaboration.objects.exists()


def test_the_form_comes_back_once_and_saves_as_any_form_does(client, centre, staff, typed):
    client.post(log_url(centre), typed)
    log_in(client, staff)
    client.get(log_url(centre))

    assert 'value="Langt referat fra netværksmødet"' not in html_of(client.get(log_url(centre)))
    assert client.post(log_url(centre), typed).status_code == 302
    assert Collaboration.objects.get().title == "Langt referat fra netværksmødet"


def test_only_the_address_the_form_was_sent_to_gets_it_back(client, centre, staff, typed):
    client.post(log_url(centre), typed)
    log_in(client, staff)

    assert "Langt referat" not in html_of(client.get(reverse("collaboration_list", args=[centre.slug])))
    assert 'value="Langt referat fra netværksmødet"' in html_of(client.get(log_url(centre)))


def test_an_edit_sent_after_the_session_ran_out_comes_back_and_saves_over_the_version_it_was_typed_on(
    client, centre, staff, actors
):
    collaboration = make_collaboration(centre, actors=actors[:2], title="Jobcafé")
    edit_url = reverse("collaboration_edit", args=[centre.slug, collaboration.pk])
    client.force_login(staff)
    opened = dict(HIDDEN.findall(html_of(client.get(edit_url))))
    client.logout()
    edited = valid_post(actors[:2], title="Jobcafé hver tirsdag") | opened

    client.post(edit_url, edited)
    log_in(client, staff)

    assert 'value="Jobcafé hver tirsdag"' in html_of(client.get(edit_url))
    collaboration.refresh_from_db()
    assert collaboration.title == "Jobcafé"
    assert client.post(edit_url, edited).status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.title == "Jobcafé hver tirsdag"


def test_a_form_refused_by_its_csrf_check_is_not_kept(centre, staff, typed):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(log_url(centre), typed).status_code == 403
    browser.force_login(staff)
    assert 'value="Langt referat fra netværksmødet"' not in html_of(browser.get(log_url(centre)))


def test_a_form_whose_page_does_not_keep_it_says_on_the_login_that_it_was_not_saved(client, centre, coordinator):
    sent = client.post(reverse("membership_list", args=[centre.slug]), {"username": "ny", "role": "staff"})

    assert "Du var logget ud, så det, du sendte, blev ikke gemt." in html_of(client.get(sent["Location"]))


def test_a_new_actor_typed_by_a_coordinator_comes_back_after_the_login(client, centre, coordinator):
    url = reverse("actor_create", args=[centre.slug])
    client.post(url, {"name": "Korsør Skakklub", "category": "association", "description": "Spiller hver onsdag."})
    log_in(client, coordinator)

    html = html_of(client.get(url))
    assert 'value="Korsør Skakklub"' in html and "Spiller hver onsdag." in html
    assert not Actor.objects.filter(name="Korsør Skakklub").exists()


class TestWhileTyping:
    """The log form's actor search, its form choice and its new-actor panel ask the server as the user types."""

    def test_a_search_after_the_session_ran_out_leaves_the_page_and_says_so_where_the_user_is(self, client, centre):
        response = client.get(
            reverse("actor_search", args=[centre.slug]),
            {"q": "bibl"},
            HTTP_HX_REQUEST="true",
            HTTP_SAMKORT_TYPING="collaboration-form",
        )

        assert response.status_code == 200
        assert "HX-Redirect" not in response
        assert response["HX-Retarget"] == "#signed-out"
        html = response.content.decode()
        assert "Du er blevet logget ud" in html and "Intet af det, du har skrevet her, er tabt." in html
        assert 'form="collaboration-form" name="keep_typing"' in html

    def test_the_log_form_says_that_it_is_being_filled_in(self, staff_client, centre):
        html = html_of(staff_client.get(log_url(centre)))
        assert """hx-headers='{"Samkort-Typing": "collaboration-form"}'""" in html
        assert '<div id="signed-out" role="alert"></div>' in html

    def test_a_form_name_that_is_no_name_sends_the_page_to_the_login_as_before(self, client, centre):
        response = client.get(
            reverse("actor_search", args=[centre.slug]),
            {"q": "bibl"},
            HTTP_HX_REQUEST="true",
            HTTP_SAMKORT_TYPING='"><script>alert(1)</script>',
            HTTP_HX_CURRENT_URL=f"http://testserver{log_url(centre)}",
        )
        assert "<script>" not in response.content.decode()
        assert response["HX-Redirect"].startswith("/login/?next=")

    def test_its_button_keeps_the_form_for_after_the_login(self, client, centre, staff, typed):
        sent = client.post(log_url(centre), typed | {"keep_typing": "1"})
        assert sent["Location"].startswith(reverse("login"))
        log_in(client, staff)
        assert 'value="Langt referat fra netværksmødet"' in html_of(client.get(log_url(centre)))

    def test_its_button_never_saves_even_when_the_user_has_logged_in_again_meanwhile(self, staff_client, centre, typed):
        sent = staff_client.post(log_url(centre), typed | {"keep_typing": "1"})

        assert sent.status_code == 302 and sent["Location"] == log_url(centre)
        assert not Collaboration.objects.exists()
        assert 'value="Langt referat fra netværksmødet"' in html_of(staff_client.get(log_url(centre)))
