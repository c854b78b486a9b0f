"""Every actor's name, indexed once per import: exact matches by folded key, near-duplicates with rapidfuzz."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from centres.models import Actor
from centres.similarity import NameMatcher, normalise_name


@dataclass(frozen=True)
class KnownActor:
    pk: int
    name: str


class NameIndex:
    def __init__(self, actors: list[tuple[int, str, str]]):
        self.by_key = {key: KnownActor(pk, name) for pk, name, key in actors}
        self.by_id = {pk: KnownActor(pk, name) for pk, name, _key in actors}
        normalised = [(pk, normalise_name(name)) for pk, name, _key in actors]
        self.matcher = NameMatcher(normalised)
        # Names that differ only in punctuation ("Sumak - café", "Sumak – café", "Korsør Bibliotek."), where one actor
        # alone has that spelling: the same organisation, written with another dash or a full stop.
        counts = Counter(name for _pk, name in normalised)
        self.by_letters = {name: self.by_id[pk] for pk, name in normalised if name and counts[name] == 1}

    @classmethod
    def of_all_actors(cls) -> NameIndex:
        return cls(list(Actor.objects.values_list("pk", "name", "name_key").iterator(chunk_size=5000)))

    def exact(self, key: str) -> KnownActor | None:
        return self.by_key.get(key)

    def same_letters(self, name: str) -> KnownActor | None:
        """The one actor whose name has the same words as this one, punctuation apart."""
        return self.by_letters.get(normalise_name(name))

    def similar(self, name: str, limit: int = 3) -> list[KnownActor]:
        return [self.by_id[pk] for pk in self.matcher.similar(name, limit)]
