"""Samkort's own export, imported into an empty centre, is the same network: same figures, same map."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from centres.models import Actor, ActorCategory, Presence, PresenceKind
from collaboration.imports.files import FileRefused
from collaboration.imports.plan import Outcome
from collaboration.models import ActorPosition, Collaboration, Form, ParticipantRole
from collaboration.network.graph import Selection
from collaboration.network.layout import positions_for_centre
from collaboration.reports import exports
from collaboration.reports.build import build_report
from tests.collaboration.imports.helpers import import_files, plan_of, stored
from tests.factories import make_actor, make_centre, make_collaboration, make_presence

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def report_of(centre):
    return build_report(Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1]), [centre])


def figures_by_name(report) -> dict:
    graph = report.network.graph
    per_actor = {
        graph.nodes[node]["name"]: (figure.degree, figure.weighted_degree, round(figure.betweenness, 6))
        for node, figure in report.figures.per_actor.items()
    }
    ties = {
        tuple(sorted((graph.nodes[a]["name"], graph.nodes[b]["name"]))): (data["highest_form"], data["count"])
        for a, b, data in graph.edges(data=True)
    }
    key_figures = {figure.label: str(figure.value) for figure in report.key_figures}
    return {"actors": per_actor, "ties": ties, "key": key_figures}


def test_an_export_reimported_into_an_empty_centre_has_the_same_network_figures_and_positions(
    centre, coordinator, tmp_path
):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    board = make_actor(name="Afdelingsbestyrelsen", category=ActorCategory.TENANTS_BOARD)
    library = make_actor(name="Biblioteket", category=ActorCategory.LIBRARY_CULTURE)
    make_collaboration(centre, [job, cafe], form=Form.COORDINATED_ACTION, started_on=datetime.date(2026, 2, 1))
    make_collaboration(
        centre,
        [cafe, board],
        roles=[ParticipantRole.GIVER, ParticipantRole.RECEIVER],
        form=Form.RESOURCE_EXCHANGE,
        resource_kind="rooms",
        started_on=datetime.date(2026, 3, 1),
        ended_on=datetime.date(2026, 4, 1),
        goals="Flere unge i job",
    )
    make_collaboration(centre, [board, library, job], form=Form.CO_CREATION, started_on=datetime.date(2026, 5, 1))
    positions_for_centre(centre.pk, {job.pk, cafe.pk, board.pk, library.pk})  # the map has been drawn once
    original = report_of(centre)
    empty = make_centre(name="Nyt Hus", slug="nyt-hus")

    # The actors exist already (they are shared): the export finds them and brings the collaborations.
    plan, written = import_files(empty, coordinator, [stored(tmp_path, "eksport.xlsx", exports.xlsx(original))])

    assert plan.errors == [] and plan.counts[Outcome.EXISTING_ACTOR] == 4
    assert written.collaborations == 3
    # Its sheets of figures (Nøgletal, Parametre) are not records: nothing to say about not reading them.
    assert plan.unread == [] and plan.unread_columns == []
    copy = report_of(empty)
    assert figures_by_name(copy) == figures_by_name(original)
    before = ActorPosition.objects.filter(centre=centre).values_list("actor__name", "x", "y")
    query = ActorPosition.objects.filter(centre=empty).values_list("actor__name", "x", "y")
    after = {name: (x, y) for name, x, y in query}
    assert len(before) == 4
    # A spreadsheet keeps 15 significant digits: the same places, to far below a pixel.
    assert after == {name: pytest.approx((x, y), abs=1e-12) for name, x, y in before}


def test_importing_the_export_again_adds_nothing(centre, coordinator, tmp_path):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    make_collaboration(centre, [job, cafe], started_on=datetime.date(2026, 2, 1))
    workbook = exports.xlsx(report_of(centre))
    empty = make_centre(name="Nyt Hus", slug="nyt-hus")
    import_files(empty, coordinator, [stored(tmp_path, "eksport.xlsx", workbook)])

    again = plan_of(empty, [stored(tmp_path, "eksport.xlsx", workbook)])

    assert again.counts[Outcome.ALREADY_IMPORTED] == 1 and not again.changes_anything


def test_a_centres_own_export_imported_back_into_it_adds_nothing(centre, coordinator, tmp_path):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    make_collaboration(centre, [job, cafe], started_on=datetime.date(2026, 2, 1))

    plan = plan_of(centre, [stored(tmp_path, "eksport.xlsx", exports.xlsx(report_of(centre)))])

    assert plan.counts[Outcome.ALREADY_IMPORTED] == 1 and plan.collaborations == []


def test_an_export_of_several_centres_is_refused_with_how_to_export_one(centre, other_centre, coordinator, tmp_path):
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    make_collaboration(centre, [job, cafe], started_on=datetime.date(2026, 2, 1))
    make_collaboration(other_centre, [job, cafe], started_on=datetime.date(2026, 3, 1))
    both = build_report(
        Selection(centre_ids=(centre.pk, other_centre.pk), start=PERIOD[0], end=PERIOD[1]), [centre, other_centre]
    )

    with pytest.raises(FileRefused, match="flere centre"):
        plan_of(centre, [stored(tmp_path, "eksport.xlsx", exports.xlsx(both))])


def test_actors_based_in_the_centre_an_export_came_from_take_part_now_and_then_in_the_next(
    centre, coordinator, tmp_path
):
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    make_presence(centre, cafe, kind=PresenceKind.BASED)
    make_collaboration(centre, [job, cafe], started_on=datetime.date(2026, 2, 1))
    another = make_centre(name="Nyt Hus", slug="nyt-hus")

    export = stored(tmp_path, "eksport.xlsx", exports.xlsx(report_of(centre)))

    plan, written = import_files(another, coordinator, [export])

    assert plan.from_centre == centre.name
    assert set(Presence.objects.filter(centre=another).values_list("kind", flat=True)) == {PresenceKind.AD_HOC}


def test_an_export_taken_to_another_installation_keeps_what_the_collaborations_and_actors_are(
    centre, coordinator, tmp_path
):
    cafe = make_actor(name="Café Sumak", description="Socialøkonomisk café.", website="https://sumak.example")
    job = make_actor(name="Jobcenter Slagelse")
    make_collaboration(
        centre, [job, cafe], started_on=datetime.date(2026, 2, 1), title="Jobcafé", description="CV hver tirsdag."
    )
    workbook = exports.xlsx(report_of(centre))
    # Another installation: none of these collaborations or actors are there.
    Collaboration.objects.all().delete()
    Actor.objects.all().delete()
    elsewhere = make_centre(name="Nyt Hus", slug="nyt-hus")

    plan, written = import_files(elsewhere, coordinator, [stored(tmp_path, "eksport.xlsx", workbook)])

    assert plan.errors == [] and written.actors == 2 and written.collaborations == 1
    assert Collaboration.objects.get().description == "CV hver tirsdag."
    assert Actor.objects.values_list("name", "description", "website").get(name="Café Sumak") == (
        "Café Sumak",
        "Socialøkonomisk café.",
        "https://sumak.example",
    )


def csv_files(tmp_path, report) -> list[tuple[str, object]]:
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(report))) as archive:
        return [stored(tmp_path, name, archive.read(name)) for name in archive.namelist()]


def test_the_csv_export_brings_back_text_that_starts_like_a_formula_as_it_was(centre, coordinator, tmp_path):
    job = make_actor(name="Jobcenter Slagelse")
    cafe = make_actor(name="+45 Café", description="=ikke en formel")
    make_collaboration(
        centre,
        [job, cafe],
        started_on=datetime.date(2026, 2, 1),
        title="-Sommerfest 2026",
        description="- telte\n- musik; =ikke en formel",
        target_group="+60 år",
    )
    files = csv_files(tmp_path, report_of(centre))
    # Into the centre it came from: the apostrophe that kept each text from running makes no new title.
    again = plan_of(centre, files)
    assert again.counts[Outcome.ALREADY_IMPORTED] == 1 and again.collaborations == []
    Collaboration.objects.all().delete()
    Actor.objects.all().delete()
    elsewhere = make_centre(name="Nyt Hus", slug="nyt-hus")

    plan, written = import_files(elsewhere, coordinator, files)

    assert plan.errors == [] and written.collaborations == 1
    assert Collaboration.objects.values_list("title", "description", "target_group").get() == (
        "-Sommerfest 2026",
        "- telte\n- musik; =ikke en formel",
        "+60 år",
    )
    assert Actor.objects.values_list("description", flat=True).get(name="+45 Café") == "=ikke en formel"


def test_a_csv_file_with_mac_line_endings_is_read(centre, tmp_path):
    files = [stored(tmp_path, "aktorer.csv", b"Navn;Type\rMac-foreningen;Forening\rMac-klubben;Forening\r")]

    plan = plan_of(centre, files)

    assert plan.errors == [] and {draft.name for draft in plan.new_actors.values()} == {"Mac-foreningen", "Mac-klubben"}


def test_an_export_with_the_danish_words_of_before_2026_12_still_imports(centre, coordinator, tmp_path):
    from openpyxl import load_workbook

    from collaboration.models import CitizensPart

    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    make_collaboration(
        centre, [job, cafe], citizens_part=CitizensPart.CO_DESIGNER, started_on=datetime.date(2026, 2, 1)
    )
    book = load_workbook(io.BytesIO(exports.xlsx(report_of(centre))))
    older = {"Samarbejds-ID": "Samarbejde-ID", "Med til at udvikle": "Meddesignere"}
    replaced = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in older:
                    cell.value, replaced = older[cell.value], replaced + 1
    assert replaced >= 2
    buffer = io.BytesIO()
    book.save(buffer)
    empty = make_centre(name="Nyt Hus", slug="nyt-hus")

    plan, written = import_files(empty, coordinator, [stored(tmp_path, "gammel-eksport.xlsx", buffer.getvalue())])

    assert plan.errors == [] and written.collaborations == 1
    assert Collaboration.objects.get(centre=empty).citizens_part == CitizensPart.CO_DESIGNER
    assert Collaboration.objects.get(centre=empty).participations.count() == 2


def test_an_export_made_in_english_brings_its_themes_back(centre, coordinator, tmp_path):
    from django.utils import translation

    from collaboration.models import Theme

    employment = Theme.objects.get(name="Beskæftigelse")
    job = make_actor(name="Jobcenter Slagelse", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Café Sumak", category=ActorCategory.SOCIAL_ENTERPRISE)
    make_collaboration(centre, [job, cafe], themes=[employment], started_on=datetime.date(2026, 2, 1))
    with translation.override("en"):
        workbook = exports.xlsx(report_of(centre))
    empty = make_centre(name="Nyt Hus", slug="nyt-hus")

    plan, written = import_files(empty, coordinator, [stored(tmp_path, "export.xlsx", workbook)])

    assert plan.errors == [] and written.collaborations == 1
    assert list(Collaboration.objects.get(centre=empty).themes.all()) == [employment]


def test_a_theme_of_the_installations_own_named_as_a_seeded_ones_translation_keeps_its_name(db):
    from collaboration.imports.columns import theme_lookup
    from collaboration.models import Theme

    own = Theme.objects.create(name="Health")
    lookup = theme_lookup()
    assert lookup["health"] == own.pk
    assert lookup["sundhed"] == Theme.objects.get(name="Sundhed").pk
