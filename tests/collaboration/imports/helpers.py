"""Files as the centres have them, made in the tests: Kumu workbooks, Danish Excel CSV, Samkort's own export."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from collaboration.imports.files import open_tables
from collaboration.imports.plan import make_plan
from collaboration.imports.write import write_plan

KUMU_ELEMENTS = [
    ["Label", "Type", "Description", "Tags"],
    ["Jobcenter Slagelse", "Jobcenter", "Kommunens jobcenter", "kommune"],
    ["Café Sumak", "Socialøkonomisk virksomhed", "", "mad"],
    ["Afdelingsbestyrelsen", "Afdelingsbestyrelse/beboerdemokrati", "", ""],
]
KUMU_CONNECTIONS = [
    ["From", "To", "Type", "Direction", "Label", "Description", "Tags", "From date", "To date"],
    ["Jobcenter Slagelse", "Café Sumak", "Samordne", "mutual", "Jobcafé", "Hver tirsdag", "", "01.02.2026", ""],
    ["Café Sumak", "Afdelingsbestyrelsen", "3", "directed", "Køkkenet", "", "", "2026-03-01", "2026-04-01"],
    ["Afdelingsbestyrelsen", "Jobcenter Slagelse", "knowledge sharing", "mutual", "", "", "", "15-05-2026", ""],
]


def workbook_bytes(
    sheets: dict[str, list[list]], merged: dict[str, str] | None = None, hidden=(), hidden_rows: dict | None = None
) -> bytes:
    """A workbook of these sheets; `merged` merges a range on a sheet (a title across the columns), `hidden` hides
    sheets (a template's lists), `hidden_rows` hides rows of a sheet (as a filter does)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in (merged or {}):
            sheet.merge_cells(merged[name])
        if name in hidden:
            sheet.sheet_state = "hidden"
        for row in (hidden_rows or {}).get(name, ()):
            sheet.row_dimensions[row].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kumu_workbook() -> bytes:
    return workbook_bytes({"Elements": KUMU_ELEMENTS, "Connections": KUMU_CONNECTIONS})


def stored(tmp_path: Path, name: str, content: bytes) -> tuple[str, Path]:
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}-{name}"
    path.write_bytes(content)
    return name, path


def plan_of(centre, files: list[tuple[str, Path]], **options):
    with open_tables(files) as tables:
        return make_plan(centre, tables, [name for name, _path in files], **options)


def import_files(centre, user, files: list[tuple[str, Path]], **options):
    plan = plan_of(centre, files, **options)
    return plan, write_plan(plan, user)
