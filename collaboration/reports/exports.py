"""A report as files: PDF, XLSX, CSV in a zip, GEXF and GraphML. No HTTP: each function returns bytes.

The spreadsheets' actor and tie sheets follow Kumu's import format (`Elements` with `Label`, `Connections` with
`From` and `To`), so they import as they are. Text that a spreadsheet would run as a formula is written so it
cannot run.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centres.models import Actor, ActorCategory, Sector
from collaboration.models import (
    ActorPosition,
    CitizensPart,
    Form,
    Frequency,
    Level,
    ParticipantRole,
    Participation,
    ResourceKind,
)
from collaboration.network.figures import Share
from collaboration.reports import svg
from collaboration.reports.build import Report
from collaboration.styles import CROSS_CENTRE_STYLE, FORM_STYLE
from samkort.bulk import batches
from samkort.text import FORMULA_TRIGGERS, exportable, marked_as_text


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: Iterable[list]


# -- The sheets, shared by XLSX and CSV ------------------------------------------------------------------------------


def sheets(report: Report) -> list[Sheet]:
    return [
        Sheet(
            _("Key figures"),
            [_("Figure"), _("This period"), _("Previous period"), _("Difference (shares in percentage points)")],
            figure_rows(report),
        ),
        Sheet("Elements", actor_header(), actor_rows(report)),
        Sheet("Connections", tie_header(), tie_rows(report)),
        Sheet(_("Collaborations"), collaboration_header(), collaboration_rows(report)),
        Sheet(_("Participations"), participation_header(), participation_rows(report)),
        Sheet(_("Parameters"), [_("Parameter"), _("Value")], parameter_rows(report)),
    ]


def figure_rows(report: Report) -> Iterator[list]:
    """Each key figure as the PDF's table has it: this period, the one before, and the difference."""
    for figure in report.key_figures:
        yield [figure.label, share_or_value(figure.value), share_or_value(figure.previous), figure.change]
    for row in report.theme_table:
        name = _("Theme: %(name)s") % {"name": row["name"]}
        yield [name, row["collaborations"], row["previous"], difference(row["collaborations"], row["previous"])]
    for row in report.level_table:
        label = str(row["level"].label)
        yield [label, row["collaborations"], row["previous"], difference(row["collaborations"], row["previous"])]


def difference(now: int | None, before: int | None) -> int | None:
    return None if now is None or before is None else now - before


def labels(choices) -> dict:
    """Each choice's label translated once: a lazy label turned into text for every one of 100,000 rows is slow."""
    return {value: str(label) for value, label in choices}


class Fraction(float):
    """A share as a fraction of the whole (0.75), which a spreadsheet shows as the page does: 75 %."""


def share_or_value(value):
    # Shares as fractions rounded as on the page (whole per cent), so every format shows the same number.
    return Fraction(value.percent / 100) if isinstance(value, Share) else value


def actor_header() -> list[str]:
    return [
        "Label",
        "Type",
        "Description",
        "Website",
        _("Sector group"),
        _("Based in the centre"),
        _("Partners (degree)"),
        _("Collaborations (weighted degree)"),
        _("Brokerage (betweenness)"),
        _("Community"),
        "X",
        "Y",
    ]


def stored_positions(report: Report) -> dict[int, tuple[float, float]]:
    """Each actor's place on a one-centre map as stored, so that an export re-imported elsewhere keeps the map."""
    if len(report.centres) != 1:
        return {}
    query = ActorPosition.objects.filter(centre=report.centres[0]).values_list("actor_id", "x", "y")
    return {actor_id: (x, y) for actor_id, x, y in query}


def actor_rows(report: Report) -> Iterator[list]:
    graph, per_actor = report.network.graph, report.figures.per_actor
    categories, sectors = labels(ActorCategory.choices), labels(Sector.choices)
    yes, no = _("yes"), _("no")
    positions = stored_positions(report)
    details = actor_details(list(graph))
    for node in sorted(graph, key=lambda n: graph.nodes[n]["name"]):
        data, f = graph.nodes[node], per_actor[node]
        x, y = positions.get(node, (None, None))
        description, website = details.get(node, ("", ""))
        yield [
            data["name"],
            categories[data["category"]],
            description,
            website,
            sectors[data["sector"]],
            yes if data["based"] else no,
            f.degree,
            f.weighted_degree,
            round(f.betweenness, 4),
            f.community,
            x,
            y,
        ]


def actor_details(actor_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each actor's description and website, facts about the organisation that an export carries to another
    installation (the contact e-mail may name a person: it stays here)."""
    details = {}
    for batch in batches(actor_ids):
        query = Actor.objects.filter(pk__in=batch)
        details.update(
            (pk, (description, website))
            for pk, description, website in query.values_list("pk", "description", "website")
        )
    return details


def tie_header() -> list[str]:
    return [
        "From",
        "To",
        "Type",
        "Direction",
        _("Highest form (1-5)"),
        _("Forms"),
        _("Collaborations"),
        _("First"),
        _("Last (empty: ongoing)"),
        _("How often"),
        _("Confirmation (latest mapping round)"),
        _("Value (1-4)"),
        _("Value answers"),
        _("Trust (1-4)"),
        _("Trust answers"),
    ]


def tie_rows(report: Report) -> Iterator[list]:
    graph, forms, frequencies = report.network.graph, labels(Form.choices), labels(Frequency.choices)
    directed = report.network.directed
    rows = []
    for a, b, data in graph.edges(data=True):
        giver, receiver, direction = kumu_direction(a, b, directed)
        if direction == "directed":
            ends = (graph.nodes[giver]["name"], graph.nodes[receiver]["name"])
        else:
            # From the name first in the alphabet to the other, so the same network always gives the same rows.
            ends = tuple(sorted((graph.nodes[a]["name"], graph.nodes[b]["name"])))
        rows.append([*ends, direction, data, report.tie_confirmation(a, b)])
    for first, second, direction, data, confirmation in sorted(rows, key=lambda row: (row[0], row[1])):
        yield [
            first,
            second,
            forms[data["highest_form"]],
            direction,
            data["highest_form"],
            ", ".join(forms[f] for f in data["forms"]),
            data["count"],
            data["first"],
            data["last"],
            frequencies[data["frequency"]],
            *confirmation_cells(confirmation),
        ]


def kumu_direction(a: int, b: int, directed) -> tuple[int, int, str]:
    """A tie as Kumu draws it: one way, from the giver or referrer, when resources or referrals went only one way;
    mutual when they went both ways; undirected when none of its collaborations had a direction."""
    forward, back = directed.get((a, b), 0), directed.get((b, a), 0)
    if forward and back:
        return a, b, "mutual"
    if forward:
        return a, b, "directed"
    if back:
        return b, a, "directed"
    return a, b, "undirected"


def confirmation_cells(confirmation) -> list:
    """State, value and trust with the number of answers behind each; empty where no round asked about the tie."""
    if confirmation is None:
        return [None] * 5
    state, ratings = confirmation
    # A report leaves the coordinators' hands: averages of fewer than three answers are left out, their counts stay.
    return [state, ratings.value.shareable, ratings.value.count, ratings.trust.shareable, ratings.trust.count]


def collaboration_header() -> list[str]:
    return [
        _("ID"),
        _("Centre"),
        _("Title"),
        _("Description"),
        _("Form"),
        _("Started"),
        _("Ended"),
        _("How often"),
        _("Level"),
        _("Themes"),
        _("Target group"),
        _("Residents' part"),
        _("Residents taking part"),
        _("What was exchanged"),
        _("Goals and success criteria"),
        _("Outcome"),
    ]


def collaboration_rows(report: Report) -> Iterator[list]:
    centres = {centre.pk: centre.name for centre in report.centres}
    forms, frequencies, levels = labels(Form.choices), labels(Frequency.choices), labels(Level.choices)
    parts, resources = labels(CitizensPart.choices), labels(ResourceKind.choices)
    themes = theme_names(report)
    fields = [
        "id",
        "centre_id",
        "title",
        "description",
        "form",
        "started_on",
        "ended_on",
        "frequency",
        "level",
        "target_group",
        "citizens_part",
        "citizen_count",
        "resource_kind",
        "goals",
        "outcome",
    ]
    query = report.collaborations_queryset().order_by("centre__name", "started_on", "id").values_list(*fields)
    for (
        pk,
        centre,
        title,
        description,
        form,
        started,
        ended,
        frequency,
        level,
        target,
        part,
        count,
        resource,
        goals,
        outcome,
    ) in query.iterator(chunk_size=2000):
        yield [
            pk,
            centres[centre],
            title,
            description,
            forms[form],
            started,
            ended,
            frequencies[frequency],
            levels[level],
            ", ".join(themes.get(pk, ())),
            target,
            parts[part],
            count,
            resources[resource] if resource else "",
            goals,
            outcome,
        ]


def theme_names(report: Report) -> dict[int, list[str]]:
    names = report.theme_names
    return {pk: sorted(names[t] for t in theme_ids) for pk, theme_ids in report.theme_ids.items()}


def participation_header() -> list[str]:
    return [_("Collaboration ID"), _("Collaboration"), _("Actor"), _("Role")]


def participation_rows(report: Report) -> Iterator[list]:
    roles = labels(ParticipantRole.choices)
    query = (
        Participation.objects.filter(collaboration__in=report.collaborations_queryset())
        .order_by("collaboration__centre__name", "collaboration__started_on", "collaboration_id", "id")
        .values_list("collaboration_id", "collaboration__title", "actor__name", "role")
    )
    for collaboration_id, title, actor, role in query.iterator(chunk_size=5000):
        yield [collaboration_id, title, actor, roles[role]]


def parameter_rows(report: Report) -> Iterator[list]:
    selection = report.selection
    yield [ngettext("Centre", "Centres", len(report.centres)), report.centre_names]
    yield [_("Period"), f"{selection.start.isoformat()} – {selection.end.isoformat()}"]
    if report.previous:
        yield [_("Compared with"), f"{report.previous.start.isoformat()} – {report.previous.end.isoformat()}"]
    yield [_("Data as of"), local_time(report.data_as_of)]
    yield [_("Made"), local_time(report.generated_at)]
    yield ["Elements / Connections", _("Actors and ties, in Kumu's import format.")]


def local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "–"


# -- XLSX ---------------------------------------------------------------------------------------------------------


def xlsx(report: Report) -> bytes:
    """Written by XlsxWriter in its constant-memory mode: each row goes to a temporary file as it comes, so a large
    export holds one row at a time. At 100,000 collaborations it wrote 14 % faster than openpyxl's write-only mode
    (bench/RESULTS.md, Reports)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            # Text stays text: nothing a user typed becomes a formula or a link.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
            "remove_timezone": True,
        },
    )
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    # Excel keeps a cell with the quote prefix as text when it is edited, so '=…' never runs.
    formats = {
        "as_text": workbook.add_format({"quote_prefix": True}),
        "percent": workbook.add_format({"num_format": "0%"}),
    }
    for sheet in sheets(report):
        worksheet = workbook.add_worksheet(sheet.name[:31])
        rows = iter(sheet.rows)
        first = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
        # Set before the first row is written, as the constant-memory mode asks: widths from the header and the
        # first rows, long text wrapped in its column.
        for column, width in enumerate(column_widths(sheet.header, first)):
            worksheet.set_column(column, column, width, wrapped if width >= WIDEST_COLUMN else None)
        worksheet.freeze_panes(1, 0)
        worksheet.write_row(0, 0, sheet.header, bold)
        last = 0
        for last, row in enumerate(itertools.chain(first, rows), start=1):
            write_xlsx_row(worksheet, last, row, formats)
        worksheet.autofilter(0, 0, last, len(sheet.header) - 1)
    workbook.close()
    return buffer.getvalue()


# Columns as wide as their header and the first rows' values need, within reason: a description wraps instead.
WIDTH_SAMPLE_ROWS = 200
NARROWEST_COLUMN, WIDEST_COLUMN = 8, 60


def column_widths(header: list[str], rows: list[list]) -> list[int]:
    widths = []
    for column, name in enumerate(header):
        values = [row[column] for row in rows if column < len(row) and row[column] not in (None, "")]
        longest = max([len(str(name)), *(max(map(len, str(value).splitlines()), default=0) for value in values)])
        widths.append(max(NARROWEST_COLUMN, min(WIDEST_COLUMN, longest + 2)))
    return widths


def write_xlsx_row(worksheet, number: int, row: list, formats: dict) -> None:
    for column, value in enumerate(row):
        if value is None or value == "":
            continue  # an empty cell, as a spreadsheet has it, not a cell holding an empty text
        if isinstance(value, str):
            value = exportable(value)
            if value.startswith(FORMULA_TRIGGERS):
                worksheet.write_string(number, column, value, formats["as_text"])
            else:
                worksheet.write_string(number, column, value)
        elif isinstance(value, Fraction):
            worksheet.write_number(number, column, value, formats["percent"])
        else:
            worksheet.write(number, column, value)


# -- CSV ----------------------------------------------------------------------------------------------------------


def csv_zip(report: Report) -> bytes:
    """One CSV file per sheet (UTF-8 with a byte order mark, so Excel reads æ, ø and å), in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets(report), start=1):
            text = io.StringIO()
            text.write("\ufeff")
            writer = csv.writer(text)
            writer.writerow(sheet.header)
            writer.writerows([csv_value(value) for value in row] for row in sheet.rows)
            archive.writestr(f"{number}-{file_part(sheet.name)}.csv", text.getvalue())
    return buffer.getvalue()


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        # The apostrophe makes spreadsheets show the text instead of running it, wherever a cell may begin.
        return marked_as_text(exportable(value))
    return value.isoformat() if hasattr(value, "isoformat") else value


def file_part(name: str) -> str:
    """A sheet's name as a plain file name: 'Nøgletal' -> 'noegletal'."""
    danish = name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("Æ", "Ae").replace("Ø", "Oe")
    return slugify(danish.replace("Å", "Aa")) or "sheet"


# -- GEXF and GraphML ---------------------------------------------------------------------------------------------


def export_graph(report: Report) -> nx.Graph:
    """The selected network with plain attributes (text, numbers, yes/no) that Gephi and Cytoscape read. Each coded
    value comes with its label in the report's language beside it (category_label …), for a legend to show; the code
    stays, for a script to compare across languages."""
    source, per_actor, forms = report.network.graph, report.figures.per_actor, labels(Form.choices)
    categories, sectors, frequencies = labels(ActorCategory.choices), labels(Sector.choices), labels(Frequency.choices)
    graph = nx.Graph()
    graph.graph["name"] = exportable(f"Samkort: {report.centre_names}, {report.period_label}")
    for node, data in source.nodes(data=True):
        f = per_actor[node]
        graph.add_node(
            node,
            label=exportable(data["name"]),
            category=data["category"],
            category_label=categories[data["category"]],
            sector=data["sector"],
            sector_label=sectors[data["sector"]],
            based=bool(data["based"]),
            present=bool(data["present"]),
            degree=f.degree,
            weighted_degree=f.weighted_degree,
            betweenness=round(f.betweenness, 6),
            community=f.community,
        )
    for a, b, data in source.edges(data=True):
        giver, _receiver, direction = kumu_direction(a, b, report.network.directed)
        graph.add_edge(
            a,
            b,
            weight=data["count"],
            collaborations=data["count"],
            highest_form=data["highest_form"],
            highest_form_label=forms[data["highest_form"]],
            forms=",".join(str(f) for f in data["forms"]),
            frequency=data["frequency"],
            frequency_label=frequencies.get(data["frequency"], data["frequency"]),
            direction=direction,
            # The network is undirected: a tie that went one way names the actor it went from.
            **({"flows_from": str(giver)} if direction == "directed" else {}),
            first=data["first"].isoformat(),
            # An ongoing tie has no last day: the attribute is left out, as GEXF leaves out an interval's end.
            **({"last": data["last"].isoformat()} if data["last"] else {}),
        )
    return graph


def gexf(report: Report) -> bytes:
    """GEXF with each tie's time interval (first to last collaboration), so Gephi's timeline can play it."""
    graph = export_graph(report)
    for _a, _b, data in graph.edges(data=True):
        data["start"] = data["first"]
        if "last" in data:
            data["end"] = data["last"]
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def graphml(report: Report) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(export_graph(report), buffer)
    return buffer.getvalue()


# -- PDF ----------------------------------------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """WeasyPrint is installed but the system libraries it draws with (Pango) are missing."""


def pdf(report: Report) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # pragma: no cover - depends on the machine
        raise PdfUnavailable(str(error)) from error
    html = render_to_string("collaboration/reports/report_pdf.html", pdf_context(report))
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf()


def pdf_context(report: Report) -> dict:
    return {"report": report, "pictures": pictures(report)}


def pictures(report: Report) -> dict:
    """The SVG pictures of the sections the report has; shared by the PDF and the HTML preview."""
    result = {}
    if report.has("map"):
        drawn = svg.network_map(
            report.network.graph,
            report.positions,
            captions=report.centre_captions,
            homes=report.homes if report.several_centres else None,
            title=_("Network map of %(centres)s, %(period)s")
            % {"centres": report.centre_names, "period": report.period_label},
        )
        result["map"], result["unnamed"] = drawn.svg, drawn.unnamed
    if report.has("charts"):
        if report.by_month:
            title = _("New collaborations per month, by form")
        else:
            title = _("New collaborations per quarter, by form")
        result["quarterly"] = svg.stacked_bars(
            report.quarterly,
            title=title,
            divider=report.quarterly_divider,
            divider_captions=(_("The period before"), _("This period")),
        )
        result["pairs"] = svg.form_lines(
            report.pairs_over_time, title=_("Pairs of actors at each highest form, quarter by quarter")
        )
    result["form_lines"] = [(form, svg.legend_line(FORM_STYLE[form.value])) for form in Form]
    result["form_swatches"] = [(form, svg.legend_swatch(form.value)) for form in Form]
    result["sector_shapes"] = [(sector.label, svg.legend_shape(sector.value)) for sector in Sector]
    result["across_line"] = svg.legend_line(CROSS_CENTRE_STYLE)
    return result
