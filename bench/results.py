"""bench/RESULTS.md: each benchmark rewrites its own '## ' section and leaves the others as they are."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, section: str) -> None:
    """Replace the section that starts with `heading` (up to the next '## ' heading), or add it at the end."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    pattern = re.compile(rf"^{re.escape(heading)}\b.*?(?=^## |\Z)", re.M | re.S)
    body = section.rstrip() + "\n\n"
    text = pattern.sub(lambda _m: body, text) if pattern.search(text) else text.rstrip() + "\n\n" + body
    RESULTS.write_text(text.rstrip() + "\n")
