"""Text as it arrives from Word, mail and other systems, made fit to keep, to compare and to export.

Pasted text carries characters nobody sees: zero-width spaces, byte-order marks, right-to-left overrides, soft
hyphens, non-breaking spaces, and letters in either of Unicode's two normal forms ("Café" as one code point or two).
Kept as they are, they make two actors of one name, hide a CPR number from the guard, and break XML and spreadsheet
files. Every text field cleans its input here on the way in; every exporter drops what its format cannot hold on the
way out, so that a row saved before these rules never breaks a report.
"""

from __future__ import annotations

import re
import unicodedata

# Format characters with no visible form: zero-width space, non-joiner and joiner, word joiner, the byte-order mark
# (also "zero-width no-break space"), the soft hyphen, the Mongolian vowel separator, and the bidirectional controls
# that can make a text display in another order than it is stored (U+202E turns "txt.exe" into "exe.txt").
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Spaces that look like a space, and the hyphens word processors put in for "-".
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
HYPHENS = "\u2010\u2011"
LINE_BREAKS = "\u2028\u2029\u0085"

# The zero-width non-joiner and joiner are part of what they stand between: Persian words ("می‌خواهم") and emoji
# sequences (👩‍⚕️, 🏳️‍🌈) need them. Kept there, they go where they join nothing (at an end, beside a space or a digit),
# and comparisons (fold) and the CPR check read past them.
JOINERS = "\u200c\u200d"
WITHOUT_JOINERS = {ord(char): None for char in JOINERS}

CLEANING = {
    **{ord(char): None for char in INVISIBLE if char not in JOINERS},
    **{ord(char): " " for char in SPACES},
    **{ord(char): "-" for char in HYPHENS},
    **{ord(char): "\n" for char in LINE_BREAKS},
}

# What XML 1.0 (and so XLSX, GEXF, GraphML and SVG) can hold: tab, line feed, carriage return and the printable rest,
# without the surrogates and U+FFFE/U+FFFF. Unicode's noncharacters are no text either, so they go too.
UNHOLDABLE = re.compile(
    "[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\ufdd0-\ufdef]"
    "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff"
    "\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff"
    "\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff]"
)


def clean_line(text: str) -> str:
    """A one-line text (a name, a title): normal form C, nothing invisible, single-spaced."""
    return " ".join(clean_block(text).split())


def clean_block(text: str) -> str:
    """A text of several lines (a description): normal form C, nothing invisible, one kind of line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(CLEANING)
    if "\u200c" in text or "\u200d" in text:
        text = joiners_where_they_join(text)
    # Normalised after the invisible characters go: one between a letter and its accent keeps them apart till then.
    return unicodedata.normalize("NFC", text).strip()


def joiners_where_they_join(text: str) -> str:
    def joins(at: int) -> bool:
        before, after = text[at - 1 : at].strip(), text[at + 1 : at + 2].strip()
        return bool(before and after) and not (before.isdigit() or after.isdigit())

    return "".join(char for at, char in enumerate(text) if char not in JOINERS or joins(at))


def unholdable_characters(text: str) -> list[str]:
    """The characters a file format or PostgreSQL cannot hold, each once, in the order they first appear."""
    return list(dict.fromkeys(UNHOLDABLE.findall(text)))


def describe_character(char: str) -> str:
    """U+FFFE, as a person can look it up, with the character's name where Unicode gives one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


# Spreadsheets run a cell as a formula when it starts with one of these (OWASP, "CSV injection"); exports mark such
# text with an apostrophe in CSV, and imports take that mark away again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may begin a cell inside a text: a Danish Excel splits a comma-separated file's lines at
# semicolons, quoted or not, and a line break in a quoted field ends its row there too. An apostrophe marks such a
# place; one the text had there already is marked too (two), so that taking one away gives the text back.
FORMULA_WITHIN = re.compile(r"([;\r\n][ \"]*)(?='*[=+\-@\t])")
MARKED_FORMULA_WITHIN = re.compile(r"([;\r\n][ \"]*)'(?='*[=+\-@\t])")
FORMULA_AT_START = re.compile(r"'*[=+\-@\t\r]")


def marked_as_text(text: str) -> str:
    """The text as a CSV file holds it: an apostrophe wherever a spreadsheet could begin a cell with a formula."""
    text = FORMULA_WITHIN.sub(r"\1'", text)
    return "'" + text if FORMULA_AT_START.match(text) else text


def without_text_marks(text: str) -> str:
    """The text as typed, from a CSV file that marked it (Samkort's export, or Excel's own leading apostrophe)."""
    text = MARKED_FORMULA_WITHIN.sub(r"\1", text)
    return text[1:] if text[:1] == "'" and FORMULA_AT_START.match(text[1:]) else text


def exportable(text: str) -> str:
    """The text without what XML and spreadsheets cannot hold: old rows, saved before the rules, must still export."""
    return UNHOLDABLE.sub("", text)


def fold(text: str) -> str:
    """The key two names are compared by: "Ældreråd", "ÆLDRERÅD" and "ældreråd " are one name, on every database."""
    return " ".join(unicodedata.normalize("NFKC", clean_block(text).translate(WITHOUT_JOINERS)).casefold().split())


def list_of_names(names) -> str:
    """Names one after another: with commas, or with semicolons when a name has a comma of its own
    ("Socialrådgivningen, Slagelse Kommune"), so that a reader sees where each name ends."""
    names = [str(name) for name in names]
    separator = "; " if any("," in name for name in names) else ", "
    return separator.join(names)


def whole_number(number: int) -> str:
    """A number as the reader's language groups its thousands: 50.000 in Danish, 50,000 in English."""
    from django.utils.formats import number_format

    return number_format(number, force_grouping=True)
