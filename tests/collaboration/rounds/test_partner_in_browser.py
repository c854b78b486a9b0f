"""A partner answers a round on a phone, by keyboard alone: every answer saved as it is given, then done."""

from __future__ import annotations

import datetime

import pytest

from centres.models import ActorCategory
from collaboration.models import Form
from collaboration.rounds.models import Answer, Invitation, Rating
from collaboration.rounds.tokens import link_token
from tests.browser import assert_fits_and_passes_axe, wait_until
from tests.factories import make_actor, make_centre, make_collaboration, make_invitation, make_round, seed_themes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partner_link(live_server):
    seed_themes()
    centre = make_centre(name="Kvarterhuset")
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    uu = make_actor(name="UU Vestsjælland", category=ActorCategory.YOUTH_GUIDANCE)
    jobcafe = make_collaboration(
        centre,
        actors=[cafe, job],
        title="Fælles jobcafé",
        form=Form.COORDINATED_ACTION,
        started_on=datetime.date(2026, 5, 1),
    )
    meeting = make_collaboration(centre, actors=[cafe, uu], title="Husmøde", started_on=datetime.date(2026, 3, 1))
    invitation = make_invitation(make_round(centre), cafe)
    return {
        "url": f"{live_server.url}/svar/{link_token(invitation)}/",
        "invitation": invitation,
        "jobcafe": jobcafe,
        "meeting": meeting,
        "job": job,
    }


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused: it can be reached by keyboard, in the page's own order."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with Tab")


def saved(page, status_id: str) -> None:
    wait_until(page, "(id) => document.getElementById(id).textContent.includes('Gemt')", status_id)


def settled(page) -> None:
    """Every answer sent has been saved: htmx marks a form with .htmx-request while its request is under way."""
    page.wait_for_timeout(150)
    wait_until(page, "() => document.querySelectorAll('.htmx-request').length === 0")


def test_a_partner_answers_on_a_phone_by_keyboard_only(browser, partner_link):
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(partner_link["url"])
    jobcafe, meeting = partner_link["jobcafe"].pk, partner_link["meeting"].pk

    # The job café happened; space chooses "Ja", and the ladder, already at the recorded form, goes one step down.
    tab_to(page, f"#c{jobcafe}-happened-yes")
    page.keyboard.press("Space")
    saved(page, f"saved-{jobcafe}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"c{jobcafe}-form-4"
    page.keyboard.press("ArrowUp")
    settled(page)
    # The house meeting did not happen: the arrow keys move through yes, partly, no.
    tab_to(page, f"#c{meeting}-happened-yes")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    saved(page, f"saved-{meeting}")
    settled(page)
    # What did not happen has no form: its ladder steps aside.
    assert not page.is_visible(f"#c{meeting}-form-1") and page.is_visible(f"#c{jobcafe}-form-1")

    # The job centre was of great value: the arrow keys change the closed list.
    job = partner_link["job"].pk
    tab_to(page, f"#id_rating-{job}-value")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    saved(page, f"rating-saved-{job}")
    settled(page)

    tab_to(page, "#id_comment")
    page.keyboard.type("Vi vil gerne mødes oftere.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    saved(page, "comment-saved")

    assert_fits_and_passes_axe(page)
    tab_to(page, "#done button.primary")
    page.keyboard.press("Enter")
    page.wait_for_selector("#finished")
    assert "Tak! Jeres svar er sendt." in page.inner_text("#finished")
    context.close()

    answers = {a.collaboration_id: (a.happened, a.form) for a in Answer.objects.all()}
    assert answers[jobcafe] == ("yes", Form.RESOURCE_EXCHANGE)
    assert answers[meeting] == ("no", None)
    assert Rating.objects.get(partner_id=job).value == 3
    invitation = Invitation.objects.get(pk=partner_link["invitation"].pk)
    assert invitation.comment == "Vi vil gerne mødes oftere."
    assert invitation.finished_at is not None


def test_a_missing_collaboration_sent_by_keyboard_leaves_the_focus_on_what_the_answer_says(browser, partner_link):
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(partner_link["url"])
    tab_to(page, "#missing summary")
    page.keyboard.press("Enter")

    # Sent empty: the errors take the focus, as on every form of the app.
    tab_to(page, "#missing button[type=submit]")
    page.keyboard.press("Enter")
    wait_until(page, "() => document.activeElement.id === 'form-errors'")

    page.fill("#id_proposal-title", "Fælles sommerfest")
    page.check(f"#missing input[name='proposal-partners'][value='{partner_link['job'].pk}']")
    page.check(f"#missing input[name='proposal-form'][value='{Form.CO_CREATION}']")
    page.fill("#id_proposal-started_on", "2026-06-20")
    page.focus("#missing button[type=submit]")
    page.keyboard.press("Enter")
    # Added: the message that says so has the focus, and the button to take it back again says what it shows.
    wait_until(page, "() => document.activeElement.matches('#missing .alert.info')")
    assert "Fælles sommerfest" in page.evaluate("document.activeElement.textContent")
    assert_fits_and_passes_axe(page)
    context.close()


def test_save_answer_without_saying_whether_it_happened_says_so_beside_it(browser, partner_link):
    page = browser.new_page(locale="da-DK")
    page.goto(partner_link["url"])
    jobcafe = partner_link["jobcafe"].pk

    page.click(f"#collaboration-{jobcafe} button[type=submit]")
    page.wait_for_selector(f"#saved-{jobcafe} .error")

    assert "Sig, om det fandt sted, så gemmes svaret." in page.inner_text(f"#saved-{jobcafe}")
    assert page.is_visible("#collaborations-heading")  # the page is still there, not a line on a blank one
    assert not Answer.objects.exists()
    page.close()
