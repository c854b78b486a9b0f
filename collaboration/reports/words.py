"""A report in words: periods as people say them, shares, name lists, and "what changed", written from figures."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collaboration.models import Form
from collaboration.network.figures import Share
from collaboration.network.graph import whole_months
from collaboration.reports.rows import started_within
from samkort.text import list_of_names

if TYPE_CHECKING:
    from collaboration.reports.build import Report


def period_label(start: datetime.date | None, end: datetime.date | None) -> str:
    """A period as people say it: '3rd quarter 2026', '2026', 'March 2026', or from one date to another."""
    if start and end:
        if start == end:
            return date_format(start)
        months = whole_months(start, end)
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 3 and start.month in (1, 4, 7, 10):
            return _("quarter %(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
        if months == 1:
            return date_format(start, "F Y")
        return f"{date_format(start)} – {date_format(end)}"
    if start:
        return _("from %(date)s") % {"date": date_format(start)}
    if end:
        return _("until %(date)s") % {"date": date_format(end)}
    return _("all time")


def during(start: datetime.date | None, end: datetime.date | None) -> str:
    """When, as a sentence says it: 'in 2026', 'on 16 November 2026', 'since 1 June 2026', 'in all the time on
    record'."""
    if start and end:
        if start == end:
            return _("on %(date)s") % {"date": date_format(start)}
        label = period_label(start, end)
        if label == f"{date_format(start)} – {date_format(end)}":
            return _("in the period %(period)s") % {"period": label}
        return _("in %(period)s") % {"period": label}
    if start:
        return _("since %(date)s") % {"date": date_format(start)}
    if end:
        return _("up to and including %(date)s") % {"date": date_format(end)}
    return _("in all the time on record")


def percent(share: Share | None) -> str:
    return "–" if share is None else str(share)


def name_list(names: list[str], limit: int = 5) -> str:
    if len(names) <= limit:
        return list_of_names(names)
    rest = len(names) - limit
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", rest) % {
        "names": list_of_names(names[:limit]),
        "count": rest,
    }


def summary_sentences(report: Report) -> list[str]:
    """'What changed', in plain words, written from the figures: never typed by anyone."""
    sentences = []
    when = during(report.selection.start, report.selection.end)
    started = started_within(report.rows, report.selection)
    if started:
        by_form = Counter(r.form for r in started)
        form, count = max(by_form.items(), key=lambda item: (item[1], item[0]))
        sentences.append(
            ngettext(
                "%(count)s new collaboration %(during)s, %(top)s of them in the form “%(form)s”.",
                "%(count)s new collaborations %(during)s, %(top)s of them in the form “%(form)s”.",
                len(started),
            )
            % {"count": len(started), "during": when, "top": count, "form": Form(form).label.lower()}
        )
    else:
        sentences.append(_("No new collaborations started %(during)s.") % {"during": when})
    if report.change is not None:
        sentences += change_sentences(report)
    if disconnected := report.disconnected_names:
        sentences.append(
            disconnected_sentence(len(disconnected), report.selection.is_narrowed, len(report.centres) > 1)
            % {"count": len(disconnected), "names": name_list(disconnected)}
        )
    share = report.figure("cross_sector_share")
    if share.value is not None:
        values = {
            "share": percent(share.value),
            "previous": percent(share.previous),
            "expected": percent(report.figures.expected_cross_sector_share),
        }
        if share.previous is None:
            sentence = _(
                "%(share)s of the ties crossed sector groups; a random mix of the same actors would give %(expected)s."
            )
        else:
            sentence = _(
                "%(share)s of the ties crossed sector groups (%(previous)s in the period before); a random mix of the "
                "same actors would give %(expected)s."
            )
        sentences.append(sentence % values)
    return sentences


def disconnected_sentence(count: int, narrowed: bool, several_centres: bool) -> str:
    """The actors present but without a tie. With forms, themes or sectors chosen they may well have collaborated in
    those left out: only this selection is known to lack them."""
    if narrowed and several_centres:
        return ngettext(
            "%(count)s actor present in the centres had no tie in this selection: %(names)s.",
            "%(count)s actors present in the centres had no tie in this selection: %(names)s.",
            count,
        )
    if narrowed:
        return ngettext(
            "%(count)s actor present in the centre had no tie in this selection: %(names)s.",
            "%(count)s actors present in the centre had no tie in this selection: %(names)s.",
            count,
        )
    if several_centres:
        return ngettext(
            "%(count)s actor present in the centres had no collaboration in the period: %(names)s.",
            "%(count)s actors present in the centres had no collaboration in the period: %(names)s.",
            count,
        )
    return ngettext(
        "%(count)s actor present in the centre had no collaboration in the period: %(names)s.",
        "%(count)s actors present in the centre had no collaboration in the period: %(names)s.",
        count,
    )


def change_sentences(report: Report) -> list[str]:
    change, sentences = report.change, []
    before, after = report.previous_network.graph, report.network.graph
    steps = Counter((before.edges[a, b]["highest_form"], after.edges[a, b]["highest_form"]) for a, b in change.deepened)
    for (low, high), count in sorted(steps.items(), key=lambda item: (-item[1], item[0]))[:3]:
        sentences.append(
            ngettext(
                "%(count)s pair went from “%(from)s” to “%(to)s”.",
                "%(count)s pairs went from “%(from)s” to “%(to)s”.",
                count,
            )
            % {"count": count, "from": Form(low).label.lower(), "to": Form(high).label.lower()}
        )
    if len(steps) > 3:
        rest = sum(count for _step, count in sorted(steps.items(), key=lambda item: (-item[1], item[0]))[3:])
        sentences.append(
            ngettext("%(count)s other pair deepened its collaboration.", "%(count)s other pairs deepened theirs.", rest)
            % {"count": rest}
        )
    new, ended, weakened = len(change.new), len(change.ended), len(change.weakened)
    counts = [
        ngettext("%(count)s new tie", "%(count)s new ties", new) % {"count": new},
        ngettext("%(count)s ended", "%(count)s ended", ended) % {"count": ended},
        ngettext("%(count)s at a lower form than before", "%(count)s at a lower form than before", weakened)
        % {"count": weakened},
    ]
    sentences.append(
        _("Compared with %(previous)s: %(counts)s.") % {"previous": report.previous_label, "counts": ", ".join(counts)}
    )
    if change.joined:
        names = sorted((after.nodes[actor]["name"] for actor in change.joined), key=str.casefold)
        sentences.append(_("Joined the network: %(names)s.") % {"names": name_list(names)})
    if change.left:
        names = sorted((before.nodes[actor]["name"] for actor in change.left), key=str.casefold)
        sentences.append(_("Left the network: %(names)s.") % {"names": name_list(names)})
    return sentences
