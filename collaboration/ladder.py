"""The five forms as a ladder of rising commitment, for the log form and the help texts."""

from __future__ import annotations

from dataclasses import dataclass

from collaboration.models import FORM_SUMMARIES, Form


@dataclass(frozen=True)
class LadderStep:
    value: int
    label: str
    summary: str
    example: str
    chosen: bool


def form_ladder(chosen: int | None = None) -> list[LadderStep]:
    return [
        LadderStep(form.value, form.label, FORM_SUMMARIES[form][0], FORM_SUMMARIES[form][1], form.value == chosen)
        for form in Form
    ]
