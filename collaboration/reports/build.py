"""A documentation report of one or more centres over a period. No HTTP.

The overview page, the report preview, the PDF and the spreadsheets all render one `Report`, built from the same
`network` figures as the map, so none of them can disagree with another.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from centres.models import ActorHistoryEntry, Centre, Presence, Sector
from collaboration.maps import store
from collaboration.maps.pages import figures_version, graph_bytes, network_and_figures, remember, remembered
from collaboration.models import (
    CitizensPart,
    Collaboration,
    Form,
    Frequency,
    HistoryEntry,
    Level,
    ParticipantRole,
    Participation,
    Theme,
    theme_label,
)
from collaboration.network.change import Change, compare
from collaboration.network.figures import (
    NetworkFigures,
    Share,
    cross_sector_share,
    disconnected_actors,
    sector_tie_counts,
    share_of,
)
from collaboration.network.graph import (
    Network,
    Selection,
    collaborations_in,
    load_network,
    load_networks_by_centre,
)
from collaboration.network.layout import centre_captions, home_centres, positions_in_selection
from collaboration.network.timeline import pairs_by_quarter, quarter_index, quarter_label
from collaboration.reports.rows import (
    CollaborationRow,
    active_actors,
    citizens_counted,
    collaboration_rows,
    involving_citizens,
    maybe,
    nx_edges,
    started_within,
)
from collaboration.reports.words import name_list, period_label, summary_sentences
from collaboration.rounds.confirmation import pair
from collaboration.rounds.models import MappingRound
from collaboration.rounds.results import Ratings, RoundResults, load_results_of
from samkort.gcpause import gc_paused

SECTIONS = [
    ("figures", gettext_lazy("Key figures and what changed")),
    ("map", gettext_lazy("Network map")),
    ("charts", gettext_lazy("Charts")),
    ("actors", gettext_lazy("Brokers and disconnected actors")),
    ("tables", gettext_lazy("Tables by form, theme and level")),
    ("centres", gettext_lazy("Centres side by side")),
    ("round", gettext_lazy("The latest mapping round")),
    ("collaborations", gettext_lazy("Appendix: the collaborations")),
]
SECTION_KEYS = tuple(key for key, _label in SECTIONS)


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    value: int | Share | None
    previous: int | Share | None = None

    @property
    def is_share(self) -> bool:
        return isinstance(self.value, Share) or isinstance(self.previous, Share)

    @property
    def change(self) -> int | None:
        """The difference from the previous period; for shares in percentage points of the rounded shares."""
        if self.value is None or self.previous is None:
            return None
        if self.is_share:
            return self.value.percent - self.previous.percent
        return self.value - self.previous


@dataclass(frozen=True)
class AppendixEntry:
    title: str
    form: str
    started_on: datetime.date
    ended_on: datetime.date | None
    frequency: str
    level: str
    centre: str
    actors: str
    description: str
    goals: str
    outcome: str


@dataclass(frozen=True)
class CentreLine:
    centre: Centre
    collaborations: int
    active_actors: int
    ties: int
    disconnected: int
    cross_sector_share: Share | None


@dataclass
class Report:
    selection: Selection
    centres: list[Centre]
    sections: tuple[str, ...]
    network: Network
    figures: NetworkFigures
    rows: list[CollaborationRow]
    theme_ids: dict[int, list[int]]
    previous: Selection | None
    previous_network: Network | None
    previous_rows: list[CollaborationRow]
    previous_theme_ids: dict[int, list[int]]
    change: Change | None
    data_as_of: datetime.datetime | None
    generated_at: datetime.datetime
    # Each centre's latest mapping round, for the centres that have one.
    rounds: list[RoundResults] = field(default_factory=list)

    # -- What the report is about --------------------------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def period_label(self) -> str:
        return period_label(self.selection.start, self.selection.end)

    @property
    def period_is_named(self) -> bool:
        """A quarter, a month or a year, rather than two dates: then the dates are worth adding."""
        start, end = self.selection.start, self.selection.end
        return (
            bool(start and end) and start != end and self.period_label != f"{date_format(start)} – {date_format(end)}"
        )

    @property
    def previous_label(self) -> str | None:
        return period_label(self.previous.start, self.previous.end) if self.previous else None

    @property
    def centre_names(self) -> str:
        return ", ".join(centre.name for centre in self.centres)

    @property
    def reaches_past_today(self) -> bool:
        """Whether the period ends after today: its figures then count what is on record as ongoing, not what will
        happen."""
        end = self.selection.end
        return end is not None and end > timezone.localdate()

    @property
    def several_centres(self) -> bool:
        return len(self.centres) > 1

    @property
    def centres_without_round(self) -> list[str]:
        """The names of the report's centres that no mapping round asked about its period, said rather than left out."""
        asked = {results.round.centre_id for results in self.rounds}
        return sorted((centre.name for centre in self.centres if centre.pk not in asked), key=str.casefold)

    def has(self, section: str) -> bool:
        return section in self.sections

    def tie_confirmation(self, a: int, b: int) -> tuple[str, Ratings] | None:
        """The tie's state in its centre's latest mapping round and its ratings; None when no round asked about it."""
        key = pair(a, b)
        for results in self.rounds:
            if key in results.ties:
                return results.ties[key].state.label, results.tie_ratings.get(key, Ratings())
        return None

    # -- Figures ----------------------------------------------------------------------------------------------------

    @cached_property
    def key_figures(self) -> list[KeyFigure]:
        """The figures every format shows, in this order, each with the previous period's value where it has one."""
        now, before = self.rows, self.previous_rows if self.previous else None
        graph = self.network.graph
        previous_graph = self.previous_network.graph if self.previous_network else None
        previous_share = maybe(cross_sector_share, self.previous_network)
        figures = [
            KeyFigure("active_actors", _("Active actors"), active_actors(graph), maybe(active_actors, previous_graph)),
            KeyFigure("collaborations", _("Collaborations in the period"), len(now), maybe(len, before)),
            KeyFigure(
                "new_collaborations",
                _("New collaborations (started in the period)"),
                len(started_within(now, self.selection)),
                len(started_within(before, self.previous)) if self.previous else None,
            ),
        ]
        by_form, previous_by_form = Counter(r.form for r in now), Counter(r.form for r in before or ())
        for form in Form:
            figures.append(
                KeyFigure(
                    f"form_{form.value}",
                    _("Collaborations: %(form)s") % {"form": form.label},
                    by_form[form.value],
                    previous_by_form[form.value] if self.previous else None,
                )
            )
        figures += [
            KeyFigure("ties", _("Ties (pairs of actors)"), graph.number_of_edges(), maybe(nx_edges, previous_graph)),
            KeyFigure("new_ties", _("New ties"), len(self.change.new) if self.change else None),
            KeyFigure("deepened_ties", _("Deepened ties"), len(self.change.deepened) if self.change else None),
            KeyFigure(
                "disconnected",
                _("Disconnected actors"),
                len(self.figures.disconnected),
                len(disconnected_actors(previous_graph)) if previous_graph is not None else None,
            ),
            KeyFigure(
                "cross_sector_share",
                _("Ties across sector groups"),
                self.figures.cross_sector_share,
                previous_share,
            ),
            KeyFigure(
                "citizens_involved",
                _("Collaborations with residents as initiators, co-designers or co-implementers"),
                involving_citizens(now),
                maybe(involving_citizens, before),
            ),
            KeyFigure(
                "citizen_count",
                _("Residents taking part (as logged)"),
                citizens_counted(now),
                maybe(citizens_counted, before),
            ),
        ]
        return figures

    def figure(self, key: str) -> KeyFigure:
        return next(f for f in self.key_figures if f.key == key)

    @cached_property
    def form_table(self) -> list[dict]:
        by_form = Counter(r.form for r in self.rows)
        started = Counter(r.form for r in started_within(self.rows, self.selection))
        highest = Counter(data["highest_form"] for _a, _b, data in self.network.graph.edges(data=True))
        ties = self.network.graph.number_of_edges()
        return [
            {
                "form": form,
                "collaborations": by_form[form.value],
                "new": started[form.value],
                "ties": highest[form.value],
                "share": share_of(highest[form.value], ties),
            }
            for form in Form
        ]

    @cached_property
    def theme_names(self) -> dict[int, str]:
        return {pk: theme_label(name) for pk, name in Theme.objects.values_list("id", "name")}

    @cached_property
    def theme_table(self) -> list[dict]:
        names = self.theme_names
        now = Counter(t for themes in self.theme_ids.values() for t in themes)
        before = Counter(t for themes in self.previous_theme_ids.values() for t in themes)
        rows = [
            {"name": names[pk], "collaborations": now[pk], "previous": before[pk] if self.previous else None}
            for pk in sorted(now.keys() | before.keys(), key=lambda pk: (-now[pk], names[pk]))
        ]
        without = sum(1 for r in self.rows if not self.theme_ids.get(r.pk))
        without_before = sum(1 for r in self.previous_rows if not self.previous_theme_ids.get(r.pk))
        if without or without_before:
            rows.append(
                {
                    "name": _("No theme"),
                    "collaborations": without,
                    "previous": without_before if self.previous else None,
                    "without": True,
                }
            )
        return rows

    @cached_property
    def level_table(self) -> list[dict]:
        now, before = Counter(r.level for r in self.rows), Counter(r.level for r in self.previous_rows)
        return [
            {
                "level": level,
                "collaborations": now[level.value],
                "previous": before[level.value] if self.previous else None,
            }
            for level in Level
        ]

    @cached_property
    def citizens_table(self) -> list[dict]:
        now, before = Counter(r.citizens_part for r in self.rows), Counter(r.citizens_part for r in self.previous_rows)
        return [
            {"part": part, "collaborations": now[part.value], "previous": before[part.value] if self.previous else None}
            for part in CitizensPart
        ]

    @cached_property
    def top_brokers(self) -> list[dict]:
        graph = self.network.graph
        ranked = sorted(
            self.figures.per_actor.items(), key=lambda item: (-item[1].betweenness, graph.nodes[item[0]]["name"])
        )
        return [
            {"name": graph.nodes[pk]["name"], "betweenness": f.betweenness, "degree": f.degree}
            for pk, f in ranked[:10]
            if f.betweenness > 0
        ]

    @cached_property
    def disconnected_names(self) -> list[str]:
        return [self.network.graph.nodes[pk]["name"] for pk in self.figures.disconnected]

    @property
    def disconnected_text(self) -> str:
        """The disconnected actors by name, the first 40 of them: a municipality can have over a hundred."""
        return name_list(self.disconnected_names, limit=40)

    @cached_property
    def sector_matrix(self) -> dict:
        """Ties between each pair of sector groups, each cell with its shade from 0 (none) to 10 (the most)."""
        counts = sector_tie_counts(self.network.graph)
        sectors = list(Sector)
        top = max(counts.values(), default=0) or 1
        return {
            "labels": [sector.label for sector in sectors],
            "rows": [
                (
                    row.label,
                    [
                        (counts[(row.value, col.value)], round(10 * counts[(row.value, col.value)] / top))
                        for col in sectors
                    ],
                )
                for row in sectors
            ],
        }

    @property
    def by_month(self) -> bool:
        """A period of less than half a year is charted month by month: a quarter's bar would count days outside it
        (a July report's "Q3" held July alone, its June comparison "Q2", beside a year's report whose Q2 held three
        months)."""
        start, end = self.selection.start, self.selection.end
        return bool(start and end and (end - start).days < SHORTEST_QUARTERLY_DAYS)

    @cached_property
    def quarterly(self) -> list[tuple[str, dict[int, int]]]:
        """Collaborations started per quarter (or month, see by_month) of the period and the one before, by form."""
        return self.started_bars[0]

    @cached_property
    def quarterly_divider(self) -> int | None:
        """Where in `quarterly` this period begins, after the period before's bars; None when it has none."""
        return self.started_bars[1]

    @cached_property
    def started_bars(self) -> tuple[list[tuple[str, dict[int, int]]], int | None]:
        """The period before comes along, so a single quarter still has something to be seen against. Each period
        has its own bars: a step the two share (June, in a report from 15 June) is a bar on each side of the divider,
        named by its days, so that no bar counts a collaboration of the other period."""
        now = started_within(self.rows, self.selection)
        before = started_within(self.previous_rows, self.previous)
        if not now and not before:
            return [], None
        selection, previous = self.selection, self.previous
        # Every step from the start of the period before to the end of this one (or today), so that one without new
        # collaborations shows as a gap, the report's own period too.
        last = min(selection.end, timezone.localdate()) if selection.end else None
        bars_now = started_bars(now, selection.start, last, self.by_month)
        if not (previous and previous.start):
            return bars_now, None
        bars_before = started_bars(before, previous.start, previous.end, self.by_month)
        index = month_index if self.by_month else quarter_index
        if bars_before and bars_now and index(previous.end) == index(selection.start):
            bars_before[-1] = part_of_a_step(bars_before[-1], step_start(previous.end, self.by_month), previous.end)
            bars_now[0] = part_of_a_step(bars_now[0], selection.start, step_end(selection.start, self.by_month))
        return bars_before + bars_now, len(bars_before) if bars_before and bars_now else None

    @cached_property
    def pairs_over_time(self) -> list[tuple[str, dict[int, int]]]:
        rows = [(r.pk, r.started_on, r.ended_on, r.form) for r in self.rows]
        return pairs_by_quarter(self.network.graph, rows, self.selection.start, self.selection.end)

    @cached_property
    def homes(self) -> dict[int, int]:
        """Each actor's centre on the map; an actor present in two centres sits in one of them."""
        graph = self.network.graph
        return home_centres(self.selection, graph, None, set(graph))

    @cached_property
    def positions(self) -> dict[int, tuple[float, float]]:
        return positions_in_selection(self.selection, self.homes)

    @property
    def centre_captions(self) -> list[tuple[float, float, str]]:
        """Each centre's name above its group on a map of several centres, where the interactive map puts it."""
        if len(self.centres) < 2:
            return []
        return centre_captions(self.selection, {centre.pk: centre.name for centre in self.centres})

    @cached_property
    def centre_lines(self) -> list[CentreLine]:
        """Each centre on its own: its own network, so its figures match its own report."""
        networks = load_networks_by_centre(self.selection)
        lines = []
        for centre in self.centres:
            network = networks[centre.pk]
            lines.append(
                CentreLine(
                    centre=centre,
                    collaborations=sum(1 for r in self.rows if r.centre_id == centre.pk),
                    active_actors=active_actors(network.graph),
                    ties=network.graph.number_of_edges(),
                    disconnected=len(disconnected_actors(network.graph)),
                    cross_sector_share=cross_sector_share(network),
                )
            )
        return lines

    @cached_property
    def summary(self) -> list[str]:
        return summary_sentences(self)

    def collaborations_queryset(self):
        return collaborations_in(self.selection)

    @property
    def appendix_limit(self) -> int:
        return settings.REPORT_APPENDIX_LIMIT

    @property
    def appendix_is_partial(self) -> bool:
        """Above the limit the PDF lists the latest collaborations only, and says so; the spreadsheets hold all."""
        return len(self.rows) > self.appendix_limit

    def appendix(self) -> Iterator[AppendixEntry]:
        """Every collaboration of the report with its actors, in a fixed order; read as plain rows in two queries.

        A municipality's report lists thousands, so no model instances are made for them.
        """
        queryset = self.collaborations_queryset()
        if self.appendix_is_partial:
            latest = queryset.order_by("-started_on", "-id").values_list("id", flat=True)[: self.appendix_limit]
            queryset = queryset.filter(pk__in=list(latest))
        queryset = queryset.order_by("centre__name", "started_on", "id")
        actors: dict[int, list[str]] = {}
        roles = dict(ParticipantRole.choices)
        participations = Participation.objects.filter(collaboration__in=queryset.values("id")).order_by("id")
        for collaboration_id, name, role in participations.values_list("collaboration_id", "actor__name", "role"):
            label = name if role == ParticipantRole.PARTICIPANT else f"{name} ({str(roles[role]).lower()})"
            actors.setdefault(collaboration_id, []).append(label)
        forms, frequencies, levels = dict(Form.choices), dict(Frequency.choices), dict(Level.choices)
        fields = (
            "id",
            "title",
            "form",
            "started_on",
            "ended_on",
            "frequency",
            "level",
            "centre__name",
            "description",
            "goals",
            "outcome",
        )
        rows = queryset.values_list(*fields)
        for pk, title, form, started, ended, frequency, level, centre, description, goals, outcome in rows:
            yield AppendixEntry(
                title=title,
                form=f"{form} {forms[form]}",
                started_on=started,
                ended_on=ended,
                frequency=frequencies[frequency],
                level=levels[level],
                centre=centre,
                actors=", ".join(actors.get(pk, ())),
                description=description,
                goals=goals,
                outcome=outcome,
            )


# Shorter periods are charted by month (Report.by_month).
SHORTEST_QUARTERLY_DAYS = 183


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    return date_format(datetime.date(index // 12, index % 12 + 1, 1), "YEAR_MONTH_FORMAT")


def quarter_label_of(index: int) -> str:
    return quarter_label(index // 4, index % 4 + 1)


def started_bars(
    rows: list[CollaborationRow], first: datetime.date | None, last: datetime.date | None, by_month: bool
) -> list[tuple[str, dict[int, int]]]:
    """The collaborations started in each step (month or quarter) from `first` to `last`, by form; without those
    days, from the first row's step to the last's."""
    index, label = (month_index, month_label) if by_month else (quarter_index, quarter_label_of)
    counts: dict[int, Counter] = {}
    for row in rows:
        counts.setdefault(index(row.started_on), Counter())[row.form] += 1
    ends = [index(day) for day in (first, last) if day] + list(counts)
    if not ends:
        return []
    steps = range(index(first) if first else min(ends), max(ends) + 1)
    return [(label(step), dict(counts.get(step, {}))) for step in steps]


def step_start(day: datetime.date, by_month: bool) -> datetime.date:
    return day.replace(day=1) if by_month else datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def step_end(day: datetime.date, by_month: bool) -> datetime.date:
    first = step_start(day, by_month)
    months = 1 if by_month else 3
    following = datetime.date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def part_of_a_step(bar: tuple[str, dict], first: datetime.date, last: datetime.date) -> tuple[str, dict]:
    """ "15. juni–30. juni": a month or quarter's bar of which the period holds only these days, named by them (the
    bars beside it give the year)."""
    _label, counts = bar
    days = _("%(first)s–%(last)s") % {
        "first": date_format(first, "MONTH_DAY_FORMAT"),
        "last": date_format(last, "MONTH_DAY_FORMAT"),
    }
    return days, counts


# -- Building ---------------------------------------------------------------------------------------------------------


def remembered_report(selection: Selection, centres: list[Centre], sections: tuple[str, ...]) -> Report:
    """The report for a page (the overview), kept in this process until the centres' data changes: it is read far
    more often than the data changes, and its networks are what takes the time. The latest mapping rounds are read
    afresh each time, as partners' answers do not change the data version."""
    version = figures_version(selection)
    key = ("report", store.digest((selection, tuple(c.pk for c in centres), sections, get_language())), version)
    report = remembered(key)
    if report is None:
        report = build_report(selection, centres, sections, version=version)
        networks = [report.network] + ([report.previous_network] if report.previous_network else [])
        remember(key, report, sum(graph_bytes(network.graph) for network in networks))
    return dataclasses.replace(report, rounds=latest_rounds(centres, selection))


@gc_paused()
def build_report(
    selection: Selection, centres: list[Centre], sections: tuple[str, ...] = SECTION_KEYS, *, version: str | None = None
) -> Report:
    """Everything a report shows, for a period with a start and an end, compared with the period before. Its figures
    are the map's of the same selection, read back when a map or another report worked them out first."""
    network, figures = network_and_figures(selection, version or figures_version(selection))
    previous = selection.previous()
    previous_network = load_network(previous) if previous else None
    rows, theme_ids = collaboration_rows(selection)
    previous_rows, previous_theme_ids = collaboration_rows(previous) if previous else ([], {})
    return Report(
        selection=selection,
        centres=sorted(centres, key=lambda centre: centre.name),
        sections=tuple(key for key in SECTION_KEYS if key in sections),
        network=network,
        figures=figures,
        rows=rows,
        theme_ids=theme_ids,
        previous=previous,
        previous_network=previous_network,
        previous_rows=previous_rows,
        previous_theme_ids=previous_theme_ids,
        change=compare(previous_network.graph, network.graph) if previous_network else None,
        data_as_of=data_as_of(selection.centre_ids),
        generated_at=timezone.now(),
        rounds=latest_rounds(centres, selection),
    )


def latest_rounds(centres: list[Centre], selection: Selection) -> list[RoundResults]:
    """Each centre's latest mapping round that asked about the report's period: a report of last year shows what
    partners said of last year, not of this one."""
    latest = MappingRound.objects.overlapping(selection.start, selection.end).latest_of_each(centres)
    return load_results_of(
        [latest[centre.pk] for centre in sorted(centres, key=lambda c: c.name) if centre.pk in latest]
    )


def data_as_of(centre_ids: tuple[int, ...]) -> datetime.datetime | None:
    """When the data of these centres last changed: the latest saved or deleted collaboration, or change to an
    actor that moves their figures (its presence in one of them, or the name or category of an actor present in
    one of them or in one of their collaborations)."""
    saved = Collaboration.objects.filter(centre_id__in=centre_ids).aggregate(at=Max("updated_at"))["at"]
    deleted = HistoryEntry.objects.filter(centre_id__in=centre_ids).aggregate(at=Max("at"))["at"]
    in_these_centres = Q(centre_id__in=centre_ids) | Q(
        Q(Exists(Presence.objects.filter(actor_id=OuterRef("actor_id"), centre_id__in=centre_ids)))
        | Q(
            Exists(Participation.objects.filter(actor_id=OuterRef("actor_id"), collaboration__centre_id__in=centre_ids))
        ),
        centre__isnull=True,
    )
    actors = ActorHistoryEntry.objects.filter(in_these_centres).aggregate(at=Max("at"))["at"]
    return max((t for t in (saved, deleted, actors) if t), default=None)
