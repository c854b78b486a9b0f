"""Upload → preview → confirm, as a coordinator does it; and the command administrators run."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from centres.models import Actor
from collaboration.imports import previews, uploads
from collaboration.imports.runs import SALT
from collaboration.models import Collaboration, HistoryAction, HistoryEntry, ImportRun
from tests.collaboration.imports.helpers import KUMU_CONNECTIONS, KUMU_ELEMENTS, kumu_workbook, workbook_bytes
from tests.factories import make_actor
from tests.helpers import html_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, centre, content: bytes, name: str = "workshop.xlsx", **data):
    kind = "text/csv" if name.endswith(".csv") else XLSX
    return client.post(
        reverse("import_upload", args=[centre.slug]), {"files": SimpleUploadedFile(name, content, kind), **data}
    )


def test_excels_unicode_text_saved_as_txt_is_uploaded_and_previewed(coordinator_client, centre):
    content = "Navn\tType\r\nBeboerrådet Ørkildsgade\tForening\r\n".encode("utf-16")

    response = upload(coordinator_client, centre, content, name="Unicode-tekst.txt")

    assert response.status_code == 302
    assert "Beboerrådet Ørkildsgade" in html_of(coordinator_client.get(response["Location"]))


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(coordinator_client, centre):
    response = upload(coordinator_client, centre, kumu_workbook())
    assert response.status_code == 302 and "/import/preview/?ticket=" in response["Location"]

    preview = coordinator_client.get(response["Location"])
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Forhåndsvisning af importen" in page and "Intet er gemt endnu" in page
    assert re.search(r"<strong>3</strong> nye aktører", page) and re.search(r"<strong>3</strong> nye samarbejder", page)
    assert "3 aktører bliver føjet til centrets liste over aktører." in page
    assert not Actor.objects.exists() and not Collaboration.objects.exists()

    ticket = re.search(r'name="ticket" value="([^"]+)"', page).group(1)
    confirmed = coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})

    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("collaboration_list", args=[centre.slug])
    assert Collaboration.objects.count() == 3 and Actor.objects.count() == 3
    assert Collaboration.objects.first().history.get().action == HistoryAction.IMPORTED
    listed = coordinator_client.get(confirmed["Location"]).content.decode()
    assert "Importeret fra workshop.xlsx: 3 nye aktører, 3 nye samarbejder." in listed
    # The upload is gone once imported: the same confirmation cannot run twice.
    again = coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})
    assert again.status_code == 302 and Collaboration.objects.count() == 3


def test_the_second_of_two_previews_of_one_file_confirmed_says_it_found_it_imported_already(coordinator_client, centre):
    """Two tabs: both previews promise three collaborations; the second confirmation finds them in Samkort and says
    so, rather than a success that contradicts the preview just read."""
    tickets = []
    for _tab in range(2):
        page = html_of(coordinator_client.get(upload(coordinator_client, centre, kumu_workbook())["Location"]))
        tickets.append(re.search(r'name="ticket" value="([^"]+)"', page).group(1))
    for ticket in tickets:
        confirmed = coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})

    listed = html_of(coordinator_client.get(confirmed["Location"]))
    assert Collaboration.objects.count() == 3
    assert "Ingen nye aktører eller samarbejder fra workshop.xlsx: Samkort havde dem allerede" in listed
    assert "0 nye" not in listed


def test_the_preview_names_the_sheets_it_did_not_read(coordinator_client, centre):
    content = workbook_bytes(
        {"Elements": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS, "Noter": [["Husk mødet <b>i marts</b>"]]}
    )

    page = coordinator_client.get(upload(coordinator_client, centre, content)["Location"]).content.decode()

    assert "Ikke læst: Noter – ingen kolonner med aktører eller samarbejder." in page


def test_the_preview_names_rows_hidden_in_excel(coordinator_client, centre):
    sheets = {"Elements": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS}
    content = workbook_bytes(sheets, hidden_rows={"Elements": [3]})

    page = coordinator_client.get(upload(coordinator_client, centre, content)["Location"]).content.decode()

    assert "Elements, rækker skjult i Excel (filtreret fra eller skjult manuelt): 3. De importeres" in page


def test_a_file_with_errors_shows_them_and_offers_no_import_button(coordinator_client, centre):
    connections = [
        *KUMU_CONNECTIONS,
        ["Jobcenter Slagelse", "Ingen", "Samordne", "", "", "", "", "01.02.2026"],
        ["Borger 010190-1234", "Jobcenter Slagelse", "Samordne", "", "Møde", "", "", "01.02.2026"],
    ]
    content = workbook_bytes(
        {"Elements": [["Label", "Type"], ["Jobcenter Slagelse", "Jobcenter"]], "Connections": connections}
    )

    preview = coordinator_client.get(upload(coordinator_client, centre, content)["Location"])
    page = preview.content.decode()

    assert "rækker har fejl" in page and 'name="ticket"' not in page
    assert "“Café Sumak” findes hverken i filens aktører eller i Samkort" in page
    assert "ikke vist: det ligner et CPR-nummer" in page and "010190" not in page  # refused, never shown back


def test_a_bad_file_is_refused_on_the_upload_page(coordinator_client, centre):
    response = upload(coordinator_client, centre, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    preview = coordinator_client.get(response["Location"])
    assert preview.status_code == 400
    assert "beskyttet med adgangskode" in preview.content.decode() and not Actor.objects.exists()


def test_a_refused_file_confirmed_by_hand_starts_no_import(coordinator_client, centre):
    location = upload(coordinator_client, centre, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)["Location"]
    assert coordinator_client.get(location).status_code == 400
    ticket = parse_qs(urlsplit(location).query)["ticket"][0]

    response = coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket}, follow=True)

    assert "Den uploadede fil er her ikke længere. Upload den igen." in html_of(response)
    assert not ImportRun.objects.exists()


def test_the_upload_form_refuses_other_kinds_of_files_by_name(coordinator_client, centre):
    response = upload(coordinator_client, centre, b"%PDF", name="kort.pdf")
    assert response.status_code == 200
    assert "kort.pdf er hverken en .xlsx-projektmappe eller en .csv-fil." in response.content.decode()
    response = coordinator_client.post(reverse("import_upload", args=[centre.slug]), {})
    assert "Vælg en fil at importere." in response.content.decode()


@pytest.mark.parametrize("name", ["gammel.xls", "ark.ods"])
def test_a_spreadsheet_of_another_kind_is_told_how_to_save_it_as_one_samkort_reads(coordinator_client, centre, name):
    response = upload(coordinator_client, centre, b"\xd0\xcf\x11\xe0", name=name)

    assert response.status_code == 200
    assert "Åbn det i Excel eller LibreOffice, og gem det som en Excel-projektmappe (.xlsx)" in html_of(response)


def test_another_coordinators_preview_cannot_be_read_or_confirmed(coordinator_client, centre, coordinator):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    ticket = location.split("ticket=")[1]
    from tests.factories import make_membership, make_user

    colleague = make_user("kollega")
    make_membership(colleague, centre, "coordinator")
    other = Client()
    other.force_login(colleague)

    assert other.get(location).status_code == 400
    other.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})
    assert not Collaboration.objects.exists()


def test_the_template_workbook_has_both_sheets_with_drop_down_lists_and_examples(coordinator_client, centre):
    response = coordinator_client.get(reverse("import_template", args=[centre.slug]))
    book = load_workbook(io.BytesIO(response.content))

    assert book.sheetnames[:3] == ["Eksempler", "Elements", "Connections"]
    assert [cell.value for cell in book["Elements"][1]][:2] == ["Label", "Type"]
    assert book["Connections"].max_row == 1  # the header only: the examples are on a sheet of their own
    assert "importeres ikke" in book["Eksempler"]["A1"].value
    formulas = {validation.formula1 for validation in book["Connections"].data_validations.dataValidation}
    assert "=Lister!$B$1:$B$5" in formulas
    assert book["Lister"]["B1"].value == "Videndele"


def test_the_templates_examples_are_never_imported_but_import_once_copied_to_its_sheets(
    coordinator_client, centre, coordinator, tmp_path
):
    book = load_workbook(io.BytesIO(coordinator_client.get(reverse("import_template", args=[centre.slug])).content))
    path = tmp_path / "skabelon.xlsx"
    book.save(path)
    with pytest.raises(CommandError, match="ingen rækker"):
        call_command("import_network", centre.slug, str(path), stdout=io.StringIO())
    assert not Collaboration.objects.exists()

    examples = [[cell.value for cell in row[1:]] for row in book["Eksempler"].iter_rows(min_row=4)]
    for row in examples[:2]:
        book["Elements"].append(row)
    for row in examples[4:6]:
        book["Connections"].append(row)
    book.save(path)
    call_command("import_network", centre.slug, str(path), stdout=io.StringIO())
    assert Collaboration.objects.count() == 2


def test_the_preview_of_a_filled_template_says_its_examples_are_not_read(coordinator_client, centre):
    book = load_workbook(io.BytesIO(coordinator_client.get(reverse("import_template", args=[centre.slug])).content))
    book["Elements"].append(["Korsør Vandrelaug", "Forening"])
    book["Eksempler"].append(["", "Natteravne i eksempelarket"])
    content = io.BytesIO()
    book.save(content)

    page = html_of(coordinator_client.get(upload(coordinator_client, centre, content.getvalue())["Location"]))

    assert "Ikke læst: Eksempler, skabelonens eksempler." in page


def test_the_template_fetched_from_the_english_page_is_in_english_and_imports_as_well(
    coordinator_client, centre, coordinator, tmp_path
):
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    book = load_workbook(io.BytesIO(coordinator_client.get(reverse("import_template", args=[centre.slug])).content))

    assert book.sheetnames[:3] == ["Examples", "Elements", "Connections"]
    assert "This sheet is not imported" in book["Examples"]["A1"].value
    assert book["Lister"]["B1"].value == "Knowledge sharing"
    errors = {validation.error for validation in book["Connections"].data_validations.dataValidation}
    assert "Choose one of the five forms." in errors

    examples = [[cell.value for cell in row[1:]] for row in book["Examples"].iter_rows(min_row=4)]
    for row in examples[:2]:
        book["Elements"].append(row)
    for row in examples[4:6]:
        book["Connections"].append(row)
    path = tmp_path / "template.xlsx"
    book.save(path)
    call_command("import_network", centre.slug, str(path), stdout=io.StringIO())
    assert sorted(Collaboration.objects.values_list("title", "form")) == [("Job café", 4), ("Network meeting", 1)]


def test_old_uploads_are_forgotten(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    token, names = uploads.keep([SimpleUploadedFile("a.csv", b"Label;Type\n")])
    assert uploads.kept(token, names)
    uploads.forget(token)
    assert uploads.kept(token, names) is None
    assert uploads.kept("../../etc", names) is None


class TestTheCommand:
    def test_a_dry_run_prints_the_counts_and_writes_nothing(self, centre, tmp_path):
        path = tmp_path / "kort.xlsx"
        path.write_bytes(kumu_workbook())
        out = io.StringIO()
        call_command("import_network", centre.slug, str(path), "--dry-run", stdout=out)
        assert "Ny aktør: 3" in out.getvalue() and "Nyt samarbejde: 3" in out.getvalue()
        assert not Actor.objects.exists()

    def test_rows_with_errors_exit_with_status_1(self, centre, tmp_path):
        path = tmp_path / "fejl.csv"
        path.write_bytes(b"From;To;Type;Start date\nA;B;Samordne;01.02.2025\n")
        err = io.StringIO()
        with pytest.raises(CommandError) as failed:
            call_command("import_network", centre.slug, str(path), stdout=io.StringIO(), stderr=err)
        assert failed.value.returncode == 1
        assert "fejl.csv, række 2, From:" in err.getvalue()
        assert not Collaboration.objects.exists()

    def test_it_imports_and_a_second_run_adds_nothing(self, centre, tmp_path):
        path = tmp_path / "kort.xlsx"
        path.write_bytes(kumu_workbook())
        call_command("import_network", centre.slug, str(path), stdout=io.StringIO())
        out = io.StringIO()
        call_command("import_network", centre.slug, str(path), stdout=out)
        assert "Allerede importeret: 3" in out.getvalue() and Collaboration.objects.count() == 3


def test_the_previews_next_pages_do_not_read_the_file_again(coordinator_client, centre, monkeypatch):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    assert coordinator_client.get(location).status_code == 200

    def read_again(*args):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(previews, "plan_for", read_again)
    page = coordinator_client.get(f"{location}&page=1")
    assert page.status_code == 200 and "nye samarbejder" in html_of(page)


def csv_upload(client, centre, text: str):
    return upload(client, centre, text.encode(), name="samarbejder.csv")["Location"]


def test_the_preview_is_made_again_once_samkort_has_what_the_file_was_missing(coordinator_client, centre):
    make_actor(name="Jobcenter Slagelse")
    location = csv_upload(
        coordinator_client, centre, "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n"
    )
    assert 'id="import-errors"' in html_of(coordinator_client.get(location))

    make_actor(name="Café Sumak")

    page = html_of(coordinator_client.get(location))
    assert 'id="import-errors"' not in page and "1</strong> nyt samarbejde" in page


def test_the_preview_speaks_the_language_it_is_read_in(coordinator_client, centre):
    location = csv_upload(
        coordinator_client, centre, "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n"
    )
    assert "findes hverken" in html_of(coordinator_client.get(location))
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "is neither among the file" in html_of(coordinator_client.get(location))


def test_the_preview_names_the_actors_that_join_the_centre(coordinator_client, centre):
    make_actor(name="Jobcenter Slagelse")
    make_actor(name="Café Sumak")
    location = csv_upload(
        coordinator_client, centre, "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n"
    )

    page = html_of(coordinator_client.get(location))

    assert "2 aktører bliver føjet til centrets liste over aktører." in page
    assert "Café Sumak, Jobcenter Slagelse" in page


@pytest.mark.parametrize("kind", [".xlsx", ".csv"])
def test_a_file_with_a_long_descriptive_name_is_read_as_its_kind(coordinator_client, centre, kind):
    name = "Kortlægning af samarbejdspartnere i Kvarterhuset – endelig version til styregruppemødet den 12. marts 2026 "
    name += "efter kommentarer fra Hanne og Jens – kopi (2)" + kind
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    csv = "Fra;Til;Form;Titel;Startdato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025\n"
    content = kumu_workbook() if kind == ".xlsx" else csv.encode()

    location = upload(coordinator_client, centre, content, name=name)["Location"]

    page = html_of(coordinator_client.get(location))
    assert "Forhåndsvisning af importen" in page and "Nyt samarbejde" in page
    shown = signing.loads(parse_qs(urlsplit(location).query)["ticket"][0], salt=SALT)["n"][0]
    assert len(shown) == 150 and shown.startswith("Kortlægning af") and shown.endswith("…" + kind)


@pytest.mark.parametrize("day", ["1900-01-01", "2090-01-01", "2999-01-01"])
def test_a_start_date_for_rows_the_rows_would_refuse_is_refused_on_the_field(coordinator_client, centre, day):
    response = upload(coordinator_client, centre, kumu_workbook(), default_start=day)

    assert response.status_code == 200
    assert "Tjek datoen: den skal ligge mellem år 2000 og et år frem." in html_of(response)
    assert "mellem år 1900 og 2100" not in html_of(response)  # one rule, said once


def test_the_preview_says_which_values_samkort_gives_rows_that_leave_them_empty(coordinator_client, centre):
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    rows = [
        "Fra;Til;Form;Titel;Startdato;Slutdato;Niveau",
        "Jobcenter Slagelse;Café Sumak;1;Møde;01.03.2025;01.03.2025;Borgerniveau",
        "Jobcenter Slagelse;Café Sumak;2;Henvisning;02.03.2025;;",
    ]

    page = html_of(coordinator_client.get(csv_upload(coordinator_client, centre, "\n".join(rows) + "\n")))

    assigned = page.split('id="import-assumed"')[1].split("</div>")[0]
    assert "2 nye samarbejder angiver ingen hyppighed" in assigned
    assert "1 nyt samarbejde angiver intet niveau: det sættes til “Organisatorisk niveau”." in assigned
    assert "2 nye samarbejder angiver ikke beboernes rolle: for hvert sættes den til “Ikke involveret”." in assigned


def test_the_counts_of_values_given_group_their_thousands_as_the_counts_above_them():
    from collections import Counter
    from types import SimpleNamespace

    from collaboration.imports.views import assumed_notes

    notes = assumed_notes(SimpleNamespace(assumed=Counter(frequency=5000)))

    assert notes[0].startswith("5.000 nye samarbejder angiver ingen hyppighed")


def test_a_preview_of_rows_that_give_every_value_has_no_such_note(coordinator_client, centre):
    location = upload(coordinator_client, centre, kumu_workbook())["Location"]
    assert "angiver ingen hyppighed" in html_of(coordinator_client.get(location))  # Kumu's sheets give none
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    header = "Fra;Til;Form;Titel;Startdato;Hyppighed;Niveau;Beboernes rolle"
    row = "Jobcenter Slagelse;Café Sumak;1;Møde;01.03.2025;Månedligt;Borgerniveau;Initiativtagere"

    page = html_of(coordinator_client.get(csv_upload(coordinator_client, centre, f"{header}\n{row}\n")))

    assert "Forhåndsvisning af importen" in page and 'id="import-assumed"' not in page


def test_a_cpr_like_number_in_a_files_name_is_kept_nowhere(coordinator_client, centre):
    location = upload(coordinator_client, centre, kumu_workbook(), name="Borger 010190-1234.xlsx")["Location"]
    # The ticket, signed, names the upload's files too.
    ticket = signing.loads(parse_qs(urlsplit(location).query)["ticket"][0], salt=SALT)
    assert ticket["n"] == ["Borger xxxxxx-xxxx.xlsx"]
    page = html_of(coordinator_client.get(location))
    assert "Borger xxxxxx-xxxx.xlsx" in page and "010190" not in page
    ticket = re.search(r'name="ticket" value="([^"]+)"', page).group(1)

    coordinator_client.post(reverse("import_confirm", args=[centre.slug]), {"ticket": ticket})

    entry = HistoryEntry.objects.filter(action=HistoryAction.IMPORTED).first()
    assert entry.changes == {"file": "Borger xxxxxx-xxxx.xlsx"}
    assert "010190" not in html_of(coordinator_client.get(entry.collaboration.get_absolute_url()))


def test_an_actors_name_refused_for_a_cpr_like_number_is_kept_not_even_in_the_preview(
    coordinator_client, centre, settings
):
    elements = [*KUMU_ELEMENTS, ["Borger 010190-1234", "Forening", "", ""]]
    borger = ["Borger 010190-1234", "Café Sumak", "Samvirke", "mutual", "Møde", "", "", "01.03.2026", ""]
    connections = [*KUMU_CONNECTIONS, borger]
    workbook = workbook_bytes({"Elements": elements, "Connections": connections})

    page = html_of(coordinator_client.get(upload(coordinator_client, centre, workbook)["Location"]))

    assert "010190" not in page and "har en fejl i række" in page
    kept = [path.read_bytes() for path in Path(settings.IMPORT_DIR).rglob("*") if path.is_file()]
    previews = [content for content in kept if not content.startswith(b"PK")]  # the upload itself is the user's file
    assert previews and not any(b"010190" in content for content in previews)


def test_a_cpr_like_number_in_a_sheets_name_is_not_shown(coordinator_client, centre):
    workbook = workbook_bytes({"Sag 010190-1234": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS})
    page = html_of(coordinator_client.get(upload(coordinator_client, centre, workbook)["Location"]))
    assert "Sag xxxxxx-xxxx" in page and "010190" not in page


def test_a_refused_files_name_is_said_without_its_cpr_like_number(coordinator_client, centre):
    response = upload(coordinator_client, centre, b"%PDF", name="Sag 010190-1234.pdf")
    assert "Sag xxxxxx-xxxx.pdf er hverken" in html_of(response) and "010190" not in html_of(response)


@pytest.mark.parametrize(("count", "rest"), [(21, "Aktør 019 og 1 mere"), (300, "Aktør 019 og 280 flere")])
def test_the_preview_counts_the_new_actors_it_does_not_name(count, rest):
    from django.utils import translation

    with translation.override("da"):
        assert previews.names_of_some([f"Aktør {n:03}" for n in range(count)]).endswith(rest)


def test_a_preview_with_errors_lists_the_values_samkort_knows(coordinator_client, centre):
    content = b"Navn;Type\nSkakklubben;Klub"

    page = coordinator_client.get(upload(coordinator_client, centre, content, "aktører.csv")["Location"]).content
    known = page.decode().split('id="known-values"')[1].split("</details>")[0]

    assert "De værdier, Samkort kender" in known
    assert "Socialøkonomisk virksomhed" in known and "1 Videndele" in known and "Ugentligt" in known


def test_a_preview_without_errors_has_no_such_list(coordinator_client, centre):
    page = coordinator_client.get(upload(coordinator_client, centre, kumu_workbook())["Location"]).content.decode()
    assert 'id="known-values"' not in page
