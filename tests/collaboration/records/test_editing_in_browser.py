"""In Chromium: two tabs editing one collaboration, a double click on "Log", and an earlier version restored."""

from __future__ import annotations

import time

import pytest

from centres.models import ActorCategory, Role
from collaboration.models import Collaboration, Form
from collaboration.records.forms import CollaborationForm
from collaboration.records.services import save_collaboration
from tests.browser import assert_fits_and_passes_axe, log_in
from tests.factories import collaboration_post, make_actor, make_centre, make_membership, make_user, seed_themes

SAVED_MEANWHILE = "Dette blev gemt, mens du redigerede – af en anden eller af dig i en anden fane."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmeligt-kodeord-42"


@pytest.fixture
def centre_with_a_collaboration():
    seed_themes()
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    for username, role in (("medarbejder", Role.STAFF), ("tovholder", Role.COORDINATOR)):
        make_membership(make_user(username, password=PASSWORD), centre, role)
    actors = [
        make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE),
        make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE),
    ]
    form = CollaborationForm(
        collaboration_post(actors, title="Fælles jobcafé", description="Hver tirsdag.", started_on="2026-10-01")
    )
    assert form.is_valid()
    save_collaboration(form, centre, None)
    return centre, actors


def test_two_tabs_editing_one_collaboration_end_in_a_visible_conflict_and_nothing_lost(
    browser, live_server, centre_with_a_collaboration
):
    collaboration = Collaboration.objects.get()
    edit = f"{live_server.url}/centres/motalavej/collaborations/{collaboration.pk}/edit/"
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 1000})
    first, second = context.new_page(), context.new_page()
    log_in(first, live_server, "medarbejder", PASSWORD)
    first.goto(edit)
    second.goto(edit)

    first.fill("#id_title", "Jobcafé for unge")
    first.click("button[type=submit].primary")
    first.wait_for_url(f"**/collaborations/{collaboration.pk}/")

    assert second.get_attribute("details.more", "open") is not None  # opened because it holds text
    second.fill("#id_description", "Hver tirsdag og torsdag.")
    second.click("button[type=submit].primary")
    second.wait_for_selector("#conflict")

    assert SAVED_MEANWHILE in second.inner_text("#conflict")
    assert second.evaluate("document.activeElement.id") == "conflict"
    assert second.input_value("#id_title") == "Jobcafé for unge"  # the other tab's change came in
    assert second.input_value("#id_description") == "Hver tirsdag og torsdag."  # and the typing is kept
    collaboration.refresh_from_db()
    assert collaboration.description == "Hver tirsdag."
    assert_fits_and_passes_axe(second)

    second.click("button[type=submit].primary")
    second.wait_for_url(f"**/collaborations/{collaboration.pk}/")
    collaboration.refresh_from_db()
    assert (collaboration.title, collaboration.description) == ("Jobcafé for unge", "Hver tirsdag og torsdag.")
    context.close()


def test_a_double_click_on_log_makes_one_collaboration_and_the_button_waits(
    page, live_server, centre_with_a_collaboration, monkeypatch
):
    from collaboration.records import views

    def slow_save(*args, **kwargs):
        time.sleep(1.5)  # a slow server: the second click comes while the first save is on its way
        return save_collaboration(*args, **kwargs)

    monkeypatch.setattr(views, "save_collaboration", slow_save)
    log_in(page, live_server, "medarbejder", PASSWORD)
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/new/")
    page.check("#form-1")
    page.fill("#id_title", "Netværksmøde")
    for name in ("Jobcenter", "Café"):
        page.fill("#actor-search", name)
        page.click(f"#actor-results button:has-text('{name}')")
        page.wait_for_selector(f"#participant-rows li:has-text('{name}')")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    button = page.locator("button[type=submit].primary")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    # What the button does while the first save is on its way, noted where it survives the next page.
    page.evaluate(
        """() => {
            const button = document.querySelector("button[type=submit].primary");
            document.addEventListener("submit", () => setTimeout(() => sessionStorage.setItem(
                "waiting", String(button.disabled && button.getAttribute("aria-busy") === "true")), 100));
        }"""
    )

    page.mouse.click(*centre)
    time.sleep(0.4)  # the page is still there: the server takes 1.5 s
    page.mouse.click(*centre)
    page.wait_for_url("**/collaborations/", timeout=15_000)

    assert page.evaluate("sessionStorage.getItem('waiting')") == "true"  # disabled and busy while it waited
    assert [url for url in posts if url.endswith("/collaborations/new/")] == [
        f"{live_server.url}/centres/motalavej/collaborations/new/"
    ]
    assert Collaboration.objects.filter(title="Netværksmøde", form=Form.KNOWLEDGE_SHARING).count() == 1


def test_a_coordinator_restores_an_earlier_version_from_the_history(page, live_server, centre_with_a_collaboration):
    collaboration = Collaboration.objects.get()
    log_in(page, live_server, "tovholder", PASSWORD)
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/{collaboration.pk}/edit/")
    page.fill("#id_title", "Forkert titel")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/collaborations/{collaboration.pk}/")

    page.click("#history details.changes summary")
    assert "Fælles jobcafé" in page.inner_text("#history details.changes table")
    assert_fits_and_passes_axe(page)
    page.click("#history a:has-text('Gendan denne version')")
    page.wait_for_selector("h1:has-text('Gendan en tidligere version')")
    assert page.input_value("#id_title") == "Fælles jobcafé"
    assert_fits_and_passes_axe(page)

    page.click("button[type=submit].primary:has-text('Gendan denne version')")
    page.wait_for_url(f"**/collaborations/{collaboration.pk}/")
    assert "er gendannet" in page.inner_text(".messages")
    collaboration.refresh_from_db()
    assert collaboration.title == "Fælles jobcafé"


def choose_actors(page, *names) -> None:
    for name in names:
        page.fill("#actor-search", name)
        page.click(f"#actor-results button:has-text('{name}')")
        page.wait_for_selector(f"#participant-rows li:has-text('{name}')")


def start_logging(page, live_server, title: str) -> None:
    """Staff open the log form, choose a form, type a title and choose a first actor."""
    log_in(page, live_server, "medarbejder", PASSWORD)
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/new/")
    page.check("#form-1")
    page.fill("#id_title", title)
    choose_actors(page, "Jobcenter")


def end_the_session(context) -> None:
    """As the idle limit, a closed browser or 'Log ud' in another tab do: the session cookie is gone."""
    context.clear_cookies(name="sessionid")


def test_a_session_that_runs_out_while_typing_loses_nothing(browser, live_server, centre_with_a_collaboration):
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    page = context.new_page()
    start_logging(page, live_server, "Netværksmøde om sommerferien")

    end_the_session(context)
    # The field at the top of the window, as on a phone with its keyboard open: the note must not cover it.
    page.locator("#actor-search").evaluate("field => field.scrollIntoView({block: 'start'})")
    page.fill("#actor-search", "Café")
    page.wait_for_selector("#signed-out .alert")

    # The page stays, with everything typed, and says so where the user sees it, clear of the field typed in.
    assert page.url.endswith("/collaborations/new/")
    banner, field = page.locator("#signed-out").bounding_box(), page.locator("#actor-search").bounding_box()
    assert banner["y"] + banner["height"] <= field["y"] or field["y"] + field["height"] <= banner["y"]
    assert "Intet af det, du har skrevet her, er tabt." in page.inner_text("#signed-out")
    assert page.input_value("#id_title") == "Netværksmøde om sommerferien"
    assert page.locator("#signed-out button[name=keep_typing]").is_visible()
    assert_fits_and_passes_axe(page)

    page.click("#signed-out button:has-text('Log ind, og fortsæt')")
    page.wait_for_url("**/login/**")
    assert "er ikke gemt endnu" in page.inner_text(".messages")
    page.fill("#id_username", "medarbejder")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/collaborations/new/")

    assert "står i formularen igen" in page.inner_text(".messages")
    # Not sent again yet: no errors for what is still missing, and the message has the focus.
    assert page.locator("#form-errors").count() == 0
    assert page.evaluate("document.activeElement.id") == "messages"
    assert page.input_value("#id_title") == "Netværksmøde om sommerferien"
    assert page.is_checked("#form-1")
    choose_actors(page, "Café")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/collaborations/")
    saved = Collaboration.objects.get(title="Netværksmøde om sommerferien")
    assert sorted(saved.participations.values_list("actor__name", flat=True)) == ["Café Sumak", "Jobcenter Slagelse"]
    context.close()


def test_a_form_opened_before_a_login_in_another_tab_still_saves(browser, live_server, centre_with_a_collaboration):
    context = browser.new_context(locale="da-DK")
    typing, other_tab = context.new_page(), context.new_page()
    start_logging(typing, live_server, "Lektiecafé")

    end_the_session(context)
    log_in(other_tab, live_server, "medarbejder", PASSWORD)  # a new session, and a new CSRF token
    choose_actors(typing, "Café")
    typing.click("button[type=submit].primary")
    typing.wait_for_url("**/collaborations/")
    assert Collaboration.objects.filter(title="Lektiecafé").count() == 1
    context.close()


def test_after_logging_the_message_that_it_is_logged_has_the_focus(page, live_server, centre_with_a_collaboration):
    """A status region already on the page when it loads is not read out: the message takes the focus instead."""
    start_logging(page, live_server, "Fællesspisning")
    choose_actors(page, "Café")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/collaborations/")

    assert page.evaluate("document.activeElement.id") == "messages"
    assert "“Fællesspisning” er logget." in page.inner_text("#messages")
