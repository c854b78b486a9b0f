"""Files as centres keep them year after year: IDs that start from 1 again, a "Dato" column, Kumu's tags, typos in
dates and over-long texts. Whatever the file holds reaches Samkort or is named in the preview; nothing is dropped."""

from __future__ import annotations

import datetime

import pytest

from centres.models import Actor, ActorCategory
from collaboration.imports.files import FileRefused
from collaboration.imports.plan import Outcome, fingerprint
from collaboration.models import Collaboration, Theme
from samkort.text import fold
from tests.collaboration.imports.helpers import import_files, plan_of, stored, workbook_bytes
from tests.factories import make_actor


@pytest.fixture
def two_actors(db):
    make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    make_actor(name="Sumak – socialøkonomisk café", category=ActorCategory.SOCIAL_ENTERPRISE)


def connections(*rows: str, header: str = "ID;Fra;Til;Form;Titel;Startdato") -> bytes:
    return "\n".join([header, *rows]).encode()


def test_next_years_file_numbering_its_rows_from_1_again_brings_its_own_collaborations(
    centre, coordinator, tmp_path, two_actors
):
    first_year = connections(
        "1;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde 2024;10.01.2024",
        "2;Jobcenter Slagelse;Sumak – socialøkonomisk café;2;Henvisning af ledige 2024;15.02.2024",
    )
    next_year = connections(
        "1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Jobmesse 2025;10.04.2025",
        "2;Jobcenter Slagelse;Sumak – socialøkonomisk café;3;Lån af lokaler 2025;15.05.2025",
    )
    import_files(centre, coordinator, [stored(tmp_path, "2024.csv", first_year)])

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "2025.csv", next_year)])

    assert written.collaborations == 2
    assert plan.counts[Outcome.NEW_COLLABORATION] == 2
    assert all("ID'et" in row.detail and "brugt før" in row.detail for row in plan.rows)
    assert set(Collaboration.objects.values_list("title", flat=True)) == {
        "Netværksmøde 2024",
        "Henvisning af ledige 2024",
        "Jobmesse 2025",
        "Lån af lokaler 2025",
    }
    again = plan_of(centre, [stored(tmp_path, "2025.csv", next_year)])
    assert again.counts == {Outcome.ALREADY_IMPORTED: 2} and not again.changes_anything


def test_two_different_rows_with_one_id_in_one_file_are_both_imported(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "7;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Morgenmøde;10.01.2025",
        "7;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Aftenmøde;11.01.2025",
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "x.csv", content)])

    assert written.collaborations == 2


def test_the_same_row_twice_in_a_file_is_imported_once_and_the_preview_says_which_row_it_repeats(
    centre, coordinator, tmp_path, two_actors
):
    row = "Jobcenter Slagelse;Sumak – socialøkonomisk café;2;Henvisning;03.03.2025"
    content = connections(row, row, header="Fra;Til;Form;Titel;Startdato")

    plan = plan_of(centre, [stored(tmp_path, "henvisninger.csv", content)])

    repeated = plan.rows[1]
    assert repeated.outcome == Outcome.ALREADY_IMPORTED
    assert repeated.detail == "Det samme som række 2 i henvisninger.csv: importeres én gang."


def test_a_column_called_dato_is_the_start_date_and_wins_over_the_date_given_on_upload(
    centre, coordinator, tmp_path, two_actors
):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde i marts;01.03.2023", header="Fra;Til;Form;Titel;Dato"
    )

    plan, written = import_files(
        centre, coordinator, [stored(tmp_path, "x.csv", content)], default_start=datetime.date(2025, 1, 1)
    )

    assert Collaboration.objects.get().started_on == datetime.date(2023, 3, 1)
    assert plan.rows[0].started_on == datetime.date(2023, 3, 1)


def test_a_start_date_column_is_read_before_a_plain_dato_column(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "01.06.2026;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025",
        header="Dato;Fra;Til;Form;Titel;Startdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.rows[0].started_on == datetime.date(2025, 3, 1)
    assert plan.unread_columns == [("x.csv", ["Dato"])]


@pytest.mark.parametrize(
    ("extra_header", "named"),
    [
        ("Noter;Ansvarlig", ["Noter", "Ansvarlig"]),
        (";Noter", ["kolonne F (uden navn)", "Noter"]),  # a column without a name, by its letter
    ],
)
def test_columns_samkort_does_not_read_are_named_in_the_preview(
    centre, coordinator, tmp_path, two_actors, extra_header, named
):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025;husk kaffe;Lise",
        header=f"Fra;Til;Form;Titel;Startdato;{extra_header}",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.unread_columns == [("x.csv", named)]


def test_a_start_date_taken_from_the_upload_form_is_said_beside_the_row(centre, coordinator, tmp_path, two_actors):
    content = connections("Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde", header="Fra;Til;Form;Titel")

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)], default_start=datetime.date(2025, 1, 1))

    assert plan.rows[0].started_on == datetime.date(2025, 1, 1)
    assert "startdatoen for rækker uden startdato" in plan.rows[0].detail


@pytest.mark.parametrize("tags", ["Beskæftigelse|Tryghed", "Beskæftigelse; Tryghed", "Beskæftigelse, Tryghed"])
def test_kumus_tags_separated_by_bars_semicolons_or_commas_are_themes(centre, coordinator, tmp_path, two_actors, tags):
    Theme.objects.get_or_create(name="Beskæftigelse")
    Theme.objects.get_or_create(name="Tryghed")
    content = (
        "From,To,Type,Label,From date,Tags\n"
        f'Jobcenter Slagelse,Sumak – socialøkonomisk café,1,Møde,2025-03-01,"{tags}"\n'
    ).encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "kumu.csv", content)])

    assert plan.errors == []
    assert set(Collaboration.objects.get().themes.values_list("name", flat=True)) == {"Beskæftigelse", "Tryghed"}


@pytest.mark.parametrize("day", ["01.07.68", "01.09.2099", "15.08.1905"])
def test_a_date_the_log_form_would_refuse_is_a_row_error(centre, coordinator, tmp_path, two_actors, day):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{day}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [(row.column, row.detail) for row in plan.errors] == [
        ("Startdato", "Tjek datoen: den skal ligge mellem år 2000 og et år frem.")
    ]


@pytest.mark.parametrize(
    "written",
    [
        *("1. februar 2025", "1 Feb 2025", "01. feb. 2025", "1. FEBRUAR 2025", "01.02.2025", "45689"),
        # A Danish short year with slashes, no space after the full stop, Excel's d-mmm-yy and English month first.
        *("01/02/25", "1.februar 2025", "1-feb-25", "February 1, 2025", "20250201", "45689,0"),
    ],
)
def test_a_date_written_in_words_as_word_and_outlook_write_it_is_read(
    centre, coordinator, tmp_path, two_actors, written
):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan, written_rows = import_files(centre, coordinator, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and Collaboration.objects.get().started_on == datetime.date(2025, 2, 1)


def test_a_year_alone_is_not_read_as_a_date_in_1905(centre, coordinator, tmp_path, two_actors):
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato"],
        ["Jobcenter Slagelse", "Sumak – socialøkonomisk café", 1, "Møde", 2025],
        ["Jobcenter Slagelse", "Sumak – socialøkonomisk café", 1, "Møde", "31. februar 2025"],
    ]

    plan = plan_of(centre, [stored(tmp_path, "x.xlsx", workbook_bytes({"Samarbejder": rows}))])

    assert [(row.column, row.detail) for row in plan.errors] == [
        ("Startdato", "Startdatoen er kun et årstal (2025). Skriv hele datoen, fx 01.01.2025."),
        ("Startdato", "Startdatoen skal være en dato, skrevet som dd.mm.åååå; i filen står der “31. februar 2025”."),
    ]


@pytest.mark.parametrize(
    "written",
    [
        *("1. mrt 2026", "1. mrt. 2026", "2026/03/01", "2026.03.01", "1/3-2026", "01/03-26"),
        *("d. 1. marts 2026", "søndag d. 1. marts 2026", "1.marts.2026", "den 1. marts 2026"),
    ],
)
def test_dates_as_danish_abbreviations_and_year_first_systems_write_them_are_read(
    centre, coordinator, tmp_path, two_actors, written
):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["started_on"] == datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "01.03.2026 - 30.06.2026",
            "Startdatoen rummer to datoer (01.03.2026 - 30.06.2026). Skriv den første her og den sidste i slutdatoens "
            "kolonne.",
        ),
        ("31.11.2025", "Startdatoen er en dag, der ikke findes (31.11.2025): tjek dagen og måneden."),
        ("2026-02-30", "Startdatoen er en dag, der ikke findes (2026-02-30): tjek dagen og måneden."),
        ("01.03.2026 ca.", "Startdatoen skal være en dato, skrevet som dd.mm.åååå; i filen står der “01.03.2026 ca.”."),
    ],
)
def test_a_date_cell_holding_more_than_a_date_or_a_day_no_month_has_is_said_to(
    centre, coordinator, tmp_path, two_actors, written, said
):
    """Nothing written in the cell is dropped without a word: an end date after the start is not lost."""
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [(row.column, row.detail) for row in plan.errors] == [("Startdato", said)]


@pytest.mark.parametrize("written", ["01.03.2026 10:00", "01.03.2026 kl. 10.00", "2026-03-01 00:00:00"])
def test_a_time_after_the_date_says_nothing_more(centre, coordinator, tmp_path, two_actors, written):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["started_on"] == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("written", ["løbende", "Igangværende", "-", "pågår"])
def test_an_end_date_that_says_the_collaboration_goes_on_is_no_end(centre, coordinator, tmp_path, two_actors, written):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2026;{written}",
        header="Fra;Til;Form;Titel;Startdato;Slutdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["ended_on"] is None


def test_an_end_date_that_is_no_date_says_an_empty_cell_means_it_goes_on(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2026;?",
        header="Fra;Til;Form;Titel;Startdato;Slutdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    [error] = plan.errors
    assert error.column == "Slutdato"
    assert error.detail.endswith("Lad cellen stå tom, så længe samarbejdet er i gang.")


def test_column_names_written_with_a_colon_after_them_are_read(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;Videndele;Møde;01.03.2026",
        header="Fra:;Til:;Form:;Titel :;Startdato:",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["title"] == "Møde"


def test_a_sheet_of_connections_beside_a_sheet_of_activities_is_read_too(centre, coordinator, tmp_path, two_actors):
    """A hand-made workbook: activities with their participants on one pair of sheets, and single meetings between
    two actors on a third. Not Samkort's own export, whose Connections sheet only sums its collaborations up."""
    activities = [["ID", "Titel", "Startdato", "Form"], ["A1", "Lektiecafé", "01.02.2026", "Samvirke"]]
    participants = [["Samarbejde-ID", "Aktør", "Rolle"], ["A1", "Jobcenter Slagelse", ""]]
    participants += [["A1", "Sumak – socialøkonomisk café", ""]]
    connections = [["Fra", "Til", "Form", "Titel", "Startdato"]]
    connections += [["Jobcenter Slagelse", "Sumak – socialøkonomisk café", "Videndele", "Natteravne", "01.03.2026"]]
    content = workbook_bytes({"Aktiviteter": activities, "Deltagere": participants, "Forbindelser": connections})

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "tre_ark.xlsx", content)])

    assert plan.errors == [] and written.collaborations == 2
    assert set(Collaboration.objects.values_list("title", flat=True)) == {"Lektiecafé", "Natteravne"}


def test_a_sheet_imported_again_with_an_end_date_and_a_corrected_form_says_what_differs_and_changes_nothing(
    centre, coordinator, tmp_path, two_actors
):
    """A coordinator keeps the sheet and imports it again to record that the reading club ended: the import changes
    no collaboration Samkort has, so the row says what differs instead of "everything is in Samkort"."""
    header = "ID;Fra;Til;Form;Titel;Startdato;Slutdato;Beskrivelse"
    before = connections(
        "R1;Jobcenter Slagelse;Sumak – socialøkonomisk café;Videndele;Læseklub;01.02.2026;;", header=header
    )
    after = connections(
        "R1;Jobcenter Slagelse;Sumak – socialøkonomisk café;Samskabe;Læseklub;01.02.2026;30.09.2026;", header=header
    )
    import_files(centre, coordinator, [stored(tmp_path, "v1.csv", before)])

    plan = plan_of(centre, [stored(tmp_path, "v2.csv", after)])

    assert plan.counts == {Outcome.DIFFERS: 1} and not plan.changes_anything
    assert "Afviger fra Samkort i: samarbejdsform, slutdato." in plan.rows[0].detail
    assert Collaboration.objects.get().ended_on is None
    unchanged = plan_of(centre, [stored(tmp_path, "v1.csv", before)])
    assert unchanged.counts == {Outcome.ALREADY_IMPORTED: 1}


def test_yearly_sheets_numbered_from_1_keep_a_recurring_title_of_other_actors_apart(centre, coordinator, tmp_path):
    """ID 2 is September's network meeting of the sports club and the church in 2025, and January's of the crime
    prevention team and the guidance service in 2026: two meetings, not one of four actors."""
    for name in ("Motalavej Fodboldklub", "Korsør Kirke", "SSP Slagelse", "UU Vestsjælland"):
        make_actor(name=name)
    header = ["ID", "Fra", "Til", "Form", "Titel", "Startdato"]
    sheets = {
        "2025": [header, [2, "Motalavej Fodboldklub", "Korsør Kirke", "Videndele", "Netværksmøde", "10.09.2025"]],
        "2026": [header, [2, "SSP Slagelse", "UU Vestsjælland", "Videndele", "Netværksmøde", "14.01.2026"]],
    }

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aar.xlsx", workbook_bytes(sheets))])

    assert plan.errors == [] and written.collaborations == 2
    assert sorted(len(c.participations.all()) for c in Collaboration.objects.all()) == [2, 2]


def test_a_row_without_an_id_that_repeats_a_collaboration_with_a_corrected_title_or_day_says_so(
    centre, coordinator, tmp_path, two_actors
):
    """Kumu and hand-made sheets seldom have IDs: corrected since the last import, a row would be a second
    collaboration of the same two actors. It is still imported if confirmed; its row says what it looks like."""
    header = "Fra;Til;Form;Titel;Startdato"
    pair = "Jobcenter Slagelse;Sumak – socialøkonomisk café;Videndele"
    import_files(
        centre, coordinator, [stored(tmp_path, "juni.csv", connections(f"{pair};Natteravne;01.05.2026", header=header))]
    )
    first = Collaboration.objects.get().pk
    corrected = connections(
        f"{pair};Natteravne i Korsør;01.05.2026",
        f"{pair};Natteravne;02.05.2026",
        f"{pair};Natteravne;01.09.2026",
        f"{pair};Jobcafé;01.05.2026",
        header=header,
    )

    plan = plan_of(centre, [stored(tmp_path, "december.csv", corrected)])

    said = (
        f"Ligner samarbejde nr. {first} i Samkort (de samme aktører, fra 01.05.2026): er det det samme, så slet rækken."
    )
    assert [said in row.detail for row in plan.rows] == [True, True, False, False]
    assert plan.counts == {Outcome.NEW_COLLABORATION: 4}


def test_a_header_below_a_dozen_lines_of_title_and_legend_is_found(centre, coordinator, tmp_path, two_actors):
    above = ["Slagelse Kommune", "Kvarterhuset på Motalavej", "Oversigt over samarbejder 2026", "Udarbejdet af: LH"]
    above += ["Opdateret: 12.11.2026", "Formål: afrapportering", "Forklaring:", "  Form = samarbejdsform (1-5)"]
    above += ["  Startdato = første aktivitet", "Fortroligt", ""]
    rows = [[line] for line in above] + [["Fra", "Til", "Form", "Titel", "Startdato"]]
    rows.append(["Jobcenter Slagelse", "Sumak – socialøkonomisk café", "Videndele", "Læseklub", "01.02.2026"])

    plan = plan_of(centre, [stored(tmp_path, "dybt.xlsx", workbook_bytes({"Samarbejder": rows}))])

    assert plan.errors == [] and [draft.values["title"] for draft in plan.collaborations] == ["Læseklub"]


@pytest.mark.parametrize("written", ["202503", "2025031", "20251301"])
def test_digits_that_are_not_eight_of_a_real_date_are_not_read_as_one(
    centre, coordinator, tmp_path, two_actors, written
):
    """Eight digits are yyyymmdd; six or seven could be read several ways (202503 as 2 January 2025)."""
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [row.column for row in plan.errors] == ["Startdato"]


def test_eight_digits_typed_into_a_number_cell_are_the_date_they_are_as_text(centre, coordinator, tmp_path, two_actors):
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato"],
        ["Jobcenter Slagelse", "Sumak – socialøkonomisk café", 1, "Møde", 20250301],
    ]

    plan = plan_of(centre, [stored(tmp_path, "x.xlsx", workbook_bytes({"Samarbejder": rows}))])

    assert plan.errors == [] and plan.collaborations[0].values["started_on"] == datetime.date(2025, 3, 1)


def test_no_two_values_samkort_knows_are_one_when_compared_loosely():
    """Values are compared without case, accents, spaces or dashes too: no synonym may take another value's place."""
    from collaboration.imports import columns

    tables = ("FORMS", "CATEGORIES", "FREQUENCIES", "LEVELS", "CITIZENS_PARTS", "RESOURCE_KINDS", "ROLES")
    for name in tables:
        meanings = {}
        for key, value in getattr(columns, name).items():
            meanings.setdefault(columns.loose(key), set()).add(value)
        assert {key: values for key, values in meanings.items() if len(values) > 1} == {}, name


@pytest.mark.parametrize("written", ["marts 2025", "2025-03", "03.2025"])
def test_a_month_without_its_day_is_said_to_lack_the_day(centre, coordinator, tmp_path, two_actors, written):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;{written}", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [row.detail for row in plan.errors] == [
        f"Startdatoen har en måned, men ingen dag ({written}). Skriv hele datoen, fx 01.03.2025."
    ]


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("1 - Videndele", 1),
        ("Samordne (4)", 4),
        ("5.0", 5),
        ("3,0", 3),
        ("Ressource-udveksling", 3),
        ("Videns-deling", 1),
        ("knowledge sharing", 1),
        ("Coordination", 4),
        ("Co-creation", 5),
    ],
)
def test_a_form_written_as_spreadsheets_number_or_spell_it_is_read(
    centre, coordinator, tmp_path, two_actors, written, form
):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;{written};Møde;01.03.2025",
        header="Fra;Til;Form;Titel;Startdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["form"] == form


def test_a_form_whose_number_and_name_disagree_is_a_row_error(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;2 - Videndele;Møde;01.03.2025",
        header="Fra;Til;Form;Titel;Startdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [row.column for row in plan.errors] == ["Form"]


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("Boligforening", ActorCategory.HOUSING_ASSOCIATION),
        ("Daginstitution", ActorCategory.SCHOOL_DAYCARE),
        ("Ungdomsskole", ActorCategory.SCHOOL_DAYCARE),
        ("Sundhedspleje", ActorCategory.MUNICIPAL_HEALTH),
        ("Frivillig", ActorCategory.NGO),
        ("Moske", ActorCategory.FAITH_COMMUNITY),
        ("socialøkonomisk-virksomhed", ActorCategory.SOCIAL_ENTERPRISE),
    ],
)
def test_the_words_people_use_for_an_actors_type_are_read(centre, coordinator, tmp_path, written, category):
    content = f"Navn;Type\nNy aktør;{written}".encode()

    plan = plan_of(centre, [stored(tmp_path, "aktører.csv", content)])

    assert plan.errors == [] and [draft.category for draft in plan.new_actors.values()] == [category]


@pytest.mark.parametrize("written", ["Ugentlig", "hver uge", "UGENTLIGT"])
def test_how_often_as_people_write_it_is_read(centre, coordinator, tmp_path, two_actors, written):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025;{written}",
        header="Fra;Til;Form;Titel;Startdato;Hyppighed",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and plan.collaborations[0].values["frequency"] == "weekly"


def test_an_unknown_type_points_to_the_values_samkort_knows(centre, coordinator, tmp_path):
    plan = plan_of(centre, [stored(tmp_path, "aktører.csv", b"Navn;Type\nSkakklubben;Klub")])

    assert [row.detail for row in plan.errors] == [
        "Aktørens type “Klub” kender Samkort ikke (de værdier, Samkort kender, står under fejlene)."
    ]


class TestAnActorSamkortHasAlready:
    """A file naming an actor Samkort has changes nothing about it, and says so where the file says otherwise."""

    def test_needs_no_type(self, centre, coordinator, tmp_path, two_actors):
        plan = plan_of(centre, [stored(tmp_path, "aktører.csv", b"Navn;Type\nJobcenter Slagelse;")])

        assert plan.errors == []
        assert [(row.outcome, row.detail) for row in plan.rows] == [(Outcome.EXISTING_ACTOR, "")]

    def test_a_type_or_description_of_its_own_is_said_not_to_be_used(self, centre, coordinator, tmp_path, two_actors):
        content = b"Navn;Type;Beskrivelse\nJobcenter Slagelse;Beboergruppe;Kommunens jobcenter"

        plan, _written = import_files(centre, coordinator, [stored(tmp_path, "aktører.csv", content)])

        assert plan.rows[0].detail == (
            "Typen i filen (Beboergruppe) bruges ikke: den er Jobcenter. Beskrivelsen i filen bruges ikke. "
            "En import ændrer ikke en aktør, Samkort har i forvejen; ret den på aktørens side."
        )
        assert Actor.objects.get(name="Jobcenter Slagelse").category == ActorCategory.JOB_CENTRE

    def test_the_same_type_says_nothing(self, centre, coordinator, tmp_path, two_actors):
        plan = plan_of(centre, [stored(tmp_path, "aktører.csv", b"Navn;Type\nJobcenter Slagelse;Jobcenter")])

        assert plan.rows[0].detail == ""

    def test_named_again_later_in_the_file_with_another_type_says_which_is_used(self, centre, coordinator, tmp_path):
        content = "Navn;Type\nSkolen ved Søen;Skole\nSKOLEN VED SØEN;Bibliotek".encode()

        plan = plan_of(centre, [stored(tmp_path, "aktører.csv", content)])

        assert plan.rows[1].detail == (
            "Står tidligere i filen. Typen i filen (Bibliotek eller kulturhus) bruges ikke: den er Skole, dagtilbud "
            "eller fritidsklub."
        )


def test_a_missing_start_date_names_its_column(centre, coordinator, tmp_path, two_actors):
    content = connections("Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;", header="Fra;Til;Form;Titel;Dato")

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [row.column for row in plan.errors] == ["Dato"]


@pytest.mark.parametrize("separator", ["; ", ", ", " / ", " og "])
def test_several_actors_in_one_cell_are_refused_with_how_to_write_them(
    centre, coordinator, tmp_path, two_actors, separator
):
    make_actor(name="UU Vestsjælland")
    cell = separator.join(["Sumak – socialøkonomisk café", "UU Vestsjælland"])
    rows = [["Fra", "Til", "Form", "Titel", "Startdato"], ["Jobcenter Slagelse", cell, 1, "Møde", "01.03.2025"]]

    plan = plan_of(centre, [stored(tmp_path, "x.xlsx", workbook_bytes({"Samarbejder": rows}))])

    assert [(row.column, row.detail) for row in plan.errors] == [
        (
            "Til",
            f"“{cell}” nævner flere aktører i én celle. Skriv én aktør i hver celle: til et samarbejde mellem tre "
            "eller flere en række for hvert par, alle med samme ID.",
        )
    ]


def test_more_residents_than_any_housing_area_holds_is_a_row_error(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025;1501901234",
        header="Fra;Til;Form;Titel;Startdato;Deltagende beboere",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [(row.column, row.detail) for row in plan.errors] == [
        ("Deltagende beboere", "Deltagende beboere kan højst være 100.000.")
    ]


def test_a_description_longer_than_the_log_form_allows_is_a_row_error(centre, coordinator, tmp_path, two_actors):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025;{'x' * 4001}",
        header="Fra;Til;Form;Titel;Startdato;Beskrivelse",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [(row.column, row.detail) for row in plan.errors] == [
        ("Beskrivelse", "Denne værdi må højst have 4000 tegn (den har 4001).")
    ]


def test_an_actors_description_longer_than_the_actor_form_allows_is_a_row_error(centre, coordinator, tmp_path):
    content = f"Navn;Type;Beskrivelse\nLangbeskrevet Forening;Forening;{'x' * 2001}\n".encode()

    plan = plan_of(centre, [stored(tmp_path, "aktører.csv", content)])

    assert [row.column for row in plan.errors] == ["Beskrivelse"] and Actor.objects.count() == 0


@pytest.mark.parametrize(("word", "form"), [("Videndeling", 1), ("Ressourcedeling", 3), ("samskabelse", 5)])
def test_common_danish_spellings_of_the_forms_are_read(centre, coordinator, tmp_path, two_actors, word, form):
    content = connections(
        f"Jobcenter Slagelse;Sumak – socialøkonomisk café;{word};Møde;01.03.2025", header="Fra;Til;Form;Titel;Startdato"
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "x.csv", content)])

    assert plan.errors == [] and Collaboration.objects.get().form == form


def test_a_refused_form_is_named_in_its_error(centre, coordinator, tmp_path, two_actors):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;Partnerskab;Møde;01.03.2025",
        header="Fra;Til;Form;Titel;Startdato",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert "“Partnerskab”" in plan.errors[0].detail


def test_an_actor_name_spelled_a_little_differently_is_an_error_that_names_the_actor_meant(
    centre, coordinator, tmp_path, two_actors
):
    content = connections(
        "Jobcentret Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025", header="Fra;Til;Form;Titel;Startdato"
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert "Mente du “Jobcenter Slagelse”?" in plan.errors[0].detail


def import_actors_and_connections(centre, coordinator, tmp_path, actors: str, connections_file: bytes):
    files = [stored(tmp_path, "aktører.csv", actors.encode()), stored(tmp_path, "samarbejder.csv", connections_file)]
    return import_files(centre, coordinator, files)


def test_a_name_written_with_another_dash_or_a_full_stop_is_the_same_actor(centre, coordinator, tmp_path, two_actors):
    actors = "Navn;Type\nSumak - socialøkonomisk café;Socialøkonomisk virksomhed\nLokalrådet Korsør-Nord;Forening\n"
    content = connections(
        "Jobcenter Slagelse.;Sumak - socialøkonomisk café;1;Møde;01.03.2025",
        "Sumak – socialøkonomisk café;Lokalrådet Korsør – Nord;2;Henvisning;02.03.2025",
        "Lokalrådet Korsør-Nord;Jobcenter Slagelse;4;Jobcafé;03.03.2025",
        header="Fra;Til;Form;Titel;Startdato",
    )

    plan, written = import_actors_and_connections(centre, coordinator, tmp_path, actors, content)

    assert plan.errors == [] and written.actors == 1  # only Lokalrådet Korsør-Nord is new
    assert plan.rows[0].outcome == Outcome.EXISTING_ACTOR and "Sumak - socialøkonomisk café" in plan.rows[0].detail
    assert Actor.objects.filter(name__startswith="Sumak").count() == 1
    assert Actor.objects.filter(name__startswith="Lokalrådet").count() == 1
    assert written.presences == 3


def test_a_name_with_danish_letters_spelt_in_ascii_is_the_same_actor(centre, coordinator, tmp_path, two_actors):
    actors = "Navn;Type\nBeboerrådet Vestervang;Forening\nbeboerraadet vestervang;Forening\n"
    content = connections(
        "Beboerrådet Vestervang;Jobcenter Slagelse;1;Nabofest;01.03.2025",
        "beboerraadet vestervang;Sumak - socialoekonomisk café;2;Læsecafé;02.03.2025",
        header="Fra;Til;Form;Titel;Startdato",
    )

    plan, written = import_actors_and_connections(centre, coordinator, tmp_path, actors, content)

    assert plan.errors == [] and written.actors == 1 and written.collaborations == 2
    council = Actor.objects.get(name__iexact="Beboerrådet Vestervang")
    assert not Actor.objects.filter(name__iexact="beboerraadet vestervang").exists()
    assert council.participations.count() == 2


def test_a_short_name_for_an_actor_samkort_has_is_pointed_out(centre, coordinator, tmp_path):
    make_actor(name="Basen – ungdomsklub", category=ActorCategory.SCHOOL_DAYCARE)
    make_actor(name="UU Vestsjælland", category=ActorCategory.YOUTH_GUIDANCE)
    content = b"Navn;Type\nBasen;Forening\nUU;UU\n"

    plan = plan_of(centre, [stored(tmp_path, "aktører.csv", content)])

    assert [(row.outcome, row.detail) for row in plan.rows] == [
        (Outcome.SIMILAR_ACTOR, "Ligner “Basen – ungdomsklub”."),
        (Outcome.SIMILAR_ACTOR, "Ligner “UU Vestsjælland”."),
    ]


def test_a_hidden_sheet_of_actors_is_not_imported_and_the_preview_says_so(centre, coordinator, tmp_path):
    content = workbook_bytes(
        {
            "Aktører": [["Navn", "Type"], ["Café Sumak", "Forening"]],
            "Gamle aktører": [["Navn", "Type"], ["Nedlagt Forening 2019", "Forening"]],
        },
        hidden=["Gamle aktører"],
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.xlsx", content)])

    assert plan.hidden == ["Gamle aktører"] and written.actors == 1
    assert not Actor.objects.filter(name="Nedlagt Forening 2019").exists()


def test_rows_hidden_in_excel_are_imported_and_the_preview_names_them(centre, coordinator, tmp_path):
    rows = [["Aktører, marts 2025"], ["Navn", "Type"]] + [[f"Forening {n}", "Forening"] for n in range(3, 10)]
    # A hidden title above the header is no row of data; rows 4–6 and 9 are filtered out.
    content = workbook_bytes({"Aktører": rows}, hidden_rows={"Aktører": [1, 4, 5, 6, 9]})

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "aktører.xlsx", content)])

    assert plan.hidden_rows == [("Aktører", "4–6, 9")]
    assert written.actors == 7 and Actor.objects.filter(name="Forening 9").exists()


def test_a_workbook_whose_only_actors_are_on_a_hidden_sheet_is_refused_with_the_reason(centre, tmp_path):
    content = workbook_bytes(
        {"Forside": [["Aktører 2019"]], "Gamle aktører": [["Navn", "Type"], ["Nedlagt", "Forening"]]},
        hidden=["Gamle aktører"],
    )

    with pytest.raises(FileRefused, match="skjulte"):
        plan_of(centre, [stored(tmp_path, "aktører.xlsx", content)])


def test_a_file_with_column_names_and_no_rows_says_so(centre, tmp_path):
    with pytest.raises(FileRefused, match="ingen rækker"):
        plan_of(centre, [stored(tmp_path, "tom.csv", b"Fra;Til;Form;Titel;Startdato\n")])


def test_an_id_that_looks_like_a_cpr_number_is_a_row_error(centre, coordinator, tmp_path, two_actors):
    content = connections("0101901234;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025")

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert [row.column for row in plan.errors] == ["ID"]


def test_a_utf8_file_with_a_line_pasted_from_a_windows_1252_file_reads_every_name_right(centre, coordinator, tmp_path):
    content = (
        b"Navn;Type\n"
        + "Korsør Bibliotek;Bibliotek\n".encode()
        + "Køge Roklub;Forening\n".encode()
        + "Næstved Ældreråd;Forening\n".encode("cp1252")
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "blandet.csv", content)])

    assert set(Actor.objects.values_list("name", flat=True)) == {"Korsør Bibliotek", "Køge Roklub", "Næstved Ældreråd"}


def test_a_title_corrected_in_samkort_keeps_the_row_imported_under_its_id(centre, coordinator, tmp_path, two_actors):
    content = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netvaerksmoede;10.01.2025")
    import_files(centre, coordinator, [stored(tmp_path, "2025.csv", content)])
    Collaboration.objects.update(title="Netværksmøde")  # a typo mended in the log form

    again = plan_of(centre, [stored(tmp_path, "2025.csv", content)])

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1}
    assert again.rows[0].detail == (
        "I Samkort med en anden titel – en import ændrer ikke samarbejder, der allerede er i Samkort."
    )


@pytest.mark.parametrize("written", ["77.0", "077", " 77 ", "77,0"])
def test_a_number_id_written_another_way_is_the_same_row_imported_again(
    centre, coordinator, tmp_path, two_actors, written
):
    row = ";Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;10.01.2025"
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", connections("77" + row))])

    again = plan_of(centre, [stored(tmp_path, "b.csv", connections(written + row))])

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1}


def test_ids_that_are_no_whole_numbers_stay_as_written(centre, coordinator, tmp_path, two_actors):
    rows = [
        f"{written};Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde {written};10.01.2025"
        for written in ["7.5", "K-07", "K-7", "0", "1.000"]
    ]

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "a.csv", connections(*rows))])

    assert written.collaborations == 5
    # "1.000" is a thousand as Danish Excel writes it, not the row numbered 1.
    assert set(Collaboration.objects.values_list("import_key", flat=True)) == {
        "id:7.5",
        "id:K-07",
        "id:K-7",
        "id:0",
        "id:1.000",
    }


def test_a_row_imported_under_its_id_as_written_before_ids_were_read_as_numbers_is_found_again(
    centre, coordinator, tmp_path, two_actors
):
    row = "077;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;10.01.2025"
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", connections(row))])
    Collaboration.objects.update(import_key="id:077")  # as an import before 2026-12-02 kept it

    again = plan_of(centre, [stored(tmp_path, "a.csv", connections(row))])

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1}


def test_a_file_without_dates_imported_again_with_another_start_date_adds_nothing(
    centre, coordinator, tmp_path, two_actors
):
    content = connections("K-17;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;")
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", content)], default_start=datetime.date(2025, 1, 1))

    again = plan_of(centre, [stored(tmp_path, "a.csv", content)], default_start=datetime.date(2025, 4, 1))

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1}


@pytest.mark.parametrize("date_column", ["Dato", "Start date"])
def test_an_actors_sheet_with_an_id_a_label_and_a_date_is_still_a_sheet_of_actors(
    centre, coordinator, tmp_path, date_column
):
    content = workbook_bytes(
        {
            "Elements": [
                ["ID", "Label", "Type", date_column],
                [1, "Jobcenter Slagelse", "Jobcenter", "01.02.2025"],
                [2, "Café Sumak", "Socialøkonomisk virksomhed", "03.04.2025"],
            ],
            "Connections": [
                ["From", "To", "Type", "Label", "From date"],
                ["Jobcenter Slagelse", "Café Sumak", "Samordne", "Jobcafé", "01.02.2026"],
            ],
        }
    )

    plan = plan_of(centre, [stored(tmp_path, "kumu.xlsx", content)])

    assert plan.counts == {Outcome.NEW_ACTOR: 2, Outcome.NEW_COLLABORATION: 1}


def test_a_semicolon_in_a_text_without_quotes_is_a_row_error_not_a_text_cut_short(
    centre, coordinator, tmp_path, two_actors
):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde;01.03.2025;Vi mødes; og spiser sammen bagefter",
        header="Fra;Til;Form;Titel;Startdato;Beskrivelse",
    )

    plan = plan_of(centre, [stored(tmp_path, "x.csv", content)])

    assert len(plan.errors) == 1 and "semikolon" in plan.errors[0].detail


def test_kumu_tags_that_are_no_theme_are_left_out_and_named_not_a_reason_to_refuse_the_file(
    centre, coordinator, tmp_path, two_actors
):
    Theme.objects.get_or_create(name="Beskæftigelse")
    content = (
        "From,To,Type,Label,From date,Tags\n"
        'Jobcenter Slagelse,Sumak – socialøkonomisk café,1,Møde,2025-03-01,"Beskæftigelse|unge|jobs"\n'
    ).encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "kumu.csv", content)])

    assert plan.errors == [] and written.collaborations == 1
    assert "Ikke temaer i Samkort, udeladt: unge, jobs." in plan.rows[0].detail
    assert list(Collaboration.objects.get().themes.values_list("name", flat=True)) == ["Beskæftigelse"]


def test_a_collaboration_with_an_actor_no_longer_active_is_imported_and_its_row_says_so(
    centre, coordinator, tmp_path, two_actors
):
    """Past work stays past work: an association that has closed took part in last year's collaborations."""
    Actor.objects.filter(name="Jobcenter Slagelse").update(active=False)
    content = (
        "From,To,Type,Label,From date\nJobcenter Slagelse,Sumak – socialøkonomisk café,1,Møde,2025-03-01\n"
    ).encode()

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "kumu.csv", content)])

    assert plan.errors == [] and written.collaborations == 1
    said = "Jobcenter Slagelse er ikke længere aktiv i Samkort; samarbejdet importeres med den alligevel."
    assert said in plan.rows[0].detail


def test_next_years_sheet_with_the_same_yearly_events_under_the_same_ids_brings_them(
    centre, coordinator, tmp_path, two_actors
):
    this_year = connections(
        "1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;20.06.2025",
        "2;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;10.09.2025",
    )
    next_year = connections(
        "1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;19.06.2026",
        "2;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;09.09.2026",
    )
    import_files(centre, coordinator, [stored(tmp_path, "2025.csv", this_year)])

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "2026.csv", next_year)])

    assert written.collaborations == 2 and plan.counts == {Outcome.NEW_COLLABORATION: 2}
    assert sorted(Collaboration.objects.values_list("title", "started_on__year")) == [
        ("Netværksmøde", 2025),
        ("Netværksmøde", 2026),
        ("Sommerfest", 2025),
        ("Sommerfest", 2026),
    ]
    again = plan_of(centre, [stored(tmp_path, "2026.csv", next_year)])
    assert again.counts == {Outcome.ALREADY_IMPORTED: 2}


def test_a_date_corrected_within_the_year_keeps_the_row_imported_under_its_id(
    centre, coordinator, tmp_path, two_actors
):
    import_files(
        centre,
        coordinator,
        [
            stored(
                tmp_path,
                "a.csv",
                connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;20.06.2025"),
            )
        ],
    )
    corrected = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;21.06.2025")

    assert plan_of(centre, [stored(tmp_path, "a.csv", corrected)]).counts == {Outcome.ALREADY_IMPORTED: 1}


def test_a_file_without_ids_or_dates_imported_again_with_another_start_date_adds_nothing(
    centre, coordinator, tmp_path, two_actors
):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;", header="Fra;Til;Form;Titel;Startdato"
    )
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", content)], default_start=datetime.date(2026, 1, 1))

    again = plan_of(centre, [stored(tmp_path, "a.csv", content)], default_start=datetime.date(2026, 2, 1))

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1} and not again.changes_anything


def test_one_collaboration_of_four_actors_written_as_pairs_under_one_id_is_one_collaboration(
    centre, coordinator, tmp_path, two_actors
):
    make_actor(name="Korsør Bibliotek", category=ActorCategory.LIBRARY_CULTURE)
    make_actor(name="SSP Slagelse", category=ActorCategory.SSP)
    content = connections(
        "M-7;Jobcenter Slagelse;Korsør Bibliotek;5;Sommerfest for alle;20.06.2026",
        "M-7;Jobcenter Slagelse;SSP Slagelse;5;Sommerfest for alle;20.06.2026",
        "M-7;Korsør Bibliotek;Sumak – socialøkonomisk café;5;Sommerfest for alle;20.06.2026",
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "par.csv", content)])

    assert written.collaborations == 1
    assert [(row.row, row.outcome) for row in plan.rows] == [
        (2, Outcome.NEW_COLLABORATION),
        (3, Outcome.MORE_ACTORS),
        (4, Outcome.MORE_ACTORS),
    ]
    assert plan.rows[1].detail == "Føjer SSP Slagelse til samarbejdet i række 2 i par.csv."
    collaboration = Collaboration.objects.get()
    assert set(collaboration.participations.values_list("actor__name", flat=True)) == {
        "Jobcenter Slagelse",
        "Korsør Bibliotek",
        "SSP Slagelse",
        "Sumak – socialøkonomisk café",
    }
    again = plan_of(centre, [stored(tmp_path, "par.csv", content)])
    assert again.counts == {Outcome.ALREADY_IMPORTED: 3} and not again.changes_anything


def test_a_date_corrected_across_new_year_keeps_the_row_imported_under_its_id(
    centre, coordinator, tmp_path, two_actors
):
    before = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Julefrokost;31.12.2025")
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", before)])
    corrected = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Julefrokost;02.01.2026")

    assert plan_of(centre, [stored(tmp_path, "a.csv", corrected)]).counts == {Outcome.ALREADY_IMPORTED: 1}


def test_a_row_without_id_or_date_imported_before_its_key_left_out_the_date_is_still_found(
    centre, coordinator, tmp_path, two_actors
):
    content = connections(
        "Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;", header="Fra;Til;Form;Titel;Startdato"
    )
    start = datetime.date(2026, 1, 1)
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", content)], default_start=start)
    # The key such a row was given until 2026-11-30: with the upload form's date in it.
    actors = [fold("Jobcenter Slagelse"), fold("Sumak – socialøkonomisk café")]
    Collaboration.objects.update(import_key=fingerprint("Netværksmøde", start, actors))

    again = plan_of(centre, [stored(tmp_path, "a.csv", content)], default_start=start)

    assert again.counts == {Outcome.ALREADY_IMPORTED: 1}


def test_an_actor_a_later_file_adds_to_a_collaboration_imported_before_is_pointed_out(
    centre, coordinator, tmp_path, two_actors
):
    make_actor(name="SSP Slagelse", category=ActorCategory.SSP)
    first = connections("7;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Fest;20.06.2026")
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", first)])
    later = connections(
        "7;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Fest;20.06.2026",
        "7;Jobcenter Slagelse;SSP Slagelse;4;Fest;20.06.2026",
    )

    plan = plan_of(centre, [stored(tmp_path, "b.csv", later)])

    assert [(row.outcome, row.detail) for row in plan.rows] == [
        (Outcome.ALREADY_IMPORTED, ""),
        (
            Outcome.ALREADY_IMPORTED,
            "I Samkort uden SSP Slagelse: tilføj dem i samarbejdets formular, hvis de deltog.",
        ),
    ]


class TestTheSameIdOverTheYears:
    """An ID is the same collaboration when its title is (within half a year), or its start and actors are."""

    @pytest.fixture
    def two_years(self, centre, coordinator, tmp_path, two_actors):
        for year in (2025, 2026):
            row = f"1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;20.06.{year}"
            import_files(centre, coordinator, [stored(tmp_path, f"{year}.csv", connections(row))])

    def test_correcting_the_second_years_date_or_title_imports_nothing_new(self, centre, tmp_path, two_years):
        moved = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;27.06.2026")
        renamed = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfesten;20.06.2026")

        for content in (moved, renamed):
            assert plan_of(centre, [stored(tmp_path, "2026.csv", content)]).counts == {Outcome.ALREADY_IMPORTED: 1}

    def test_a_third_year_brings_its_own(self, centre, coordinator, tmp_path, two_years):
        row = "1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;19.06.2027"

        plan, written = import_files(centre, coordinator, [stored(tmp_path, "2027.csv", connections(row))])

        assert written.collaborations == 1 and Collaboration.objects.count() == 3

    def test_a_date_moved_within_half_a_year_is_said_on_the_row(self, centre, tmp_path, two_years):
        moved = connections("1;Jobcenter Slagelse;Sumak – socialøkonomisk café;4;Sommerfest;27.06.2026")

        row = plan_of(centre, [stored(tmp_path, "2026.csv", moved)]).rows[0]

        assert row.outcome == Outcome.ALREADY_IMPORTED and row.detail == "I Samkort fra 20.06.2026."


def test_one_id_for_two_events_with_other_titles_and_actors_on_one_day_is_two_collaborations(
    centre, coordinator, tmp_path, two_actors
):
    make_actor(name="SSP Slagelse", category=ActorCategory.SSP)
    make_actor(name="Nærpolitiet", category=ActorCategory.POLICE)
    content = connections(
        "7;Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Jobcafé;10.03.2026",
        "7;SSP Slagelse;Nærpolitiet;1;Natteravne;10.03.2026",
    )

    plan, written = import_files(centre, coordinator, [stored(tmp_path, "a.csv", content)])

    assert written.collaborations == 2
    assert sorted(Collaboration.objects.values_list("title", flat=True)) == ["Jobcafé", "Natteravne"]
    later = connections("7;SSP Slagelse;Nærpolitiet;1;Natteravne;10.03.2026")
    assert plan_of(centre, [stored(tmp_path, "b.csv", later)]).counts == {Outcome.ALREADY_IMPORTED: 1}


def test_a_pair_that_adds_actors_but_other_values_says_whose_values_count(centre, tmp_path, two_actors):
    make_actor(name="SSP Slagelse", category=ActorCategory.SSP)
    content = connections(
        "M-7;Jobcenter Slagelse;Sumak – socialøkonomisk café;5;Sommerfest;20.06.2026",
        "M-7;Jobcenter Slagelse;SSP Slagelse;4;Sommerfest;20.06.2026",
    )

    plan = plan_of(centre, [stored(tmp_path, "par.csv", content)])

    assert plan.rows[1].detail == (
        "Føjer SSP Slagelse til samarbejdet i række 2 i par.csv. Dens øvrige værdier er dem fra række 2."
    )


def test_a_sheet_imported_without_dates_and_later_with_the_date_it_was_given_adds_nothing(
    centre, coordinator, tmp_path, two_actors
):
    header = "Fra;Til;Form;Titel;Startdato"
    undated = connections("Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;", header=header)
    import_files(centre, coordinator, [stored(tmp_path, "a.csv", undated)], default_start=datetime.date(2026, 1, 1))

    dated = connections("Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;01.01.2026", header=header)
    other = connections("Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Netværksmøde;01.02.2026", header=header)

    assert plan_of(centre, [stored(tmp_path, "a.csv", dated)]).counts == {Outcome.ALREADY_IMPORTED: 1}
    assert plan_of(centre, [stored(tmp_path, "a.csv", other)]).counts == {Outcome.NEW_COLLABORATION: 1}


def test_the_ids_used_before_are_found_by_their_id_not_by_reading_every_key_for_every_row(
    centre, coordinator, tmp_path, two_actors, monkeypatch
):
    """Next year's file under last year's IDs: each row finds what its ID brought before at once. Read key by key, a
    file of 10,000 such rows took 90 s to preview (and a centre's earlier imports made every file slower)."""
    from collaboration.imports import plan as planning

    def year(number: int) -> bytes:
        return connections(
            *(
                f"{n};Jobcenter Slagelse;Sumak – socialøkonomisk café;1;Møde {n} i {number};10.01.{number}"
                for n in range(1, 151)
            )
        )

    import_files(centre, coordinator, [stored(tmp_path, "2023.csv", year(2023))])
    import_files(centre, coordinator, [stored(tmp_path, "2024.csv", year(2024))])
    looked_up = []
    prefix_of = planning.reused_id_prefix
    monkeypatch.setattr(
        planning, "reused_id_prefix", lambda identifier: looked_up.append(identifier) or prefix_of(identifier)
    )

    plan = plan_of(centre, [stored(tmp_path, "2025.csv", year(2025))])

    assert plan.counts[Outcome.NEW_COLLABORATION] == 150
    # A few lookups a row, not one for every key imported before for every row (150 × 300 = 45,000).
    assert len(looked_up) < 150 * 5


def test_a_totals_row_under_the_table_is_said_to_be_one_not_an_actor_to_add(centre, coordinator, tmp_path, two_actors):
    rows = [
        ["Fra", "Til", "Form", "Titel", "Startdato"],
        ["Jobcenter Slagelse", "Sumak – socialøkonomisk café", 1, "Møde", "01.03.2025"],
        ["I alt", None, None, None, None],
    ]

    plan = plan_of(centre, [stored(tmp_path, "x.xlsx", workbook_bytes({"Samarbejder": rows}))])

    assert [(row.what, row.detail) for row in plan.errors] == [
        ("I alt", "“I alt” ligner en række med summer eller noter, ikke en aktør eller et samarbejde: slet rækken.")
    ]
