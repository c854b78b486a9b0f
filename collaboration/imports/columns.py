"""What a column is called, in Kumu, in Samkort's own export and in Danish or English, and what its values mean.

Names and values are compared folded (samkort.text.fold): "Startdato", "STARTDATO" and "startdato " are one column,
"Samordne", "samordne" and "4" one form. Labels are read in both languages from the same translations the pages use,
so a workbook exported in English re-imports as well as one exported in Danish.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from centres.models import ActorCategory, Sector
from collaboration.models import (
    SEEDED_THEMES,
    CitizensPart,
    Form,
    Frequency,
    Level,
    ParticipantRole,
    ResourceKind,
    Theme,
)
from samkort.text import clean_line, exportable, fold, whole_number
from samkort.validators import contains_cpr_like_number

LANGUAGES = ("da", "en")


def in_both_languages(*labels) -> set[str]:
    """Each label as a Danish and an English user reads it, folded; plain strings are taken as they are."""
    names = set()
    for label in labels:
        for language in LANGUAGES:
            with translation.override(language):
                names.add(fold(str(label)))
    return names


def theme_lookup() -> dict[str, int]:
    """Every theme by its name as stored, and a seeded theme also by its name in each language (an English export
    names it in English), folded, to its id."""
    themes = list(Theme.objects.values_list("pk", "name"))
    lookup = {}
    for pk, name in themes:
        if name in SEEDED_THEMES:
            lookup |= dict.fromkeys(in_both_languages(SEEDED_THEMES[name]), pk)
    # A theme's own name wins over a seeded theme's translation (an administrator's theme called "Health").
    lookup |= {fold(name): pk for pk, name in themes}
    return lookup


# A start date by these names is read, but does not by itself make a sheet one of collaborations: an actors' sheet
# may well have an ID, a Label and a date.
PLAIN_DATES = ("Dato", "Date")
# Canonical column -> the names it goes by. Kumu's own names come first in each list.
ACTOR_COLUMNS = {
    "name": ("Label", "Navn", "Name", "Aktør", "Actor", gettext_lazy("Actor")),
    "type": ("Type", "Kategori", "Category", gettext_lazy("category")),
    "description": ("Description", "Beskrivelse", gettext_lazy("description")),
    "website": ("Website", "Hjemmeside", "URL", gettext_lazy("website")),
    "email": ("E-mail", "Email", "Mail", gettext_lazy("work contact e-mail")),
    "based": ("Based", gettext_lazy("Based in the centre")),
    "x": ("X",),
    "y": ("Y",),
}
CONNECTION_COLUMNS = {
    "id": ("ID", gettext_lazy("ID")),
    "from": ("From", "Fra"),
    "to": ("To", "Til"),
    "type": ("Type", "Form", gettext_lazy("Form"), gettext_lazy("form of collaboration")),
    # Kumu's: "directed" (From refers to or gives to To), "mutual" or "undirected".
    "direction": ("Direction", "Retning"),
    "title": ("Label", "Titel", "Title", gettext_lazy("Title")),
    "description": ("Description", "Beskrivelse", gettext_lazy("description")),
    # A plain "Dato" comes last: a sheet with a start date too reads that instead.
    "started_on": ("From date", "Start date", "Startdato", "Start", "Fra dato", gettext_lazy("Started"), *PLAIN_DATES),
    "ended_on": ("To date", "End date", "Slutdato", "Slut", "Til dato", gettext_lazy("Ended"), "Ophørt"),
    "frequency": ("Frequency", "Hyppighed", gettext_lazy("How often")),
    "level": ("Level", "Niveau", gettext_lazy("Level")),
    "themes": ("Tags", "Temaer", "Themes", gettext_lazy("Themes")),
    "target_group": ("Target group", "Målgruppe", gettext_lazy("Target group")),
    "citizens_part": (gettext_lazy("Residents' part"),),
    "citizen_count": (gettext_lazy("Residents taking part"),),
    "resource_kind": (gettext_lazy("What was exchanged"),),
    "goals": (gettext_lazy("Goals and success criteria"),),
    "outcome": (gettext_lazy("Outcome"),),
}
# Samkort's own export: one sheet of collaborations, one of who took part in which.
COLLABORATION_COLUMNS = {key: names for key, names in CONNECTION_COLUMNS.items() if key not in ("from", "to")} | {
    "centre": (gettext_lazy("Centre"),),
}
PARTICIPATION_COLUMNS = {
    # As exports before 2026-12 named it in Danish, too.
    "collaboration_id": (gettext_lazy("Collaboration ID"), "Samarbejde-ID"),
    "actor": ("Actor", "Aktør", gettext_lazy("Actor")),
    "role": ("Role", "Rolle", gettext_lazy("Role")),
}


def is_read_column(name: str) -> bool:
    """Whether a column by this name is one Samkort reads, in any kind of sheet."""
    return fold(name) in read_column_names()


@functools.cache
def read_column_names() -> frozenset[str]:
    kinds = (ACTOR_COLUMNS, CONNECTION_COLUMNS, COLLABORATION_COLUMNS, PARTICIPATION_COLUMNS)
    return frozenset(in_both_languages(*(name for kind in kinds for names in kind.values() for name in names)))


@dataclass(frozen=True)
class Columns:
    """Where each known column is in a table's header; unknown columns are ignored (Kumu files have many)."""

    positions: dict[str, int]
    header: list[str]
    # Columns that are one column under two of its names ("From" and "Fra"): the sheet is refused, since only one
    # of them could be read and the other would be dropped unseen.
    twice: list[str] = field(default_factory=list)

    def __contains__(self, key: str) -> bool:
        return key in self.positions

    def value(self, row: list, key: str):
        position = self.positions.get(key)
        if position is None or position >= len(row):
            return None
        return row[position]

    def name(self, key: str) -> str:
        return self.header[self.positions[key]]


def columns_of(header: list[str], known: dict[str, tuple]) -> Columns:
    """Each known column at its first place in the header, by its names in the order given (the first name wins)."""
    folded = [fold(name) for name in header]
    positions = {}
    twice = []
    for key, names in known.items():
        for alias in names:
            variants = in_both_languages(alias)
            found = [p for p, name in enumerate(folded) if name in variants and p not in positions.values()]
            if found:
                positions[key] = found[0]
                break
        if key in positions and not twice:
            # A plain "Dato" beside a start date is another date, and is left unread as the preview says.
            aliases = in_both_languages(*(name for name in names if name not in PLAIN_DATES))
            same = [p for p, name in enumerate(folded) if name in aliases and p not in positions.values()]
            if same and folded[positions[key]] in aliases:
                twice = [header[p] for p in sorted([positions[key], *same])]
    return Columns(positions, header, twice)


# Columns of Samkort's own export that it works out rather than records: read back, they would say nothing new.
WORKED_OUT_COLUMNS = (
    gettext_lazy("Sector group"),
    gettext_lazy("Partners (degree)"),
    gettext_lazy("Collaborations (weighted degree)"),
    gettext_lazy("Brokerage (betweenness)"),
    gettext_lazy("Community"),
    gettext_lazy("Collaboration"),
)


def unread_columns(header: list[str], columns: Columns) -> list[str]:
    """The columns of a table that no known column took: said in the preview, so a misnamed date is not lost. A
    column without a name is named by its letter."""
    taken = set(columns.positions.values())
    worked_out = in_both_languages(*WORKED_OUT_COLUMNS)
    return [
        name.strip() or _("column %(letter)s (no name)") % {"letter": get_column_letter(position + 1)}
        for position, name in enumerate(header)
        if position not in taken and fold(name) not in worked_out
    ]


# The sheets of Samkort's own export that hold figures, not records: read by no one, and not worth a word.
FIGURE_SHEETS = (gettext_lazy("Key figures"), gettext_lazy("Parameters"))
# The template's sheet of examples: never imported, whatever it holds.
EXAMPLE_SHEETS = ("Eksempler", "Examples")


def is_figure_sheet(name: str) -> bool:
    return fold(name) in in_both_languages(*FIGURE_SHEETS)


def is_example_sheet(name: str) -> bool:
    return fold(name) in {fold(example) for example in EXAMPLE_SHEETS}


COLUMNS_OF_KIND = {
    "actors": ACTOR_COLUMNS,
    "connections": CONNECTION_COLUMNS,
    "collaborations": COLLABORATION_COLUMNS,
    "participations": PARTICIPATION_COLUMNS,
}


def kind_of_table(header: list[str]) -> str | None:
    """What a table holds, by its header: actors, connections (Kumu), collaborations or participations (Samkort)."""
    names = {fold(name) for name in header}

    def has(*aliases) -> bool:
        return bool(names & in_both_languages(*aliases))

    if has(*CONNECTION_COLUMNS["from"]) and has(*CONNECTION_COLUMNS["to"]):
        return "connections"
    if has(*PARTICIPATION_COLUMNS["collaboration_id"]) and has(*PARTICIPATION_COLUMNS["actor"]):
        return "participations"
    start_names = [name for name in CONNECTION_COLUMNS["started_on"] if name not in PLAIN_DATES]
    # Kumu names its elements by "Label": with an ID and the day a partner joined, that is still a sheet of actors.
    titles = [name for name in CONNECTION_COLUMNS["title"] if name != "Label"]
    if has(*CONNECTION_COLUMNS["id"]) and has(*start_names) and has(*titles):
        return "collaborations"
    if has(*ACTOR_COLUMNS["name"]):
        return "actors"
    return None


def read_positions(header: list[str]) -> list[int]:
    """Where in the header the columns stand that Samkort reads in a table of its kind: a "Center" column is read in
    Samkort's own collaborations sheet, not in a sheet of actors. Every known name counts when the kind is unknown."""
    kind = kind_of_table(header)
    if kind is None:
        return [position for position, name in enumerate(header) if is_read_column(name)]
    return sorted(columns_of(header, COLUMNS_OF_KIND[kind]).positions.values())


# -- Values ---------------------------------------------------------------------------------------------------------


class BadValue(Exception):
    """A cell whose value means nothing here; the message says what was expected, and what was there only as
    `shown` gives it (never a CPR-like number)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def shown(text: str) -> str:
    """A refused cell as a message may show it: never a CPR-like number, never a character no page can hold."""
    text = clean_line(exportable(text))
    if contains_cpr_like_number(text):
        return _("(not shown: it looks like a CPR number)")
    # Cut short where a message would run on, and said to be: the name quoted is not the whole one in the file.
    return text if len(text) <= 80 else text[:79] + "…"


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def lookup(choices, *extra: dict[str, str]) -> dict[str, str]:
    """A choice's value, label in Danish and English, and the extra names given, to the value: each folded, and each
    loosely too (see `loose`)."""
    table = {}
    for value, label in choices:
        table[fold(str(value))] = value
        for name in in_both_languages(label):
            table[name] = value
    for names in extra:
        table.update({fold(name): value for name, value in names.items()})
    table.update({loose(name): value for name, value in list(table.items()) if loose(name) not in table})
    return table


def loose(text: str) -> str:
    """A value as people vary it without meaning anything else: "Ressource-udveksling", "ressourceudveksling",
    "Knowledge sharing", "Moske" and "Moské" are one. Accents go (å too, on both sides of the comparison), and so do
    spaces, dashes, full stops, slashes and brackets."""
    text = "".join(c for c in unicodedata.normalize("NFKD", fold(text)) if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐–—_./()\[\],;:]+", "", text)


def found_in(table: dict, text: str):
    return table.get(fold(text), table.get(loose(text)))


FORMS = lookup(
    Form.choices,
    {str(number): number for number in Form.values},
    {"videndele": 1, "samvirke": 2, "ressourceudveksle": 3, "samordne": 4, "samskabe": 5},
    {"vidensdeling": 1, "ressourceudveksling": 3, "samordning": 4, "samskabelse": 5},
    {"videndeling": 1, "ressourcedeling": 3, "samordnet indsats": 4},
    # The ladder's forms as English speakers name them, besides Samkort's English labels.
    {"information sharing": 1, "cooperation": 2, "coordination": 4, "co creation": 5, "cocreation": 5},
)
# The short names people give actor types in their own spreadsheets, besides Samkort's labels.
CATEGORY_SYNONYMS = {
    "boligsocial indsats": "housing_social",
    "helhedsplan": "housing_social",
    "boligselskab": "housing_association",
    "boligforening": "housing_association",
    "boligorganisation": "housing_association",
    "almen boligorganisation": "housing_association",
    "beboerforening": "residents_group",
    "sundhedspleje": "municipal_health",
    "sundhedsplejen": "municipal_health",
    "daginstitution": "school_daycare",
    "børnehave": "school_daycare",
    "vuggestue": "school_daycare",
    "sfo": "school_daycare",
    "ungdomsskole": "school_daycare",
    "frivillig": "ngo",
    "frivillige": "ngo",
    "ngo": "ngo",
    "idrætsforening": "association",
    "gymnasium": "education",
    "sprogskole": "education",
    "tandlæge": "health_practice",
    "menighed": "faith_community",
    "moske": "faith_community",
    "firma": "business",
    "afdelingsbestyrelse": "tenants_board",
    "beboerdemokrati": "tenants_board",
    "kommune": "municipal_other",
    "socialforvaltning": "social_services",
    "sundhedstilbud": "municipal_health",
    "skole": "school_daycare",
    "dagtilbud": "school_daycare",
    "fritidsklub": "school_daycare",
    "ungdomsklub": "school_daycare",
    "uu": "youth_guidance",
    "bibliotek": "library_culture",
    "kulturhus": "library_culture",
    "library": "library_culture",
    "region": "region_health",
    "hospital": "region_health",
    "psykiatri": "region_health",
    "læge": "health_practice",
    "apotek": "health_practice",
    "uddannelse": "education",
    "frivillig organisation": "ngo",
    "fond": "foundation",
    "kirke": "faith_community",
    "moské": "faith_community",
    "virksomhed": "business",
    "business": "business",
}
CATEGORIES = lookup(ActorCategory.choices, CATEGORY_SYNONYMS)
SECTORS = {name: value for value, label in Sector.choices for name in in_both_languages(label)}
FREQUENCIES = lookup(
    Frequency.choices,
    {"en gang": "once", "engang": "once", "enkeltstående": "once", "lejlighedsvis": "occasionally"},
    {"månedlig": "monthly", "hver måned": "monthly", "ugentlig": "weekly", "hver uge": "weekly"},
    {"daglig": "daily", "hver dag": "daily"},
)
LEVELS = lookup(Level.choices)
# With the Danish labels of exports before 2026-12.
CITIZENS_PARTS = lookup(CitizensPart.choices, {"meddesignere": "co_designer", "medudførere": "co_implementer"})
RESOURCE_KINDS = lookup(ResourceKind.choices)
ROLES = lookup(ParticipantRole.choices)
YES = in_both_languages(gettext_lazy("yes"), "ja", "yes", "x", "1", "true", "sand")


def choice(value, table: dict, what: str, required: bool = True):
    text = text_of(value)
    if not text:
        if required:
            raise BadValue(_("%(what)s is missing.") % {"what": what})
        return None
    found = found_in(table, text)
    if found is None:
        raise BadValue(
            _("%(what)s “%(value)s” is not one Samkort knows (the values it knows are listed below the errors).")
            % {"what": what, "value": shown(text)}
        )
    return found


def form_of(value) -> int:
    text = text_of(value)
    found = form_in(text) if text else None
    if found is None:
        raise BadValue(
            _("The form “%(value)s” is not one of the five: give it by name or number 1–5 (videndele … samskabe).")
            % {"value": shown(text)}
            if text
            else _("The form is missing.")
        )
    return found


# "1 - Videndele", "1. Videndele", "Videndele (1)": the number and the name, as a list in a spreadsheet numbers its
# choices; both must say the same form.
NUMBER_THEN_NAME = re.compile(r"([1-5])\s*[-–.:)]\s*([^\d\s].*)")
NAME_THEN_NUMBER = re.compile(r"(\D.*?)\s*[(\[]\s*([1-5])\s*[)\]]")


def form_in(text: str) -> int | None:
    if (found := found_in(FORMS, text)) is not None:
        return found
    if re.fullmatch(r"[1-5][.,]0+", text):  # a number cell written as text, with a Danish decimal comma too
        return int(text[0])
    if match := NUMBER_THEN_NAME.fullmatch(text):
        number, name = int(match.group(1)), match.group(2)
    elif match := NAME_THEN_NUMBER.fullmatch(text):
        name, number = match.group(1), int(match.group(2))
    else:
        return None
    return number if found_in(FORMS, name) == number else None


EXCEL_EPOCH = datetime.date(1899, 12, 30)
# A year first is always followed by month and day (2025/03/01, as some systems and Excel in other countries write).
# "1/3-2026" is how many Danes write a date by hand.
DATE_FORMATS = (
    *("%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%d-%m-%y", "%d/%m/%y", "%d/%m-%Y", "%d/%m-%y"),
    *("%Y/%m/%d", "%Y.%m.%d"),
)
# What may follow a date in its cell: a time ("10:00", "kl. 10.00", "10:00:00.000").
TIME_OF_DAY = re.compile(r"(?:kl\.?\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?", re.IGNORECASE)
# A period written in one cell: "01.03.2026 - 30.06.2026".
TWO_DATES = re.compile(r"(\S+)\s*[-–]\s*(\S+)")
# Digits in a date's order, whatever the separator: "31.11.2025", "2026-02-30".
DAY_MONTH_YEAR = re.compile(
    r"(?P<day>\d{1,2})[.\-/](?P<month>\d{1,2})[.\-/](?P<year>\d{4})|(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
)
# "1. februar 2025", as Word and Outlook write a date in Danish, and "1 Feb 2025" in English; months in full or cut
# to their first three letters, with or without a full stop.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january"),
            ("februar", "february"),
            ("marts", "march", "mrt"),  # "mrt.": the Danish abbreviation, beside "mar"
            ("april",),
            ("maj", "may"),
            ("juni", "june"),
            ("juli", "july"),
            ("august",),
            ("september", "sept"),
            ("oktober", "october"),
            ("november",),
            ("december",),
        ],
        start=1,
    )
    for full in names
    for name in (full, full[:3])
}
# "1. marts 2025", "1.marts 2025", "1-mar-25" (Excel's d-mmm-yy written out as text).
DATE_IN_WORDS = re.compile(r"(\d{1,2})\.?[\s-]*([^\W\d_]+)(?:\.?,?[\s-]+|\.)(\d{4}|\d{2})")
# "tirsdag d. 3. marts 2026", as a letter or an invitation dates a day: the weekday and "d." say nothing more.
DAY_PREFIX = re.compile(r"(?:(?:man|tirs|ons|tors|fre|lør|søn)dag\s+)?(?:den|d\.)\s*", re.IGNORECASE)
# "March 1, 2025", as an English program writes it.
MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
# A month without its day: "marts 2025", "2025-03", "03.2025".
MONTH_ONLY = re.compile(r"(?:[^\W\d_]+\.?\s+\d{4})|(?:\d{4}[-/.]\d{1,2})|(?:\d{1,2}[-/.]\d{4})")


def date_of(value, what: str, required: bool = False) -> datetime.date | None:
    """A date as Excel or a person writes it: a date cell, dd.mm.yyyy, dd-mm-yyyy, ISO, or an Excel serial number."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise BadValue(_("%(what)s is not a date.") % {"what": what})
        if value == int(value) and 1900 <= value <= 2100:
            raise only_a_year(what, int(value))
        if value == int(value) and 19000101 <= value <= 21001231 and (day := compact_date(int(value))):
            return date_of(day, what, required)  # 20250301 typed into a number cell
        if not 1 <= value <= 2958465:
            raise BadValue(_("%(what)s is not a date.") % {"what": what})
        day = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = text_of(value)
        if not text:
            if required:
                raise BadValue(_("%(what)s is missing.") % {"what": what})
            return None
        if re.fullmatch(r"\d{5}([.,]0+)?", text):
            return date_of(float(text.replace(",", ".")), what, required)
        if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
            raise only_a_year(what, int(text))
        day = date_in_words(text) or date_in_digits(text)
        if day is None and (two := TWO_DATES.fullmatch(text)) and all(map(date_in_digits, two.groups())):
            raise BadValue(
                _("%(what)s holds two dates (%(value)s). Write the first here and the last in the end date's column.")
                % {"what": what, "value": shown(text)}
            )
        if day is None and impossible_day(text):
            raise BadValue(
                _("%(what)s is a day that does not exist (%(value)s): check the day and the month.")
                % {"what": what, "value": shown(text)}
            )
        if day is None and month_without_day(text):
            raise BadValue(
                _("%(what)s gives a month but no day (%(value)s). Write the whole date, such as 01.03.2025.")
                % {"what": what, "value": shown(text)}
            )
        if day is None:
            raise BadValue(
                _("%(what)s must be a date, written as dd.mm.yyyy; the file says “%(value)s”.")
                % {"what": what, "value": shown(text)}
            )
    if not 1900 <= day.year <= 2100:
        raise BadValue(_("%(what)s must lie between the years 1900 and 2100.") % {"what": what})
    return day


# What a sheet writes in the end date's cell of a collaboration that goes on: no end, as an empty cell.
STILL_GOING = {"løbende", "igangværende", "pågår", "pågående", "fortsat", "fortsætter", "ongoing", "-", "–", "—"}


def end_date_of(value, what: str) -> datetime.date | None:
    """An end date, or none while the collaboration goes on: an empty cell, or a word that says so ("løbende")."""
    if text_of(value).strip(" .").casefold() in STILL_GOING:
        return None
    try:
        return date_of(value, what)
    except BadValue as error:
        raise BadValue(" ".join([error.message, _("Leave it empty while the collaboration goes on.")])) from None


def impossible_day(text: str) -> bool:
    """Digits in a date's order, with a month, whose day that month does not have: 31.11.2025, 2026-02-30."""
    match = DAY_MONTH_YEAR.fullmatch(text)
    return bool(match) and 1 <= int(match["month"] or match["m"]) <= 12


def compact_date(number: int) -> datetime.date | None:
    try:
        return datetime.date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def only_a_year(what: str, year: int) -> BadValue:
    return BadValue(
        _("%(what)s holds only a year (%(year)s). Write the whole date, such as 01.01.%(year)s.")
        % {"what": what, "year": year}
    )


def date_in_words(text: str) -> datetime.date | None:
    text = text.casefold()
    if prefix := DAY_PREFIX.match(text):
        text = text[prefix.end() :]
    if match := DATE_IN_WORDS.fullmatch(text):
        day, month, year = match.groups()
    elif match := MONTH_FIRST.fullmatch(text):
        month, day, year = match.groups()
    else:
        return None
    if month not in MONTHS:
        return None
    # Two digits are this century's years up to 69, as Python's %y reads them.
    full_year = int(year) if len(year) == 4 else (2000 if int(year) < 69 else 1900) + int(year)
    try:
        return datetime.date(full_year, MONTHS[month], int(day))
    except ValueError:
        return None


def month_without_day(text: str) -> bool:
    if not MONTH_ONLY.fullmatch(text.casefold()):
        return False
    word = re.match(r"[^\W\d_]+", text.casefold())
    return word is None or word.group() in MONTHS


def date_in_digits(text: str) -> datetime.date | None:
    text, _space, rest = text.partition(" ")
    if rest.strip() and not TIME_OF_DAY.fullmatch(rest.strip()):
        return None  # "01.03.2026 ca." or a second date: not a date to take the first half of
    text = text.split("T")[0]  # a time after the date says nothing more
    if re.fullmatch(r"\d{8}", text):
        # yyyymmdd, as systems write a date without separators: eight digits exactly (strptime would read "202512"
        # as 2 January 2025).
        return compact_date(int(text))
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def count_of(value, what: str, most: int) -> int | None:
    text = text_of(value)
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise BadValue(_("%(what)s must be a whole number.") % {"what": what})
    # Its length first: a number of thousands of digits is more than Python turns into an int.
    if len(text.lstrip("0")) > len(str(most)) or int(text) > most:
        raise BadValue(_("%(what)s can be at most %(most)s.") % {"what": what, "most": whole_number(most)})
    return int(text)


def number_of(value) -> float | None:
    """A finite number, or None for an empty cell; anything else (text, NaN, infinity) is a BadValue."""
    text = text_of(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > 1e6:
        raise BadValue(_("X and Y must be ordinary numbers."))
    return number


def yes(value) -> bool:
    return fold(text_of(value)) in YES
