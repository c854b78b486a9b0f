"""Bad files get a clear message in Danish and write nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from centres.models import Actor
from collaboration.imports.files import FileRefused
from collaboration.models import Collaboration
from tests.collaboration.imports.helpers import import_files, kumu_workbook, plan_of, stored, workbook_bytes
from tests.factories import make_actor


def refusal(centre, tmp_path, name: str, content: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        plan_of(centre, [stored(tmp_path, name, content)])
    assert not Actor.objects.exists() and not Collaboration.objects.exists()
    return refused.value.message


def test_a_file_over_10_mb(centre, tmp_path):
    big = b"Label;Type\n" + b"x" * (10 * 1024 * 1024)
    assert refusal(centre, tmp_path, "stor.csv", big) == "stor.csv er større end 10 MB. Del den op i mindre filer."


def test_more_than_50000_rows(centre, tmp_path):
    rows = "Label;Type\n" + "".join(f"Forening {n};Forening\n" for n in range(50_001))
    message = refusal(centre, tmp_path, "mange.csv", rows.encode())
    assert message == "mange.csv har mere end 50.000 rækker. Del den op i mindre filer."


def test_a_workbook_with_macros(centre, tmp_path):
    buffer = io.BytesIO(kumu_workbook())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 100)
    assert "indeholder makroer" in refusal(centre, tmp_path, "kort.xlsx", buffer.getvalue())
    assert "makroer (.xlsm)" in refusal(centre, tmp_path, "kort.xlsm", kumu_workbook())


def test_a_password_protected_workbook(centre, tmp_path):
    # Excel saves an encrypted workbook inside an OLE compound file, not a zip.
    protected = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    assert "beskyttet med adgangskode" in refusal(centre, tmp_path, "hemmelig.xlsx", protected)


def test_a_corrupt_workbook(centre, tmp_path):
    assert "beskadiget" in refusal(centre, tmp_path, "halv.xlsx", kumu_workbook()[:3000])
    assert "ikke en Excel-projektmappe" in refusal(centre, tmp_path, "tekst.xlsx", b"Label;Type\nA;Forening\n")


def test_a_zip_bomb(centre, tmp_path):
    buffer = io.BytesIO(kumu_workbook())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (12 * 1024 * 1024))
    assert "pakker sig ud til langt mere" in refusal(centre, tmp_path, "bombe.xlsx", buffer.getvalue())


def test_formulas_are_read_as_their_saved_values_never_evaluated(centre, coordinator, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    sheet.append(["Label", "Type", "Description"])
    sheet.append(['=CONCATENATE("Job","center")', "Jobcenter", "=1+1"])
    sheet.append(["Café Sumak", "Socialøkonomisk virksomhed", '=HYPERLINK("http://evil.example","klik")'])
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl saves formulas without a computed value, as a file from a script would be

    plan = plan_of(centre, [stored(tmp_path, "formler.xlsx", buffer.getvalue())])

    # Nothing is computed: each formula in a column Samkort reads is an error naming its cell.
    assert [(row.row, row.column) for row in plan.errors] == [(2, "Label"), (3, "Description")]
    assert "Cellen A2 indeholder en formel uden sit resultat" in plan.errors[0].detail
    assert plan.new_actors == {}


def test_merged_cells_in_the_header(centre, tmp_path):
    rows = [["Label", None, "Type"], ["Café Sumak", "", "Forening"]]
    content = workbook_bytes({"Elements": rows}, merged={"Elements": "A1:B1"})
    assert "flettede celler i overskriftsrækken" in refusal(centre, tmp_path, "flettet.xlsx", content)


def test_empty_sheets(centre, tmp_path):
    content = workbook_bytes({"Ark1": [], "Ark2": [[None, None]]})
    assert refusal(centre, tmp_path, "tom.xlsx", content).startswith("Intet ark og ingen fil har kolonner")
    assert refusal(centre, tmp_path, "tom.csv", b"") == "tom.csv er tom."


def test_duplicate_column_names(centre, tmp_path):
    content = b"Label;Type;label\nA;Forening;B\n"
    assert refusal(centre, tmp_path, "dobbelt.csv", content) == (
        "dobbelt.csv har to kolonner, der hedder “Label”, “label”. Giv hver kolonne sit eget navn."
    )


@pytest.mark.parametrize(
    "header, names",
    [
        ("ID;From;Fra;Til;Form;Titel;Startdato", "“From”, “Fra”"),
        ("Fra;Til;Form;Titel;Startdato;Start date", "“Startdato”, “Start date”"),
        ("Navn;Type;Kategori", "“Type”, “Kategori”"),
    ],
)
def test_two_columns_under_two_names_of_one_thing_are_refused_not_one_dropped(centre, tmp_path, header, names):
    content = (header + "\n" + ";".join("x" for _name in header.split(";")) + "\n").encode()

    assert refusal(centre, tmp_path, "to.csv", content) == (
        f"to.csv har to kolonner for det samme: {names}. Samkort læser kun én af dem: slet den anden, eller giv den "
        "sit eget navn."
    )


def test_a_plain_date_beside_the_start_date_is_another_date_and_left_unread(centre, tmp_path):
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    content = "Fra;Til;Form;Titel;Startdato;Dato\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025;02.03.2025\n".encode()

    plan = plan_of(centre, [stored(tmp_path, "datoer.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["started_on"].isoformat() == "2025-03-01"
    assert plan.unread_columns == [("datoer.csv", ["Dato"])]


@pytest.mark.parametrize(
    "header, message",
    [
        ("ID;Fra;Form;Titel;Startdato", "en kolonne “Fra”, men ingen, der hedder “Til”"),
        ("To;Type;Title;Start date", "en kolonne “To”, men ingen, der hedder “From”"),
        ("Til;Form;Titel;Startdato", "en kolonne “Til”, men ingen, der hedder “Fra”"),
        ("Fra;Til;Titel;Startdato", "ingen kolonne med samarbejdsformen. Tilføj en kolonne “Form”"),
        ("Fra;Til;Form;Titel", "ingen kolonne med en startdato. Tilføj en kolonne “Startdato”"),
    ],
)
def test_a_column_every_row_needs_is_said_to_be_missing_once(centre, tmp_path, header, message):
    rows = "\n".join(";".join(f"x{row}" for _name in header.split(";")) for row in range(3))
    content = (header + "\n" + rows + "\n").encode()

    assert message in refusal(centre, tmp_path, "mangler.csv", content)


def test_a_sheet_of_actors_with_a_column_called_fra_is_read_as_actors(centre, tmp_path):
    content = b"Navn;Type;Fra\nForeningen;Forening;01.02.2020\n"

    plan = plan_of(centre, [stored(tmp_path, "aktorer.csv", content)])

    assert plan.errors == [] and [row.what for row in plan.rows] == ["Foreningen"]
    assert plan.unread_columns == [("aktorer.csv", ["Fra"])]


def test_a_quote_that_does_not_close_is_refused_rather_than_rows_read_into_one_cell(centre, tmp_path):
    content = "\n".join(
        [
            "ID;Fra;Til;Form;Titel;Startdato",
            "QA;Jobcenter Slagelse;Korsør Bibliotek;Videndele;Kaffemøde;01.02.2026",
            'QB;Jobcenter Slagelse;Korsør Bibliotek;Videndele;"Kaffemøde;01.02.2026',
            'QC;Jobcenter Slagelse;Kirkens Korshær;Samskabe;Sommerfest";01.03.2026',
            "QD;Jobcenter Slagelse;Kirkens Korshær;Samskabe;Tredje;01.04.2026",
        ]
    )

    assert refusal(centre, tmp_path, "citat.csv", content.encode()) == (
        'citat.csv har et anførselstegn (") i række 3, der ikke lukkes, hvor cellen slutter, så rækkerne efter det '
        "læses som én celle. Luk anførselstegnet, eller slet det, og gem filen igen."
    )


@pytest.mark.parametrize(
    ("delimiter", "swallowed"),
    [
        (";", ["Ungdomsklubben Syd;Fritidsklub;Åben tirsdag"]),
        (";", ["Ungdomsklubben Syd;Fritidsklub;Åben tirsdag", "Strikkeklubben;Beboergruppe;Mødes i kælderen"]),
        (",", ["Ungdomsklubben Syd,Fritidsklub,Åben tirsdag", "Strikkeklubben,Beboergruppe,Mødes i kælderen"]),
    ],
)
def test_an_unclosed_quote_in_a_narrow_file_is_refused_too(centre, tmp_path, delimiter, swallowed):
    lines = [f"Navn{delimiter}Type{delimiter}Beskrivelse", f'Café Nord{delimiter}Forening{delimiter}"Hyggelig café']

    message = refusal(centre, tmp_path, "smal.csv", "\r\n".join(lines + swallowed).encode())

    assert message.startswith('smal.csv har et anførselstegn (") i række 2, der ikke lukkes')


def test_a_narrow_files_description_over_several_lines_is_read(centre, tmp_path):
    description = "Mødes i kælderen; tag kaffe med\nÅbent hver tirsdag\nKontakt: formanden"
    content = f'Navn;Type;Beskrivelse\r\nCafé Nord;Forening;"{description}"\r\nStrikkeklubben;Beboergruppe;Ja\r\n'

    plan = plan_of(centre, [stored(tmp_path, "smal.csv", content.encode())])

    assert plan.errors == [] and [row.what for row in plan.rows] == ["Café Nord", "Strikkeklubben"]


def test_a_description_over_several_lines_with_a_separator_here_and_there_is_read(centre, tmp_path):
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    description = "Deltagere: jobcenter; café\nNæste møde: marts; april\nAftalt: kaffe"
    content = (
        f'Fra;Til;Form;Titel;Startdato;Beskrivelse\nJobcenter Slagelse;Café Sumak;1;Møde;01.03.2025;"{description}"\n'
    )

    plan = plan_of(centre, [stored(tmp_path, "lang.csv", content.encode())])

    assert plan.errors == [] and plan.collaborations[0].values["description"] == description


def test_a_description_in_a_comma_separated_file_with_commas_on_its_lines_is_read(centre, tmp_path):
    make_actor(name="Jobcenter Slagelse"), make_actor(name="Café Sumak")
    description = "Møde hos os.\nDeltog: Anna, Bo, Carl og Dorte, samt to frivillige."
    content = f'Fra,Til,Form,Startdato,Beskrivelse\nJobcenter Slagelse,Café Sumak,1,01.03.2025,"{description}"\n'

    plan = plan_of(centre, [stored(tmp_path, "komma.csv", content.encode())])

    assert plan.errors == [] and plan.collaborations[0].values["description"] == description


def test_two_columns_samkort_does_not_read_may_share_a_name(centre, tmp_path):
    content = b"Navn;Type;Kommentar;Kommentar\nForeningen;Forening;a;b\n"

    plan = plan_of(centre, [stored(tmp_path, "aktorer.csv", content)])

    assert plan.errors == [] and [row.what for row in plan.rows] == ["Foreningen"]
    assert plan.unread_columns == [("aktorer.csv", ["Kommentar", "Kommentar"])]


def test_text_in_an_encoding_samkort_cannot_tell(centre, tmp_path):
    # Box-drawing characters in DOS, symbols on a Mac, and no Windows character at all.
    unreadable = b"Label;Type\n\x81\xb0\xb1\xb2\xb3;x\n"
    assert "Samkort kan ikke læse bogstaverne i x.csv" in refusal(centre, tmp_path, "x.csv", unreadable)
    assert "ikke en tekstfil" in refusal(centre, tmp_path, "x.csv", b"Label\x00;Type\n")
    broken_utf16 = "Label\tType\n".encode("utf-16") + b"\x00\xd8"
    assert "Samkort kan ikke læse bogstaverne i x.csv" in refusal(centre, tmp_path, "x.csv", broken_utf16)


def test_a_file_of_another_kind(centre, tmp_path):
    assert refusal(centre, tmp_path, "kort.pdf", b"%PDF-1.4") == (
        "Vælg én .xlsx-projektmappe eller en eller flere .csv-filer."
    )


def test_a_file_with_no_column_samkort_knows(centre, tmp_path):
    content = b"Fornavn;Efternavn\nAnna;Hansen\n"
    assert refusal(centre, tmp_path, "navne.csv", content).startswith("Intet ark og ingen fil har kolonner")


def test_a_refused_write_leaves_nothing_behind(centre, coordinator, tmp_path, monkeypatch):
    """A failure halfway through the write (here: the history) undoes the actors and collaborations before it."""
    from collaboration.imports import write

    def failing(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(write, "record_in_history", failing)
    with pytest.raises(RuntimeError):
        import_files(centre, coordinator, [stored(tmp_path, "kort.xlsx", kumu_workbook())])
    assert not Actor.objects.exists() and not Collaboration.objects.exists()


def test_a_cell_longer_than_any_text_samkort_keeps(centre, tmp_path):
    content = ("Label;Type\n" + "A" * 150_000 + ";Forening\n").encode()
    assert refusal(centre, tmp_path, "lang.csv", content).startswith("lang.csv har en celle på mere end 100.000 tegn")


def test_a_sheet_whose_xml_is_broken_inside(centre, tmp_path):
    source = zipfile.ZipFile(io.BytesIO(kumu_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b"<row r='9'><c r='A9' t='n'><v>abc</v></c></row></sheetData>")
            target.writestr(entry, data)
    assert "kunne ikke læses til ende" in refusal(centre, tmp_path, "brudt.xlsx", buffer.getvalue())


def test_merged_cells_in_a_header_below_a_title(centre, tmp_path):
    rows = [["Aktører"], ["Label", None, "Type"], ["Café Sumak", "", "Forening"]]
    content = workbook_bytes({"Elements": rows}, merged={"Elements": "A2:B2"})
    assert "flettede celler i overskriftsrækken" in refusal(centre, tmp_path, "flettet.xlsx", content)


@pytest.fixture
def three_actors(db):
    for name in ("Korsør Bibliotek", "Jobcenter Slagelse", "Café Sumak"):
        make_actor(name=name)


def test_a_name_in_merged_cells_down_the_rows_is_an_error_naming_the_merge(centre, tmp_path, three_actors):
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato"],
        ["Korsør Bibliotek", "Jobcenter Slagelse", "Samvirke", "Møde", "01.03.2025"],
        [None, "Café Sumak", "Samvirke", "Møde", "01.03.2025"],
        ["Jobcenter Slagelse", "Café Sumak", "Samvirke", "Flettet titel", "02.03.2025"],
        ["Korsør Bibliotek", "Café Sumak", "Samvirke", None, "03.03.2025"],
    ]
    content = workbook_bytes({"Samarbejder": rows}, merged={"Samarbejder": "A2:A3"})
    rows[2][0] = "Korsør Bibliotek"
    with_title_merged = workbook_bytes({"Samarbejder": rows}, merged={"Samarbejder": "D4:D5"})

    plan = plan_of(centre, [stored(tmp_path, "flettet.xlsx", content)])
    titles = plan_of(centre, [stored(tmp_path, "flettet.xlsx", with_title_merged)])

    assert [(row.row, row.column, row.detail) for row in plan.errors] == [
        (3, "Fra", "Cellen A3 er en del af de flettede celler A2:A3. Ophæv fletningen, og skriv værdien i hver række.")
    ]
    assert [(row.row, row.column) for row in titles.errors] == [(5, "Titel")]


def test_a_merged_column_that_this_kind_of_sheet_does_not_read_is_no_error(centre, tmp_path):
    # "Center" is read in Samkort's own collaborations sheet, not in a sheet of actors or of connections.
    actors = [["Center", "Navn", "Type"], ["Kvarterhuset", "Motalavej Fodboldklub", "Idrætsforening"]]
    actors += [[None, "Ungdomsklubben Toppen", "Fritidsklub"], [None, "Korsør Kirke", "Kirke"]]
    connections = [["Center", "Fra", "Til", "Form", "Titel", "Startdato"]]
    connections += [["Kvarterhuset", "Motalavej Fodboldklub", "Korsør Kirke", "Samvirke", "Fodbold", "06.02.2026"]]
    connections += [[None, "Korsør Kirke", "Ungdomsklubben Toppen", "Samvirke", "Jul", "01.12.2025"]]
    content = workbook_bytes(
        {"Aktører": actors, "Samarbejder": connections}, merged={"Aktører": "A2:A4", "Samarbejder": "A2:A3"}
    )

    plan = plan_of(centre, [stored(tmp_path, "center.xlsx", content)])

    assert plan.errors == []
    assert [row.what for row in plan.rows][:3] == ["Motalavej Fodboldklub", "Ungdomsklubben Toppen", "Korsør Kirke"]
    assert len(plan.collaborations) == 2


def test_empty_merged_cells_hide_nothing_and_are_no_error(centre, tmp_path, three_actors):
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato", "Beskrivelse"],
        ["Korsør Bibliotek", "Jobcenter Slagelse", "Samvirke", "Møde", "01.03.2025", None],
        ["Korsør Bibliotek", "Café Sumak", "Samvirke", "Møde 2", "02.03.2025", None],
    ]
    content = workbook_bytes({"Samarbejder": rows}, merged={"Samarbejder": "F2:F3"})

    assert plan_of(centre, [stored(tmp_path, "tom.xlsx", content)]).errors == []


def test_a_formula_saved_without_its_result_is_an_error_never_read_as_empty(centre, tmp_path, three_actors):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Samarbejder"
    sheet.append(["Fra", "Til", "Form", "Titel", "Startdato", "Sted"])
    sheet.append(["Korsør Bibliotek", "Jobcenter Slagelse", "Samvirke", '="Lektiecafé "&F2', "01.03.2025", "Vest"])
    # A formula in a column Samkort does not read is no matter.
    sheet.append(["Korsør Bibliotek", "Jobcenter Slagelse", "Samvirke", "Møde", "02.03.2025", "=UPPER(F2)"])
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl, like other programs, saves a formula without computing it

    plan = plan_of(centre, [stored(tmp_path, "formler.xlsx", buffer.getvalue())])

    assert [(row.row, row.column, row.detail) for row in plan.errors] == [
        (2, "Titel", "Cellen D2 indeholder en formel uden sit resultat. Åbn filen i Excel, og gem den igen.")
    ]
    assert not Collaboration.objects.exists()


def test_merges_only_in_columns_samkort_does_not_read_are_no_error(centre, tmp_path, three_actors):
    rows = [["Fra", "Til", "Form", "Titel", "Startdato", "Noter"]]
    rows += [["Korsør Bibliotek", "Café Sumak", "Samvirke", f"Møde {n}", "01.03.2025", "x"] for n in range(400)]
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for first in range(2, 400, 2):
        sheet.merge_cells(f"F{first}:F{first + 1}")  # a note over two rows, on every pair of rows
    # And one as wide as a sheet goes, beside them: written as Excel writes it (openpyxl's merge_cells would make
    # each of its 6.5 million cells first, three minutes of the test's own time).
    sheet.merged_cells.add("G2:XFD401")
    buffer = io.BytesIO()
    book.save(buffer)

    plan = plan_of(centre, [stored(tmp_path, "noter.xlsx", buffer.getvalue())])

    assert plan.errors == [] and len(plan.collaborations) == 400


def test_a_sheet_without_row_and_cell_references_still_has_its_marks_found(centre, tmp_path, three_actors):
    book = Workbook()
    sheet = book.active
    sheet.title = "Samarbejder"
    sheet.append(["Fra", "Til", "Form", "Titel", "Startdato"])
    sheet.append(["Korsør Bibliotek", "Jobcenter Slagelse", "Samvirke", '="Møde "&E2', "01.03.2025"])
    sheet.append(["Korsør Bibliotek", "Café Sumak", "Samvirke", "Skjult", "01.03.2025"])
    sheet.row_dimensions[3].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    # The references are optional: a row without one is the row after, a cell the cell after.
    content = with_sheet_xml(
        buffer.getvalue(), "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb' r="[A-Z]*\d+"', b"", xml)
    )

    plan = plan_of(centre, [stored(tmp_path, "uden.xlsx", content)])

    assert [(row.row, row.column) for row in plan.errors] == [(2, "Titel")]
    assert "Cellen D2" in plan.errors[0].detail
    assert plan.hidden_rows == [("Samarbejder", "3")]


def test_an_excel_error_in_a_cell_is_a_row_error_never_a_name(centre, tmp_path, three_actors):
    rows = [["Label", "Type"], ["PLACEHOLDER", "Forening"], ["Café Sumak", "Forening"]]
    content = with_sheet_xml(
        workbook_bytes({"Elements": rows}),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<c r="A2"[^>]*>.*?</c>', b'<c r="A2" t="e"><f>VLOOKUP(X1,Y:Y,1,0)</f><v>#N/A</v></c>', xml, flags=re.S
        ),
    )

    plan = plan_of(centre, [stored(tmp_path, "fejl.xlsx", content)])

    assert [(row.row, row.column, row.detail) for row in plan.errors] == [
        (2, "Label", "Cellen A2 indeholder Excels fejl #I/T (#N/A), ikke en værdi. Ret den i Excel, og gem igen.")
    ]
    assert "#n/a" not in plan.new_actors


def test_an_infinite_number_as_a_date_is_a_row_error(centre, tmp_path, three_actors):
    rows = [["Fra", "Til", "Form", "Titel", "Startdato"], ["Korsør Bibliotek", "Café Sumak", "Samvirke", "Møde", 45000]]
    content = with_sheet_xml(
        workbook_bytes({"Samarbejder": rows}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<v>45000</v>", b"<v>1E999</v>"),
    )

    plan = plan_of(centre, [stored(tmp_path, "uendelig.xlsx", content)])

    assert [(row.row, row.column, row.detail) for row in plan.errors] == [
        (2, "Startdato", "Startdatoen er ikke en dato.")
    ]


def with_sheet_xml(content: bytes, part: str, change) -> bytes:
    """The workbook with one of its parts changed as a hand-made or broken file would have it."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry, change(data) if entry.filename == part else data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "broken",
    [
        lambda xml: xml[: len(xml) // 2],  # cut off halfway
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>&"),  # an ampersand no writer leaves bare
    ],
)
def test_a_workbook_whose_sheet_xml_is_damaged_is_refused_not_an_error(centre, tmp_path, broken):
    content = with_sheet_xml(kumu_workbook(), "xl/worksheets/sheet1.xml", broken)
    message = refusal(centre, tmp_path, "skadet.xlsx", content)
    assert "skadet.xlsx" in message


def test_a_row_numbered_in_the_billions_is_not_waited_for(centre, tmp_path):
    """A 5 KB file once kept a server busy for hours: every row number up to the claimed one was read as empty."""
    content = workbook_bytes({"Elements": [["Label", "Type"], ["Café Sumak", "Forening"], ["Fjern", "Forening"]]})
    content = with_sheet_xml(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: (
            xml.replace(b'r="3"', b'r="99999999999"')
            .replace(b'A3"', b'A99999999999"')
            .replace(b'B3"', b'B99999999999"')
        ),
    )

    plan = plan_of(centre, [stored(tmp_path, "stor.xlsx", content)])

    assert [row.what for row in plan.rows] == ["Café Sumak"]
    assert plan.stopped == [("Elements", 2)]


def test_a_sheet_formatted_to_the_bottom_is_read_to_its_last_filled_row_and_the_preview_says_where_it_stopped(
    centre, tmp_path
):
    book = Workbook()
    sheet = book.active
    sheet.title = "Aktører"
    sheet.append(["Navn", "Type"])
    sheet.append(["Café Sumak", "Forening"])
    for row in range(3, 25_003):
        sheet.cell(row=row, column=1).number_format = "@"  # formatted, empty
    sheet.cell(row=25_003, column=1, value="Langt nede")
    sheet.cell(row=25_003, column=2, value="Forening")
    buffer = io.BytesIO()
    book.save(buffer)

    plan = plan_of(centre, [stored(tmp_path, "formateret.xlsx", buffer.getvalue())])

    assert [row.what for row in plan.rows] == ["Café Sumak"]
    assert plan.stopped == [("Aktører", 2)]


def test_a_note_beside_a_workbooks_table_names_its_cell_and_what_to_do(centre, tmp_path):
    rows = [["Navn", "Type", "Beskrivelse"], ["Lektiecaféen Motalavej", "Frivillig", None, None, "spørg Lone"]]

    plan = plan_of(centre, [stored(tmp_path, "noter.xlsx", workbook_bytes({"Aktører": rows}))])

    assert [(row.row, row.detail) for row in plan.errors] == [
        (
            2,
            "Cellen E2 er udfyldt, men dens kolonne har intet navn i overskriften: giv kolonnen et navn (så lader "
            "Samkort den være), eller slet det, der står i cellen.",
        )
    ]


@pytest.mark.parametrize("first", ["Total", "I alt:", "Hovedtotal"])
def test_a_row_of_totals_under_a_table_is_said_to_be_one_whatever_its_columns(centre, tmp_path, first):
    make_actor(name="SSP Slagelse"), make_actor(name="Korsør Bibliotek")
    actors = [["Navn", "Type"], ["Ny Forening", "Forening"], [first, 5]]
    connections = [["ID", "Fra", "Til", "Form", "Titel", "Startdato"]]
    connections += [["1", "SSP Slagelse", "Korsør Bibliotek", "Videndele", "Læseklub", "01.02.2026"], [first, 1]]
    content = workbook_bytes({"Aktører": actors, "Samarbejder": connections})

    plan = plan_of(centre, [stored(tmp_path, "total.xlsx", content)])

    said = f"“{first}” ligner en række med summer eller noter, ikke en aktør eller et samarbejde: slet rækken."
    assert [(row.sheet, row.row, row.detail) for row in plan.errors] == [("Aktører", 3, said), ("Samarbejder", 3, said)]


def test_a_total_written_after_the_rows_id_is_said_to_be_one_with_its_column(centre, tmp_path):
    make_actor(name="SSP Slagelse"), make_actor(name="Korsør Bibliotek")
    connections = [["ID", "Fra", "Til", "Form", "Titel", "Startdato"]]
    connections += [["1", "SSP Slagelse", "Korsør Bibliotek", "Videndele", "Læseklub", "01.02.2026"], [2, "I alt:"]]
    content = workbook_bytes({"Samarbejder": connections})

    plan = plan_of(centre, [stored(tmp_path, "total.xlsx", content)])

    said = "“I alt:” ligner en række med summer eller noter, ikke en aktør eller et samarbejde: slet rækken."
    assert [(row.row, row.column, row.detail) for row in plan.errors] == [(3, "Fra", said)]


def test_an_actor_row_refused_for_a_merged_cell_is_named_and_pointed_to_by_the_collaborations_naming_it(
    centre, tmp_path
):
    actors = [["Navn", "Type"], ["Motalavej Fodboldklub", "Idrætsforening"], ["Ungdomsklubben Toppen", "Fritidsklub"]]
    actors += [["Korsør Kirke", None]]  # its Type is the merged cell B3:B4, read as empty
    connections = [["Fra", "Til", "Form", "Titel", "Startdato"]]
    connections += [["Motalavej Fodboldklub", "Korsør Kirke", "Samvirke", "Fodbold", "06.02.2026"]]
    content = workbook_bytes({"Aktører": actors, "Samarbejder": connections}, merged={"Aktører": "B3:B4"})

    plan = plan_of(centre, [stored(tmp_path, "flettet.xlsx", content)])

    [actor, collaboration] = plan.errors
    assert (actor.sheet, actor.row, actor.what) == ("Aktører", 4, "Korsør Kirke")
    assert collaboration.detail == "“Korsør Kirke” har en fejl i række 4 i Aktører: ret den række."


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (
            ["Aktør", "Samarbejdspartner", "Samarbejdsform", "Aktivitet", "Startdato"],
            "Arket har kolonner med samarbejder, men ingen “Fra” og “Til”",
        ),
        (["Aktør", "Antal samarbejder"], "Er arket en opsummering og ikke en liste over aktører, så skjul det"),
    ],
)
def test_a_sheet_with_an_actor_column_but_no_type_is_told_what_it_lacks(centre, tmp_path, header, said):
    rows = [header, ["SSP Slagelse", *(["x"] * (len(header) - 1))]]

    plan = plan_of(centre, [stored(tmp_path, "ark.xlsx", workbook_bytes({"Ark": rows}))])

    assert [row.row for row in plan.errors] == [1] and said in plan.errors[0].detail
