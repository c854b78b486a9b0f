"""The template workbook the import page offers: Kumu's two sheets, allowed values as Excel drop-down lists, and a
sheet of examples that is never imported (examples left in the sheets to fill were imported as real records). In the
language of the page it is fetched from: the import reads Danish and English values and sheet names alike."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from centres.models import ActorCategory
from collaboration.models import Form, Frequency, Level

ELEMENT_HEADER = ["Label", "Type", "Description", "Website", "E-mail"]
CONNECTION_HEADER = ["ID", "From", "To", "Type", "Label", "Description", "From date", "To date", "Frequency", "Level"]
ROWS = 2000  # the rows that get the drop-down lists


def template_workbook(language: str = "da") -> bytes:
    with translation.override(language):
        return workbook_in_active_language()


def workbook_in_active_language() -> bytes:
    categories = [str(label) for _value, label in ActorCategory.choices]
    forms = [str(label) for _value, label in Form.choices]
    frequencies = [str(label) for _value, label in Frequency.choices]
    levels = [str(label) for _value, label in Level.choices]
    book = Workbook()
    elements = book.active
    elements.title = "Elements"
    connections = book.create_sheet("Connections")
    # The lists' sheet is named in the formulas below, so no name a language may give it needs quoting.
    lists = book.create_sheet(LISTS_SHEET)
    for column, values in enumerate((categories, forms, frequencies, levels), start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    add_header(elements, ELEMENT_HEADER)
    restrict(elements, "B", f"={LISTS_SHEET}!$A$1:$A${len(categories)}", _("Choose a category from the list."))
    add_header(connections, CONNECTION_HEADER)
    add_examples(book.create_sheet(_("Examples"), 0), categories, forms)
    restrict(connections, "D", f"={LISTS_SHEET}!$B$1:$B${len(forms)}", _("Choose one of the five forms."))
    restrict(connections, "I", f"={LISTS_SHEET}!$C$1:$C${len(frequencies)}", _("Choose how often from the list."))
    restrict(connections, "J", f"={LISTS_SHEET}!$D$1:$D${len(levels)}", _("Choose a level from the list."))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Its name in the formulas of the drop-down lists; a hidden sheet no one reads, the same in both languages.
LISTS_SHEET = "Lister"


def add_examples(sheet, categories: list[str], forms: list[str]) -> None:
    """How the two sheets are filled in, on a sheet of its own, which the import passes over."""
    sheet.append(
        [_("How to fill in the sheets Elements (actors) and Connections (collaborations). This sheet is not imported.")]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(["Elements", *ELEMENT_HEADER])
    sheet.append(
        ["", "Jobcenter Slagelse", categories[4], _("The municipality's job centre"), "https://slagelse.dk", ""]
    )
    sheet.append(["", "Café Sumak", categories[20], _("A social-economy café in the centre"), "", "info@sumak.dk"])
    sheet.append([])
    sheet.append(["Connections", *CONNECTION_HEADER])
    sheet.append(
        ["", "1", "Jobcenter Slagelse", "Café Sumak", forms[3], _("Job café"), _("Every Tuesday"), "01.02.2026"]
    )
    sheet.append(
        ["", "2", "Café Sumak", "Jobcenter Slagelse", forms[0], _("Network meeting"), "", "15.03.2026", "15.03.2026"]
    )
    sheet.column_dimensions["A"].width = 14


def add_header(sheet, header: list[str]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=1, max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = 22
    sheet.freeze_panes = "A2"


def restrict(sheet, column: str, formula: str, message: str) -> None:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    validation.error = message
    validation.errorTitle = "Samkort"
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{ROWS}")
