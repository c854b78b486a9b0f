"""Every page, at a phone's, a tablet's and a laptop's width: nothing scrolls sideways, axe-core finds nothing
serious, and the navigation folds into a menu on a phone."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from centres.models import Centre, Membership, Presence
from collaboration.imports import uploads
from collaboration.imports.runs import SALT
from collaboration.models import Collaboration
from collaboration.rounds.models import MappingRound, Proposal
from collaboration.rounds.tokens import link_token
from tests.browser import WIDTHS, log_in, serious_accessibility_problems, sideways_overflow
from tests.factories import make_actor, make_collaboration, make_import_run, make_prepared_report, seed_themes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    seed_themes()
    call_command("load_demo", "--today", "2026-11-23", stdout=io.StringIO())


def coordinators_pages() -> list[str]:
    collaboration = Collaboration.objects.filter(centre__slug="motalavej").order_by("pk").first()
    presence = Presence.objects.filter(centre__slug="motalavej").order_by("pk").first()
    member = Membership.objects.filter(centre__slug="motalavej").order_by("pk").first()
    c = f"/centres/motalavej/collaborations/{collaboration.pk}"
    round_ = MappingRound.objects.get(centre__slug="motalavej")
    proposal = Proposal.objects.get(invitation__round=round_)
    invitation = round_.invitations.order_by("pk").first()
    coordinator = get_user_model().objects.get(username="tovholder")
    prepared = make_prepared_report(coordinator, centres=[round_.centre])
    imports = [
        make_import_run(round_.centre, coordinator, **state).get_absolute_url()
        for state in (
            {"status": "writing"},
            {"status": "done", "actors": 1200, "collaborations": 48000, "finished_at": timezone.now()},
            {"status": "failed", "message": "Nogen ændrede centrets aktører, mens du importerede."},
        )
    ]
    return [
        "/",
        "/centres/motalavej/",
        "/centres/motalavej/collaborations/",
        "/centres/motalavej/collaborations/?form=4&start=2026-01-01",
        "/centres/motalavej/collaborations/new/",
        f"{c}/",
        f"{c}/edit/",
        f"{c}/delete/",
        "/centres/motalavej/map/",
        "/centres/motalavej/map/?changes=on&start=2026-07-01&end=2026-09-30",
        "/centres/motalavej/map/table/",
        "/centres/motalavej/overview/",
        "/centres/motalavej/overview/?start=2026-07-01&end=2026-09-30",
        "/centres/motalavej/actors/",
        # Filtered to nothing, with a value it cannot use: the warning and the empty state.
        "/centres/motalavej/actors/?q=zzq&category=ukendt",
        "/centres/motalavej/actors/new/",
        "/centres/motalavej/actors/add/",
        f"/centres/motalavej/actors/{presence.pk}/edit/",
        "/centres/motalavej/members/",
        f"/centres/motalavej/members/{member.pk}/edit/",
        f"/actors/{presence.actor_id}/",
        f"/actors/{presence.actor_id}/edit/",
        "/map/",
        "/map/definitions/",
        "/reports/",
        "/centres/findes-ikke/",
        "/centres/motalavej/rounds/",
        "/centres/motalavej/rounds/new/",
        f"/centres/motalavej/rounds/{round_.pk}/",
        f"/centres/motalavej/rounds/{round_.pk}/proposals/{proposal.pk}/accept/",
        "/centres/motalavej/map/?confirmed=any",
        # The demo's round has closed: its partners' links say so.
        f"/svar/{link_token(invitation)}/",
        "/svar/ukendt-link/",
        # A large report a worker is making: its steps, asking again every 2 s.
        prepared.get_absolute_url(),
        # A large import a worker is writing, one it has written, and one that failed.
        *imports,
    ]


def managers_pages() -> list[str]:
    return ["/", "/map/", "/reports/", "/reports/?centres=1&start=2026-07-01&end=2026-09-30&sections-shown=1"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("username", "pages"), [("tovholder", coordinators_pages), ("leder", managers_pages)])
def test_every_page_fits_the_screen_and_has_no_serious_accessibility_problem(
    browser, live_server, demo, width, username, pages
):
    assert problems_on(browser, live_server, width, username, pages()) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_of_many_actors_drawn_as_its_centres_passes_too(browser, live_server, demo, settings, width):
    settings.MAP_AGGREGATE_ACTORS = 10
    # Its list finds actors through the server: open on a search with matches, and on one with none.
    settings.MAP_FINDER_ACTORS = 10
    paths = ["/map/", "/map/?actors=all", "/map/?find=bo", "/map/?find=zzq"]
    assert problems_on(browser, live_server, width, "leder", paths) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_name_with_a_word_longer_than_the_screen_breaks_instead_of_pushing_the_page(
    browser, live_server, demo, width
):
    centre = Centre.objects.get(slug="motalavej")
    long_name = "Æblehavensøkologiskefællesspisningsogbeboerforeningsnetværket Nord"
    actor = make_actor(name=long_name)
    Presence.objects.create(centre=centre, actor=actor)
    partner = Presence.objects.filter(centre=centre).exclude(actor=actor).first().actor
    collaboration = make_collaboration(centre, [actor, partner], title=long_name)
    paths = [
        "/centres/motalavej/",
        "/centres/motalavej/collaborations/",
        f"/centres/motalavej/collaborations/{collaboration.pk}/edit/",
        "/centres/motalavej/actors/?q=æblehaven",
        "/centres/motalavej/rounds/new/",
    ]
    assert problems_on(browser, live_server, width, "tovholder", paths) == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_waiting_for_a_large_uploads_preview_passes_too(browser, live_server, demo, settings, width):
    settings.IMPORT_PREVIEW_BACKGROUND_BYTES = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    centre = Centre.objects.get(slug="motalavej")
    coordinator = get_user_model().objects.get(username="tovholder")
    path = f"/centres/motalavej/import/preview/?ticket={waiting_upload(centre, coordinator)}"
    client = Client()
    client.force_login(coordinator)
    assert "Samkort læser filen" in client.get(path).content.decode()
    assert problems_on(browser, live_server, width, "tovholder", [path]) == {}


def waiting_upload(centre, user) -> str:
    """The ticket of an upload kept for its preview, which no worker has read yet."""

    class Uploaded:
        name = "samarbejder.csv"

        def chunks(self):
            yield "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n".encode()

    token, names = uploads.keep([Uploaded()])
    return signing.dumps({"t": token, "n": names, "c": centre.pk, "u": user.pk, "s": ""}, salt=SALT)


def problems_on(browser, live_server, width: int, username: str, paths: list[str]) -> dict:
    """Per page: wider than the screen, a script that failed or was refused, or a serious axe-core finding."""
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Scripts that fail, and anything the Content-Security-Policy refuses, show up as console errors.
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, username, "samkort-demo")
    problems = {}
    for path in paths:
        errors.clear()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        refused = [error for error in errors if "Failed to load resource" not in error]
        if overflow := sideways_overflow(page):
            problems[path] = f"{overflow} px too wide"
        elif refused:
            problems[path] = refused
        elif found := serious_accessibility_problems(page):
            problems[path] = found
    context.close()
    return problems


@pytest.mark.parametrize("path", ["/centres/motalavej/overview/", "/centres/motalavej/map/table/"])
def test_after_a_filter_redraws_the_page_its_wide_tables_still_take_the_focus(browser, live_server, demo, path):
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}{path}")

    with page.expect_response(lambda response: "form=5" in response.url):
        page.locator("#map-filters input[name=form][value='5']").check()
    page.wait_for_load_state("networkidle")

    scrolling = page.locator(".table-wrap").evaluate_all(
        "(boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth).map((box) => box.tabIndex)"
    )
    assert scrolling and all(index == 0 for index in scrolling)
    assert serious_accessibility_problems(page) == []
    context.close()


def test_the_login_page_and_the_administrators_home_pass_too(browser, live_server, demo):
    for width in WIDTHS:
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        assert sideways_overflow(page) == 0
        assert serious_accessibility_problems(page) == []
        log_in(page, live_server, "admin", "samkort-demo")
        # The administrator belongs to no centre: the home page says where the administration is.
        assert page.get_attribute("main a.button", "href") == "/admin/"
        assert sideways_overflow(page) == 0
        assert serious_accessibility_problems(page) == []
        context.close()


def test_on_a_phone_the_navigation_folds_into_a_menu(browser, live_server, demo):
    context = browser.new_context(locale="da-DK", viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/")
    assert page.is_visible(".menu-button")
    assert not page.is_visible("#mainnav")
    topbar_height = page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
    assert topbar_height < 120  # one line of brand, menu and language, not five lines of links
    page.click(".menu-button")
    assert page.is_visible("#mainnav a:has-text('Netværkskort')")
    assert page.get_attribute(".menu-button", "aria-expanded") == "true"
    # The user name beside "Log out" is hidden on a phone: the menu leads to the password instead.
    assert not page.is_visible(".username")
    assert page.get_attribute("#mainnav a:has-text('Skift din adgangskode')", "href") == "/password/change/"
    page.click("#mainnav a:has-text('Netværkskort')")
    page.wait_for_url(f"{live_server.url}/centres/motalavej/map/")
    context.close()


def test_on_a_laptop_the_navigation_is_open_without_a_menu(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/")
    assert not page.is_visible(".menu-button")
    assert page.is_visible("#mainnav a:has-text('Netværkskort')")
    assert not page.is_visible("#mainnav .in-menu-only") and page.is_visible(".username")
