"""Uploaded files as tables of text: XLSX workbooks and CSV files as Danish Excel writes them.

Nothing here trusts the file. A workbook is checked as a zip before openpyxl opens it (macros, password protection,
corrupt archives, zip bombs), formulas are read as their cached values and never evaluated, and every file is read
as a stream from disk, row by row, so that a large upload is held in memory once, as parsed rows, not as bytes too.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from collaboration.imports.columns import is_read_column, kind_of_table, read_positions
from samkort.text import fold, whole_number, without_text_marks
from samkort.validators import without_cpr_like_numbers

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARACTERS = 100_000
csv.field_size_limit(MAX_CELL_CHARACTERS)
# A workbook of 10 MB unpacks to far less than this; a zip bomb to far more.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_PACKING_RATIO = 150
# Spreadsheets kept by hand often carry a title, who made it and a legend above their column names: a dozen lines.
HEADER_SEARCH_ROWS = 30
# A sheet formatted down to Excel's last row holds a million empty rows, and a hand-made one can claim a row numbered
# in the billions: no row past Excel's last is read, and after this many empty rows in a row, nothing more is.
EXCEL_ROWS = 1_048_576
EMPTY_RUN = 10_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx and the old .xls are OLE files
ZIP_SIGNATURE = b"PK\x03\x04"


class FileRefused(Exception):
    """A file that cannot be imported at all, with the reason in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """One sheet or CSV file: its name, its header, and its rows as (row number in the file, values)."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list]] = field(repr=False)
    source: str = ""  # the file it is in: a workbook's sheets share one
    header_row: int = 1
    hidden: bool = False  # a hidden sheet, such as a template's lists behind its drop-downs
    filled: FilledRows | None = field(default=None, repr=False)
    marks: SheetMarks | None = field(default=None, repr=False)
    checks: UnreadableCells | None = field(default=None, repr=False)

    def unreadable_cell(self, row: int, values: list) -> tuple[str, str] | None:
        """A cell of this row in a column Samkort reads that looks empty but is not (merged, or a formula without
        its result): its column's name and why, or None. Rows are asked for in order, top to bottom."""
        if self.marks is None:
            return None
        if self.checks is None:
            self.checks = UnreadableCells(self.marks, read_positions(self.header))
        found = self.checks.first(row, values)
        return (self.header[found[0]], found[1]) if found else None

    @property
    def stopped_after(self) -> int | None:
        """The last filled row before a long run of empty ones, where reading stopped; None when read to the end."""
        return self.filled.stopped_after if self.filled else None

    @property
    def hidden_rows_read(self) -> list[int]:
        """The filled rows read that are hidden in Excel (filtered out, or hidden by hand)."""
        return self.filled.hidden_read if self.filled else []

    def keys(self) -> list[str]:
        return [fold(name) for name in self.header]


@contextlib.contextmanager
def open_tables(files: list[tuple[str, Path]]) -> Iterator[list[Table]]:
    """The tables of one .xlsx or of one or more .csv files, given as (the name the user gave, where it is stored).

    Their rows are read as they are used, so the workbook stays open until the `with` block ends.
    """
    kinds = {suffix_of(name) for name, _path in files}
    if kinds == {".xlsx"} and len(files) == 1:
        with open_workbook(*files[0]) as tables:
            yield tables
    elif kinds <= TEXT_KINDS:
        yield [csv_table(name, path) for name, path in files]
    elif ".xlsm" in kinds:
        raise FileRefused(_("Workbooks with macros (.xlsm) are not imported. Save the workbook as .xlsx."))
    elif kinds == {".xlsx"}:
        raise FileRefused(_("Import one workbook at a time."))
    else:
        raise FileRefused(_("Choose one .xlsx workbook, or one or more .csv files."))


# Text tables: CSV, and Excel's "Unicode text" (.txt, UTF-16 with tabs), which is read as a CSV of tabs.
TEXT_KINDS = {".csv", ".txt"}


def suffix_of(name: str) -> str:
    return Path(name).suffix.lower()


def check_size(name: str, path: Path) -> None:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileRefused(_("%(name)s is larger than 10 MB. Split it into smaller files.") % {"name": name})
    if path.stat().st_size == 0:
        raise FileRefused(_("%(name)s is empty.") % {"name": name})


# -- XLSX -----------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def open_workbook(name: str, path: Path) -> Iterator[list[Table]]:
    from openpyxl import load_workbook

    check_size(name, path)
    check_workbook_archive(name, path)
    # Opened from a file object: openpyxl judges a path by its extension, and uploads are stored without one.
    with path.open("rb") as file:
        try:
            workbook = load_workbook(file, read_only=True, data_only=True, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds for a broken workbook; each means the same here
            raise FileRefused(
                _("%(name)s could not be read as an Excel workbook. Open it in Excel and save it again as .xlsx.")
                % {"name": name}
            ) from error
        try:
            yield list(sheet_tables(name, path, workbook))
        finally:
            workbook.close()


def sheet_tables(name: str, path: Path, workbook) -> Iterator[Table]:
    all_marks = sheet_marks(name, path, workbook)
    for sheet in workbook.worksheets:
        marks = all_marks.get(sheet.title) or SheetMarks()
        # The size a sheet says it has is not trusted: a tiny file can claim a million rows of 16,384 columns.
        sheet.reset_dimensions()
        rows = readable(sheet.iter_rows(values_only=True, max_row=EXCEL_ROWS), name)
        filled = FilledRows(rows, hidden=marks.hidden)
        found = find_header(iter(filled))
        if found is None:
            continue  # an empty sheet holds nothing to import
        header_row, header, rows = found
        title = without_cpr_like_numbers(sheet.title)
        # Only a header Samkort reads must have a name per column: a cover sheet's merged title is left alone.
        if header_row in marks.merge_starts() and kind_of_table(names_of(header)) is not None:
            raise FileRefused(
                _(
                    "The sheet %(sheet)s has merged cells in its header row. "
                    "Unmerge them: each column needs its own name."
                )
                % {"sheet": title}
            )
        yield Table(
            title,
            header_names(header, title),
            rows,
            source=name,
            header_row=header_row,
            hidden=sheet.sheet_state != "visible",
            filled=filled,
            marks=marks,
        )


def check_workbook_archive(name: str, path: Path) -> None:
    with path.open("rb") as file:
        start = file.read(8)
    if start.startswith(OLE_SIGNATURE):
        raise FileRefused(
            _(
                "%(name)s is protected by a password, or saved in the old .xls format. "
                "Save it as an .xlsx workbook without a password."
            )
            % {"name": name}
        )
    if not start.startswith(ZIP_SIGNATURE):
        raise FileRefused(_("%(name)s is not an Excel workbook (.xlsx).") % {"name": name})
    damaged = _("%(name)s is damaged and cannot be opened.") % {"name": name}
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            # The sizes the archive declares come first: reading never unpacks more than they say, so a zip bomb
            # is refused here before anything is unpacked.
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_PACKING_RATIO):
                raise FileRefused(
                    _("%(name)s unpacks to far more than a workbook of its size can hold.") % {"name": name}
                )
            if any(entry.endswith("vbaProject.bin") for entry in names):
                raise FileRefused(
                    _("%(name)s contains macros. Save the workbook as .xlsx without macros.") % {"name": name}
                )
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as error:
        raise FileRefused(damaged) from error
    if broken is not None:
        raise FileRefused(damaged)
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("%(name)s is not an Excel workbook (.xlsx).") % {"name": name})


@dataclass
class SheetMarks:
    """What a sheet's XML says of its cells that openpyxl's read-only mode does not: merged cells, hidden rows, and
    formulas saved without their result (a file written by a program rather than by Excel). Columns count from 1."""

    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # min col, min row, max col, max row
    hidden: set[int] = field(default_factory=set)
    # Row -> [(column, cell, Excel's error or "")] of its formulas without a result and cells holding an error.
    uncomputed: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)

    def merge_starts(self) -> set[int]:
        return {min_row for _min_col, min_row, _max_col, _max_row, _ref in self.merged}


class UnreadableCells:
    """The cells in a table's read columns that read as empty while Excel shows something in them, row by row.

    Only the merges that cross a read column are kept, and only those over the row asked for are looked at: a sheet
    with a merge on every row, or one merge a thousand rows by 16,000 columns wide, costs what its read columns do."""

    def __init__(self, marks: SheetMarks, read: list[int]):
        self.read = [index + 1 for index in read]
        self.uncomputed = marks.uncomputed
        crossing = [m for m in marks.merged if any(m[0] <= column <= m[2] for column in self.read)]
        self.merges = sorted(crossing, key=lambda merge: merge[1])
        self.next, self.active, self.last_row = 0, [], 0

    def first(self, row: int, values: list) -> tuple[int, str] | None:
        """(column index from 0, the reason in the user's language) of the first such cell in the row, or None."""
        for column, cell, error in self.uncomputed.get(row, ()):
            if column in self.read and error:
                return column - 1, _(
                    "Cell %(cell)s holds Excel's error %(error)s, not a value. Correct it in Excel and save again."
                ) % {"cell": cell, "error": excel_error_as_shown(error)}
            if column in self.read:
                return column - 1, _(
                    "Cell %(cell)s holds a formula without its result. Open the file in Excel and save it again."
                ) % {"cell": cell}
        if row < self.last_row:
            self.next, self.active = 0, []
        self.last_row = row
        while self.next < len(self.merges) and self.merges[self.next][1] <= row:
            merge = self.merges[self.next]
            self.next += 1
            # Merged cells with nothing in them show nothing in Excel either: only a value hidden below counts.
            if merge[1] == row and is_blank(values[merge[0] - 1] if merge[0] - 1 < len(values) else None):
                continue
            if merge[1] < row:
                continue  # its first row was empty, or the header's: nothing to read twice
            self.active.append(merge)
        self.active = [merge for merge in self.active if merge[3] >= row]
        for min_col, min_row, max_col, _max_row, ref in self.active:
            for column in self.read:
                if min_col <= column <= max_col and (column, row) != (min_col, min_row):
                    return column - 1, merged_cell_reason(column, row, ref)
        return None


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Excel's errors as the user's Excel shows them: a file keeps the English code whatever the language of Excel.
EXCEL_ERRORS = {
    "#N/A": pgettext_lazy("Excel error", "#N/A"),
    "#VALUE!": pgettext_lazy("Excel error", "#VALUE!"),
    "#REF!": pgettext_lazy("Excel error", "#REF!"),
    "#DIV/0!": pgettext_lazy("Excel error", "#DIV/0!"),
    "#NAME?": pgettext_lazy("Excel error", "#NAME?"),
    "#NUM!": pgettext_lazy("Excel error", "#NUM!"),
    "#NULL!": pgettext_lazy("Excel error", "#NULL!"),
}


def excel_error_as_shown(code: str) -> str:
    """ "#I/T (#N/A)" in Danish: the name the user's Excel shows, and the code the file holds."""
    shown = str(EXCEL_ERRORS.get(code, code))
    return code if shown == code else f"{shown} ({code})"


def merged_cell_reason(column: int, row: int, ref: str) -> str:
    from openpyxl.utils.cell import get_column_letter

    return _("Cell %(cell)s is part of the merged cells %(range)s. Unmerge them and write the value in each row.") % {
        "cell": f"{get_column_letter(column)}{row}",
        "range": ref,
    }


def sheet_marks(name: str, path: Path, workbook) -> dict[str, SheetMarks]:
    """Each sheet's marks, read from its XML in one pass, each row dropped once parsed."""
    from lxml import etree

    # A formula's result is its <v>: missing, or empty where only text may be empty (Excel writes a formula whose
    # result is "" as t="str" with an empty <v>; openpyxl and other programs write an empty <v> for any formula).
    # A cell of type "e" holds one of Excel's errors (#N/A, #REF!), which openpyxl reads as if it were text.
    uncomputed_cells = etree.XPath(
        "./*[local-name()='c'][@t = 'e' or (*[local-name()='f']"
        " and (not(*[local-name()='v']) or (string(*[local-name()='v']) = '' and not(@t = 'str'))))]"
    )
    found: dict[str, SheetMarks] = {}
    with zipfile.ZipFile(path) as archive:
        parts = set(archive.namelist())
        for sheet in workbook.worksheets:
            part = getattr(sheet, "_worksheet_path", "").lstrip("/")
            if part not in parts:
                continue
            marks = found[sheet.title] = SheetMarks()
            number = 0
            with archive.open(part) as xml:
                try:
                    for _event, element in etree.iterparse(
                        xml, tag=("{*}mergeCell", "{*}row"), resolve_entities=False, no_network=True
                    ):
                        if element.tag.endswith("}row"):
                            number = note_row(marks, element, uncomputed_cells, after=number)
                        else:
                            note_merged_cells(marks, element.get("ref", ""))
                        forget(element)
                except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as error:
                    raise FileRefused(_("%(name)s is damaged and cannot be opened.") % {"name": name}) from error
    return found


def note_row(marks: SheetMarks, row, uncomputed_cells, after: int) -> int:
    """Notes the row's marks; its number, which a hand-made file may leave out ("r" is optional: the row after)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

    number = int(row.get("r")) if row.get("r", "").isdigit() else after + 1
    if row.get("hidden") in ("1", "true"):
        marks.hidden.add(number)
    if uncomputed := uncomputed_cells(row):
        cells = []
        column = 0
        for cell in row:
            if not cell.tag.endswith("}c"):
                continue
            try:
                column = column_index_from_string(coordinate_from_string(cell.get("r"))[0])
            except (TypeError, ValueError):
                column += 1  # a cell without its reference is the one after the cell before
            if cell in uncomputed:
                error = next((v.text or "" for v in cell if v.tag.endswith("}v")), "") if cell.get("t") == "e" else ""
                cells.append((column, cell.get("r") or f"{get_column_letter(column)}{number}", error.strip()[:20]))
        marks.uncomputed[number] = cells
    return number


def note_merged_cells(marks: SheetMarks, ref: str) -> None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return  # a range Excel would not write: nothing is merged by it
    if None not in (min_col, min_row, max_col, max_row):
        marks.merged.append((min_col, min_row, max_col, max_row, ref))


def forget(element) -> None:
    """Drops a parsed element and those before it, so that a sheet of 50,000 rows is never held as a tree."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


# -- CSV ------------------------------------------------------------------------------------------------------------


def csv_table(name: str, path: Path) -> Table:
    check_size(name, path)
    encoding = text_encoding(name, path)
    with path.open(newline="", **encoding) as text:
        sample = text.read(64 * 1024)
    dialect = detect_dialect(sample)
    found = find_header(iter(FilledRows(readable(csv.reader(io.StringIO(sample, newline=""), dialect), name))))
    if found is None:
        raise FileRefused(_("%(name)s has no header row with column names.") % {"name": name})
    header_row, header, _rows = found
    names = header_names(header, name)
    rows = csv_rows(name, path, encoding, dialect, after=header_row, columns=len(names))
    return Table(name, names, rows, source=name, header_row=header_row, filled=rows)


def csv_rows(name: str, path: Path, encoding: dict, dialect, after: int, columns: int) -> FilledRows:
    def lines():
        with path.open(newline="", **encoding) as text:
            for number, row in enumerate(readable(csv.reader(text, dialect), name), start=1):
                refuse_rows_in_a_cell(name, row, dialect.delimiter, columns, number)
                yield [without_text_marks(cell) for cell in row]

    return FilledRows(lines(), after=after)


def refuse_rows_in_a_cell(name: str, row: list[str], delimiter: str, columns: int, number: int) -> None:
    """A quote that opens a cell and does not close before the row ends makes the rows after it one cell: a cell
    whose later lines look like rows of the file is such rows, and the file is refused rather than read with them
    gone."""
    for cell in row:
        if ("\n" in cell or "\r" in cell) and look_like_rows(cell.splitlines()[1:], delimiter, columns):
            raise FileRefused(
                _(
                    '%(name)s has a quote (") in row %(row)s that does not close where the cell ends, so the '
                    "rows after it are read as one cell. Close the quote, or delete it, and save the file again."
                )
                % {"name": name, "row": number}
            )


def look_like_rows(lines: list[str], delimiter: str, columns: int) -> bool:
    """A line holding about as many separators as a row of the file, or several lines that each hold a whole row's.
    A description over several lines, with a separator here and there, does not; with commas, which prose has plenty
    of, one line must hold a whole row's, and a narrow file's rows are only recognised several at a time."""
    whole_row = max(1, columns - 1)
    filled = [line for line in lines if line.strip()]
    if len(filled) >= 2 and all(line.count(delimiter) >= whole_row for line in filled):
        return True
    enough = max(4, whole_row) if delimiter == "," else min(max(3, columns - 2), max(2, whole_row))
    return any(line.count(delimiter) >= enough for line in filled)


# Files saved by older Excel are single-byte text: Windows-1252 on Windows, the DOS code page 850 from "CSV (MS-DOS)"
# and Mac Roman from "CSV (Macintosh)". Their bytes mean different letters ("ø" is 0xF8, 0x9B and 0xBF), and every
# byte means something in DOS and Mac Roman, so no reading fails: the one chosen is the one with the fewest characters
# Danish text would not hold where they stand, Windows-1252 (by far the most common) before the others on a tie.
SINGLE_BYTE_ENCODINGS = ("cp1252", "cp850", "mac_roman")
LIKELY_LETTERS = frozenset("æøåÆØÅéÉäöüÄÖÜ")
# Characters a list of organisations does not hold anywhere: what another encoding's Danish letters look like when read
# as Windows-1252 (†, ›, ¯, ¾, ¿, ‚), DOS's box drawing, and the Mac's mathematics.
UNLIKELY_PUNCTUATION = frozenset("†‡‰‹›‚¿¡¯¸¨¬¤¦¹²³¾ƒˆ˜")
# A symbol inside a word is a misread letter, except these: an apostrophe, a hyphen or dash, a non-breaking space.
IN_A_WORD = frozenset("’'‐-–—\xa0")
# Marks that follow a name, never start a word ("®bleHaven" is DOS's "Æblehaven").
AFTER_A_WORD = frozenset("®©™")
# How much of a file that is not UTF-8 is read to choose its encoding (the rest is read in the same one).
ENCODING_SAMPLE_BYTES = 1024 * 1024
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def utf8_else(encoding: str):
    """An error handler reading bytes that are not UTF-8 in `encoding`. A UTF-8 file may hold a line pasted from a
    single-byte file, and read wholly in that encoding its "ø" became "Ã¸"."""

    def handler(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):
            raise error
        return error.object[error.start : error.end].decode(encoding), error.end

    return handler


for _encoding in SINGLE_BYTE_ENCODINGS:
    codecs.register_error(f"samkort-utf8-else-{_encoding}", utf8_else(_encoding))


def text_encoding(name: str, path: Path) -> dict:
    """How to open the file as text: UTF-16 or UTF-32 when it starts with their byte order mark (Excel's "Unicode
    text"); UTF-8 when it is; else the likeliest reading of a single-byte encoding, with or without UTF-8 beside it.
    A file none of them reads as text (a binary file, text in another alphabet) is refused."""
    with path.open("rb") as file:
        head = file.read(4096)
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            if not decodes(path, {"encoding": encoding, "errors": "strict"}):
                raise unknown_encoding(name)
            return {"encoding": encoding, "errors": "strict"}
    if b"\x00" in head:
        raise FileRefused(
            _("%(name)s is not a text file. Save it from Excel as “CSV (semikolonsepareret)”.") % {"name": name}
        )
    if decodes(path, UTF8):
        return UTF8
    with path.open("rb") as file:
        sample = file.read(ENCODING_SAMPLE_BYTES)
    encoding = likeliest_reading(sample)
    # Chosen on the first megabyte: the rest must read in the same encoding too.
    if encoding is None or not decodes(path, encoding):
        raise unknown_encoding(name)
    return encoding


UTF8 = {"encoding": "utf-8-sig", "errors": "strict"}


def unknown_encoding(name: str) -> FileRefused:
    return FileRefused(
        _(
            "Samkort cannot read the letters in %(name)s: it is not UTF-8, UTF-16, Windows, DOS or Mac text. "
            "Save it from Excel as CSV (UTF-8)."
        )
        % {"name": name}
    )


def decodes(path: Path, encoding: dict) -> bool:
    decoder = codecs.getincrementaldecoder(encoding["encoding"])(encoding["errors"])
    try:
        with path.open("rb") as file:
            while chunk := file.read(1024 * 1024):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def likeliest_reading(sample: bytes) -> dict | None:
    """The reading of the sample in a single-byte encoding, alone or for what is not UTF-8 beside UTF-8.

    Windows-1252 is kept unless another encoding's reading has fewer unlikely characters and more Danish letters for
    them ("Beboerr†det" is DOS's "Beboerrådet"; "Pris 100 €" is no Mac's "Pris 100 Ä"). A Mac file read as UTF-8 first
    can turn a quote and a capital into one Cyrillic letter ("“Å" is a valid UTF-8 pair), a UTF-8 file read wholly as
    Windows-1252 turns "ø" into "Ã¸": the counts tell which reading is which. None when Windows-1252 cannot read the
    bytes and no other reading holds as many Danish letters as unlikely characters."""
    windows, others = [], []
    for encoding in SINGLE_BYTE_ENCODINGS:
        for reading in (
            {"encoding": "utf-8-sig", "errors": f"samkort-utf8-else-{encoding}"},
            {"encoding": encoding, "errors": "strict"},
        ):
            try:
                text = sample.decode(reading["encoding"], reading["errors"])
            except UnicodeDecodeError:
                continue
            unlikely, likely = unlikely_and_likely(text)
            # Best first: the most Danish letters for the fewest unlikely characters, then the fewest unlikely
            # characters, then the order above (UTF-8 beside, before the encoding alone).
            rank = (unlikely - likely, unlikely, len(windows) + len(others))
            (windows if encoding == "cp1252" else others).append((rank, unlikely, reading))
    windows_best, other_best = min(windows, default=None), min(others, default=None)
    if windows_best is not None:
        if other_best and other_best[0][0] < windows_best[0][0] and other_best[1] < windows_best[1]:
            return other_best[2]
        return windows_best[2]
    if other_best is None or other_best[0][0] > 0:
        return None
    return other_best[2]


def unlikely_and_likely(text: str) -> tuple[int, int]:
    """How unlikely the text's characters are where they stand (a capital inside a word counts 1, any other unlikely
    character 2), and how many Danish letters it holds."""
    unlikely = likely = 0
    for match in NON_ASCII.finditer(text):
        at = match.start()
        char = text[at]
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if char in LIKELY_LETTERS:
            likely += 1
        unlikely += unlikeliness(char, before, after)
    return unlikely, likely


def unlikeliness(char: str, before: str, after: str) -> int:
    if char in UNLIKELY_PUNCTUATION or not is_latin_or_common(char):
        return 2
    if char.isalpha():
        if char.isupper() and before.isalpha() and before.islower():
            # A capital right after a small letter ("ChildrenÆs", "BeboerrŒdet") is often a misread apostrophe or
            # letter, and sometimes a name ("JobØst").
            return 1
        # Other alphabets' accents are rarer in a Danish list than æ, ø, å and é, and often another encoding's.
        return 0 if char in LIKELY_LETTERS else 1
    if char in AFTER_A_WORD and after.isalpha():
        return 2
    # A symbol between two letters ("F‘lles", "L¾secafé") is a misread letter.
    return 2 if char not in IN_A_WORD and before.isalpha() and after.isalpha() else 0


@functools.cache
def is_latin_or_common(char: str) -> bool:
    """Latin letters, and the punctuation, symbols and spaces any Danish text may hold; not another alphabet's
    letters, box drawing or mathematics."""
    if char.isalpha():
        return unicodedata.name(char, "").startswith("LATIN")
    return unicodedata.category(char) not in ("So", "Sm", "Sk", "Co", "Cn", "Cc", "Cf") or char in "°±×÷©®"


class ExcelDialect(csv.excel):
    """As Excel writes CSV: quotes doubled inside quoted cells. The delimiter is set per file."""

    doublequote = True


def detect_dialect(sample: str):
    """The separator whose reading of the first rows finds column names Samkort knows; else as the header line
    says (a title above the column names may hold a comma of its own: "Aktører i Kvarterhuset, marts 2025")."""
    for delimiter in ";,\t":
        dialect = separated_by(delimiter)
        # newline="": a line may end as Excel for Mac ends it, with a carriage return alone.
        rows = iter(FilledRows(csv.reader(io.StringIO(sample, newline=""), dialect)))
        try:
            first_rows = list(islice(rows, HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        if any(kind_of_table(names_of(cells)) is not None for _number, cells in first_rows):
            return dialect
    return dialect_of_header_line(sample)


def dialect_of_header_line(sample: str):
    """Danish Excel separates with semicolons; others with commas or tabs. The header line decides, counting only
    separators outside quotes, and a semicolon wins a tie (a heading like "Målgruppe (børn, unge)" holds a comma)."""
    counts = dict.fromkeys(";\t,", 0)
    # The header line is the first with a separator in it: a title above it may stand alone on its line.
    for line in islice(sample.splitlines(), HEADER_SEARCH_ROWS):
        counts = separators_outside_quotes(line)
        if any(counts.values()):
            break
    delimiter = max(counts, key=lambda char: (counts[char], char == ";"))
    return separated_by(delimiter if counts[delimiter] else ";")


def separated_by(delimiter: str):
    return type("FileDialect", (ExcelDialect,), {"delimiter": delimiter})


def separators_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(";\t,", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


# -- Both -----------------------------------------------------------------------------------------------------------


def find_header(rows: Iterator[tuple[int, list]]) -> tuple[int, list, Iterator[tuple[int, list]]] | None:
    """The header row, its cells and the rows after it: the first of the first filled rows whose column names
    Samkort knows, or the first filled row when none of them has any (the plan then says the table was not read).
    None when nothing is filled."""
    first_rows = list(islice(rows, HEADER_SEARCH_ROWS))
    if not first_rows:
        return None
    at = next((i for i, (_number, cells) in enumerate(first_rows) if kind_of_table(names_of(cells))), 0)
    number, cells = first_rows[at]
    return number, cells, chain(first_rows[at + 1 :], rows)


def names_of(cells) -> list[str]:
    """Column names as written, without the colon some sheets put after a heading ("Navn:", "Startdato :")."""
    return [("" if cell is None else str(cell)).strip().removesuffix(":").strip() for cell in cells]


def header_names(cells, where: str) -> list[str]:
    names = names_of(cells)
    while names and not names[-1]:
        names.pop()
    folded = [fold(name) for name in names if name]
    # Only a column Samkort reads must be the only one of its name: two "Kommentar" columns it leaves alone.
    duplicates = list(
        dict.fromkeys(name for name in names if name and folded.count(fold(name)) > 1 and is_read_column(name))
    )
    if duplicates:
        raise FileRefused(
            _("%(where)s has two columns called %(names)s. Give each column its own name.")
            % {"where": where, "names": ", ".join(f"“{name}”" for name in duplicates)}
        )
    return names


def readable(rows, name: str) -> Iterator:
    """Rows as the reader gives them; a file that breaks the reader halfway is refused, never a server error."""
    try:
        for row in rows:
            if len(row) > MAX_COLUMNS:
                row = row[:MAX_COLUMNS]
            yield row
    except csv.Error as error:
        raise FileRefused(
            _("%(name)s has a cell longer than %(limit)s characters, or quotes that do not close.")
            % {"name": name, "limit": whole_number(MAX_CELL_CHARACTERS)}
        ) from error
    except FileRefused:
        raise
    except Exception as error:  # openpyxl reads a sheet lazily: a broken cell or XML shows only now
        raise FileRefused(
            _("%(name)s could not be read to the end. Open it in Excel and save it again.") % {"name": name}
        ) from error


class FilledRows:
    """The rows that hold something, each with its number in the file (the first is 1), after row `after`.

    Reading stops after EMPTY_RUN empty rows in a row, and `stopped_after` then names the last filled row: a sheet
    formatted to its last row is read in a moment, and the preview says where reading stopped."""

    def __init__(self, rows, after: int = 0, hidden: frozenset[int] | set[int] = frozenset()):
        self.rows, self.after, self.hidden = rows, after, hidden
        self.stopped_after: int | None = None
        self.hidden_read: list[int] = []

    def __iter__(self) -> Iterator[tuple[int, list]]:
        empty = 0
        for number, values in enumerate(self.rows, start=1):
            # A cell of spaces looks empty in Excel, and is: a row of them is no row with its name missing.
            if any(value is not None and (not isinstance(value, str) or value.strip()) for value in values):
                empty = 0
                if number > self.after:
                    if number in self.hidden:
                        self.hidden_read.append(number)
                    yield number, list(values)
                continue
            empty += 1
            if empty >= EMPTY_RUN:
                self.stopped_after = number - empty
                return
