"""A session that runs out while someone is typing loses nothing: what they sent comes back in the form after the
login, not saved, to them and nobody else, and a form being filled in says so where the user is instead of leaving
for the login page."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from centres.models import Actor, Role
from collaboration.models import Collaboration
from samkort.signed_out import TYPED_BY, UNSENT, UNSENT_KEPT_PER_HOUR, typist_field
from tests.factories import collaboration_post as valid_post
from tests.factories import make_collaboration, make_membership, make_user
from tests.helpers import html_of

PASSWORD = "correct horse battery"  # tests.factories.make_user's
HIDDEN = re.compile(r'<input type="hidden" name="(version|opened|submission)" value="([^"]*)"')


def log_url(centre):
    return reverse("collaboration_create", args=[centre.slug])


def log_in(client, user):
    """Through the login page, as a person does: the session the form was kept in goes on."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def typed_by(user) -> dict:
    """What a form page made for the user says of who is typing into it."""
    return {TYPED_BY: re.search(r'value="([^"]*)"', typist_field(user)).group(1)}


@pytest.fixture
def typed(actors, staff):
    data = valid_post(actors[:2], title="Langt referat fra netværksmødet", description="Tre sider noter om mødet.")
    return data | typed_by(staff)


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
    edited = valid_post(actors[:2], title="Jobcafé hver tirsdag") | opened | typed_by(staff)

    client.post(edit_url, edited)
    log_in(client, staff)

    assert 'value="Jobcafé hver tirsdag"' in html_of(client.get(edit_url))
    collaboration.refresh_from_db()
    assert collaboration.title == "Jobcafé"
    assert client.post(edit_url, edited).status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.title == "Jobcafé hver tirsdag"


def test_a_form_given_to_no_one_in_particular_is_not_kept_and_writes_no_session(centre, typed):
    """A script can choose its own CSRF cookie and token; without a page made for a user it keeps nothing."""
    script = Client(enforce_csrf_checks=True)
    script.cookies["csrftoken"] = "a" * 32
    anonymous = {key: value for key, value in typed.items() if key != TYPED_BY} | {"csrfmiddlewaretoken": "a" * 32}

    sent = script.post(log_url(centre), anonymous | {"description": "x" * 60_000})

    assert sent.status_code == 302 and not Session.objects.exists()


def test_one_pages_signature_replayed_keeps_no_more_than_a_few_forms_an_hour(centre, typed):
    """Each kept form is a session row, written without a login: replaying a page's signature from fresh browsers
    stops making rows after UNSENT_KEPT_PER_HOUR, not even for a note that the form was not saved."""
    for _ in range(UNSENT_KEPT_PER_HOUR):
        Client().post(log_url(centre), typed)
    assert Session.objects.count() == UNSENT_KEPT_PER_HOUR
    assert all(UNSENT in session.get_decoded() for session in Session.objects.all())

    for _ in range(5):
        sent = Client().post(log_url(centre), typed)
        assert sent.status_code == 302

    assert Session.objects.count() == UNSENT_KEPT_PER_HOUR


def test_a_form_too_large_to_keep_is_said_not_to_be_saved(client, centre, typed):
    sent = client.post(log_url(centre), typed | {"description": "x" * 70_000})

    assert "Du var logget ud, så det, du sendte, blev ikke gemt." in html_of(client.get(sent["Location"]))


def test_a_form_kept_for_one_user_is_never_given_to_another_who_logs_in_on_the_same_browser(
    client, centre, staff, typed
):
    colleague = make_user("kollega")
    make_membership(colleague, centre, Role.STAFF)
    client.post(log_url(centre), typed)

    log_in(client, colleague)

    page = html_of(client.get(log_url(centre)))
    assert "Langt referat" not in page and "står i formularen igen" not in page
    client.logout()
    log_in(client, staff)  # it was dropped unseen, not kept for later either
    assert "Langt referat" not in html_of(client.get(log_url(centre)))


def test_a_form_kept_for_a_page_the_user_may_no_longer_open_is_not_used_up_there(
    client, centre, other_centre, staff, actors
):
    elsewhere = reverse("collaboration_create", args=[other_centre.slug])
    client.post(elsewhere, valid_post(actors[:2], title="Et andet sted") | typed_by(staff))
    log_in(client, staff)

    assert client.get(elsewhere).status_code == 404
    assert client.session["_samkort_unsent_form"]["path"] == elsewhere


def test_a_form_whose_page_does_not_keep_it_says_on_the_login_that_it_was_not_saved(client, centre, coordinator):
    sent = client.post(
        reverse("membership_list", args=[centre.slug]), {"username": "ny", "role": "staff"} | typed_by(coordinator)
    )

    assert "Du var logget ud, så det, du sendte, blev ikke gemt." in html_of(client.get(sent["Location"]))


def test_a_new_actor_typed_by_a_coordinator_comes_back_after_the_login(client, centre, coordinator):
    url = reverse("actor_create", args=[centre.slug])
    typed = {"name": "Korsør Skakklub", "category": "association", "description": "Spiller hver onsdag."}
    client.post(url, typed | typed_by(coordinator))
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

    def test_its_button_keeps_nothing_for_someone_else_signed_in_meanwhile(self, client, centre, typed):
        colleague = make_user("kollega")
        make_membership(colleague, centre, Role.STAFF)
        client.force_login(colleague)

        sent = client.post(log_url(centre), typed | {"keep_typing": "1"})

        assert sent["Location"] == log_url(centre) and not Collaboration.objects.exists()
        assert "Langt referat" not in html_of(client.get(log_url(centre)))

    def test_its_button_never_saves_even_when_the_user_has_logged_in_again_meanwhile(self, staff_client, centre, typed):
        sent = staff_client.post(log_url(centre), typed | {"keep_typing": "1"})

        assert sent.status_code == 302 and sent["Location"] == log_url(centre)
        assert not Collaboration.objects.exists()
        assert 'value="Langt referat fra netværksmødet"' in html_of(staff_client.get(log_url(centre)))
