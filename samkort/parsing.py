"""Turning raw request values into safe Python values: hand-edited input must never reach the database raw."""

from __future__ import annotations

from samkort.text import clean_line, exportable

MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """A database id from user input, or None when it cannot be one."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def clean_query(raw: str, max_length: int = 100) -> str:
    """A search text: cleaned as saved text is, without what PostgreSQL refuses (NUL), and not too long."""
    return clean_line(exportable(raw))[:max_length]
