"""Managers take a report away as files: each read back the way its receiving program would read it."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import zipfile
from xml.etree import ElementTree

import networkx as nx
import pytest
from django.db import connection
from openpyxl import load_workbook

from centres.models import Actor, ActorCategory, Sector
from collaboration.models import Form, Frequency, ParticipantRole
from collaboration.network.graph import Selection
from collaboration.reports import exports
from collaboration.reports.build import build_report
from tests.factories import make_actor, make_collaboration

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","klik")', "+45 Foreningen", "-Ungdomsklubben", "@SUM(A1)"]


@pytest.fixture
def report(centre):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(
        name="Café Sumak",
        category=ActorCategory.SOCIAL_ENTERPRISE,
        description="Socialøkonomisk café i stueetagen.",
        website="https://sumak.example",
        email="kontakt@sumak.example",
    )
    board = make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD)
    make_collaboration(
        centre,
        [job, cafe],
        form=Form.COORDINATED_ACTION,
        started_on=datetime.date(2026, 2, 1),
        title="Jobcafé",
        description="Hver tirsdag i caféen: CV og jobsøgning.",
    )
    make_collaboration(
        centre,
        [cafe, board],
        form=Form.KNOWLEDGE_SHARING,
        started_on=datetime.date(2026, 3, 1),
        ended_on=datetime.date(2026, 4, 1),
    )
    make_collaboration(centre, [cafe, board], form=Form.CO_CREATION, started_on=datetime.date(2026, 5, 1))
    return build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])


@pytest.fixture
def hostile_report(centre):
    actors = [make_actor(name=name) for name in HOSTILE_NAMES]
    make_collaboration(centre, actors, title="=1+1", goals="@besøg", started_on=datetime.date(2026, 2, 1))
    return build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])


def workbook(report):
    return load_workbook(io.BytesIO(exports.xlsx(report)))


def header(sheet) -> list[str]:
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


def test_the_spreadsheet_has_the_promised_sheets_and_columns(report):
    book = workbook(report)

    assert book.sheetnames == ["Nøgletal", "Elements", "Connections", "Samarbejder", "Deltagelser", "Parametre"]
    assert header(book["Elements"])[:2] == ["Label", "Type"]
    assert header(book["Connections"])[:3] == ["From", "To", "Type"]
    assert "Titel" in header(book["Samarbejder"])
    assert header(book["Deltagelser"]) == ["Samarbejds-ID", "Samarbejde", "Aktør", "Rolle"]


def test_every_sheet_keeps_its_header_in_view_filters_and_fits_its_columns(report):
    book = workbook(report)

    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{max(sheet.max_row, 2)}"
    figures = book["Nøgletal"]
    assert figures.column_dimensions["A"].width > 40  # "Samarbejder, hvor beboere tog initiativ …" is read whole
    assert 8 <= book["Deltagelser"].column_dimensions["D"].width < 20


def test_the_key_figures_sheet_has_the_difference_the_pdf_shows(report):
    rows = {row["Tal"]: row for row in rows_by_header(workbook(report)["Nøgletal"])}
    figures = {figure.label: figure for figure in report.key_figures}

    assert header(workbook(report)["Nøgletal"])[3] == "Forskel (andele i procentpoint)"
    for label, figure in figures.items():
        assert rows[label]["Forskel (andele i procentpoint)"] == figure.change, label
    assert any(figure.change for figure in figures.values())


def test_a_share_in_the_key_figures_shows_as_a_per_cent_and_stays_a_number(report):
    figures = workbook(report)["Nøgletal"]

    shares = [row[1] for row in figures.iter_rows(min_row=2) if row[1].number_format == "0%"]

    assert shares and all(isinstance(cell.value, int | float) and 0 <= cell.value <= 1 for cell in shares)


def test_the_actor_and_tie_sheets_hold_one_row_per_actor_and_tie_in_kumus_terms(report):
    book = workbook(report)

    labels = [row[0] for row in book["Elements"].iter_rows(min_row=2, values_only=True)]
    assert labels == ["Afdelingsbestyrelsen", "Café Sumak", "Jobcenter Slagelse"]
    ties = {(row[0], row[1]): row[2] for row in book["Connections"].iter_rows(min_row=2, values_only=True)}
    # Kumu draws a connection between two labels of the Elements sheet; Type is the highest form.
    assert ties == {
        ("Afdelingsbestyrelsen", "Café Sumak"): "Samskabe",
        ("Café Sumak", "Jobcenter Slagelse"): "Samordne",
    }
    # Both ties go on, so neither has a last day, whatever the period's end.
    periods = {(row[0], row[1]): row[7:9] for row in book["Connections"].iter_rows(min_row=2, values_only=True)}
    assert header(book["Connections"])[7:9] == ["Første", "Seneste (tom: pågår)"]
    assert periods[("Afdelingsbestyrelsen", "Café Sumak")] == (datetime.datetime(2026, 3, 1), None)


def test_a_tie_that_went_one_way_runs_from_the_giver_in_kumus_direction_column(centre):
    school = make_actor(name="Absalons Skole")
    youth = make_actor(name="Ungdomsklubben")
    library = make_actor(name="Biblioteket")
    # The youth club refers to the school (one way, although the school comes first in the alphabet); the school
    # and the library lend each other rooms (both ways); the club and the library only talk.
    make_collaboration(
        centre, [youth, school], form=Form.ALIGNMENT, roles=[ParticipantRole.REFERRER, ParticipantRole.REFERRED]
    )
    make_collaboration(centre, [school, library], form=Form.RESOURCE_EXCHANGE)
    make_collaboration(centre, [library, school], form=Form.RESOURCE_EXCHANGE)
    make_collaboration(centre, [youth, library])
    report = build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])

    sheet = workbook(report)["Connections"]
    assert header(sheet)[:4] == ["From", "To", "Type", "Direction"]
    directions = {(row[0], row[1]): row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert directions == {
        ("Ungdomsklubben", "Absalons Skole"): "directed",
        ("Absalons Skole", "Biblioteket"): "mutual",
        ("Biblioteket", "Ungdomsklubben"): "undirected",
    }
    back = nx.read_graphml(io.BytesIO(exports.graphml(report)))
    referral = back.edges[str(youth.pk), str(school.pk)]
    assert (referral["direction"], referral["flows_from"]) == ("directed", str(youth.pk))
    assert "flows_from" not in back.edges[str(school.pk), str(library.pk)]


def rows_by_header(sheet) -> list[dict]:
    title, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(title, row, strict=True)) for row in rows]


def test_the_collaborations_sheet_has_one_row_per_collaboration_with_real_dates_and_its_description(report):
    rows = rows_by_header(workbook(report)["Samarbejder"])

    assert len(rows) == 3
    jobcafe = next(row for row in rows if row["Titel"] == "Jobcafé")
    assert jobcafe["Samarbejdsform"] == "Samordne"
    assert jobcafe["Begyndt"] == datetime.datetime(2026, 2, 1)
    # What the collaboration is goes with it: re-imported elsewhere, it is not lost.
    assert jobcafe["Beskrivelse"] == "Hver tirsdag i caféen: CV og jobsøgning."


def test_the_actors_sheet_carries_each_organisations_description_and_website_but_not_its_contact(report):
    rows = {row["Label"]: row for row in rows_by_header(workbook(report)["Elements"])}

    assert rows["Café Sumak"]["Description"] == "Socialøkonomisk café i stueetagen."
    assert rows["Café Sumak"]["Website"] == "https://sumak.example"
    # None: an empty cell, as a spreadsheet has it, not a cell holding an empty text.
    assert rows["Jobcenter Slagelse"]["Description"] is None and rows["Jobcenter Slagelse"]["Website"] is None
    assert "kontakt@sumak.example" not in str(list(rows.values()))


def test_formulas_in_names_and_texts_are_kept_as_text_in_the_spreadsheet(hostile_report):
    book = load_workbook(io.BytesIO(exports.xlsx(hostile_report)))

    cells = [cell for row in book["Elements"].iter_rows(min_row=2) for cell in row[:1]]
    assert sorted(cell.value for cell in cells) == sorted(HOSTILE_NAMES)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    title = book["Samarbejder"]["C2"]
    assert (title.value, title.data_type) == ("=1+1", "s")


def test_formulas_in_names_and_texts_are_defused_in_the_csv_files(hostile_report):
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(hostile_report))) as archive:
        text = archive.read("2-elements.csv").decode("utf-8-sig")
        collaborations = archive.read("4-samarbejder.csv").decode("utf-8-sig")

    labels = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert sorted(labels) == sorted("'" + name for name in HOSTILE_NAMES)
    row = next(csv.DictReader(io.StringIO(collaborations)))
    assert (row["Titel"], row["Mål og succeskriterier"]) == ("'=1+1", "'@besøg")


def test_a_formula_after_a_semicolon_or_a_line_break_is_defused_for_a_danish_excel(centre):
    """A Danish Excel opens a comma-separated file splitting its lines at semicolons, quotes or not, and a quoted
    line break ends a row that is not its first cell: wherever a cell may begin there, no formula does."""
    actors = [make_actor(name="Café Sumak"), make_actor(name="Jobcenter Slagelse")]
    description = 'Referat\n=HYPERLINK("http://evil.example";"klik")\n- CV-hjælp'
    make_collaboration(centre, actors, title="Møde;=1+1", description=description, started_on=datetime.date(2026, 2, 1))
    report = build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(report))) as archive:
        text = archive.read("4-samarbejder.csv").decode("utf-8-sig")

    cells_as_danish_excel_begins_them = re.split(r"[;\r\n]", text)
    assert not [
        cell for cell in cells_as_danish_excel_begins_them if cell.lstrip(' "').startswith(("=", "+", "-", "@"))
    ]
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["Titel"] == "Møde;'=1+1"
    assert row["Beskrivelse"] == 'Referat\n\'=HYPERLINK("http://evil.example";"klik")\n\'- CV-hjælp'


def test_the_csv_zip_has_one_file_per_sheet_that_excel_reads_as_utf8(report):
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(report))) as archive:
        names = archive.namelist()
        elements = archive.read("2-elements.csv")

    assert names == [
        "1-noegletal.csv",
        "2-elements.csv",
        "3-connections.csv",
        "4-samarbejder.csv",
        "5-deltagelser.csv",
        "6-parametre.csv",
    ]
    assert elements.startswith("\ufeff".encode())
    assert "Café Sumak" in elements.decode("utf-8-sig")


@pytest.mark.parametrize("make", [exports.gexf, exports.graphml])
def test_network_files_read_back_as_the_same_graph(report, make):
    read = nx.read_gexf if make is exports.gexf else nx.read_graphml
    graph = read(io.BytesIO(make(report)))
    source = report.network.graph

    assert set(graph.nodes) == {str(node) for node in source.nodes}
    assert {frozenset(edge) for edge in graph.edges} == {frozenset(map(str, edge)) for edge in source.edges}
    for node, data in source.nodes(data=True):
        back = graph.nodes[str(node)]
        assert back["label"] == data["name"]
        assert (back["sector"], back["category"]) == (data["sector"], data["category"])
        # A legend in Gephi shows the label in the report's language, not the code.
        assert back["sector_label"] == str(Sector(data["sector"]).label)
        assert back["category_label"] == str(ActorCategory(data["category"]).label)
        assert back["degree"] == report.figures.per_actor[node].degree
    for a, b, data in source.edges(data=True):
        back = graph.edges[str(a), str(b)]
        assert back["highest_form"] == data["highest_form"]
        assert back["collaborations"] == data["count"]
        assert back["frequency_label"] == str(Frequency(data["frequency"]).label)
        assert back["forms"] == ",".join(str(f) for f in data["forms"])
        assert (back["first"], back.get("last")) == (data["first"].isoformat(), iso_or_none(data["last"]))


def test_gexf_ties_carry_their_time_interval_for_gephis_timeline_open_while_ongoing(centre, report):
    job, board = Actor.objects.get(name="Jobcenter Slagelse"), Actor.objects.get(name="Afdelingsbestyrelsen")
    make_collaboration(centre, [job, board], started_on=datetime.date(2026, 3, 1), ended_on=datetime.date(2026, 6, 30))
    report = build_report(report.selection, [centre])
    graph = nx.read_gexf(io.BytesIO(exports.gexf(report)))
    ties = list(report.network.graph.edges(data=True))

    for a, b, data in ties:
        back = graph.edges[str(a), str(b)]
        assert (back["start"], back.get("end")) == (data["first"].isoformat(), iso_or_none(data["last"]))
    # The report holds both kinds: ties whose collaborations all ended, and ties still going on.
    assert {data["last"] is None for _a, _b, data in ties} == {True, False}
    assert b'timeformat="date"' in exports.gexf(report)


def iso_or_none(day):
    return day.isoformat() if day else None


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def pdf_maker():
    """WeasyPrint draws with the system's Pango: missing here, the PDF tests skip, except in CI, where they fail."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"WeasyPrint cannot load its libraries: {error}")
    return exports.pdf


def test_the_pdf_has_a_cover_page_numbers_and_the_collaborations(report, pdf_maker):
    text = pdf_text(pdf_maker(report))

    assert "Samarbejde i Kvarterhuset" in text
    assert "1. januar 2026 – 30. juni 2026" in text
    assert "Side 1 af" in text
    assert "Bilag: samarbejderne (3)" in text
    assert "Jobcafé" in text


def test_the_pdf_holds_only_the_chosen_sections(centre, report, pdf_maker):
    report.sections = ("figures",)

    text = pdf_text(pdf_maker(report))

    assert "Nøgletal" in text
    assert "Netværkskort" not in text
    assert "Jobcafé" not in text


def test_a_long_appendix_lists_the_latest_and_says_where_the_rest_are(report, pdf_maker, settings):
    settings.REPORT_APPENDIX_LIMIT = 2

    text = " ".join(pdf_text(pdf_maker(report)).split())

    assert "Rapporten omfatter 3 samarbejder, for mange til at læse i en PDF" in text
    assert "Alle 3 står i regnearket (XLSX) og CSV-filerne." in text
    assert "Jobcafé" not in text  # the one that started first
    assert text.count("Café Sumak, Afdelingsbestyrelsen") == 2


@pytest.fixture
def pasted_report(centre):
    """Rows saved before text was cleaned on the way in can hold characters that XML and spreadsheets cannot."""
    actors = [make_actor(name="Ungdomsklubben"), make_actor(name="Kirkens Korshær")]
    collaboration = make_collaboration(centre, actors, title="Fælles cafe", started_on=PERIOD[0])
    # Written past the models' cleaning, as an old row or another system would have written them.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE centres_actor SET name = %s WHERE id = %s", ["Ungdoms\x0bklubben\ufffe", actors[0].pk])
        cursor.execute(
            "UPDATE collaboration_collaboration SET title = %s, goals = %s WHERE id = %s",
            ["Fælles\x01 cafe\uffff", "Linje 1\x0cLinje 2", collaboration.pk],
        )
    return build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])


def test_what_a_format_cannot_hold_is_left_out_of_every_file(pasted_report):
    book = load_workbook(io.BytesIO(exports.xlsx(pasted_report)))
    graph = nx.read_graphml(io.BytesIO(exports.graphml(pasted_report)))
    gexf = nx.read_gexf(io.BytesIO(exports.gexf(pasted_report)))
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(pasted_report))) as archive:
        collaborations = archive.read("4-samarbejder.csv").decode("utf-8-sig")

    assert book["Samarbejder"]["C2"].value == "Fælles cafe"
    assert {data["label"] for _n, data in graph.nodes(data=True)} == {"Ungdomsklubben", "Kirkens Korshær"}
    assert {data["label"] for _n, data in gexf.nodes(data=True)} == {"Ungdomsklubben", "Kirkens Korshær"}
    assert "Linje 1Linje 2" in collaborations and "\x0c" not in collaborations
    map_svg = ElementTree.fromstring(str(exports.pictures(pasted_report)["map"]))
    assert {"Ungdoms klubben", "Kirkens Korshær"} <= set(map_svg.itertext())  # the vertical tab wraps as a space


def test_every_actor_is_named_on_the_pdfs_map_above_its_white_halo(report, pdf_maker):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_maker(report)))
    map_page = next(page.extract_text() for page in reader.pages if "Netværkskort" in page.extract_text())
    for name in ("Jobcenter Slagelse", "Café Sumak", "Afdelingsbestyrelsen"):
        assert name in map_page
    # Each name is drawn twice: first the halo (white, outlined), then the dark text over it. WeasyPrint ignores
    # paint-order, so a single outlined text would bury its own letters under the halo.
    picture = str(exports.pictures(report)["map"])
    labels = re.findall(r'<text font-size="7.5" ([^>]*)>(.*?)</text>', picture)
    assert len(labels) == 6  # three names, each as halo and text
    for (halo, halo_lines), (ink, lines) in zip(labels[::2], labels[1::2], strict=True):
        assert halo == 'fill="#ffffff" stroke="#ffffff" stroke-width="2.5"' and ink == 'fill="#1d2433"'
        assert halo_lines == lines


def test_emoji_in_names_are_drawn_with_the_shipped_emoji_font(centre, pdf_maker):
    from pypdf import PdfReader

    make_collaboration(
        centre, [make_actor(name="Sommerfest 🎉 udvalget"), make_actor()], started_on=PERIOD[0], title="Fest ☀️"
    )
    report = build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf_maker(report))).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # WeasyPrint embeds it under the family name the PDF's style sheet gives the shipped Noto Emoji.
    assert any(font.endswith("+Samkort-Emoji") for font in fonts), fonts


MARKUP = '<a href="https://evil.example">Klik</a><script>alert(1)</script> & Co'


def test_markup_in_names_stays_text_in_every_picture_and_network_file(centre):
    actors = [make_actor(name=MARKUP), make_actor(name="Kirkens Korshær")]
    make_collaboration(centre, actors, title=f"Møde {MARKUP}", started_on=PERIOD[0])
    report = build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])

    picture = str(exports.pictures(report)["map"])
    assert "<a " not in picture and "<script" not in picture
    assert "&lt;a" in picture  # the name is there, wrapped into lines, as text
    html = exports.render_to_string("collaboration/reports/report_pdf.html", exports.pdf_context(report))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for make in (exports.gexf, exports.graphml):
        graph = (nx.read_gexf if make is exports.gexf else nx.read_graphml)(io.BytesIO(make(report)))
        assert MARKUP in {data["label"] for _node, data in graph.nodes(data=True)}


def test_the_pdfs_appendix_keeps_each_line_of_the_description_goals_and_outcome(centre):
    actors = [make_actor(name="Café Sumak"), make_actor(name="Kirkens Korshær")]
    make_collaboration(
        centre,
        actors,
        title="Sommerfest",
        description="Linje ét\nLinje to <b>fed</b>",
        goals="Mål 1\nMål 2",
        outcome="Godt",
        started_on=PERIOD[0],
    )
    report = build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])

    html = exports.render_to_string("collaboration/reports/report_pdf.html", exports.pdf_context(report))

    assert "<i>Beskrivelse:</i> Linje ét<br>Linje to &lt;b&gt;fed&lt;/b&gt;" in html
    assert "<i>Mål:</i> Mål 1<br>Mål 2" in html and "<i>Resultat:</i> Godt" in html


def test_the_static_map_leaves_out_emoji_variation_selectors_which_the_pdf_drew_as_a_dotted_circle():
    from collaboration.reports.svg import xml_text

    assert xml_text("Kaffeklubben ☕🎉👩\u200d⚕\ufe0f") == "Kaffeklubben ☕🎉👩\u200d⚕"


def test_the_static_map_says_how_many_actors_it_draws_without_a_name():
    from collaboration.reports.svg import network_map

    graph = nx.Graph()
    for n in range(12):
        graph.add_node(n, name=f"Forening med et langt navn {n}", sector="civil_society", based=False)
    graph.add_node(99, name="Langt væk", sector="public", based=False)
    graph.add_edges_from((0, n, {"highest_form": 1}) for n in [*range(1, 12), 99])
    # Twelve on top of each other in the middle, one far away: most of the twelve find no room for their names.
    positions = {n: (0.5 + n * 1e-4, 0.5) for n in range(12)} | {99: (1.0, 1.0)}

    drawn = network_map(graph, positions)

    names = re.findall(r'<text font-size="[^"]+" fill="#1d2433"><tspan[^>]*>([^<]+)', drawn.svg)
    assert 0 < drawn.unnamed == len(graph) - len(names)
