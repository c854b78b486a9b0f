"""A report's figures and its 'what changed', on a small centre whose answers are worked out by hand.

The centre over two quarters:
- 2nd quarter 2026: Jobcentret and Caféen share knowledge (form 1); Biblioteket and Boligforeningen align (form 2).
- 3rd quarter 2026: Jobcentret and Caféen act together (form 4: the pair deepens from 1 to 4); Biblioteket lends
  Caféen rooms (form 3, residents as initiators, 12 of them, theme employment); Boligforeningen and Jobcentret
  share knowledge (form 1). Stille Forening is based in the centre and does nothing in either quarter.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from centres.models import Actor, ActorCategory, ActorHistoryAction, ActorHistoryEntry
from collaboration.models import CitizensPart, Form, Theme
from collaboration.network.figures import Share
from collaboration.network.graph import Selection
from collaboration.reports.build import SECTION_KEYS, build_report
from collaboration.reports.words import period_label
from tests.factories import make_actor, make_centre, make_collaboration, make_presence

Q2 = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


@pytest.fixture
def two_quarters(centre):
    job = make_actor(name="Jobcentret", category=ActorCategory.JOB_CENTRE)
    cafe = make_actor(name="Caféen", category=ActorCategory.SOCIAL_ENTERPRISE)
    library = make_actor(name="Biblioteket", category=ActorCategory.LIBRARY_CULTURE)
    housing = make_actor(name="Boligforeningen", category=ActorCategory.HOUSING_ASSOCIATION)
    quiet = make_actor(name="Stille Forening", category=ActorCategory.ASSOCIATION)
    make_presence(centre, quiet)
    make_collaboration(
        centre, [job, cafe], form=Form.KNOWLEDGE_SHARING, started_on=Q2[0], ended_on=datetime.date(2026, 5, 1)
    )
    make_collaboration(
        centre, [library, housing], form=Form.ALIGNMENT, started_on=Q2[0], ended_on=datetime.date(2026, 6, 1)
    )
    make_collaboration(
        centre, [job, cafe], form=Form.COORDINATED_ACTION, started_on=Q3[0], ended_on=datetime.date(2026, 9, 1)
    )
    make_collaboration(
        centre,
        [library, cafe],
        form=Form.RESOURCE_EXCHANGE,
        started_on=datetime.date(2026, 8, 1),
        citizens_part=CitizensPart.INITIATOR,
        citizen_count=12,
        themes=[Theme.objects.get(name="Beskæftigelse")],
    )
    make_collaboration(
        centre,
        [housing, job],
        form=Form.KNOWLEDGE_SHARING,
        started_on=datetime.date(2026, 9, 1),
        ended_on=datetime.date(2026, 9, 1),
    )
    return centre


def q3_report(centre, sections=SECTION_KEYS):
    return build_report(Selection(centre_ids=(centre.pk,), start=Q3[0], end=Q3[1]), [centre], sections)


def values(report) -> dict:
    return {f.key: (f.value, f.previous) for f in report.key_figures}


def test_it_counts_the_key_figures_of_the_period_and_the_one_before(two_quarters):
    figures = values(q3_report(two_quarters))

    assert figures["active_actors"] == (4, 4)
    assert figures["collaborations"] == (3, 2)
    assert figures["new_collaborations"] == (3, 2)
    assert figures["form_1"] == (1, 1)
    assert figures["form_2"] == (0, 1)
    assert figures["form_3"] == (1, 0)
    assert figures["form_4"] == (1, 0)
    assert figures["form_5"] == (0, 0)
    assert figures["ties"] == (3, 2)
    assert figures["disconnected"] == (1, 1)
    assert figures["citizens_involved"] == (1, 0)
    assert figures["citizen_count"] == (12, 0)


def test_it_counts_new_and_deepened_ties_against_the_period_before(two_quarters):
    figures = values(q3_report(two_quarters))

    # New: Biblioteket–Caféen and Boligforeningen–Jobcentret. Deepened: Jobcentret–Caféen (1 -> 4).
    assert figures["new_ties"] == (2, None)
    assert figures["deepened_ties"] == (1, None)


def test_every_tie_crossing_sectors_gives_a_share_of_one(two_quarters):
    # Job centre (public), café (private), library (public), housing (housing): Q3's three ties all cross.
    assert values(q3_report(two_quarters))["cross_sector_share"] == (Share(3, 3), Share(2, 2))


@pytest.mark.parametrize(
    ("new", "ended", "sentence"),
    [
        (1, 1, "Sammenlignet med 2. kvartal 2026: 1 nyt bånd, 1 ophørt, 0 på et lavere trin end før."),
        (3, 2, "Sammenlignet med 2. kvartal 2026: 3 nye bånd, 2 ophørte, 0 på et lavere trin end før."),
    ],
)
def test_the_ties_that_came_and_went_are_counted_in_danish_singular_and_plural(new, ended, sentence):
    import networkx as nx

    from collaboration.network.change import Change
    from collaboration.reports.words import change_sentences

    pairs = [(n, n + 100) for n in range(new + ended)]
    change = Change(new=pairs[:new], ended=pairs[new:], deepened=[], weakened=[], joined=[], left=[])
    report = SimpleNamespace(
        change=change, previous_network=SimpleNamespace(graph=nx.Graph()), network=SimpleNamespace(graph=nx.Graph())
    )
    report.previous_label = period_label(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))

    assert change_sentences(report) == [sentence]


def test_the_actors_who_joined_and_left_are_named_and_none_said_to_have_left_when_none_did():
    import networkx as nx

    from collaboration.network.change import Change
    from collaboration.reports.words import change_sentences

    before, after = nx.Graph(), nx.Graph()
    before.add_node(1, name="Sprogcenter Slagelse")
    after.add_nodes_from([(2, {"name": "Korsør Rotary Klub"}), (3, {"name": "beboernes zumbahold"})])
    joined = SimpleNamespace(
        change=Change(new=[], ended=[], deepened=[], weakened=[], joined=[2, 3], left=[]),
        previous_network=SimpleNamespace(graph=before),
        network=SimpleNamespace(graph=after),
        previous_label="2. kvartal 2026",
    )
    both = SimpleNamespace(**(vars(joined) | {"change": Change([], [], [], [], joined=[2], left=[1])}))

    assert change_sentences(joined)[-1] == "Kom med i netværket: beboernes zumbahold, Korsør Rotary Klub."
    assert change_sentences(both)[-2:] == [
        "Kom med i netværket: Korsør Rotary Klub.",
        "Faldt fra: Sprogcenter Slagelse.",
    ]


def test_what_changed_is_written_from_the_figures_in_plain_danish(two_quarters):
    summary = q3_report(two_quarters).summary

    assert summary[0] == "3 nye samarbejder i 3. kvartal 2026, heraf 1 i formen “samordne”."
    assert "1 par gik fra “videndele” til “samordne”." in summary
    assert "Sammenlignet med 2. kvartal 2026: 2 nye bånd, 1 ophørt, 0 på et lavere trin end før." in summary
    assert "1 aktør i centret havde intet samarbejde i perioden: Stille Forening." in summary
    # Q3's active actors: two public, one private, one housing; 5 of their 6 pairs cross sector groups.
    assert (
        "100 % af båndene gik på tværs af sektorgrupper (100 % i perioden før); en tilfældig blanding af de samme "
        "aktører ville give 83 %." in summary
    )


def test_in_a_selection_of_one_form_the_actors_left_out_are_said_to_lack_a_tie_in_it_not_any_collaboration(
    two_quarters,
):
    selection = Selection(centre_ids=(two_quarters.pk,), start=Q3[0], end=Q3[1], forms=(4,))
    report = build_report(selection, [two_quarters], SECTION_KEYS)

    assert any(
        sentence.endswith("i centret havde intet bånd i dette udvalg: " + report.disconnected_text + ".")
        for sentence in report.summary
    )
    assert not any("intet samarbejde i perioden" in sentence for sentence in report.summary)
    page = render_to_string("collaboration/reports/_sections.html", {"report": report, "pictures": {}})
    assert "Tilknyttet centret i perioden, men uden bånd i dette udvalg:" in page


def test_a_period_in_which_nothing_started_says_there_is_nothing_to_draw_instead_of_a_bare_legend(two_quarters):
    from collaboration.reports.exports import pictures

    selection = Selection(
        centre_ids=(two_quarters.pk,), start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31)
    )
    report = build_report(selection, [two_quarters], SECTION_KEYS)

    page = render_to_string("collaboration/reports/_sections.html", {"report": report, "pictures": pictures(report)})
    assert "Ingen samarbejder begyndte i denne periode eller perioden før: der er intet at tegne." in page


def test_the_tables_count_by_form_theme_level_and_residents_part(two_quarters):
    report = q3_report(two_quarters)

    by_form = {row["form"]: (row["collaborations"], row["new"], row["ties"]) for row in report.form_table}
    assert by_form[Form.COORDINATED_ACTION] == (1, 1, 1)
    assert by_form[Form.RESOURCE_EXCHANGE] == (1, 1, 1)
    assert by_form[Form.KNOWLEDGE_SHARING] == (1, 1, 1)
    assert report.theme_table[0] == {"name": "Beskæftigelse", "collaborations": 1, "previous": 0}
    no_theme = report.theme_table[-1]
    assert (no_theme["without"], no_theme["collaborations"], no_theme["previous"]) == (True, 2, 2)
    parts = {row["part"]: row["collaborations"] for row in report.citizens_table}
    assert parts[CitizensPart.INITIATOR] == 1


def test_the_same_data_and_choices_give_the_same_numbers(two_quarters):
    first, second = q3_report(two_quarters), q3_report(two_quarters)

    assert first.key_figures == second.key_figures
    assert first.summary == second.summary
    assert first.top_brokers == second.top_brokers


def test_a_report_states_the_time_of_its_data(two_quarters):
    report = q3_report(two_quarters)

    latest = max(c.updated_at for c in two_quarters.collaborations.all())
    assert report.data_as_of == latest


def test_a_later_change_to_an_actor_that_moves_the_figures_moves_the_time_of_the_data(two_quarters):
    latest = max(c.updated_at for c in two_quarters.collaborations.all())
    elsewhere = make_centre(name="Et andet hus")
    quiet = Actor.objects.get(name="Stille Forening")
    cafe = Actor.objects.get(name="Caféen")
    stranger = make_actor(name="Fremmed Forening")
    make_presence(elsewhere, stranger)

    def changed(actor, centre, minutes):
        entry = ActorHistoryEntry.objects.create(actor=actor, centre=centre, action=ActorHistoryAction.CHANGED)
        ActorHistoryEntry.objects.filter(pk=entry.pk).update(at=latest + datetime.timedelta(minutes=minutes))
        return latest + datetime.timedelta(minutes=minutes)

    # Another centre's actor, and another centre's presence of this centre's actor, leave it as it was.
    changed(stranger, None, 5)
    changed(quiet, elsewhere, 6)
    assert q3_report(two_quarters).data_as_of == latest
    # The presence of an actor here, the category of an actor present here, of one only in its collaborations.
    assert q3_report(two_quarters).data_as_of < changed(quiet, two_quarters, 1) == q3_report(two_quarters).data_as_of
    assert changed(quiet, None, 2) == q3_report(two_quarters).data_as_of
    assert changed(cafe, None, 3) == q3_report(two_quarters).data_as_of


def test_an_empty_period_is_an_empty_report(two_quarters):
    report = build_report(
        Selection(centre_ids=(two_quarters.pk,), start=datetime.date(2020, 1, 1), end=datetime.date(2020, 3, 31)),
        [two_quarters],
    )

    assert report.is_empty
    assert values(report)["collaborations"] == (0, 0)


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ((2026, 7, 1), (2026, 9, 30), "3. kvartal 2026"),
        ((2026, 1, 1), (2026, 12, 31), "2026"),
        ((2026, 3, 1), (2026, 3, 31), "marts 2026"),
        ((2026, 3, 5), (2026, 4, 20), "5. marts 2026 – 20. april 2026"),
        ((2026, 11, 16), (2026, 11, 16), "16. november 2026"),
    ],
)
def test_periods_are_named_as_people_say_them(db, start, end, label):
    assert period_label(datetime.date(*start), datetime.date(*end)) == label


@pytest.mark.parametrize(
    ("start", "end", "sentence"),
    [
        ((2026, 7, 1), (2026, 9, 30), "3 nye samarbejder i 3. kvartal 2026, heraf 1 i formen “samordne”."),
        ((2026, 7, 1), None, "3 nye samarbejder siden 1. juli 2026, heraf 1 i formen “samordne”."),
        (
            (2026, 7, 1),
            (2026, 8, 15),
            "2 nye samarbejder i perioden 1. juli 2026 – 15. august 2026, heraf 1 i formen “samordne”.",
        ),
        (None, None, "5 nye samarbejder i hele den registrerede tid, heraf 2 i formen “videndele”."),
        ((2026, 7, 1), (2026, 7, 1), "1 nyt samarbejde den 1. juli 2026, heraf 1 i formen “samordne”."),
    ],
)
def test_what_changed_says_when_as_a_sentence_does_for_any_period(two_quarters, start, end, sentence):
    selection = Selection(
        centre_ids=(two_quarters.pk,),
        start=datetime.date(*start) if start else None,
        end=datetime.date(*end) if end else None,
    )
    assert build_report(selection, [two_quarters]).summary[0] == sentence


def test_no_new_collaboration_before_a_date_is_said_without_a_stray_in(two_quarters):
    selection = Selection(centre_ids=(two_quarters.pk,), end=datetime.date(2026, 3, 31))
    assert (
        build_report(selection, [two_quarters]).summary[0]
        == "Ingen nye samarbejder begyndte til og med 31. marts 2026."
    )


def test_shares_round_halves_up_the_same_way_in_every_format(db):
    from collaboration.reports.exports import share_or_value

    # 23 of 40 ties is 57.5 %: the page says 58 %, and so must the spreadsheet.
    assert str(Share(23, 40)) == "58 %"
    assert share_or_value(Share(23, 40)) == 0.58
    assert share_or_value(Share(7, 40)) == 0.18
    assert share_or_value(12) == 12


def test_the_quarterly_chart_keeps_quarters_without_new_collaborations_from_the_period_before_to_the_end(centre):
    make_collaboration(centre, form=Form.ALIGNMENT, started_on=datetime.date(2026, 1, 15))
    make_collaboration(centre, form=Form.CO_CREATION, started_on=datetime.date(2026, 8, 1))
    report = build_report(
        Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 1, 1), end=datetime.date(2026, 9, 30)), [centre]
    )

    assert (report.previous.start, report.previous.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 12, 31))
    assert report.quarterly == [
        *(("2025 K2", {}), ("2025 K3", {}), ("2025 K4", {})),
        *(("2026 K1", {2: 1}), ("2026 K2", {}), ("2026 K3", {5: 1})),
    ]


def test_a_month_is_charted_by_months_and_its_own_shows_when_nothing_began_in_it(centre):
    """A July report's bars were "2026 K2 = 3" (June alone, under a quarter's name) and no bar for July at all."""
    make_collaboration(centre, form=Form.ALIGNMENT, started_on=datetime.date(2026, 6, 10))
    report = build_report(
        Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 7, 1), end=datetime.date(2026, 7, 31)), [centre]
    )

    assert report.by_month
    assert report.quarterly == [("juni 2026", {2: 1}), ("juli 2026", {})]


def test_a_month_both_periods_share_is_a_bar_on_each_side_of_the_divider_counting_its_own_days(centre):
    """A report from 15 June: a collaboration begun on 8 June is the period before's, and its bar is left of the
    line; the bars right of it add up to the report's new collaborations."""
    make_collaboration(centre, form=Form.ALIGNMENT, started_on=datetime.date(2026, 6, 8))
    make_collaboration(centre, form=Form.CO_CREATION, started_on=datetime.date(2026, 6, 29))
    make_collaboration(centre, form=Form.CO_CREATION, started_on=datetime.date(2026, 8, 31))
    report = build_report(
        Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 6, 15), end=datetime.date(2026, 9, 30)), [centre]
    )

    divider = report.quarterly_divider
    assert report.quarterly[divider - 1] == ("1. juni–14. juni", {2: 1})
    assert report.quarterly[divider:] == [
        ("15. juni–30. juni", {5: 1}),
        ("juli 2026", {}),
        ("august 2026", {5: 1}),
        ("september 2026", {}),
    ]
    assert [label for label, _counts in report.quarterly[: divider - 1]] == [
        "februar 2026",
        "marts 2026",
        "april 2026",
        "maj 2026",
    ]


def test_month_names_on_the_chart_never_run_into_each_other_and_the_report_period_is_marked(centre):
    """Five months and the five before: ten bars of 64 units, each name some 80 units wide. Every other month is
    named, and a dashed line with a caption on each side shows where the report's own period begins."""
    import re

    from collaboration.reports.exports import pictures

    make_collaboration(centre, form=Form.ALIGNMENT, started_on=datetime.date(2026, 2, 10))
    make_collaboration(centre, form=Form.ALIGNMENT, started_on=datetime.date(2025, 9, 10))
    report = build_report(
        Selection(centre_ids=(centre.pk,), start=datetime.date(2026, 1, 1), end=datetime.date(2026, 5, 31)), [centre]
    )
    assert report.by_month and len(report.quarterly) == 10 and report.quarterly[5][0] == "januar 2026"
    assert report.quarterly_divider == 5

    chart = str(pictures(report)["quarterly"])

    named = re.findall(r'<text x="([\d.]+)"[^>]*>([a-z]+ 20\d\d)</text>', chart)
    assert len(named) == 5
    centres_x = [float(x) for x, _name in named]
    widest = max(len(name) for _x, name in named) * 10 * 0.58
    assert all(b - a > widest for a, b in zip(centres_x, centres_x[1:], strict=False))
    assert 'stroke-dasharray="4 3"' in chart
    assert ">Perioden før</text>" in chart and ">Denne periode</text>" in chart


def test_a_sector_filter_narrows_every_figure_to_the_same_collaborations(two_quarters):
    # Q3: job-café (public-private), library-café (public-private), housing-job (housing-public). Public actors only:
    # no collaboration has two of them, so no collaboration, no tie, no new collaboration.
    public = Selection(centre_ids=(two_quarters.pk,), start=Q3[0], end=Q3[1], sectors=("public",))
    figures = values(build_report(public, [two_quarters]))
    assert (figures["collaborations"], figures["ties"], figures["new_collaborations"]) == ((0, 0), (0, 0), (0, 0))

    # Public and private: the two collaborations with the café, and their two ties; Q2 had job-café.
    both = Selection(centre_ids=(two_quarters.pk,), start=Q3[0], end=Q3[1], sectors=("public", "private"))
    figures = values(build_report(both, [two_quarters]))
    assert figures["collaborations"] == (2, 1)
    assert figures["ties"] == (2, 1)
    assert figures["form_3"] == (1, 0)


def test_a_single_quarter_draws_no_line_chart_of_pairs(two_quarters):
    from collaboration.reports.exports import pictures

    report = q3_report(two_quarters)
    assert len(report.pairs_over_time) == 1
    assert pictures(report)["pairs"] == ""


def test_the_line_chart_keeps_its_last_quarter_label_inside_the_picture():
    from collaboration.reports.svg import form_lines

    series = [("2026 K1", {1: 2}), ("2026 K2", {1: 3}), ("2026 K3", {2: 1})]
    picture = str(form_lines(series, title="Aktørpar"))
    last_label_x = float(picture.split(">2026 K3</text>")[0].rsplit('x="', 1)[1].split('"')[0])
    # A label of seven characters at 10 units is about 36 units wide, centred on its x.
    assert last_label_x + 18 < 680
    assert 'aria-label="Aktørpar"' in picture


def test_the_bars_tell_the_forms_apart_by_pattern_as_well_as_shade_and_name_at_most_twelve_quarters():
    import re

    from collaboration.reports.svg import legend_swatch, stacked_bars

    series = [(f"{2020 + q // 4} K{q % 4 + 1}", {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}) for q in range(20)]
    picture = str(stacked_bars(series, title="Nye samarbejder"))
    patterns = re.findall(r'<pattern id="([^"]+)"', picture)
    # Knowledge sharing is the plain shade; each other form has a pattern of its own, laid over each of its bars.
    assert len(patterns) == 4 and len(set(patterns)) == 4
    assert all(picture.count(f'fill="url(#{pattern})"') == 20 for pattern in patterns)
    named = re.findall(r">(20\d\d K\d)</text>", picture)
    assert named == [
        "2020 K1",
        "2020 K3",
        "2021 K1",
        "2021 K3",
        "2022 K1",
        "2022 K3",
        "2023 K1",
        "2023 K3",
        "2024 K1",
        "2024 K3",
    ]
    swatch = str(legend_swatch(3))
    assert swatch.count("<pattern") == 1 and 'fill="url(#swatch-3-3)"' in swatch
    assert "url(" not in str(legend_swatch(1))
