"""A large selection's figures are worked out once: its map, its overview and every report format of the same data
read what the first of them stored, and work them out again when the data changes."""

from __future__ import annotations

import datetime

import pytest

from collaboration.maps import pages, store
from collaboration.maps.pages import analyse, figures_version
from collaboration.models import Form, StoredMap
from collaboration.network.graph import Selection
from collaboration.reports.build import build_report
from tests.factories import make_actor, make_collaboration

PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def large(settings):
    # Five actors count as a large network here.
    settings.FIGURES_STORE_ACTORS = 2


@pytest.fixture
def network(centre):
    a, b, c, d = (make_actor(name=name) for name in ("Jobcentret", "Caféen", "Biblioteket", "Boligforeningen"))
    make_collaboration(centre, [a, b], form=Form.KNOWLEDGE_SHARING, started_on=datetime.date(2026, 3, 1))
    make_collaboration(centre, [b, c], form=Form.ALIGNMENT, started_on=datetime.date(2026, 4, 1))
    make_collaboration(centre, [c, d], form=Form.CO_CREATION, started_on=datetime.date(2026, 5, 1))
    return {"job": a, "cafe": b, "library": c, "housing": d}


@pytest.fixture
def selection(centre):
    return Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=PERIOD[1])


@pytest.fixture
def worked_out(monkeypatch):
    """How many times the figures were worked out (not read back)."""
    calls = []
    compute = pages.compute_figures
    monkeypatch.setattr(pages, "compute_figures", lambda network: calls.append(1) or compute(network))
    return calls


def figures_of(report) -> dict:
    return {pk: (f.degree, f.betweenness) for pk, f in report.figures.per_actor.items()}


@pytest.mark.usefixtures("large")
def test_a_report_reads_the_figures_its_map_worked_out(centre, network, selection, worked_out):
    map_figures = analyse(selection).figures
    assert len(worked_out) == 1
    report = build_report(selection, [centre])
    assert len(worked_out) == 1
    assert report.figures == map_figures
    # Caféen and Biblioteket are the middle of a line of four: each brokers between two pairs.
    assert report.figures.per_actor[network["cafe"].pk].betweenness == pytest.approx(2 / 3)


@pytest.mark.usefixtures("large")
def test_every_report_format_after_the_first_reads_them_too(centre, network, selection, worked_out):
    first = build_report(selection, [centre])
    second = build_report(selection, [centre])
    assert len(worked_out) == 1
    assert figures_of(second) == figures_of(first)


@pytest.mark.usefixtures("large")
def test_new_data_is_worked_out_again_and_replaces_the_stored_figures(centre, network, selection, worked_out):
    build_report(selection, [centre])
    make_collaboration(
        centre, [network["job"], network["housing"]], form=Form.ALIGNMENT, started_on=datetime.date(2026, 6, 1)
    )
    report = build_report(selection, [centre])
    assert len(worked_out) == 2
    # A ring of four: every actor has two partners and nobody brokers alone.
    assert {f.degree for f in report.figures.per_actor.values()} == {2}
    assert StoredMap.objects.filter(version=figures_version(selection)).count() == 1
    assert StoredMap.objects.count() == 1


@pytest.mark.usefixtures("large")
def test_figures_stored_for_other_data_under_this_version_are_not_used(centre, network, selection, worked_out):
    # As when a collaboration is saved between reading the data's version and reading the network itself.
    smaller = Selection(centre_ids=(centre.pk,), start=PERIOD[0], end=datetime.date(2026, 3, 31))
    other = build_report(smaller, [centre])
    fingerprint = pages.network_fingerprint(other.network)
    store.save(store.digest(("figures", selection)), figures_version(selection), (fingerprint, other.figures), 1.0)
    report = build_report(selection, [centre])
    assert len(worked_out) == 2
    assert set(report.figures.per_actor) == {actor.pk for actor in network.values()}


def test_a_small_network_is_worked_out_in_place_and_never_stored(centre, network, selection, worked_out):
    build_report(selection, [centre])
    build_report(selection, [centre])
    assert len(worked_out) == 2
    assert not StoredMap.objects.exists()


@pytest.mark.usefixtures("large")
def test_figures_of_other_ties_between_the_same_actors_are_not_used(centre, network, selection, worked_out):
    """The same four actors and three ties, but a star instead of a line: the fingerprint tells them apart."""
    from tests.collaboration.network.builders import actors_of, network_of_pairs

    ids = [actor.pk for actor in network.values()]
    star = network_of_pairs(
        [(ids[0], ids[1]), (ids[0], ids[2]), (ids[0], ids[3])], actors=actors_of(names=dict.fromkeys(ids, "x"))
    )
    star_figures = pages.compute_figures(star)
    store.save(
        store.digest(("figures", selection)),
        figures_version(selection),
        (pages.network_fingerprint(star), star_figures),
        1.0,
    )
    report = build_report(selection, [centre])
    assert report.figures.per_actor[network["cafe"].pk].betweenness == pytest.approx(2 / 3)


@pytest.mark.usefixtures("large")
def test_a_map_and_a_report_of_the_same_centres_listed_in_other_orders_share_the_figures(
    centre, other_centre, network, worked_out
):
    make_collaboration(other_centre, [network["job"], network["housing"]], started_on=datetime.date(2026, 6, 1))
    by_name = Selection(centre_ids=(other_centre.pk, centre.pk), start=PERIOD[0], end=PERIOD[1], forms=(5, 2, 1))
    by_id = Selection(centre_ids=(centre.pk, other_centre.pk), start=PERIOD[0], end=PERIOD[1], forms=(1, 2, 5))
    analyse(by_name)
    build_report(by_id, [centre, other_centre])
    assert len(worked_out) == 1
