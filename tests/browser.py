"""Driving Debian's Chromium through Playwright, for the tests that need a real browser; and axe-core in it."""

from __future__ import annotations

import os
import shutil
import time
from importlib.resources import files

import pytest

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (375, 768, 1440)
# WCAG 2.1 AA and 2.2's target size, as the reviewers' own check runs them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the live server's database calls happen in other threads.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, live_server, username: str, password: str = "hemmeligt-kodeord-42") -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def serious_accessibility_problems(page) -> list[tuple[str, str, list]]:
    """What axe-core finds at the serious and critical levels on the page as it is now: (rule, impact, where)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script>: the page's policy forbids inline scripts.
        page.evaluate((files("axe_playwright_python") / "axe.min.js").read_text())
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window: 0 when nothing scrolls sideways."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def assert_fits_and_passes_axe(page) -> None:
    """The page as it is now, at phone, tablet and desktop width: nothing wider than the screen, axe-core clean."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert sideways_overflow(page) == 0, width
        problems = serious_accessibility_problems(page)
        assert problems == [], (width, problems)
    page.set_viewport_size({"width": 1280, "height": 1000})


def wait_until(page, condition: str, arg=None, timeout: float = 10.0) -> None:
    """page.wait_for_function, polled from the test: Playwright's own polling evaluates a string inside the page,
    which the app's Content-Security-Policy forbids (no eval), and the tests run under that policy."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(condition, arg):
                return
        except Error as error:  # the page is being replaced by the next one: ask that one
            if "context was destroyed" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"Still not true after {timeout} s: {condition}")
        time.sleep(0.05)
