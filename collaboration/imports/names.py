"""Every actor's name, indexed once per import: exact matches by folded key, near-duplicates with rapidfuzz."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from centres.models import Actor
from centres.similarity import NameMatcher, normalise_name

# Names new in the file are compared with each other too, each with those before it (0.25 ms a name at the most):
# up to this many, under a second in all; past it a file is a list from another system, not one typed by hand.
MAX_COMPARED_IN_FILE = 5000


@dataclass(frozen=True)
class KnownActor:
    pk: int
    name: str
    category: str = ""
    # The description as a digest: enough to tell whether a file's differs, without holding every actor's text.
    description_digest: str = ""
    active: bool = True


class NameIndex:
    def __init__(self, actors: list[tuple]):
        """Each actor as (id, name, folded name), with its category, description and whether it is active after them
        if known."""
        known = [(KnownActor(pk, name, *known_details(*rest)), key) for pk, name, key, *rest in actors]
        self.by_key = {key: actor for actor, key in known}
        self.by_id = {actor.pk: actor for actor, _key in known}
        normalised = [(actor.pk, normalise_name(actor.name)) for actor, _key in known]
        self.matcher = NameMatcher(normalised)
        # Names that differ only in punctuation ("Sumak - café", "Sumak – café", "Korsør Bibliotek."), where one actor
        # alone has that spelling: the same organisation, written with another dash or a full stop.
        counts = Counter(name for _pk, name in normalised)
        self.by_letters = {name: self.by_id[pk] for pk, name in normalised if name and counts[name] == 1}
        # Names new to Samkort, as the file writes them, matched by the same rule as Samkort's.
        self.new_in_file: list[str] = []
        self.new_matcher = NameMatcher([])

    @classmethod
    def of_all_actors(cls) -> NameIndex:
        fields = ("pk", "name", "name_key", "category", "description", "active")
        return cls(list(Actor.objects.values_list(*fields).iterator(chunk_size=5000)))

    def exact(self, key: str) -> KnownActor | None:
        return self.by_key.get(key)

    def same_letters(self, name: str) -> KnownActor | None:
        """The one actor whose name has the same words as this one, punctuation apart."""
        return self.by_letters.get(normalise_name(name))

    def similar(self, name: str, limit: int = 3) -> list[KnownActor]:
        return [self.by_id[pk] for pk in self.matcher.similar(name, limit)]

    def add_new(self, name: str) -> None:
        """A name new to Samkort, read from the file: later rows are compared with it."""
        if len(self.new_in_file) < MAX_COMPARED_IN_FILE:
            self.new_matcher.add(len(self.new_in_file), normalise_name(name))
            self.new_in_file.append(name)

    def similar_in_file(self, name: str, limit: int = 3) -> list[str]:
        """New names earlier in the file that look like this one ("Ungdomsklubben Vest", "Ungdomsklubben Vets")."""
        if len(self.new_in_file) >= MAX_COMPARED_IN_FILE:
            return []
        target = normalise_name(name)
        found = self.new_matcher.similar(name, limit)
        return [self.new_in_file[index] for index in found if self.new_matcher.names[index] != target]


def known_details(category: str = "", description: str = "", active: bool = True) -> tuple[str, str, bool]:
    return category, description_digest(description), active


def description_digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest() if text else ""
