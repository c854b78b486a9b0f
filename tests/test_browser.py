"""End to end in Debian's Chromium: logging with the keyboard alone, the map, and a report."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlparse

import pytest

from centres.models import ActorCategory, Role
from collaboration.models import Collaboration, Form
from tests.browser import log_in, wait_until
from tests.factories import make_actor, make_centre, make_collaboration, make_membership, make_presence, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_tab_until(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_staff_log_a_three_actor_collaboration_with_the_keyboard_and_find_it(page, live_server):
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    staff = make_user("medarbejder", password="hemmeligt-kodeord-42")
    make_membership(staff, centre, Role.STAFF)
    make_presence(centre, make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE))
    make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)

    page.goto(f"{live_server.url}/login/")
    page.focus("#id_username")
    page.keyboard.type("medarbejder")
    page.keyboard.press("Tab")
    page.keyboard.type("hemmeligt-kodeord-42")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/centres/motalavej/")

    page.goto(f"{live_server.url}/centres/motalavej/collaborations/new/")
    # The first step of the ladder has focus (autofocus: Chromium applies it at a rendering step, which on a busy
    # machine may come after the load event); arrow keys climb it.
    wait_until(page, "document.activeElement.id === 'form-1'")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.is_checked("#form-4")

    page.keyboard.press("Tab")
    page.keyboard.type("Fælles jobcafé for unge")
    press_tab_until(page, "#actor-search")

    page.keyboard.type("jobc")
    page.wait_for_selector("#actor-results button:has-text('Jobcenter Slagelse')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#participant-rows li:has-text('Jobcenter Slagelse')")
    assert page.evaluate("document.activeElement.id") == "actor-search"
    # A screen reader is told what was added, while the focus stays in the search.
    wait_until(
        page, "document.getElementById('participants-status').textContent === '1 aktør valgt: Jobcenter Slagelse.'"
    )

    # A fast typist presses Enter before the results have arrived: the match for what was typed is picked.
    page.keyboard.type("sumak")
    page.keyboard.press("Enter")
    page.wait_for_selector("#participant-rows li:has-text('Café Sumak')")

    page.keyboard.type("Kirkens Korshær")
    page.wait_for_selector("#actor-results button:has-text('Opret den nye aktør')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#new-actor select[name='new_actor-category']:focus")
    page.keyboard.type("Frivillig")
    page.keyboard.press("Enter")
    page.wait_for_selector("#participant-rows li:has-text('Kirkens Korshær')")
    assert page.evaluate("document.activeElement.id") == "actor-search"

    press_tab_until(page, "button[type=submit].primary")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/centres/motalavej/collaborations/")
    assert "“Fælles jobcafé for unge” er logget." in page.inner_text(".messages")

    collaboration = Collaboration.objects.get()
    assert collaboration.form == Form.COORDINATED_ACTION
    assert sorted(collaboration.participations.values_list("actor__name", flat=True)) == [
        "Café Sumak",
        "Jobcenter Slagelse",
        "Kirkens Korshær",
    ]

    # The filtered list is updated in place and its address can be shared.
    page.select_option("#id_form", str(Form.COORDINATED_ACTION))
    wait_until(page, "location.search.includes('form=4')")
    page.fill("#id_q", "jobcafé")
    wait_until(page, "location.search.includes('q=jobcaf')")
    assert "Fælles jobcafé for unge" in page.inner_text("#results")
    query = parse_qs(urlparse(page.url).query)
    assert query["form"] == ["4"] and query["q"] == ["jobcafé"]

    page.select_option("#id_form", str(Form.CO_CREATION))
    page.wait_for_selector("#results:has-text('Ingen samarbejder passer til filtrene')")


def test_a_coordinator_filters_the_map_and_opens_an_actors_panel(page, live_server):
    import datetime

    from tests.factories import make_collaboration

    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    coordinator = make_user("tovholder", password="hemmeligt-kodeord-42")
    make_membership(coordinator, centre, Role.COORDINATOR)
    jobcentre = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    library = make_actor(name="Korsør Bibliotek", category=ActorCategory.LIBRARY_CULTURE)
    today = datetime.date.today()
    make_collaboration(centre, actors=[jobcentre, cafe], form=Form.COORDINATED_ACTION, started_on=today)
    make_collaboration(centre, actors=[cafe, library], form=Form.KNOWLEDGE_SHARING, started_on=today)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tovholder")
    page.fill("#id_password", "hemmeligt-kodeord-42")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/centres/motalavej/")

    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    assert page.inner_text(".key-figures").count("3") >= 1  # three actors

    # Only coordinated action: the map is redrawn in place and the filter lands in the address.
    page.check("input[name=form][value='4']")
    wait_until(page, "location.search.includes('form=4')")
    wait_until(page, "document.querySelector('.key-figures dd').textContent.trim() === '2'")
    page.wait_for_selector("#network-map .scatterlayer .point")
    # A screen reader is told, as the focus stays on the filter.
    wait_until(page, "document.getElementById('map-status').textContent.includes('2 aktive aktører, 1 bånd')")

    # Clicking an actor on the map opens its panel beside the map.
    point = page.locator("#network-map .scatterlayer .trace").last.locator(".point").first
    point.click(force=True)
    page.wait_for_selector("#actor-panel h2")
    panel = page.inner_text("#actor-panel")
    assert "Bånd" in panel and ("Jobcenter Slagelse" in panel or "Café Sumak" in panel)


def test_a_manager_narrows_a_report_sees_the_preview_follow_and_downloads_the_spreadsheet(page, live_server):
    import datetime

    from openpyxl import load_workbook

    from tests.factories import make_collaboration

    hus = make_centre(name="Foreningernes Hus", slug="foreningernes-hus")
    motalavej = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    manager = make_user("leder", password="hemmeligt-kodeord-42")
    make_membership(manager, hus, Role.MANAGER)
    make_membership(manager, motalavej, Role.MANAGER)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    library = make_actor(name="Korsør Bibliotek", category=ActorCategory.LIBRARY_CULTURE)
    started = datetime.date(2026, 8, 1)
    make_collaboration(motalavej, actors=[cafe, library], form=Form.CO_CREATION, started_on=started, title="Lektiecafé")
    make_collaboration(hus, actors=[cafe, make_actor(name="Ungdomsforeningen")], started_on=started)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leder")
    page.fill("#id_password", "hemmeligt-kodeord-42")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/reports/?centres={hus.pk}&centres={motalavej.pk}&start=2026-07-01&end=2026-09-30")
    assert "Centrene side om side" in page.inner_text("#preview")

    # Leaving out one centre redraws the preview in place, and the address keeps the choice.
    page.uncheck(f"input[name=centres][value='{hus.pk}']")
    wait_until(page, f"!location.search.includes('centres={hus.pk}&')")
    wait_until(page, "!document.querySelector('#preview').innerText.includes('Foreningernes Hus')")
    assert "Kvarterhuset på Motalavej" in page.inner_text("#preview h2")
    assert page.text_content("#preview-status") == "Opdateret for 3. kvartal 2026."

    with page.expect_download() as download:
        page.click("text=Regneark (XLSX)")
    assert download.value.suggested_filename == "samkort-motalavej-2026-07-01-2026-09-30.xlsx"
    with open(download.value.path(), "rb") as saved:
        rows = list(load_workbook(saved)["Samarbejder"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["Lektiecafé"]


def test_a_failed_request_in_the_page_says_so_instead_of_nothing(page, live_server):
    from tests.browser import log_in

    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    make_membership(make_user("tovholder", password="hemmeligt-kodeord-42"), centre, Role.COORDINATOR)
    log_in(page, live_server, "tovholder")
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/")
    # The server fails the next filter request, as it would with its database down.
    page.route("**/collaborations/?*", lambda route: route.fulfill(status=503, body="Databasen svarer ikke"))
    page.select_option("#id_form", "4")
    page.wait_for_selector("#request-problem:not([hidden])")
    assert "Noget gik galt på serveren, og intet blev ændret" in page.inner_text("#request-problem")


def test_a_date_fields_calendar_button_shows_where_the_keyboard_is(page, live_server):
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    staff = make_user("medarbejder", password="hemmeligt-kodeord-42")
    make_membership(staff, centre, Role.STAFF)
    log_in(page, live_server, "medarbejder")
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/new/")
    page.focus("#id_started_on")
    # Day, month, year, then the calendar button: focus stays inside the field, which is neither :focus nor
    # :focus-visible there; the field's ring must show all the same.
    for _ in range(3):
        page.keyboard.press("Tab")
    field = "document.getElementById('id_started_on')"
    assert page.evaluate(f"{field}.matches(':focus-within') && document.activeElement === {field}")
    assert page.evaluate(f"getComputedStyle({field}).outlineStyle") == "solid"


def test_a_manager_of_many_centres_chooses_all_or_none_at_once_and_the_preview_follows(page, live_server):
    manager = make_user("leder", password="hemmeligt-kodeord-42")
    for n in range(5):
        centre = make_centre(name=f"Centret nr. {n}", slug=f"centret-{n}")
        make_membership(manager, centre, Role.MANAGER)
        make_collaboration(centre, started_on=datetime.date(2026, 8, 1))
    log_in(page, live_server, "leder", "hemmeligt-kodeord-42")
    page.goto(f"{live_server.url}/reports/?start=2026-07-01&end=2026-09-30")
    boxes = "#report-form input[name=centres]"

    page.click("[data-choose-all='']")
    wait_until(page, "() => !location.search.includes('centres=')")
    assert page.eval_on_selector_all(boxes, "bs => bs.filter(b => b.checked).length") == 0
    assert "Ingen rapport endnu" in page.inner_text("#preview")

    page.click("[data-choose-all=centres]")
    wait_until(page, "() => (location.search.match(/centres=/g) || []).length === 5")
    assert page.eval_on_selector_all(boxes, "bs => bs.filter(b => b.checked).length") == 5
    wait_until(page, "() => document.querySelector('#preview h2') !== null")
    assert page.inner_text("#preview h2") == "Forhåndsvisning: 5 centre"


def test_what_was_typed_comes_back_after_switching_language(page, live_server):
    """A coordinator half way through a new actor switches to English: the English page has the name, the category
    and the description typed, and says so; nothing is saved."""
    from centres.models import Actor
    from tests.browser import log_in

    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    make_membership(make_user("tovholder", password="hemmeligt-kodeord-42"), centre, Role.COORDINATOR)
    log_in(page, live_server, "tovholder")
    page.goto(f"{live_server.url}/centres/motalavej/actors/new/")
    page.fill("#id_name", "Beboerforeningen Motalavej")
    page.select_option("#id_category", "residents_group")
    page.fill("#id_description", "Mødes første tirsdag i måneden.")

    page.click("form.language button[value=en]")
    page.wait_for_selector("html[lang=en]")

    assert page.input_value("#id_name") == "Beboerforeningen Motalavej"
    assert page.input_value("#id_category") == "residents_group"
    assert page.input_value("#id_description") == "Mødes første tirsdag i måneden."
    assert "What you had typed is back in the form" in page.inner_text("#main")
    assert not Actor.objects.exists()
    # Once only: the next visit is a fresh form.
    page.reload()
    assert page.input_value("#id_name") == ""


def test_typing_a_date_into_a_filter_asks_once_for_the_whole_date_not_for_each_digit_of_the_year(page, live_server):
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    make_membership(make_user("medarbejder", password="hemmeligt-kodeord-42"), centre, Role.STAFF)
    log_in(page, live_server, "medarbejder")
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/")
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "start=" in request.url else None)

    page.focus("#id_start")
    page.keyboard.type("01022026", delay=120)
    page.wait_for_timeout(1000)

    # The field's order of day and month is the browser's; the year is what arrives digit by digit.
    [[start]] = [parse_qs(urlparse(url).query)["start"] for url in asked]
    assert start in ("2026-02-01", "2026-01-02")
    assert "mellem år 1900 og 2100" not in page.inner_text("main")


def test_the_chosen_actors_and_their_roles_come_back_after_switching_language_also_after_an_error(page, live_server):
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    make_membership(make_user("medarbejder", password="hemmeligt-kodeord-42"), centre, Role.STAFF)
    make_presence(centre, make_actor(name="SSP Slagelse", category=ActorCategory.SSP))
    make_presence(centre, make_actor(name="Basen ungdomsklub", category=ActorCategory.YOUTH_GUIDANCE))
    log_in(page, live_server, "medarbejder")
    page.goto(f"{live_server.url}/centres/motalavej/collaborations/new/")
    page.check("#form-2", force=True)
    for typed, name in (("ssp", "SSP Slagelse"), ("basen", "Basen ungdomsklub")):
        page.fill("#actor-search", typed)
        page.wait_for_selector(f"#actor-results button:has-text('{name}')")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#participant-rows li:has-text('{name}')")
    role = "#participant-rows li:has-text('SSP Slagelse') select"
    page.select_option(role, "referrer")
    # Sent without a title: the page comes back with its error, the typing in its defaults.
    page.click("#collaboration-form button[type=submit].primary")
    page.wait_for_selector("#form-errors")

    page.click("form.language button[value=en]")
    page.wait_for_selector("html[lang=en]")
    page.wait_for_selector("#participant-rows li:has-text('Basen ungdomsklub')")

    assert page.is_checked("#form-2")
    assert page.input_value(role) == "referrer"
    assert page.locator("#participant-rows input[name=participants]").count() == 2
    assert "What you had typed is back in the form" in page.inner_text("#main")
    assert not Collaboration.objects.exists()
