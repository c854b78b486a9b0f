"""One page of a long list, as every list in Samkort pages it."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_of(items, per_page: int, asked: str | None) -> Page:
    """The page asked for by its number in the address: the first for anything that is not a number or is below 1
    (Django's get_page takes -1 for the last), the last for a number past it."""
    try:
        number = max(int(asked), 1)
    except (TypeError, ValueError):
        number = 1
    return Paginator(items, per_page).get_page(number)


def latest_of(entries, shown: int, everything: bool) -> tuple[list, int]:
    """The latest `shown` of a history (all of it when asked) and how many it holds, so a page can say what it
    left out. Counts only when there is more than it shows."""
    if everything:
        items = list(entries)
        return items, len(items)
    items = list(entries[: shown + 1])
    if len(items) <= shown:
        return items, len(items)
    return items[:shown], entries.count()
