"""Near-duplicate actor names: "Jobcenter Slagelse" and "Jobcentret Slagelse" are probably one actor."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from samkort.text import fold

SIMILARITY_THRESHOLD = 0.85


# Danish letters as they are written where a keyboard or a system has none: "Aarhus" is "Århus", "Boernehuset" is
# "Børnehuset". Two organisations whose names differ only so are one written two ways.
DANISH_IN_ASCII = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


def normalise_name(name: str) -> str:
    """A name's words, lower case, without punctuation and with Danish letters for their ASCII spellings: two names
    that normalise alike name one organisation."""
    text = fold(name)
    text = re.sub(r"[^\w\s]", " ", text)
    for ascii_spelling, letter in DANISH_IN_ASCII:
        text = text.replace(ascii_spelling, letter)
    return " ".join(text.split())


def name_similarity(a: str, b: str) -> float:
    return fuzz.ratio(normalise_name(a), normalise_name(b)) / 100


def similar_names(name: str, candidates: list[tuple[int, str]], limit: int = 5) -> list[int]:
    """Ids of the candidates whose names look like `name`, most similar first."""
    return NameMatcher([(pk, normalise_name(candidate)) for pk, candidate in candidates]).similar(name, limit)


def differ_only_in_numbers(a: str, b: str) -> bool:
    """Whether two names are the same words with other numbers: "Boligafdeling 2" and "Boligafdeling 12", "Klub 7A"
    and "Klub 7B" are two organisations, however alike their letters."""

    def words(name: str) -> list[str]:
        return [word for word in name.split() if not any(char.isdigit() for char in word)]

    return a != b and words(a) == words(b)


class NameMatcher:
    """Names made comparable once, then matched many times (rapidfuzz, in C): the log form's question about
    similar names, and an import's thousands of rows against every actor, both in milliseconds per name."""

    def __init__(self, normalised: list[tuple[int, str]]):
        self.ids: list[int] = []
        self.names: list[str] = []
        self.by_first_word: dict[str, list[int]] = {}
        for pk, name in normalised:
            self.add(pk, name)

    def add(self, pk: int, normalised_name: str) -> None:
        """One more name (normalise_name's), matched from now on: an import's new names, one row at a time."""
        index = len(self.names)
        self.ids.append(pk)
        self.names.append(normalised_name)
        if normalised_name:
            self.by_first_word.setdefault(normalised_name.split()[0], []).append(index)

    def similar(self, name: str, limit: int = 5) -> list[int]:
        target = normalise_name(name)
        if not target:
            return []
        found = process.extract(
            target, self.names, scorer=fuzz.ratio, score_cutoff=SIMILARITY_THRESHOLD * 100, limit=None
        )
        found += self.reordered(target, {index for _name, _score, index in found})
        found += self.shortened(target, {index for _name, _score, index in found})
        found = [match for match in found if not differ_only_in_numbers(target, match[0])]
        # Most similar first; equal scores in alphabetical order, so the same names always come in the same order.
        found.sort(key=lambda match: (-match[1], match[0]))
        return [self.ids[index] for _name, _score, index in found[:limit]]

    def reordered(self, target: str, already: set[int]) -> list[tuple[str, float, int]]:
        """The same words in another order: "Slagelse Jobcenter" and "Jobcenter Slagelse", "Bibliotek Korsør" and
        "Korsør Bibliotek". By letters in order they are far apart; word for word they are one name."""
        if " " not in target:
            return []
        found = process.extract(
            target, self.names, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILARITY_THRESHOLD * 100, limit=None
        )
        return [match for match in found if match[2] not in already]

    def shortened(self, target: str, already: set[int]) -> list[tuple[str, float, int]]:
        """Names of which one is the other's first words: "Basen" and "Basen – ungdomsklub", "UU" and "UU
        Vestsjælland". Centres' own lists often use the short name; by letters alone the two are far apart."""
        matches = []
        for index in self.by_first_word.get(target.split()[0], ()):
            candidate = self.names[index]
            one_begins_the_other = candidate.startswith(target + " ") or target.startswith(candidate + " ")
            if index not in already and one_begins_the_other:
                matches.append((candidate, SIMILARITY_THRESHOLD * 100, index))
        return matches
