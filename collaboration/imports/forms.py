from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from collaboration.imports.files import MAX_FILE_BYTES, TEXT_KINDS, suffix_of
from collaboration.records.forms import check_plausible_date
from samkort.validators import without_cpr_like_numbers
from samkort.widgets import DateInput

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# Spreadsheets Samkort does not read, but that any spreadsheet program saves as .xlsx in two clicks.
SAVE_AS_XLSX = (".xls", ".ods", ".numbers", ".xlsb", ".xltx")


class FilesField(forms.FileField):
    """One .xlsx workbook, or one or more .csv files (Django's pattern for several files in one field)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(FilesField, self).clean(file, initial) for file in files if file] or [super().clean(None)]
        for file in cleaned:
            if suffix_of(file.name) == ".xlsm":
                raise forms.ValidationError(_("Workbooks with macros (.xlsm) are not imported. Save it as .xlsx."))
            if suffix_of(file.name) in SAVE_AS_XLSX:
                raise forms.ValidationError(
                    _(
                        "%(name)s is a spreadsheet of another kind (%(kind)s). Open it in Excel or LibreOffice and "
                        "save it as an Excel workbook (.xlsx), then choose that file."
                    )
                    % {"name": without_cpr_like_numbers(file.name[:100]), "kind": suffix_of(file.name)}
                )
            if suffix_of(file.name) not in {".xlsx", *TEXT_KINDS}:
                raise forms.ValidationError(
                    _("%(name)s is neither an .xlsx workbook nor a .csv file.")
                    % {"name": without_cpr_like_numbers(file.name[:100])}
                )
            if file.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 10 MB.") % {"name": without_cpr_like_numbers(file.name[:100])}
                )
        if len(cleaned) > MAX_FILES:
            raise forms.ValidationError(_("Import at most %(limit)s files at a time.") % {"limit": MAX_FILES})
        if len(cleaned) > 1 and any(suffix_of(file.name) == ".xlsx" for file in cleaned):
            raise forms.ValidationError(_("Choose one .xlsx workbook, or one or more .csv files."))
        return cleaned


class ImportForm(forms.Form):
    files = FilesField(
        label=_("File"),
        help_text=_("One Excel workbook (.xlsx: Kumu's layout or Samkort's own export), or one or more CSV files."),
        error_messages={"required": _("Choose a file to import.")},
    )
    default_start = forms.DateField(
        label=_("Start date for rows without one"),
        required=False,
        widget=DateInput,
        # The rows' own rule, said on the field: a date the rows would refuse is no use here.
        validators=[check_plausible_date],
        help_text=_("Kumu maps often have no dates. Leave empty to have such rows reported instead."),
    )
