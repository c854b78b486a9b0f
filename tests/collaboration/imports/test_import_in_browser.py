"""In Chromium: a coordinator uploads a Kumu workbook, reads the preview, and imports it."""

from __future__ import annotations

import pytest

from centres.models import Role
from collaboration.models import Collaboration
from tests.browser import assert_fits_and_passes_axe, log_in
from tests.collaboration.imports.helpers import kumu_workbook
from tests.factories import make_centre, make_membership, make_user, seed_themes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmeligt-kodeord-42"


def test_a_coordinator_uploads_a_kumu_workbook_reads_the_preview_and_imports_it(page, live_server, tmp_path):
    seed_themes()
    centre = make_centre(name="Kvarterhuset på Motalavej", slug="motalavej")
    make_membership(make_user("tovholder", password=PASSWORD), centre, Role.COORDINATOR)
    workbook = tmp_path / "workshop.xlsx"
    workbook.write_bytes(kumu_workbook())
    log_in(page, live_server, "tovholder", PASSWORD)

    page.goto(f"{live_server.url}/centres/motalavej/actors/")
    page.click("a:has-text('Importér fra regneark')")
    page.wait_for_selector("h1:has-text('Importér fra regneark')")
    assert_fits_and_passes_axe(page)
    page.set_input_files("#id_files", str(workbook))
    page.click("button[type=submit].primary")

    page.wait_for_selector("h1:has-text('Forhåndsvisning af importen')")
    assert "3 nye samarbejder" in page.inner_text(".import-counts")
    assert page.locator("table.import-rows tbody tr").count() == 6
    assert not Collaboration.objects.exists()
    assert_fits_and_passes_axe(page)

    page.click("button[type=submit]:has-text('Importér')")
    page.wait_for_url("**/centres/motalavej/collaborations/")
    assert "Importeret fra workshop.xlsx: 3 nye aktører, 3 nye samarbejder." in page.inner_text(".messages")
    assert Collaboration.objects.count() == 3
