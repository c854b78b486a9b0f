"""What an import would do, row by row, before anything is written: the preview and the write read the same plan.

A plan is made from the tables of the uploaded files (imports.files) and the centre's data as it is now. Every row
gets one outcome: a new actor, an actor that exists (exactly, or by a name like it), a new collaboration, one that
is already imported, or an error with the sheet, row, column and reason. The same rules as the log form apply to the
text (the model fields clean it and refuse CPR-like numbers and characters no export can hold).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rapidfuzz import fuzz

from centres.models import Actor, ActorCategory, Centre, PresenceKind
from centres.similarity import normalise_name
from collaboration.imports.columns import (
    ACTOR_COLUMNS,
    CATEGORIES,
    CITIZENS_PARTS,
    COLLABORATION_COLUMNS,
    CONNECTION_COLUMNS,
    FREQUENCIES,
    LEVELS,
    PARTICIPATION_COLUMNS,
    RESOURCE_KINDS,
    ROLES,
    BadValue,
    Columns,
    choice,
    columns_of,
    count_of,
    date_of,
    end_date_of,
    form_of,
    in_both_languages,
    is_example_sheet,
    is_figure_sheet,
    kind_of_table,
    number_of,
    shown,
    text_of,
    theme_lookup,
    unread_columns,
    yes,
)
from collaboration.imports.files import HEADER_SEARCH_ROWS, MAX_ROWS, FileRefused, Table, suffix_of
from collaboration.imports.names import NameIndex, description_digest
from collaboration.models import (
    MAX_CITIZENS,
    ROLES_FOR_FORM,
    Collaboration,
    Form,
    Frequency,
    Level,
    ParticipantRole,
    Participation,
    ResourceKind,
)
from collaboration.records.forms import check_plausible_date
from samkort.text import fold, list_of_names, whole_number
from samkort.textfields import WebAddressFormField
from samkort.validators import contains_cpr_like_number

# What a cell is, said only when it is wrong: lazy, so that 50,000 good rows translate nothing.
START_DATE = gettext_lazy("The start date")
END_DATE = gettext_lazy("The end date")
WHAT_WAS_EXCHANGED = gettext_lazy("What was exchanged")
HOW_OFTEN = gettext_lazy("How often")
THE_LEVEL = gettext_lazy("The level")
RESIDENTS_PART = gettext_lazy("Residents' part")
RESIDENTS_TAKING_PART = gettext_lazy("Residents taking part")
ACTOR_TYPE = gettext_lazy("The actor's type")


class Outcome:
    NEW_ACTOR = "new_actor"
    EXISTING_ACTOR = "existing_actor"
    SIMILAR_ACTOR = "similar_actor"
    NEW_COLLABORATION = "new_collaboration"
    ALREADY_IMPORTED = "already_imported"
    IN_SAMKORT = "in_samkort"
    DIFFERS = "differs"
    MORE_ACTORS = "more_actors"
    ERROR = "error"

    LABELS = {
        NEW_ACTOR: gettext_lazy("New actor"),
        EXISTING_ACTOR: gettext_lazy("Actor exists"),
        SIMILAR_ACTOR: gettext_lazy("New actor, name like another"),
        NEW_COLLABORATION: gettext_lazy("New collaboration"),
        ALREADY_IMPORTED: gettext_lazy("Already imported"),
        IN_SAMKORT: gettext_lazy("Already in Samkort"),
        DIFFERS: gettext_lazy("Imported before, differs from Samkort"),
        MORE_ACTORS: gettext_lazy("Adds actors to a collaboration above"),
        ERROR: gettext_lazy("Error"),
    }


@dataclass
class RowResult:
    sheet: str
    row: int
    outcome: str
    what: str = ""
    detail: str = ""
    column: str = ""
    started_on: datetime.date | None = None  # a new collaboration's start, shown beside it

    @property
    def label(self) -> str:
        return str(Outcome.LABELS[self.outcome])

    @property
    def is_error(self) -> bool:
        return self.outcome == Outcome.ERROR


@dataclass
class ActorDraft:
    name: str
    category: str | None
    description: str = ""
    website: str = ""
    email: str = ""
    based: bool = False
    position: tuple[float, float] | None = None


@dataclass
class CollaborationDraft:
    values: dict
    participants: list[tuple[str, str]]  # (folded actor name, role)
    theme_ids: list[int]
    import_key: str
    identifier: str = ""
    default_start: bool = False  # the row had no start date and took the one given on the upload form
    other_tags: list[str] = field(default_factory=list)  # Kumu tags that are not Samkort's themes: left out, said so
    assumed: tuple[str, ...] = ()  # values the row left empty and Samkort gave (frequency, level, residents' part)
    # The ID as the sheet writes it ("077"), when `identifier` is that number as one ("77"): found under it too, as
    # imports before 2026-12-02 kept it.
    written_identifier: str = ""


@dataclass
class ImportPlan:
    centre: Centre
    file_names: list[str]
    rows: list[RowResult] = field(default_factory=list)
    # How many new collaborations took Samkort's value for each field their rows left empty: said in the preview.
    assumed: Counter = field(default_factory=Counter)
    # Sheets and files with no column Samkort knows: left out, and the preview says so.
    unread: list[str] = field(default_factory=list)
    # Sheets hidden in the workbook: left out, as the person who hid them meant, and the preview says so.
    hidden: list[str] = field(default_factory=list)
    # The template's sheet of examples: never read, and said, so that a row typed into it is not thought imported.
    examples: list[str] = field(default_factory=list)
    # Per table, the columns no known column took (a "Noter" or a misnamed date), so that none goes unnoticed.
    unread_columns: list[tuple[str, list[str]]] = field(default_factory=list)
    # Tables whose reading stopped at a long run of empty rows: the table and its last filled row.
    stopped: list[tuple[str, int]] = field(default_factory=list)
    # Rows hidden in Excel (filtered out, or hidden by hand) are imported like the rest, and the preview says which:
    # the table and its hidden rows as ranges ("5–9, 12").
    hidden_rows: list[tuple[str, str]] = field(default_factory=list)
    # Samkort's own export of another centre: that centre's name (its actors are not based here).
    from_centre: str = ""
    new_actors: dict[str, ActorDraft] = field(default_factory=dict)
    existing_actors: dict[str, int] = field(default_factory=dict)
    # Existing actors no longer active: a file's collaborations with them are imported (past work stays past work),
    # and each row says so, as the log form would not take them for a new one.
    inactive: set[str] = field(default_factory=set)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    based: set[str] = field(default_factory=set)
    collaborations: list[CollaborationDraft] = field(default_factory=list)
    # Actors whose own row has an error: refused_key(name) -> (row, sheet), so that a collaboration naming one says
    # so. A digest, not the name: a name refused for a CPR-like number is kept nowhere, not even in the kept preview.
    refused_actors: dict[str, tuple[int, str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # folded name -> the name as the file or Samkort writes it
    # A name's words, punctuation apart -> the key of the actor it names: "Sumak - café" is "Sumak – café".
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.is_error]

    @property
    def counts(self) -> Counter:
        return Counter(row.outcome for row in self.rows)

    @property
    def has_errors(self) -> bool:
        return any(row.is_error for row in self.rows)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new_actors or self.collaborations or self.missing_presences)

    @property
    def missing_presences(self) -> set[str]:
        """Existing actors the file names that are not yet present in the centre."""
        present = set(self.centre.presences.values_list("actor_id", flat=True))
        return {key for key, pk in self.existing_actors.items() if pk not in present}

    def existing_actor(self, actor) -> str:
        """An actor Samkort has, named by the file: its key, under which every spelling of it is found."""
        key = fold(actor.name)
        self.existing_actors[key] = actor.pk
        if not actor.active:
            self.inactive.add(key)
        self.display[key] = actor.name
        self.letters[normalise_name(actor.name)] = key
        return key

    def error(self, table: Table, row: int, message: str, column: str = "", what: str = "") -> None:
        self.rows.append(RowResult(table.name, row, Outcome.ERROR, what=shown(what), detail=message, column=column))

    def note_columns(self, table: Table, columns: Columns) -> None:
        if columns.twice:
            raise FileRefused(
                _(
                    "%(sheet)s has two columns for the same thing: %(names)s. Samkort reads only one of them: delete "
                    "the other, or give it a name of its own."
                )
                % {"sheet": table.name, "names": ", ".join(f"“{name}”" for name in columns.twice)}
            )
        unread = unread_columns(table.header, columns)
        if unread:
            self.unread_columns.append((table.name, [shown(name) for name in unread]))


def as_ranges(numbers: list[int], most: int = 20) -> str:
    """Row numbers as Excel's users write them: "5–9, 12", the first `most` ranges and "…" after."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    shown = [f"{first}–{last}" if last > first else str(first) for first, last in ranges[:most]]
    return ", ".join(shown) + (", …" if len(ranges) > most else "")


class RowError(Exception):
    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


# -- Making a plan --------------------------------------------------------------------------------------------------


def make_plan(centre: Centre, tables, file_names: list[str], default_start: datetime.date | None = None) -> ImportPlan:
    """Read every table once, in the order actors → participations → collaborations/connections."""
    plan = ImportPlan(centre=centre, file_names=file_names)
    by_kind: dict[str, list[Table]] = defaultdict(list)
    for table in tables:
        if is_example_sheet(table.name):
            plan.examples.append(table.name)
            continue
        kind = kind_of_table(table.header)
        if not (table.hidden or is_figure_sheet(table.name)) and kind in (None, "collaborations"):
            refuse_one_end_only(table)
        if kind is not None and table.hidden:
            plan.hidden.append(table.name)
        elif kind is not None:
            by_kind[kind].append(table)
        elif not (table.hidden or is_figure_sheet(table.name)):
            plan.unread.append(table.name)
    if not by_kind and plan.hidden:
        raise FileRefused(
            _("The only sheets with actors or collaborations are hidden (%(names)s). Show them in Excel first.")
            % {"names": ", ".join(plan.hidden)}
        )
    if not by_kind:
        raise FileRefused(
            _(
                "No sheet or file has columns Samkort knows. Actors need a column “Label” or “Navn”; "
                "connections need “From” and “To” (or “Fra” and “Til”), in one of the first %(rows)s filled rows. "
                "Download the template to see them."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    budget = RowBudget(plan)
    names = NameIndex.of_all_actors()
    for table in by_kind["actors"]:
        read_actors(plan, table, names, budget)
    participants: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for table in by_kind["participations"]:
        read_participations(plan, table, participants, budget)
    context = CollaborationContext.for_centre(centre, default_start)
    for table in by_kind["collaborations"]:
        read_collaborations(plan, table, participants, names, context, budget)
    for table in by_kind["connections"]:
        if not (by_kind["collaborations"] and sums_up_ties(table)):
            read_connections(plan, table, names, context, budget)
    note_what_differs(context)
    plan.stopped = [(table.name, table.stopped_after) for table in tables if table.stopped_after]
    plan.hidden_rows = [
        (table.name, as_ranges(hidden))
        for table in chain.from_iterable(by_kind.values())
        if (hidden := [row for row in table.hidden_rows_read if row > table.header_row])
    ]
    if not plan.rows:
        raise FileRefused(_("The file has column names but no rows under them."))
    return plan


def sums_up_ties(table: Table) -> bool:
    """Samkort's own export also has Kumu's "Connections" sheet: the ties summed up from its collaborations (no
    title, no start date), which the collaborations sheet brings in one by one. A sheet of connections with titles
    or dates beside a sheet of activities is collaborations of its own, and is read."""
    columns = columns_of(table.header, CONNECTION_COLUMNS)
    return "title" not in columns and "started_on" not in columns


# Each name of a connection's first actor's column, and the name of the second's that goes with it.
OTHER_END = {"from": "To", "fra": "Til", "to": "From", "til": "Fra"}


def refuse_one_end_only(table: Table) -> None:
    """A sheet of connections (it has a form column, and reads as nothing else: make_plan asks only of such sheets)
    with "Fra" but no "Til" is said to lack it, once, rather than read as something else whose every row lacks an
    actor. A sheet of actors with a "Fra" (a date, say) is left alone: that column is named among the unread ones."""
    folded = [fold(name) for name in table.header]
    if not set(folded) & in_both_languages(*CONNECTION_COLUMNS["type"]):
        return
    ends = [(name, OTHER_END[key]) for name, key in zip(table.header, folded, strict=True) if key in OTHER_END]
    if len(ends) == 1:
        found, missing = ends[0]
        raise FileRefused(
            _(
                "%(sheet)s has a column “%(has)s” but none called “%(missing)s”: a collaboration needs both its "
                "actors. Add the column “%(missing)s”."
            )
            % {"sheet": table.name, "has": found, "missing": missing}
        )


def refuse_missing_columns(table: Table, columns: Columns, context) -> None:
    """A column every row needs, missing from the sheet, is said once for the sheet, not as an error on each row."""
    if "type" not in columns:
        raise FileRefused(
            _(
                "%(sheet)s has no column with the form of collaboration. Add a column “Form” that gives one of the "
                "five forms in each row: the template shows them."
            )
            % {"sheet": table.name}
        )
    if "started_on" not in columns and context.default_start is None:
        raise FileRefused(
            _(
                "%(sheet)s has no column with a start date. Add a column “Startdato”, or give a “Start date for rows "
                "without one” when you choose the file."
            )
            % {"sheet": table.name}
        )


def missing_type(table: Table) -> str:
    """Why a sheet with an actor column is not read: it lacks the actors' kind, or it is collaborations named by
    other columns than Fra and Til, or a summary."""
    collaboration_columns = columns_of(table.header, CONNECTION_COLUMNS).positions.keys() & {"form", "started_on"}
    if collaboration_columns:
        return _(
            "The sheet has columns of collaborations, but no “Fra” and “Til”: name the columns of the two actors "
            "“Fra” and “Til”, one actor in each."
        )
    return _(
        "The sheet has no column “Type” (or “Kategori”) saying what kind of actor each is. If the sheet is a "
        "summary, not a list of actors, hide it in Excel or delete it."
    )


class RowBudget:
    """The most rows one file may hold, across its sheets: a larger file is refused, not half read. A row with a cell
    that reads as empty but is not (merged, or a formula without its result) is an error, never read as empty."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.rows: Counter = Counter()

    def take(self, table: Table, refused=None):
        """The table's rows to read. `refused(number, values)`, if given, is told of a row refused here and says
        what it was (an actor's name), so that the preview names it and later rows can point to it."""
        for number, values in table.rows:
            self.rows[table.source] += 1
            if self.rows[table.source] > MAX_ROWS:
                raise FileRefused(
                    _("%(name)s holds more than %(limit)s rows. Split it into smaller files.")
                    % {"name": table.source, "limit": whole_number(MAX_ROWS)}
                )
            if unreadable := table.unreadable_cell(number, values):
                column, reason = unreadable
                self.plan.error(table, number, reason, column, what=refused(number, values)[:80] if refused else "")
                continue
            yield number, values


WEB_ADDRESS = WebAddressFormField(required=False)


def clean_text(model, name: str, value, column: str) -> str:
    """A text cell through the model field's own rules: normalised, CPR-like numbers and odd characters refused."""
    text = text_of(value)
    if not text:
        return ""
    field = model._meta.get_field(name)
    try:
        if isinstance(field, models.URLField):
            # As the actor form reads it: "www.slagelse.dk" means https, as every browser assumes.
            text = WEB_ADDRESS.to_python(text)
        cleaned = field.clean(text, None)
        if field.max_length and cleaned:
            # A text field's length is checked by its form, not by the model: the log form's limit holds here too.
            MaxLengthValidator(field.max_length)(cleaned)
    except ValidationError as error:
        raise RowError(" ".join(error.messages), column) from None
    return cleaned or ""


def read_actors(plan: ImportPlan, table: Table, names: NameIndex, budget: RowBudget) -> None:
    columns = columns_of(table.header, ACTOR_COLUMNS)
    plan.note_columns(table, columns)
    if "type" not in columns:
        plan.error(table, 1, missing_type(table))
        return

    def refused(number: int, values: list) -> str:
        """A refused row's actor, remembered so that a collaboration naming it points to the row to fix."""
        name = text_of(columns.value(values, "name"))
        if name:
            plan.refused_actors.setdefault(refused_key(name), (number, table.name))
        return name

    for number, values in budget.take(table, refused):
        try:
            too_wide(table, values, number)
            refuse_totals(values)
            draft = actor_draft(columns, values)
        except RowError as error:
            plan.error(table, number, error.message, error.column, what=refused(number, values)[:80])
            continue
        letters = normalise_name(draft.name)
        existing = names.exact(fold(draft.name)) or names.same_letters(draft.name)
        # One key per actor, however the file spells it.
        key = fold(existing.name) if existing else plan.letters.get(letters, fold(draft.name))
        if draft.category is None and not existing and key not in plan.new_actors:
            missing = _("%(what)s is missing.") % {"what": ACTOR_TYPE}
            plan.error(table, number, missing, columns.name("type"), draft.name)
            plan.refused_actors.setdefault(refused_key(draft.name), (number, table.name))
            continue
        plan.display.setdefault(key, draft.name)
        if draft.position:
            plan.positions[key] = draft.position
        if draft.based:
            plan.based.add(key)
        if key in plan.new_actors or key in plan.existing_actors:
            earlier = plan.new_actors[key].category if key in plan.new_actors else existing and existing.category
            notes = [_("Named earlier in the file."), type_not_used(draft, earlier)]
            plan.rows.append(
                RowResult(table.name, number, Outcome.EXISTING_ACTOR, draft.name, " ".join(filter(None, notes)))
            )
        elif existing:
            plan.existing_actor(existing)
            spelled = "" if draft.name == existing.name else _("Written “%(name)s” in the file.") % {"name": draft.name}
            notes = " ".join(filter(None, [spelled, left_as_it_is(draft, existing)]))
            plan.rows.append(RowResult(table.name, number, Outcome.EXISTING_ACTOR, existing.name, notes))
        else:
            plan.new_actors[key] = draft
            plan.letters.setdefault(letters, key)
            likeness = names_alike(names, draft.name)
            names.add_new(draft.name)
            outcome = Outcome.SIMILAR_ACTOR if likeness else Outcome.NEW_ACTOR
            plan.rows.append(RowResult(table.name, number, outcome, draft.name, likeness))


def type_not_used(draft: ActorDraft, known: str | None) -> str:
    if not draft.category or not known or draft.category == known:
        return ""
    return _("The type in the file (%(type)s) is not used: it is %(known)s.") % {
        "type": ActorCategory(draft.category).label,
        "known": ActorCategory(known).label,
    }


def left_as_it_is(draft: ActorDraft, existing) -> str:
    """What the file says of an actor Samkort has that differs from what Samkort has: said, not silently dropped."""
    differs = [type_not_used(draft, existing.category)]
    if draft.description and description_digest(draft.description) != existing.description_digest:
        differs.append(_("The description in the file is not used."))
    if not any(differs):
        return ""
    differs.append(_("An import changes no actor Samkort already has; correct it on the actor's page."))
    return " ".join(filter(None, differs))


def names_alike(names: NameIndex, name: str) -> str:
    """What a new actor's name looks like: actors in Samkort, and new ones earlier in the file; "" when nothing."""
    parts = []
    if in_samkort := [match.name for match in names.similar(name)]:
        parts.append(_("Like %(names)s.") % {"names": quoted(in_samkort)})
    if in_file := names.similar_in_file(name):
        parts.append(_("Like %(names)s earlier in the file.") % {"names": quoted(in_file)})
    return " ".join(parts)


def quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def actor_draft(columns: Columns, values: list) -> ActorDraft:
    name = clean_text(Actor, "name", columns.value(values, "name"), columns.name("name"))
    if not name:
        raise RowError(_("The name is missing."), columns.name("name"))
    if len(fold(name)) > Actor._meta.get_field("name_key").max_length:
        # A few letters fold to two ("ß" to "ss"): the compared form must fit too.
        raise RowError(_("The name is too long."), columns.name("name"))
    try:
        # Required of a new actor only: one Samkort has already is known by its name (read_actors).
        category = choice(columns.value(values, "type"), CATEGORIES, ACTOR_TYPE, required=False)
    except BadValue as error:
        raise RowError(error.message, columns.name("type")) from None
    optional = {}
    for key in ("description", "website", "email"):
        if key in columns:
            optional[key] = clean_text(Actor, key, columns.value(values, key), columns.name(key))
    try:
        x, y = number_of(columns.value(values, "x")), number_of(columns.value(values, "y"))
    except BadValue as error:
        raise RowError(error.message, columns.name("x")) from None
    return ActorDraft(
        name=name,
        category=category,
        based=yes(columns.value(values, "based")),
        position=(x, y) if x is not None and y is not None else None,
        **optional,
    )


def read_participations(plan: ImportPlan, table: Table, participants: dict, budget: RowBudget) -> None:
    columns = columns_of(table.header, PARTICIPATION_COLUMNS)
    plan.note_columns(table, columns)
    for number, values in budget.take(table):
        collaboration_id = text_of(columns.value(values, "collaboration_id"))
        if collaboration_id:
            participants[collaboration_id].append(
                (text_of(columns.value(values, "actor")), text_of(columns.value(values, "role")), f"{number}")
            )


@dataclass
class CollaborationContext:
    centre: Centre
    default_start: datetime.date | None
    themes: dict[str, int]
    # Import key -> what it was imported as (folded title, start): an ID used again for another collaboration is
    # told apart from the same one imported again.
    imported: dict[str, tuple[str, datetime.date]]
    # This centre's collaborations, id -> (folded title, start): its own export, imported back.
    local: dict[str, tuple[str, datetime.date]]
    in_file: dict[str, tuple[int, str]] = field(default_factory=dict)  # import key -> the row and sheet it came from
    drafts: dict[str, CollaborationDraft] = field(default_factory=dict)  # import key -> the new collaboration
    # Rows of collaborations Samkort has, with how to find each (by import key or by its number): compared with it
    # once the whole file is read, in a few queries.
    seen_before: list[tuple[RowResult, CollaborationDraft, str, str]] = field(default_factory=list)
    # Import key -> the folded names of its actors in Samkort; read once, when a row first needs it.
    imported_actors: dict[str, set[str]] | None = None

    def actors_of(self, import_key: str) -> set[str]:
        """The folded names of the actors of what was imported under the key: in this file, or in Samkort."""
        if import_key in self.drafts:
            return set(draft_actors(self.drafts[import_key]))
        if self.imported_actors is None:
            self.imported_actors = defaultdict(set)
            query = Participation.objects.filter(collaboration__centre=self.centre).exclude(
                collaboration__import_key=""
            )
            for key, actor in query.values_list("collaboration__import_key", "actor__name_key").iterator(5000):
                self.imported_actors[key].add(actor)
        return self.imported_actors.get(import_key, set())

    # Reused-ID prefix -> the keys under it, in the order they were imported: found at once instead of by reading
    # every key for every row (a file of 10,000 rows with IDs took 90 s that way).
    reused: dict[str, list[str]] | None = None

    def keys_for_id(self, identifier: str) -> list[str]:
        """The keys imported under this ID: the first collaboration's, and those of later ones that used it again."""
        first = id_key(identifier)
        again = self.reused_keys().get(reused_id_prefix(identifier), [])
        return ([first] if first in self.imported else []) + again

    def reused_keys(self) -> dict[str, list[str]]:
        if self.reused is None:
            self.reused = defaultdict(list)
            for key in self.imported:
                self.note_reused(key)
        return self.reused

    def note_reused(self, key: str) -> None:
        if key.startswith(REUSED_ID):
            self.reused[key[:REUSED_PREFIX_LENGTH]].append(key)

    # (folded title, start) -> this centre's collaborations with them, and their actors' folded names once asked.
    by_title: dict[tuple[str, datetime.date], list[str]] | None = None
    actors_of_local: dict[str, set[str]] = field(default_factory=dict)

    def logged_already(self, draft: CollaborationDraft) -> str | None:
        """The number of a collaboration the centre has with the row's title, start and (at least) its actors:
        logged in Samkort by hand while the sheet was kept too, or imported under another ID."""
        if self.by_title is None:
            self.by_title = defaultdict(list)
            for pk, what in self.local.items():
                self.by_title[what].append(pk)
        candidates = self.by_title.get((fold(draft.values["title"]), draft.values["started_on"]), [])
        unread = [pk for pk in candidates if pk not in self.actors_of_local]
        for pk in unread:
            self.actors_of_local[pk] = set()
        query = Participation.objects.filter(collaboration_id__in=unread).values_list(
            "collaboration_id", "actor__name_key"
        )
        for pk, name_key in query:
            self.actors_of_local[str(pk)].add(name_key)
        actors = set(draft_actors(draft))
        return next((pk for pk in candidates if actors <= self.actors_of_local[pk]), None)

    # The centre's collaborations by their set of actors (folded names): read once, when a new row first asks.
    by_actors: dict[frozenset[str], list[str]] | None = None

    def looks_like(self, draft: CollaborationDraft) -> tuple[str, datetime.date] | None:
        """A collaboration of the centre with the same actors that the row may repeat under a corrected title
        (the same start) or a corrected start (the same title, a fortnight apart at most): its number and start."""
        if self.by_actors is None:
            actors = defaultdict(set)
            query = Participation.objects.filter(collaboration__centre=self.centre)
            for pk, name_key in query.values_list("collaboration_id", "actor__name_key").iterator(chunk_size=5000):
                actors[str(pk)].add(name_key)
            self.by_actors = defaultdict(list)
            for pk, names in actors.items():
                self.by_actors[frozenset(names)].append(pk)
        title, start = fold(draft.values["title"]), draft.values["started_on"]
        for pk in self.by_actors.get(frozenset(draft_actors(draft)), []):
            if pk not in self.local:
                continue  # logged while the file was read
            title_before, start_before = self.local[pk]
            if (start == start_before and fuzz.token_set_ratio(title, title_before) >= SIMILAR_TITLE) or (
                title == title_before and abs(start - start_before) <= CORRECTED_DAY
            ):
                return pk, start_before
        return None

    def remember(self, draft: CollaborationDraft, number: int, sheet: str) -> None:
        if draft.import_key not in self.imported and self.reused is not None:
            self.note_reused(draft.import_key)
        self.imported[draft.import_key] = (fold(draft.values["title"]), draft.values["started_on"])
        self.in_file[draft.import_key] = (number, sheet)
        self.drafts[draft.import_key] = draft

    @classmethod
    def for_centre(cls, centre: Centre, default_start: datetime.date | None) -> CollaborationContext:
        return cls(
            centre=centre,
            default_start=default_start,
            themes=theme_lookup(),
            imported={
                key: (fold(title), started_on)
                for key, title, started_on in Collaboration.objects.filter(centre=centre)
                .exclude(import_key="")
                .values_list("import_key", "title", "started_on")
            },
            local={
                str(pk): (fold(title), started_on)
                for pk, title, started_on in Collaboration.objects.filter(centre=centre).values_list(
                    "pk", "title", "started_on"
                )
            },
        )


def read_collaborations(plan, table, participants, names, context, budget) -> None:
    """Samkort's own export: the collaborations sheet, its participants from the participations sheet."""
    columns = columns_of(table.header, COLLABORATION_COLUMNS)
    plan.note_columns(table, columns)
    refuse_missing_columns(table, columns, context)
    centres: set[str] = set()
    for number, values in budget.take(table):
        identifier = text_of(columns.value(values, "id"))
        if centre_name := text_of(columns.value(values, "centre")):
            centres.add(centre_name)
            if len(centres) > 1:
                raise FileRefused(
                    _(
                        "%(sheet)s holds the collaborations of several centres (%(names)s). Make the export of one "
                        "centre at a time, and import it into the centre it belongs to."
                    )
                    % {"sheet": table.name, "names": ", ".join(sorted(centres))}
                )
        try:
            too_wide(table, values, number)
            rows = participants.get(identifier, [])
            people = []
            for actor_name, role_label, _row in rows:
                key = resolve_actor(plan, names, actor_name, columns.name("id"))
                role = ROLES.get(fold(role_label)) if role_label else None
                people.append((key, role))
            draft = collaboration_draft(columns, values, people, context, identifier, plan.display)
        except (RowError, BadValue) as error:
            column = getattr(error, "column", "")
            plan.error(table, number, error.message, column, what=text_of(columns.value(values, "title"))[:80])
            continue
        add_collaboration(plan, table, number, draft, context)
    if len(centres) == 1 and fold(next(iter(centres))) != fold(plan.centre.name):
        # Based in that centre says nothing of this one: here its actors take part now and then.
        plan.from_centre = next(iter(centres))
        plan.based.clear()


def too_wide(table: Table, values: list, number: int) -> None:
    """A row with filled cells past its header's last column: in a CSV file most often a semicolon or comma in a
    text without quotes, which cut the text short and pushed the rest out of every column; in a workbook a note
    typed beside the table."""
    past = [index for index in range(len(table.header), len(values)) if values[index] not in (None, "")]
    if not past:
        return
    if suffix_of(table.source) == ".xlsx":
        from openpyxl.utils.cell import get_column_letter

        raise RowError(
            _(
                "Cell %(cell)s is filled, but its column has no name in the header row: give the column a name "
                "(Samkort then leaves it unread), or delete what is in the cell."
            )
            % {"cell": f"{get_column_letter(past[0] + 1)}{number}"}
        )
    raise RowError(
        _(
            "The row has more filled cells than the header has columns: is there a semicolon or a comma in a "
            "text without quotes around it, or a column without a name?"
        )
    )


def refuse_totals(values: list) -> None:
    """A row of totals or notes under a table ("I alt", "Total", Excel's "Hovedtotal" in its first cell) is no actor
    and no collaboration, whichever column it stands in."""
    refuse_a_total(next((text_of(value) for value in values if value not in (None, "")), ""))


def refuse_a_total(text: str, column: str = "") -> None:
    if fold(text.rstrip(":. ")) in SUM_OR_NOTE:
        raise RowError(
            _("%(name)s looks like a row of totals or notes, not an actor or a collaboration: delete the row.")
            % {"name": f"“{shown(text)}”"},
            column,
        )


def read_connections(plan, table, names, context, budget) -> None:
    """Kumu's connections (or a CSV of them): each row is one collaboration between its From and To."""
    columns = columns_of(table.header, CONNECTION_COLUMNS)
    plan.note_columns(table, columns)
    refuse_missing_columns(table, columns, context)
    for number, values in budget.take(table):
        try:
            too_wide(table, values, number)
            refuse_totals(values)
            first = resolve_actor(plan, names, text_of(columns.value(values, "from")), columns.name("from"))
            second = resolve_actor(plan, names, text_of(columns.value(values, "to")), columns.name("to"))
            if first == second:
                raise RowError(
                    _("%(from)s and %(to)s are the same actor: a collaboration needs two.")
                    % {"from": columns.name("from"), "to": columns.name("to")},
                    columns.name("to"),
                )
            draft = collaboration_draft(
                columns,
                values,
                connection_ends(first, second, text_of(columns.value(values, "direction"))),
                context,
                id_of(columns.value(values, "id")),
                plan.display,
            )
            draft.written_identifier = text_of(columns.value(values, "id"))
        except (RowError, BadValue) as error:
            column = getattr(error, "column", "")
            ends = (text_of(columns.value(values, "from")), text_of(columns.value(values, "to")))
            what = " – ".join(end for end in ends if end) or text_of(columns.value(values, "title"))
            plan.error(table, number, error.message, column, what=what)
            continue
        add_collaboration(plan, table, number, draft, context)


def connection_ends(first: str, second: str, direction: str) -> list[tuple[str, str | None]]:
    """From and To, with the roles a directed connection gives them: a referral from From to To (a resource
    exchange takes them as From gives and To receives; other forms have no direction)."""
    if fold(direction) == "directed":
        return [(first, ParticipantRole.REFERRER), (second, ParticipantRole.REFERRED)]
    return [(first, None), (second, None)]


# What a spreadsheet's row of totals or notes under a table starts with, where an actor's name would stand.
SUM_OR_NOTE = {
    fold(word)
    for word in (
        "I alt",
        "Total",
        "Totalt",
        "Hovedtotal",
        "Grand total",
        "Sum",
        "Samlet",
        "Note",
        "Noter",
        "Kilde",
        "Source",
    )
}


def resolve_actor(plan: ImportPlan, names: NameIndex, name: str, column: str) -> str:
    """The folded name of an actor in the file or in Samkort; an error when it is in neither."""
    if not name:
        raise RowError(_("An actor's name is missing."), column)
    key = fold(name)
    if key in plan.new_actors or key in plan.existing_actors:
        return key
    if (letters := normalise_name(name)) in plan.letters:
        return plan.letters[letters]
    existing = names.exact(key) or names.same_letters(name)
    if existing:
        return plan.existing_actor(existing)
    if (refused := plan.refused_actors.get(refused_key(name))) is not None:
        row, sheet = refused
        raise RowError(
            _("%(name)s has an error in row %(row)s of %(sheet)s: correct that row.")
            % {"name": f"“{shown(name)}”", "row": row, "sheet": sheet},
            column,
        )
    if several_actors_in_one_cell(plan, names, name):
        raise RowError(
            _(
                "%(name)s names several actors in one cell. Write one actor in each cell: for a collaboration of "
                "three or more, a row for each pair, all with the same ID."
            )
            % {"name": f"“{shown(name)}”"},
            column,
        )
    # A total written after an ID, or in the To column, is not the row's first cell.
    refuse_a_total(name, column)
    similar = names.similar_in_file(name, limit=1) or [match.name for match in names.similar(name, limit=1)]
    if similar:
        raise RowError(
            _("%(name)s is neither among the file's actors nor in Samkort. Did you mean %(similar)s?")
            % {"name": f"“{shown(name)}”", "similar": f"“{similar[0]}”"},
            column,
        )
    raise RowError(
        _("%(name)s is neither among the file's actors nor in Samkort. Add it to the actors sheet.")
        % {"name": f"“{shown(name)}”"},
        column,
    )


SEVERAL_NAMES = re.compile(r"\s*(?:[;,/+&]|\s(?:og|and)\s)\s*", re.IGNORECASE)


def several_actors_in_one_cell(plan: ImportPlan, names: NameIndex, name: str) -> bool:
    """Whether the cell lists two or more actors the file or Samkort knows ("SSP Slagelse; Jobcenter Slagelse")."""
    parts = [part for part in SEVERAL_NAMES.split(name) if part]
    if len(parts) < 2:
        return False

    def known(part: str) -> bool:
        key = fold(part)
        in_file = key in plan.new_actors or key in plan.existing_actors or normalise_name(part) in plan.letters
        return in_file or names.exact(key) is not None or names.same_letters(part) is not None

    return sum(known(part) for part in parts) >= 2


def collaboration_draft(
    columns: Columns, values: list, people, context, identifier: str, display: dict[str, str]
) -> CollaborationDraft:
    def cell(key):
        return columns.value(values, key)

    def column(key):
        return columns.name(key) if key in columns else ""

    def checked(key, parse):
        try:
            return parse()
        except BadValue as error:
            raise RowError(error.message, column(key)) from None

    if identifier and contains_cpr_like_number(identifier):
        raise RowError(_("The ID looks like a CPR number. Number the rows another way."), column("id"))
    form = checked("type", lambda: form_of(cell("type")))
    started_on = checked("started_on", lambda: date_of(cell("started_on"), START_DATE))
    default_start = started_on is None
    started_on = started_on or context.default_start
    if started_on is None:
        raise RowError(
            _("The start date is missing (and no start date was given for rows without one)."), column("started_on")
        )
    ended_on = checked("ended_on", lambda: end_date_of(cell("ended_on"), END_DATE))
    for key, day in (("started_on", started_on), ("ended_on", ended_on)):
        if day:
            plausible(day, column(key))
    if ended_on and ended_on < started_on:
        raise RowError(_("The end date cannot be before the start date."), column("ended_on"))
    title = clean_text(Collaboration, "title", cell("title"), column("title"))
    if not title:
        # Kumu's connections often have no label: the two actors' names say what it is.
        title = " – ".join(display.get(key, key) for key, _role in people)[:200]
    if not title:
        raise RowError(_("The title is missing."), column("title"))
    resource_kind = checked(
        "resource_kind", lambda: choice(cell("resource_kind"), RESOURCE_KINDS, WHAT_WAS_EXCHANGED, False)
    )
    given = {
        "frequency": checked("frequency", lambda: choice(cell("frequency"), FREQUENCIES, HOW_OFTEN, False)),
        "level": checked("level", lambda: choice(cell("level"), LEVELS, THE_LEVEL, False)),
        "citizens_part": checked(
            "citizens_part", lambda: choice(cell("citizens_part"), CITIZENS_PARTS, RESIDENTS_PART, False)
        ),
    }
    values_out = {
        "form": form,
        "title": title,
        "started_on": started_on,
        "ended_on": ended_on,
        "frequency": given["frequency"] or (Frequency.ONCE if ended_on == started_on else Frequency.OCCASIONALLY),
        "level": given["level"] or Level.ORGANISATIONAL,
        "citizens_part": given["citizens_part"] or "not_involved",
        "citizen_count": checked(
            "citizen_count", lambda: count_of(cell("citizen_count"), RESIDENTS_TAKING_PART, MAX_CITIZENS)
        ),
        "resource_kind": (resource_kind or ResourceKind.OTHER) if form == Form.RESOURCE_EXCHANGE else "",
    }
    for key in ("description", "target_group", "goals", "outcome"):
        values_out[key] = clean_text(Collaboration, key, cell(key), column(key)) if key in columns else ""
    participants = roles_for(form, people)
    if len({key for key, _role in participants}) < 2:
        raise RowError(_("A collaboration needs at least two different actors."))
    theme_ids, other_tags = [], []
    # Kumu separates tags with "|"; people write commas or semicolons. Kumu's tags are free words ("unge", "jobs"):
    # those that are no theme of Samkort's are left out, and the preview names them.
    for name in filter(None, (part.strip() for part in re.split(r"[,;|]", text_of(cell("themes"))))):
        if fold(name) in context.themes:
            theme_ids.append(context.themes[fold(name)])
        else:
            other_tags.append(shown(name))
    if identifier:
        key = id_key(identifier)
    else:
        # A start taken from the upload form is no part of the row: imported again with another, it is the same row.
        key = fingerprint(title, None if default_start else started_on, [key for key, _role in participants])
    assumed = tuple(name for name, value in given.items() if not value)
    return CollaborationDraft(
        values_out, participants, sorted(set(theme_ids)), key, identifier, default_start, other_tags, assumed
    )


def plausible(day: datetime.date, column: str) -> None:
    """The log form's rule for dates (from 2000 to a year ahead): a typo like 01.07.68 (2068) is not stored."""
    try:
        check_plausible_date(day)
    except ValidationError as error:
        raise RowError(" ".join(error.messages), column) from None


def roles_for(form: int, people: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """Each actor's role as given where it fits the form; otherwise From gives and To receives in an exchange."""
    allowed = ROLES_FOR_FORM[form]
    roles, seen = [], set()
    for position, (key, role) in enumerate(people):
        if key in seen:
            continue
        seen.add(key)
        if role not in allowed:
            if form == Form.RESOURCE_EXCHANGE:
                role = ParticipantRole.GIVER if position == 0 else ParticipantRole.RECEIVER
            else:
                role = ParticipantRole.PARTICIPANT
        roles.append((key, role))
    if form == Form.RESOURCE_EXCHANGE and not {ParticipantRole.GIVER, ParticipantRole.RECEIVER} <= {
        r for _k, r in roles
    }:
        roles = [
            (key, ParticipantRole.GIVER if i == 0 else ParticipantRole.RECEIVER) for i, (key, _r) in enumerate(roles)
        ]
    if form == Form.ALIGNMENT and (ParticipantRole.REFERRER in {r for _k, r in roles}) != (
        ParticipantRole.REFERRED in {r for _k, r in roles}
    ):
        roles = [(key, ParticipantRole.PARTICIPANT) for key, _r in roles]
    return roles


# One or two nought decimals, never three: "1.000" is a thousand as Danish Excel groups it, not the row numbered 1.
WHOLE_NUMBER = re.compile(r"(?P<number>[0-9]+)(?:[.,]0{1,2})?")


def id_of(value) -> str:
    """A row's ID as a number is one ID however it is written: 77, "77.0" (a tool's number column with gaps) and
    "077" (zero-padded text) are the same row imported again, not three collaborations."""
    identifier = text_of(value)
    # Kept as written when it looks like a CPR number, so that the row is refused for it (0101901234 is no 101901234).
    if (match := WHOLE_NUMBER.fullmatch(identifier)) and not contains_cpr_like_number(identifier):
        return match["number"].lstrip("0") or "0"
    return identifier


def id_key(identifier: str) -> str:
    """The key of the first collaboration imported under an ID. A long ID is kept whole as a hash: cut short, two IDs
    with the same beginning would be one."""
    return f"id:{identifier}" if len(identifier) <= 90 else "id#" + hashlib.sha1(identifier.encode()).hexdigest()


REUSED_ID = "id~"


def reused_id_prefix(identifier: str) -> str:
    """How the keys of later collaborations under an ID used before begin: each is found again by its ID."""
    return REUSED_ID + hashlib.sha1(identifier.encode(), usedforsecurity=False).hexdigest()[:16] + "~"


REUSED_PREFIX_LENGTH = len(reused_id_prefix(""))


def refused_key(name: str) -> str:
    return hashlib.sha256(fold(name).encode()).hexdigest()


def fingerprint(title: str, started_on: datetime.date | None, actor_keys: list[str]) -> str:
    """The same collaboration in a file without IDs: same title, start (None: the row has none) and actors."""
    text = "\x1f".join([fold(title), started_on.isoformat() if started_on else "undated", *sorted(actor_keys)])
    return "sha1:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def add_collaboration(plan: ImportPlan, table: Table, number: int, draft: CollaborationDraft, context) -> None:
    title, started_on = draft.values["title"], draft.values["started_on"]
    what = (fold(title), started_on)
    note = ""
    if draft.identifier:
        earlier, note = imported_under_id(draft, context)
    else:
        earlier = imported_without_id(draft, context)
    # The centre's own export, imported back: its ID is the collaboration's own number here, with the same title and
    # start (a sheet numbering its rows 1, 2, 3 names other collaborations with the same numbers).
    own = draft.identifier and context.local.get(draft.identifier) == what
    if earlier is not None or own:
        plan.rows.append(already_imported(plan, table.name, number, draft, earlier, context))
        return
    if existing := context.logged_already(draft):
        detail = _("Samkort has it already, as collaboration no. %(number)s (the same title, start and actors).")
        plan.rows.append(RowResult(table.name, number, Outcome.IN_SAMKORT, title, detail % {"number": existing}))
        return
    context.remember(draft, number, table.name)
    plan.collaborations.append(draft)
    plan.assumed.update(draft.assumed)
    detail = str(Form(draft.values["form"]).label)
    if draft.default_start:
        detail += " " + _("(the start date given for rows without one)")
    notes = [note]
    if not draft.default_start and (similar := context.looks_like(draft)):
        notes.append(
            _(
                "Like collaboration no. %(number)s in Samkort (the same actors, from %(date)s): if it is the same, "
                "delete the row."
            )
            % {"number": similar[0], "date": date_format(similar[1], "SHORT_DATE_FORMAT")}
        )
    if draft.other_tags:
        notes.append(_("Not themes in Samkort, left out: %(tags)s.") % {"tags": ", ".join(draft.other_tags)})
    if inactive := [plan.display[key] for key in draft_actors(draft) if key in plan.inactive]:
        notes.append(
            ngettext(
                "%(names)s is no longer active in Samkort; the collaboration is imported with it all the same.",
                "%(names)s are no longer active in Samkort; the collaboration is imported with them all the same.",
                len(inactive),
            )
            % {"names": list_of_names(inactive)}
        )
    detail = " ".join(filter(None, [detail, *notes]))
    plan.rows.append(RowResult(table.name, number, Outcome.NEW_COLLABORATION, title, detail, started_on=started_on))


def imported_under_id(draft: CollaborationDraft, context) -> tuple[tuple | None, str]:
    """What a row with an ID was imported as before (in Samkort or earlier in the file), and a note; the draft takes
    that one's key. An ID used before for other collaborations (a sheet numbering its rows from 1 again each year)
    gives this one a key of its own, found again by its ID."""
    what = (fold(draft.values["title"]), draft.values["started_on"])
    actors = set(draft_actors(draft))
    keys = context.keys_for_id(draft.identifier)
    if draft.written_identifier not in ("", draft.identifier):
        keys += [key for key in context.keys_for_id(draft.written_identifier) if key not in keys]
    for key in keys:
        if same_collaboration(context.imported[key], context.actors_of(key), what, actors, draft.default_start):
            draft.import_key = key
            return context.imported[key], ""
    if not keys:
        return None, ""
    start = None if draft.default_start else draft.values["started_on"]
    unique = fingerprint(draft.identifier + "\x1f" + draft.values["title"], start, sorted(actors))[5:]
    draft.import_key = reused_id_prefix(draft.identifier) + unique[:40]
    note = _("The ID %(id)s was used before for another collaboration; this one is new.") % {
        "id": shown(draft.identifier)
    }
    return context.imported.get(draft.import_key), note


def imported_without_id(draft: CollaborationDraft, context) -> tuple | None:
    title, started_on, actors = draft.values["title"], draft.values["started_on"], draft_actors(draft)
    if (earlier := context.imported.get(draft.import_key)) is not None:
        return earlier
    if draft.default_start:
        # Imported before the form's date left the key (2026-11-30), the key held that date: the same file with
        # the same date finds it so.
        return context.imported.get(fingerprint(title, started_on, actors))
    # A sheet imported without dates, now with them: the same row when its date is the one it was given then.
    undated = context.imported.get(fingerprint(title, None, actors))
    return undated if undated is not None and undated[1] == started_on else None


def already_imported(plan: ImportPlan, sheet: str, number: int, draft: CollaborationDraft, earlier, context):
    """The row of something imported before: earlier in this file (whose actors it may add to), or in Samkort
    (where what differs is said, not written: an import changes no collaboration Samkort has)."""
    title = draft.values["title"]
    where = context.in_file.get(draft.import_key)
    if where:
        first = context.drafts[draft.import_key]
        if joining := more_actors(first, draft):
            names = ", ".join(plan.display.get(key, key) for key, _role in joining)
            detail = _("Adds %(names)s to the collaboration of row %(row)s of %(sheet)s.") % {
                "names": names,
                "row": where[0],
                "sheet": where[1],
            }
            if draft.values != first.values:
                detail += " " + _("Its other values are those of row %(row)s.") % {"row": where[0]}
            return RowResult(sheet, number, Outcome.MORE_ACTORS, title, detail)
        detail = _("The same as row %(row)s of %(sheet)s: imported once.") % {"row": where[0], "sheet": where[1]}
        return RowResult(sheet, number, Outcome.ALREADY_IMPORTED, title, detail)
    notes = []
    if earlier is not None and earlier[1] != draft.values["started_on"]:
        notes.append(_("In Samkort from %(date)s.") % {"date": date_format(earlier[1], "SHORT_DATE_FORMAT")})
    if earlier is not None and earlier[0] != fold(title):
        # A title corrected in the sheet is not carried over: said, so that no one believes it was.
        notes.append(_("In Samkort under another title: an import changes no collaboration Samkort has."))
    if draft.identifier and earlier is not None:
        present = context.actors_of(draft.import_key)
        if missing := [key for key in draft_actors(draft) if key not in present]:
            # An import adds no actor to a collaboration Samkort has already: it says so, so none is lost unseen.
            notes.append(
                _("In Samkort without %(names)s: add them in the collaboration's form if they took part.")
                % {"names": ", ".join(plan.display.get(key, key) for key in missing)}
            )
    result = RowResult(sheet, number, Outcome.ALREADY_IMPORTED, title, " ".join(notes))
    if earlier is not None:
        context.seen_before.append((result, draft, "import_key", draft.import_key))
    elif draft.identifier in context.local:
        context.seen_before.append((result, draft, "pk", draft.identifier))
    return result


# What a row may say differently from the collaboration Samkort has, when the row says it at all.
COMPARED_FIELDS = (
    *("form", "ended_on", "frequency", "level", "citizens_part", "citizen_count"),
    *("description", "target_group", "goals", "outcome"),
)


def note_what_differs(context: CollaborationContext) -> None:
    """A row of a collaboration imported before that gives another value than Samkort has (an end date written
    into the sheet since, a form corrected) says which: the import changes no collaboration Samkort has, so a
    coordinator who re-imports the sheet to record that a collaboration ended is not told all is in Samkort."""
    for lookup in ("import_key", "pk"):
        rows = [(result, draft, key) for result, draft, how, key in context.seen_before if how == lookup]
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            keys = [key for _result, _draft, key in chunk]
            samkort = {
                str(values.pop(lookup)): values
                for values in Collaboration.objects.filter(centre=context.centre, **{f"{lookup}__in": keys}).values(
                    lookup, *COMPARED_FIELDS
                )
            }
            for result, draft, key in chunk:
                if key in samkort and (fields := fields_that_differ(draft, samkort[key])):
                    result.outcome = Outcome.DIFFERS
                    note = _(
                        "Differs from Samkort in: %(fields)s. An import changes no collaboration Samkort has: "
                        "correct it in the collaboration's form if the file is right."
                    ) % {"fields": ", ".join(fields)}
                    result.detail = " ".join(filter(None, [result.detail, note]))
    context.seen_before.clear()


def fields_that_differ(draft: CollaborationDraft, samkort: dict) -> list[str]:
    """The names of the fields whose value the row gives, and gives otherwise than Samkort has it."""
    differ = []
    for name in COMPARED_FIELDS:
        value = draft.values.get(name)
        if value in (None, "") or name in draft.assumed:
            continue  # the row left it empty: it says nothing against Samkort's
        if (value.strip() if isinstance(value, str) else value) != samkort[name]:
            differ.append(str(Collaboration._meta.get_field(name).verbose_name))
    return differ


# A collaboration of the same actors that a new row may repeat: a title this alike with the same start (0-100,
# rapidfuzz's token set ratio: "Natteravne" and "Natteravne i Korsør" are 100), or the same title this close.
SIMILAR_TITLE = 90
CORRECTED_DAY = datetime.timedelta(days=14)
# A start date corrected under the same ID and title moves less than this; next year's event under a sheet's
# row number 1 again moves a year.
CORRECTED_START = datetime.timedelta(days=183)


def same_collaboration(earlier: tuple, earlier_actors: set[str], now: tuple, actors: set[str], default_start: bool):
    """Whether a row with an ID used before is the collaboration imported under it: the same title and start (a
    collaboration of several actors written as pairs), the same title with a start less than half a year apart and
    an actor in common (a date corrected since, 31.12.2025 to 02.01.2026 too; a "Sommerfest" under ID 1 in next
    year's sheet, numbered from 1 again, is next year's, and so is January's "Netværksmøde" of two other actors),
    or another title with the same start and the same actors (a title corrected since). A start the row took from
    the upload form says nothing: the title decides."""
    (title_before, start_before), (title, start) = earlier, now
    if title == title_before:
        if default_start or start == start_before:
            return True
        return abs(start - start_before) < CORRECTED_START and bool(actors & earlier_actors)
    return not default_start and start == start_before and actors == earlier_actors


def more_actors(first: CollaborationDraft, again: CollaborationDraft) -> list[tuple[str, str]]:
    """A collaboration of more than two actors written as pairs under one ID (Kumu's connections and edge lists
    can hold it no other way): the actors the later row adds to it, each in the role that row gives it. Added to
    the first row's draft."""
    present = {key for key, _role in first.participants}
    joining = [(key, role) for key, role in again.participants if key not in present]
    first.participants.extend(joining)
    return joining


def draft_actors(draft: CollaborationDraft) -> list[str]:
    return [key for key, _role in draft.participants]


def presence_kind(plan: ImportPlan, key: str) -> str:
    return PresenceKind.BASED if key in plan.based else PresenceKind.AD_HOC
