"""Near-duplicate actor names: "Jobcenter Slagelse" and "Jobcentret Slagelse" are probably one actor."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from samkort.text import fold

SIMILARITY_THRESHOLD = 0.85


def normalise_name(name: str) -> str:
    text = fold(name)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def name_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise_name(a), normalise_name(b)).ratio()


def similar_names(name: str, candidates: list[tuple[int, str]], limit: int = 5) -> list[int]:
    """Ids of the candidates whose names look like `name`, most similar first."""
    target = normalise_name(name)
    if not target:
        return []
    matcher = SequenceMatcher(None, b=target)
    scored = []
    for pk, candidate in candidates:
        matcher.set_seq1(normalise_name(candidate))
        # quick_ratio is an upper bound of ratio and much cheaper: skip the obvious misses.
        if matcher.quick_ratio() >= SIMILARITY_THRESHOLD and (score := matcher.ratio()) >= SIMILARITY_THRESHOLD:
            scored.append((-score, candidate, pk))
    return [pk for _, _, pk in sorted(scored)[:limit]]
