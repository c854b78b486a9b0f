"""The map and the overview in Chromium, on the demo: filters that say what they compute, every actor reachable."""

from __future__ import annotations

import datetime
import html
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from tests.browser import log_in, wait_until
from tests.factories import seed_themes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = "2026-11-23"
# The checkboxes of the filter form, by name: every one of them is ticked and unticked.
FILTERS = ("form", "sectors", "levels", "themes")


@pytest.fixture
def demo(settings):
    seed_themes()
    call_command("load_demo", "--today", TODAY, stdout=io.StringIO())


def shown_figures(page, cells: str) -> list[str]:
    return page.eval_on_selector_all(cells, "cells => cells.map(cell => cell.textContent.trim())")


def fresh_figures(page, pattern: str) -> list[str]:
    """The same figures from a fresh load of the page's own address, as a reload or a bookmark would fetch it."""
    text = page.request.get(page.url).text()
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(pattern, text, re.S)]


def wait_for_new_selection(page, address_before: str) -> None:
    wait_until(page, "(before) => location.href !== before", arg=address_before)
    wait_until(page, "!document.querySelector('.htmx-request')")
    page.wait_for_timeout(50)  # htmx settles the swap right after the request


def assert_controls_match_the_address(page) -> None:
    query = parse_qs(urlparse(page.url).query)
    for name, values in query.items():
        assert len(values) == len(set(values)), f"{name} repeated in {page.url}"
    for name in FILTERS:
        ticked = page.eval_on_selector_all(
            f"#map-filters input[name={name}]:checked", "boxes => boxes.map(box => box.value)"
        )
        assert sorted(ticked) == sorted(query.get(name, [])), name


def tick_and_untick_every_filter(page, cells: str, pattern: str) -> None:
    page.click("#map-filters .more-filters summary")  # levels and themes fold away until asked for
    start = shown_figures(page, cells)
    assert start == fresh_figures(page, pattern)
    boxes = page.eval_on_selector_all(
        "#map-filters input[type=checkbox]:not([name=changes])", "boxes => boxes.map(box => [box.name, box.value])"
    )
    assert {name for name, _value in boxes} == set(FILTERS)
    for name, value in boxes:
        box = f"#map-filters input[name={name}][value='{value}']"
        for tick in (True, False):
            before = page.url
            page.set_checked(box, tick)
            wait_for_new_selection(page, before)
            assert (value in parse_qs(urlparse(page.url).query).get(name, [])) is tick
            assert_controls_match_the_address(page)
            assert shown_figures(page, cells) == fresh_figures(page, pattern), (name, value, tick)
        # Unticked again, the page is back where it started.
        assert shown_figures(page, cells) == start, (name, value)


def test_every_map_filter_ticks_and_unticks_to_exactly_what_a_fresh_load_shows(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    tick_and_untick_every_filter(page, ".key-figures dd", r"<dd>(.*?)</dd>")


def test_every_overview_filter_ticks_and_unticks_to_exactly_what_a_fresh_load_shows(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/overview/")
    pattern = r'<tr data-figure="\w+">.*?<td class="number">(.*?)</td>'
    tick_and_untick_every_filter(page, "#section-figures tr[data-figure] td:first-of-type", pattern)


def test_back_and_forward_show_the_selection_of_their_address(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/overview/")
    cells, pattern = (
        "#section-figures tr[data-figure] td:first-of-type",
        r'<tr data-figure="\w+">.*?<td class="number">(.*?)</td>',
    )
    addresses = [page.url]
    for box in ("input[name=form][value='1']", "input[name=sectors][value='public']"):
        before = page.url
        page.check(box)
        wait_for_new_selection(page, before)
        addresses.append(page.url)
    # Each step through the history loads the page afresh (htmx keeps no stale copies of it).
    for address in (addresses[1], addresses[0]):
        step_through_history(page, page.go_back, address)
        assert_controls_match_the_address(page)
        assert shown_figures(page, cells) == fresh_figures(page, pattern)
    step_through_history(page, page.go_forward, addresses[1])
    assert_controls_match_the_address(page)
    assert shown_figures(page, cells) == fresh_figures(page, pattern)


def test_switching_language_keeps_the_filters_chosen_since_the_page_loaded(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    before = page.url
    page.check("input[name=form][value='2']")
    wait_for_new_selection(page, before)
    filtered = page.url
    assert "form=2" in filtered

    page.click("form.language button[value=en]")
    page.wait_for_load_state()
    assert page.url == filtered
    assert page.evaluate("document.documentElement.lang") == "en"
    assert_controls_match_the_address(page)


def step_through_history(page, step, address: str) -> None:
    """Back or forward, then wait until the page at that address has been loaded again, not just its address."""
    page.evaluate("window.beforeTheStep = true")
    step()
    page.wait_for_url(address)
    for _ in range(100):
        try:
            if page.evaluate("document.readyState === 'complete' && window.beforeTheStep === undefined"):
                return
        except Exception:  # the old page went away in the middle of the question
            pass
        page.wait_for_timeout(50)
    raise AssertionError(f"{address} was not loaded again")


ACTOR_MARKERS = """map => {
    const found = [];
    map.querySelectorAll('.scatterlayer .trace').forEach(trace => {
        const full = trace.__data__ && trace.__data__[0] && trace.__data__[0].trace;
        if (!full || full.customdata === undefined) return;
        trace.querySelectorAll('.points path.point').forEach(marker => {
            const box = marker.getBoundingClientRect();
            found.push({actor: full.customdata[marker.__data__.i], x: box.left + box.width / 2,
                        y: box.top + box.height / 2, radius: Math.min(box.width, box.height) / 2});
        });
    });
    return found;
}"""


def where_it_rests(page, actor: int) -> dict:
    """The actor's marker once the page has stopped moving (a shorter page may drop its scroll bar and the map
    widen a little)."""
    last = None
    for _ in range(20):
        marker = next(m for m in page.eval_on_selector("#network-map", ACTOR_MARKERS) if m["actor"] == actor)
        if marker == last:
            return marker
        last = marker
        page.wait_for_timeout(100)
    return last


def open_by_clicking(page, actor: int, dx: float = 0.0, dy: float = 0.0) -> None:
    # An empty panel, so the one we wait for is this click's; the whole map in view (a panel scrolls down to it).
    page.evaluate("document.getElementById('actor-panel').innerHTML = ''")
    page.evaluate("document.querySelector('#network-map').scrollIntoView({block: 'start'})")
    marker = where_it_rests(page, actor)
    page.mouse.click(marker["x"] + dx * marker["radius"], marker["y"] + dy * marker["radius"])
    # Settled: the panel has scrolled into view and taken the focus.
    wait_until(
        page,
        "(actor) => document.activeElement.matches('#actor-panel h2')"
        " && document.activeElement.closest('[data-actor]').dataset.actor === String(actor)",
        arg=actor,
    )


def test_a_click_anywhere_on_any_actor_of_the_demo_map_opens_its_panel(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    markers = page.eval_on_selector("#network-map", ACTOR_MARKERS)
    assert len(markers) == 20
    for marker in sorted(markers, key=lambda m: -m["radius"]):
        # The middle of the marker, and off its middle, where a tie's hover point may lie underneath.
        for dx, dy in ((0, 0), (0.6, -0.3), (-0.4, 0.5)):
            open_by_clicking(page, marker["actor"], dx, dy)
        listed = page.text_content(f"#actor-list a[hx-get*='/actors/{marker['actor']}/']")
        assert page.inner_text("#actor-panel h2") == listed.strip()


def test_a_keyboard_user_finds_an_actor_in_the_list_and_the_map_shows_it(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    page.focus("#actor-finder summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "actor-filter"
    page.keyboard.type("sumak")
    assert page.eval_on_selector_all("#actor-list li:not([hidden])", "items => items.length") == 1
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#actor-panel h2:has-text('Sumak')")
    # The panel sits right under the map, in view, and the keyboard is in it.
    wait_until(page, "document.activeElement.tagName === 'H2'")
    assert page.evaluate("document.querySelector('#network-map').layout.shapes.length") == 1
    map_bottom = page.evaluate("document.querySelector('#network-map').getBoundingClientRect().bottom")
    panel_top = page.evaluate("document.querySelector('#actor-panel').getBoundingClientRect().top")
    assert 0 <= panel_top - map_bottom < 100
    # Closing it takes the keyboard back to the name it was opened from, to go on down the list.
    page.click("[data-closes-panel]")
    assert "Sumak" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.closest('#actor-list') !== null")
    assert page.evaluate("document.querySelector('#network-map').layout.shapes.length") == 0
    # Escape closes it too, as it closes what else opens over a page.
    page.keyboard.press("Enter")
    page.wait_for_selector("#actor-panel h2:has-text('Sumak')")
    wait_until(page, "document.activeElement.tagName === 'H2'")
    page.keyboard.press("Escape")
    assert page.inner_html("#actor-panel").strip() == ""
    assert "Sumak" in page.evaluate("document.activeElement.textContent")


# One straight line per tie (a path of one move and one line), and the hover points drawn after each form's lines.
TIES_AS_DRAWN = r"""map => map.data.flatMap((trace, index) => {
    if (trace.mode !== 'lines' || !trace.legendgroup.startsWith('form')) return [];
    const hovers = map.data[index + 1];
    const straight = /^M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+$/;
    const lines = map.querySelectorAll('.scatterlayer .trace')[index].querySelectorAll('path.js-line');
    return [{index: index + 1, ties: hovers.hovertext.length, first: hovers.hovertext[0],
             segments: Array.from(lines).filter(line => straight.test(line.getAttribute('d'))).length}];
})"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    """The pairs of named boxes (as the browser measured them) that lie over each other."""
    return [
        (one["name"], other["name"])
        for i, one in enumerate(boxes)
        for other in boxes[i + 1 :]
        if not (
            one["right"] <= other["left"]
            or other["right"] <= one["left"]
            or one["bottom"] <= other["top"]
            or other["bottom"] <= one["top"]
        )
    ]


NAMES_SHOWN = """map => {
    const frame = map.getBoundingClientRect();
    return Array.from(map.querySelectorAll('.scatterlayer .textpoint'))
        .filter(name => name.textContent.trim() !== '' && getComputedStyle(name).visibility !== 'hidden')
        .map(name => {
            const box = name.getBoundingClientRect();
            return {name: name.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                    inside: box.left >= frame.left && box.right <= frame.right
                            && box.top >= frame.top && box.bottom <= frame.bottom};
        });
}"""


# The names shown over the marker of another actor at least as prominent (a marker as large or larger).
NAMES_OVER_MARKERS = """map => {
    const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const markers = Array.from(map.querySelectorAll('.scatterlayer .trace'))
        .filter(trace => trace.__data__[0].trace.customdata !== undefined)
        .flatMap(trace => Array.from(trace.querySelectorAll('.points path.point')))
        .map(marker => ({point: marker.__data__, box: marker.getBoundingClientRect()}));
    return Array.from(map.querySelectorAll('.scatterlayer .textpoint'))
        .filter(name => name.textContent.trim() !== '' && getComputedStyle(name).visibility !== 'hidden')
        .filter(name => markers.some(mark => mark.point !== name.__data__ && mark.point.mrc >= name.__data__.mrc
                                             && over(mark.box, name.getBoundingClientRect())))
        .map(name => name.textContent);
}"""


@pytest.mark.parametrize("centre", ["foreningernes-hus", "motalavej"])
@pytest.mark.parametrize("width", [375, 768, 1440])
def test_no_name_on_the_map_lies_over_another_or_a_larger_marker_or_runs_off_it(page, live_server, demo, width, centre):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/{centre}/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    # The charts are asked for once the map is drawn, in the same turn as the names are sorted out.
    wait_until(page, "!document.querySelector('#charts[data-charts]')")
    shown = page.eval_on_selector("#network-map", NAMES_SHOWN)
    assert len(shown) >= 5, shown
    assert all(name["inside"] for name in shown), [name["name"] for name in shown if not name["inside"]]
    assert overlapping(shown) == []
    assert page.eval_on_selector("#network-map", NAMES_OVER_MARKERS) == []


CAPTIONS_SHOWN = """map => {
    const frame = map.getBoundingClientRect();
    return Array.from(map.querySelectorAll('.annotation')).map(caption => {
        const box = caption.getBoundingClientRect();
        return {name: caption.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                inside: box.left >= frame.left && box.right <= frame.right};
    });
}"""


@pytest.mark.parametrize("width", [375, 768, 1440])
def test_the_centres_captions_on_the_map_of_all_centres_stay_apart_and_on_the_map(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "leder", "samkort-demo")
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    captions = page.eval_on_selector("#network-map", CAPTIONS_SHOWN)
    assert len(captions) == 4, captions
    assert all(caption["inside"] for caption in captions), captions
    assert overlapping(captions) == []


@pytest.mark.parametrize("width", [375, 1440])
def test_the_captions_of_many_centres_with_long_names_stay_apart(page, live_server, settings, width):
    from centres.models import Role
    from tests.factories import make_actor, make_centre, make_collaboration, make_membership, make_user

    settings.MAP_AGGREGATE_ACTORS = 1000  # every actor drawn, as below the limit
    manager = make_user("leder", password="samkort-demo")
    for n in range(16):
        centre = make_centre(name=f"Børne & Unge Medborgercenter nummer {n:02}", slug=f"center-{n}")
        make_membership(manager, centre, Role.MANAGER)
        make_collaboration(centre, [make_actor(), make_actor()], started_on=datetime.date(2026, 2, 1))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "leder", "samkort-demo")
    page.goto(f"{live_server.url}/map/?start=2026-01-01&end=2026-06-30")
    page.wait_for_selector("#network-map .scatterlayer .point")
    captions = page.eval_on_selector("#network-map", CAPTIONS_SHOWN)
    assert len(captions) == 16, captions
    assert all(caption["inside"] for caption in captions), captions
    assert overlapping(captions) == []
    # The name as written, broken only between words where it fits, its "&" a letter, not "&amp;".
    assert all(caption["name"].startswith("Børne & Unge") for caption in captions), captions
    if width == 1440:
        assert all("-" not in caption["name"] for caption in captions), captions


def test_each_tie_is_drawn_apart_and_hovers_with_both_names_made_in_the_browser(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    drawn = page.eval_on_selector("#network-map", TIES_AS_DRAWN)
    sent = page.evaluate(
        "JSON.parse(document.getElementById('map-data').textContent).data"
        ".reduce((n, trace) => n + (trace.samkort_ties || []).length, 0)"
    )
    assert sent > 20 and sum(form["ties"] for form in drawn) == sent
    hover = re.compile(r"^<b>[^<]+ – [^<]+</b><br>Samarbejder: \d+<br>Former: [^<]+<br>[\d.]{10} – ([\d.]{10}|pågår)$")
    for form in drawn:
        # A gap after every tie: one line per tie, never one line through all of them.
        assert form["segments"] == form["ties"], form
        assert hover.match(form["first"]), form["first"]
    periods = page.evaluate(
        "Array.from(document.getElementById('network-map').data)"
        ".flatMap(trace => trace.legendgroup && trace.legendgroup.startsWith('form') ? trace.hovertext || [] : [])"
        ".map(text => text.split('<br>').pop())"
    )
    # Ties that ended and ties still going on, each with its own period.
    assert len(periods) == sent and {period.endswith("pågår") for period in periods} == {True, False}
    page.evaluate("i => Plotly.Fx.hover('network-map', [{curveNumber: i, pointNumber: 0}])", drawn[0]["index"])
    label = page.text_content("#network-map .hoverlayer .hovertext")
    assert " – " in label and "Samarbejder" in label


CENTRE_MARKS = """map => {
    const index = map.data.findIndex(trace => trace.customdata);
    const trace = map.querySelectorAll('.scatterlayer .trace')[index];
    return Array.from(trace.querySelectorAll('path.point')).map(point => {
        const box = point.getBoundingClientRect();
        return {x: box.left + box.width / 2, y: box.top + box.height / 2,
                address: map.data[index].customdata[point.__data__.i]};
    });
}"""


def test_a_map_of_many_actors_shows_the_centres_and_a_click_opens_one_with_the_same_period(
    page, live_server, demo, settings
):
    settings.MAP_AGGREGATE_ACTORS = 10
    log_in(page, live_server, "leder", "samkort-demo")
    page.goto(f"{live_server.url}/map/?start=2026-01-01&end=2026-06-30")
    page.wait_for_selector("#network-map .scatterlayer .point")
    page.evaluate("document.querySelector('#network-map').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(100)
    centres = page.eval_on_selector("#network-map", CENTRE_MARKS)
    assert len(centres) == 4  # the demo's centres
    target = centres[0]
    with page.expect_navigation():
        page.mouse.click(target["x"], target["y"])
    assert urlparse(page.url).path == target["address"]
    assert parse_qs(urlparse(page.url).query) == {"start": ["2026-01-01"], "end": ["2026-06-30"]}
    page.wait_for_selector("#network-map .scatterlayer .point")


CHARTS_DRAWN = "document.querySelectorAll('#charts .js-plotly-plot .main-svg').length >= 3"


def test_the_charts_come_once_the_map_is_drawn_and_again_after_a_filter_change(page, live_server, demo):
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    wait_until(page, CHARTS_DRAWN)
    assert page.locator("#network-map .scatterlayer .point").count() > 0
    before = page.url
    page.select_option("#map-filters select[name=colour_by]", "category")
    wait_for_new_selection(page, before)
    wait_until(page, CHARTS_DRAWN)
    assert page.locator("#charts h2").count() == 3


def test_on_a_map_of_many_actors_the_server_finds_the_name_as_one_types(page, live_server, demo, settings):
    settings.MAP_FINDER_ACTORS = 5  # the demo centre's 20 actors count as many
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    page.click("#actor-finder summary")
    assert page.eval_on_selector_all("#actor-list li", "items => items.length") == 0
    page.fill("#actor-filter", "sumak")
    page.wait_for_selector("#actor-list li")
    names = page.eval_on_selector_all("#actor-list li a", "links => links.map(link => link.textContent)")
    assert names == ["Sumak – socialøkonomisk café"]
    page.click("#actor-list li a")
    page.wait_for_selector("#actor-panel h2:has-text('Sumak')")
    # The search stays as typed; the map stays drawn.
    assert page.input_value("#actor-filter") == "sumak"
    assert page.evaluate("document.querySelector('#network-map').data.length") > 0


def test_a_filter_change_breaks_no_rule_of_the_content_security_policy(page, live_server, demo):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    wait_until(page, CHARTS_DRAWN)
    # Plotly and the map's names leave style attributes behind, empty or not, on elements htmx swaps by their id.
    page.evaluate("document.querySelectorAll('#map-area, #map-area [id]').forEach(e => { e.style.color = 'red'; })")
    before = page.url
    page.select_option("#map-filters select[name=colour_by]", "category")
    wait_for_new_selection(page, before)
    wait_until(page, CHARTS_DRAWN)
    assert violations == []


def test_focusing_on_an_actor_by_keyboard_keeps_the_keyboard_on_the_map(page, live_server, demo):
    """The focus link lies in the part of the page it replaces: the keyboard lands on the note that says what the
    map now shows, not at the top of the page."""
    log_in(page, live_server, "tovholder", "samkort-demo")
    page.goto(f"{live_server.url}/centres/motalavej/map/")
    page.wait_for_selector("#network-map .scatterlayer .point")
    page.click("#actor-finder summary")
    page.focus("#actor-list a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#actor-panel .focus-links a")
    # The panel has settled once its heading has the focus: a link focused before then loses it to the heading.
    wait_until(page, "document.activeElement.matches('#actor-panel h2')")
    page.focus("#actor-panel .focus-links a")
    page.keyboard.press("Enter")
    wait_until(page, "document.activeElement.matches('#map-area .alert[data-focus-after-swap]')")
    assert "tæt på den valgte aktør" in page.evaluate("document.activeElement.textContent")
