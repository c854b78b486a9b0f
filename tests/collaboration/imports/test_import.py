"""A coordinator brings the centre's network in from the spreadsheets it already has."""

from __future__ import annotations

import datetime

import pytest

from centres.models import Actor, ActorCategory, Presence
from collaboration.imports.files import FileRefused
from collaboration.imports.plan import Outcome
from collaboration.models import Collaboration, Form, HistoryAction, HistoryEntry, ParticipantRole
from tests.collaboration.imports.helpers import import_files, kumu_workbook, plan_of, stored, workbook_bytes
from tests.factories import make_actor, make_collaboration


def test_a_kumu_workbook_becomes_actors_present_in_the_centre_and_collaborations(centre, coordinator, tmp_path):
    plan, written = import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    assert plan.errors == []
    assert (written.actors, written.presences, written.collaborations) == (3, 3, 3)
    assert set(Presence.objects.filter(centre=centre).values_list("actor__name", flat=True)) == {
        "Jobcenter Slagelse",
        "Café Sumak",
        "Afdelingsbestyrelsen",
    }
    assert Actor.objects.get(name="Café Sumak").category == ActorCategory.SOCIAL_ENTERPRISE
    jobcafe = Collaboration.objects.get(title="Jobcafé")
    assert (jobcafe.form, jobcafe.started_on, jobcafe.ended_on) == (
        Form.COORDINATED_ACTION,
        datetime.date(2026, 2, 1),
        None,
    )
    assert jobcafe.description == "Hver tirsdag"
    kitchen = Collaboration.objects.get(title="Køkkenet")
    assert kitchen.form == Form.RESOURCE_EXCHANGE and kitchen.resource_kind == "other"
    roles = dict(kitchen.participations.values_list("actor__name", "role"))
    assert roles == {"Café Sumak": ParticipantRole.GIVER, "Afdelingsbestyrelsen": ParticipantRole.RECEIVER}
    unlabelled = Collaboration.objects.get(form=Form.KNOWLEDGE_SHARING)
    assert unlabelled.title == "Afdelingsbestyrelsen – Jobcenter Slagelse"
    assert unlabelled.started_on == datetime.date(2026, 5, 15)


def test_every_imported_collaboration_is_in_the_history_as_imported_by_whom_from_which_file(
    centre, coordinator, tmp_path
):
    import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    entries = HistoryEntry.objects.filter(action=HistoryAction.IMPORTED)
    assert entries.count() == 3
    assert {(entry.user, entry.changes["file"]) for entry in entries} == {(coordinator, "workshop.xlsx")}
    assert all(entry.state["title"] == entry.collaboration.title for entry in entries)


def test_importing_the_same_file_again_creates_nothing_and_says_so(centre, coordinator, tmp_path):
    import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    assert (written.actors, written.presences, written.collaborations) == (0, 0, 0)
    assert plan.counts[Outcome.ALREADY_IMPORTED] == 3 and plan.counts[Outcome.EXISTING_ACTOR] == 3
    assert not plan.changes_anything
    assert Collaboration.objects.count() == 3 and Actor.objects.count() == 3


def test_actors_that_exist_are_matched_and_names_like_them_are_pointed_out(centre, coordinator, tmp_path):
    make_actor(name="JOBCENTER SLAGELSE", category=ActorCategory.JOB_CENTRE)
    make_actor(name="Cafe Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)

    plan = plan_of(centre, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    outcomes = {row.what: (row.outcome, row.detail) for row in plan.rows if row.sheet == "Elements"}
    assert outcomes["JOBCENTER SLAGELSE"][0] == Outcome.EXISTING_ACTOR
    assert outcomes["Café Sumak"] == (Outcome.SIMILAR_ACTOR, "Ligner “Cafe Sumak”.")
    assert outcomes["Afdelingsbestyrelsen"][0] == Outcome.NEW_ACTOR


def test_a_row_error_names_the_sheet_row_column_and_reason_and_nothing_is_written(centre, coordinator, tmp_path):
    connections = [
        ["From", "To", "Type", "Label", "From date"],
        ["Jobcenter Slagelse", "Café Sumak", "Samordne", "Jobcafé", "01.02.2026"],
        ["Jobcenter Slagelse", "Café Sumak", "Samarbejde", "Ukendt form", "01.02.2026"],
        ["Jobcenter Slagelse", "Ukendt Forening", "1", "Møde", "01.02.2026"],
        ["Jobcenter Slagelse", "Café Sumak", "1", "Borger 010190-1234", "01.02.2026"],
        ["Jobcenter Slagelse", "Café Sumak", "1", "Møde", "31.02.2026"],
    ]
    content = workbook_bytes(
        {
            "Elements": [
                ["Label", "Type"],
                ["Jobcenter Slagelse", "Jobcenter"],
                ["Café Sumak", "Socialøkonomisk virksomhed"],
            ],
            "Connections": connections,
        }
    )

    plan = plan_of(centre, [stored(tmp_path, "fejl.xlsx", content)])

    errors = [(row.sheet, row.row, row.column) for row in plan.errors]
    assert errors == [
        ("Connections", 3, "Type"),
        ("Connections", 4, "To"),
        ("Connections", 5, "Label"),
        ("Connections", 6, "From date"),
    ]
    messages = " ".join(row.detail for row in plan.errors)
    assert "010190" not in messages and "CPR" in messages  # the number is never echoed back
    assert "“Ukendt Forening” findes hverken i filens aktører eller i Samkort" in messages
    with pytest.raises(FileRefused):
        import_files(centre, coordinator, [stored(tmp_path, "fejl.xlsx", content)])
    assert not Actor.objects.exists() and not Collaboration.objects.exists()


def test_rows_without_a_start_date_take_the_date_given_on_upload(centre, coordinator, tmp_path):
    content = workbook_bytes(
        {
            "Elements": [["Label", "Type"], ["Jobcenter Slagelse", "Jobcenter"], ["Biblioteket", "Bibliotek"]],
            "Connections": [["From", "To", "Type"], ["Jobcenter Slagelse", "Biblioteket", "Videndele"]],
        }
    )
    with pytest.raises(FileRefused) as refused:
        plan_of(centre, [stored(tmp_path, "kort.xlsx", content)])
    assert refused.value.message == (
        "Connections har ingen kolonne med en startdato. Tilføj en kolonne “Startdato”, eller angiv en “Startdato for "
        "rækker uden startdato”, når du vælger filen."
    )

    import_files(centre, coordinator, [stored(tmp_path, "kort.xlsx", content)], default_start=datetime.date(2025, 1, 1))
    assert Collaboration.objects.get().started_on == datetime.date(2025, 1, 1)


def test_a_collaboration_logged_by_hand_is_not_touched_nor_imported_again(centre, coordinator, tmp_path):
    jobcenter = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    logged = make_collaboration(centre, [jobcenter, cafe], title="Jobcafé", started_on=datetime.date(2026, 2, 1))

    plan, _written = import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])

    logged.refresh_from_db()
    assert logged.import_key == "" and Collaboration.objects.count() == 3
    assert [row.what for row in plan.rows if row.outcome == Outcome.IN_SAMKORT] == ["Jobcafé"]


def test_a_row_samkort_has_already_logged_by_hand_is_not_imported_again(centre, coordinator, tmp_path):
    ssp, basen, kirke = (make_actor(name=name) for name in ("SSP Slagelse", "Basen – ungdomsklub", "Korsør Kirke"))
    make_actor(name="Café Sumak")
    logged = make_collaboration(
        centre, [ssp, basen, kirke], title="Fritidsjob for unge", started_on=datetime.date(2026, 11, 5)
    )
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato"],
        ["ssp slagelse", "Basen – ungdomsklub", "Samvirke", "Fritidsjob for Unge", "05.11.2026"],  # the same one
        ["SSP Slagelse", "Basen – ungdomsklub", "Samvirke", "Fritidsjob for unge", "06.11.2026"],  # another day
        ["SSP Slagelse", "Café Sumak", "Samvirke", "Fritidsjob for unge", "05.11.2026"],  # another partner
    ]

    plan, _written = import_files(
        centre, coordinator, [stored(tmp_path, "gammelt.xlsx", workbook_bytes({"Ark": rows}))]
    )

    assert [(row.row, row.outcome) for row in plan.rows if row.sheet == "Ark"] == [
        (2, Outcome.IN_SAMKORT),
        (3, Outcome.NEW_COLLABORATION),
        (4, Outcome.NEW_COLLABORATION),
    ]
    assert next(row for row in plan.rows if row.row == 2).detail == (
        f"Samkort har det allerede som samarbejde nr. {logged.pk} (samme titel, start og aktører)."
    )
    assert Collaboration.objects.filter(title__iexact="Fritidsjob for unge").count() == 3


def test_danish_excel_csv_files_in_windows_1252_with_semicolons_and_danish_dates(centre, coordinator, tmp_path):
    actors = "Navn;Type;Beskrivelse\r\nÆldrerådet;Forening;Ældre i området\r\nBørnehuset Møllen;Skole;\r\n"
    connections = (
        "Fra;Til;Form;Titel;Startdato;Slutdato\r\n"
        "Ældrerådet;Børnehuset Møllen;Samskabe;Generationsmøde;03.09.2026;\r\n"
        "Børnehuset Møllen;Ældrerådet;2;Henvisning;45000;\r\n"
    )
    files = [
        stored(tmp_path, "aktører.csv", actors.encode("cp1252")),
        stored(tmp_path, "samarbejder.csv", connections.encode("cp1252")),
    ]

    plan, written = import_files(centre, coordinator, files)

    assert plan.errors == [] and (written.actors, written.collaborations) == (2, 2)
    assert Actor.objects.get(name="Ældrerådet").description == "Ældre i området"
    meeting = Collaboration.objects.get(title="Generationsmøde")
    assert (meeting.form, meeting.started_on) == (Form.CO_CREATION, datetime.date(2026, 9, 3))
    referral = Collaboration.objects.get(title="Henvisning")
    assert referral.started_on == datetime.date(2023, 3, 15)  # Excel's serial number 45000


def test_utf8_csv_with_a_byte_order_mark_and_commas_is_read_too(centre, coordinator, tmp_path):
    content = "\ufeffLabel,Type\nCafé Sumak,Socialøkonomisk virksomhed\n".encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "actors.csv", content)])

    assert plan.errors == [] and Actor.objects.get().name == "Café Sumak"


@pytest.mark.parametrize(
    "encoding, saved_as",
    [("cp850", "CSV (MS-DOS)"), ("mac_roman", "CSV (Macintosh)"), ("cp1252", "CSV (semikolonsepareret)")],
)
def test_csv_from_older_excel_on_dos_mac_or_windows_reads_the_danish_letters_as_typed(
    centre, coordinator, tmp_path, encoding, saved_as
):
    content = "Navn;Type\r\nÆldrerådet på Ørkildsgade;Forening\r\nBørnehuset Møllen;Skole\r\nFC Åbyhøj;Forening\r\n"

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content.encode(encoding))])

    assert plan.errors == [] and written.actors == 3, saved_as
    assert set(Actor.objects.values_list("name", flat=True)) == {
        "Ældrerådet på Ørkildsgade",
        "Børnehuset Møllen",
        "FC Åbyhøj",
    }


@pytest.mark.parametrize(
    "names",
    [
        ["Men’s Shed – Korsør – Vest", "Children’s House"],  # curly apostrophes and dashes, not DOS's Æ and û
        ["Pris 100 €", "Klub\xa0A"],  # not the Mac's Ä and DOS's á
        ["“Basen”", "Klub ½", "JobØst"],  # punctuation alone, and a capital Ø after a small letter
    ],
)
def test_windows_text_with_punctuation_is_read_as_windows_text(centre, coordinator, tmp_path, names):
    content = ("Navn;Type\n" + "".join(f"{name};Forening\n" for name in names)).encode("cp1252")

    import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content)])

    # A name's non-breaking space is stored as a space, as in the actor form.
    assert set(Actor.objects.values_list("name", flat=True)) == {name.replace("\xa0", " ") for name in names}


def test_a_utf8_file_with_a_line_pasted_from_windows_reads_both(centre, coordinator, tmp_path):
    content = "Navn;Type\nBørnehuset Ærø;Forening\n".encode() + "Men’s Shed – Korsør;Forening\n".encode("cp1252")

    import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content)])

    assert set(Actor.objects.values_list("name", flat=True)) == {"Børnehuset Ærø", "Men’s Shed – Korsør"}


def test_a_mac_file_whose_quote_and_capital_make_a_utf8_pair_is_read_as_the_mac_wrote_it(centre, coordinator, tmp_path):
    # "“Å" and "–Ø" are, byte for byte, valid UTF-8 for a Cyrillic letter: read as UTF-8 first, both were lost.
    names = ["“Åben Dør”", "Nord–Øst", "Klub\xa0Ærø"]
    content = ("Navn;Type\n" + "".join(f"{name};Forening\n" for name in names)).encode("mac_roman")

    import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content)])

    # A name's non-breaking space is stored as a space, as in the actor form.
    assert set(Actor.objects.values_list("name", flat=True)) == {name.replace("\xa0", " ") for name in names}


@pytest.mark.parametrize("name", ["aktører.csv", "aktører.txt"])  # Excel names its "Unicode text" .txt
def test_unicode_text_from_excel_in_utf16_with_tabs_is_read_too(centre, coordinator, tmp_path, name):
    content = "Navn\tType\r\nBeboerrådet Ørkildsgade\tForening\r\n".encode("utf-16")

    plan, written = import_files(centre, coordinator, [stored(tmp_path, name, content)])

    assert plan.errors == [] and Actor.objects.get().name == "Beboerrådet Ørkildsgade"


def test_connections_alone_refer_to_actors_samkort_already_has(centre, coordinator, tmp_path):
    make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    content = "From;To;Type;Label;From date\nJobcenter Slagelse;café sumak;4;Jobcafé;2026-02-01\n".encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "forbindelser.csv", content)])

    assert written.collaborations == 1 and written.presences == 2
    assert set(Collaboration.objects.get().participations.values_list("actor__name", flat=True)) == {
        "Jobcenter Slagelse",
        "Café Sumak",
    }


def test_an_unknown_form_is_a_row_error_not_a_guess(centre, coordinator, tmp_path):
    make_actor(name="A-huset", category=ActorCategory.ASSOCIATION)
    make_actor(name="B-huset", category=ActorCategory.ASSOCIATION)
    content = (
        "Fra;Til;Form;Titel;Startdato\nA-huset;B-huset;6;Møde;01.01.2026\nA-huset;B-huset;partnerskab;Møde;01.01.2026\n"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content.encode())])

    assert [(row.row, row.column) for row in plan.errors] == [(2, "Form"), (3, "Form")]


def test_a_danish_heading_with_a_comma_and_a_name_with_quotes_and_a_semicolon(centre, coordinator, tmp_path):
    content = 'Navn;Type;Målgruppe (børn, unge)\n"Klubben ""Ung; Aktiv""";Forening;x\n'.encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content)])

    assert plan.errors == [] and Actor.objects.get().name == 'Klubben "Ung; Aktiv"'


def test_positions_must_be_ordinary_numbers(centre, tmp_path):
    content = b"Label;Type;X;Y\nA-huset;Forening;nan;1\nB-huset;Forening;0,5;-0,25\n"

    plan = plan_of(centre, [stored(tmp_path, "steder.csv", content)])

    assert [(row.row, row.column, row.detail) for row in plan.errors] == [(2, "X", "X og Y skal være almindelige tal.")]
    assert plan.positions == {"b-huset": (0.5, -0.25)}  # a Danish decimal comma is read as a decimal


def test_an_import_announces_the_centre_it_wrote_to_as_its_rows_send_no_signals(centre, coordinator, tmp_path):
    from collaboration.signals import centre_written_in_bulk

    heard = []

    def listen(sender, centre_id, **kwargs):
        heard.append(centre_id)

    centre_written_in_bulk.connect(listen)
    try:
        import_files(centre, coordinator, [stored(tmp_path, "workshop.xlsx", kumu_workbook())])
    finally:
        centre_written_in_bulk.disconnect(listen)
    assert heard == [centre.pk]


def test_a_title_and_blank_rows_above_the_column_names_are_passed_over(centre, coordinator, tmp_path):
    content = workbook_bytes(
        {
            "Elements": [
                ["Aktører i Holmene 2026"],
                [],
                ["Label", "Type", "Description"],
                ["Holmene Bibliotek", "Bibliotek", ""],
                ["Boligsocial Indsats", "Boligorganisation", ""],
            ],
            "Connections": [
                ["Samarbejder 2026", None, None, None, None],
                ["From", "To", "Type", "Label", "From date"],
                ["Holmene Bibliotek", "Boligsocial Indsats", "videndele", "Lektiecafé", "01.03.2026"],
                ["Holmene Bibliotek", "Boligsocial Indsats", "partnerskab", "Møde", "01.04.2026"],
            ],
        },
        merged={"Elements": "A1:C1"},  # a title across the columns, as such sheets are often made
    )

    plan = plan_of(centre, [stored(tmp_path, "holmene.xlsx", content)])

    assert plan.counts[Outcome.NEW_ACTOR] == 2 and plan.counts[Outcome.NEW_COLLABORATION] == 1
    # Rows are still named by their number in the sheet, as the user sees it in Excel.
    assert [(row.sheet, row.row, row.column) for row in plan.errors] == [("Connections", 4, "Type")]
    assert plan.unread == []


def test_a_csv_file_with_a_title_line_above_its_comma_separated_header(centre, coordinator, tmp_path):
    content = 'Aktører 2026\n\nLabel,Type,Description\nCafé Sumak,Socialøkonomisk virksomhed,"Mad, kaffe"\n'

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content.encode())])

    assert plan.errors == [] and written.actors == 1
    assert Actor.objects.get().description == "Mad, kaffe"


def test_a_sheet_whose_first_row_is_empty_is_read_from_its_first_filled_row(centre, coordinator, tmp_path):
    content = workbook_bytes({"Elements": [[None, None], ["Label", "Type"], ["Café Sumak", "Forening"]]})

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "x.xlsx", content)])

    assert written.actors == 1 and Actor.objects.get().name == "Café Sumak"


def test_sheets_with_no_known_columns_are_named_as_not_read_unless_hidden(centre, coordinator, tmp_path):
    content = workbook_bytes(
        {
            "Elements": [["Label", "Type"], ["Café Sumak", "Forening"]],
            "Noter": [["Husk at ringe til Jobcentret"]],
            "Lister": [["Forening", "Skole"]],
        },
        hidden=["Lister"],
    )

    plan = plan_of(centre, [stored(tmp_path, "med-noter.xlsx", content)])

    assert plan.unread == ["Noter"] and plan.counts[Outcome.NEW_ACTOR] == 1


def test_a_cover_sheet_with_a_merged_title_is_named_as_not_read_not_refused(centre, coordinator, tmp_path):
    content = workbook_bytes(
        {
            "Forside": [["Netværket i Kvarterhuset", None, None, None]],
            "Elements": [["Label", "Type"], ["Café Sumak", "Forening"]],
        },
        merged={"Forside": "A1:D1"},
    )

    plan = plan_of(centre, [stored(tmp_path, "med-forside.xlsx", content)])

    assert plan.unread == ["Forside"] and plan.counts[Outcome.NEW_ACTOR] == 1


def test_a_comma_in_a_title_line_does_not_decide_a_semicolon_files_separator(centre, coordinator, tmp_path):
    content = "Aktører i Kvarterhuset, marts 2025\nNavn;Type\nCafé Sumak;Forening\n"

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content.encode())])

    assert plan.errors == [] and written.actors == 1 and Actor.objects.get().name == "Café Sumak"


def test_a_website_without_https_is_read_as_the_actor_form_reads_it(centre, coordinator, tmp_path):
    content = "Navn;Type;Hjemmeside\nForeningen;Forening;www.slagelse.dk\nKlubben;Forening;slagelse.dk/klub\n"
    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktorer.csv", content.encode())])

    assert plan.errors == [] and written.actors == 2
    assert dict(Actor.objects.values_list("name", "website")) == {
        "Foreningen": "https://www.slagelse.dk",
        "Klubben": "https://slagelse.dk/klub",
    }


def test_a_website_that_is_no_address_is_still_a_row_error(centre, tmp_path):
    content = "Navn;Type;Hjemmeside\nForeningen;Forening;ikke en adresse\n"
    plan = plan_of(centre, [stored(tmp_path, "aktorer.csv", content.encode())])

    assert [(error.row, error.column) for error in plan.errors] == [(2, "Hjemmeside")]


def test_a_row_of_spaces_looks_empty_and_is_left_out(centre, tmp_path):
    content = "Navn;Type\nForeningen;Forening\n   ;  \nKlubben;Forening\n"
    plan = plan_of(centre, [stored(tmp_path, "aktorer.csv", content.encode())])

    assert plan.errors == [] and [row.row for row in plan.rows] == [2, 4]


def test_a_collaboration_naming_an_actor_whose_row_has_an_error_points_to_that_row(centre, tmp_path):
    actors = "Navn;Type\nUngdomsklubben Nord;School\nCafé Sumak;Socialøkonomisk virksomhed\n"
    connections = "Fra;Til;Form;Titel;Startdato\nUngdomsklubben Nord;Café Sumak;1;Møde;01.03.2026\n"
    files = [
        stored(tmp_path, "aktorer.csv", actors.encode()),
        stored(tmp_path, "samarbejder.csv", connections.encode()),
    ]

    plan = plan_of(centre, files)

    assert [(error.sheet, error.row) for error in plan.errors] == [("aktorer.csv", 2), ("samarbejder.csv", 2)]
    assert plan.errors[1].detail == "“Ungdomsklubben Nord” har en fejl i række 2 i aktorer.csv: ret den række."


def test_names_alike_within_one_file_are_pointed_out(centre, tmp_path):
    actors = "Navn;Type\nUngdomsklubben Vest;Forening\nUngdomsklubben Vets;Forening\nCafé Sumak;Forening\n"
    connections = "Fra;Til;Form;Titel;Startdato\nUngdomsklubben Veest;Café Sumak;1;Møde;01.03.2026\n"
    files = [
        stored(tmp_path, "aktorer.csv", actors.encode()),
        stored(tmp_path, "samarbejder.csv", connections.encode()),
    ]

    plan = plan_of(centre, files)

    outcomes = [(row.what, row.outcome, row.detail) for row in plan.rows if row.sheet == "aktorer.csv"]
    assert outcomes == [
        ("Ungdomsklubben Vest", Outcome.NEW_ACTOR, ""),
        ("Ungdomsklubben Vets", Outcome.SIMILAR_ACTOR, "Ligner “Ungdomsklubben Vest” tidligere i filen."),
        ("Café Sumak", Outcome.NEW_ACTOR, ""),
    ]
    assert plan.errors[0].detail == (
        "“Ungdomsklubben Veest” findes hverken i filens aktører eller i Samkort. Mente du “Ungdomsklubben Vest”?"
    )


def test_a_row_from_an_actor_to_itself_is_told_in_the_files_own_column_names(centre, tmp_path):
    content = "Fra;Til;Form;Titel;Startdato\nCafé Sumak;Café Sumak;1;Møde;01.03.2026\n"
    make_actor(name="Café Sumak")

    plan = plan_of(centre, [stored(tmp_path, "samarbejder.csv", content.encode())])

    assert plan.errors[0].detail == "Fra og Til er den samme aktør: et samarbejde kræver to."


def test_kumus_direction_makes_a_referral_from_from_to_to(centre, coordinator, tmp_path):
    make_actor(name="Jobcenter Slagelse")
    make_actor(name="Café Sumak")
    content = (
        "From;To;Type;Direction;Label;From date\n"
        "Jobcenter Slagelse;Café Sumak;Samvirke;directed;Henvisning;01.03.2026\n"
        "Café Sumak;Jobcenter Slagelse;Samvirke;mutual;Fælles møde;02.03.2026\n"
        "Café Sumak;Jobcenter Slagelse;Ressourceudveksle;directed;Lån af køkken;03.03.2026\n"
    )

    import_files(centre, coordinator, [stored(tmp_path, "kumu.csv", content.encode())])

    def roles(title):
        participations = Collaboration.objects.get(title=title).participations
        return dict(participations.values_list("actor__name", "role"))

    assert roles("Henvisning") == {
        "Jobcenter Slagelse": ParticipantRole.REFERRER,
        "Café Sumak": ParticipantRole.REFERRED,
    }
    assert set(roles("Fælles møde").values()) == {ParticipantRole.PARTICIPANT}
    assert roles("Lån af køkken") == {
        "Café Sumak": ParticipantRole.GIVER,
        "Jobcenter Slagelse": ParticipantRole.RECEIVER,
    }


def test_names_that_differ_only_in_their_numbers_are_not_called_alike(centre, tmp_path):
    make_actor(name="Boligafdeling 2")
    actors = "Navn;Type\nBoligafdeling 3;Forening\nBoligafdeling 12;Forening\nKlub 7A;Forening\nKlub 7B;Forening\n"

    plan = plan_of(centre, [stored(tmp_path, "aktorer.csv", actors.encode())])

    assert {row.outcome for row in plan.rows} == {Outcome.NEW_ACTOR}


def test_a_long_unknown_name_in_a_message_is_cut_with_an_ellipsis(centre, tmp_path):
    long_name = "Boligsocial helhedsplan for Motalavej, Ydunsvej og Kongehøjen – fremskudt indsats i Korsør"
    make_actor(name="Café Sumak")
    content = f"Fra;Til;Form;Titel;Startdato\n{long_name};Café Sumak;1;Møde;01.03.2026\n"

    plan = plan_of(centre, [stored(tmp_path, "samarbejder.csv", content.encode())])

    assert f"“{long_name[:79]}…”" in plan.errors[0].detail
