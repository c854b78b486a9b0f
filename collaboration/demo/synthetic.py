"""A large, made-up network for benchmarks (`manage.py seed_synthetic`).

Everything is drawn from one `random.Random(seed)`, so the same arguments on an empty database give the same
rows. Within each centre a few actors take part far more often than the rest (a Zipf-like choice), about 5 % of
the actors are present but never collaborate, and the five forms, roles and dates follow the rules of the models.
Rows are written with `bulk_create`; each batch of collaborations is written in one transaction together with its
participations, because PostgreSQL checks at commit that a collaboration has at least two actors.

Run it again on the same database and the numbering continues after the synthetic centres and actors already there.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
from bisect import bisect_right

from django.db import transaction
from django.utils import translation

from centres.models import Actor, ActorCategory, Centre, CentreKind, Presence, PresenceKind
from collaboration.models import (
    ROLES_FOR_FORM,
    CitizensPart,
    Collaboration,
    Form,
    Frequency,
    Level,
    ParticipantRole,
    Participation,
    ResourceKind,
    Theme,
)
from samkort.bulk import refresh_statistics

MUNICIPALITY = "Syntetisk Kommune"
CENTRE_NAME = "Syntetisk center {number:02d}"
CENTRE_SLUG = "syntetisk-{number:02d}"
ACTOR_NAME = "Syntetisk aktør {number:04d} ({category})"
ACTOR_NUMBER = re.compile(r"^Syntetisk aktør (\d+) ")
BATCH_SIZE = 5_000

ZIPF_EXPONENT = 1.0
SHARE_NEVER_COLLABORATING = 0.05
SHARE_BASED = 0.25
SHARE_IN_TWO_CENTRES = 0.25
FORM_WEIGHTS = {
    Form.KNOWLEDGE_SHARING: 35,
    Form.ALIGNMENT: 25,
    Form.RESOURCE_EXCHANGE: 15,
    Form.COORDINATED_ACTION: 15,
    Form.CO_CREATION: 10,
}
PARTICIPANT_COUNT_WEIGHTS = {2: 60, 3: 20, 4: 12, 5: 8}
FREQUENCY_WEIGHTS = {
    Frequency.ONCE: 35,
    Frequency.OCCASIONALLY: 25,
    Frequency.MONTHLY: 20,
    Frequency.WEEKLY: 15,
    Frequency.DAILY: 5,
}
FORM_WORDS = {
    Form.KNOWLEDGE_SHARING: "Videndeling",
    Form.ALIGNMENT: "Samvirke",
    Form.RESOURCE_EXCHANGE: "Ressourceudveksling",
    Form.COORDINATED_ACTION: "Samordning",
    Form.CO_CREATION: "Samskabelse",
}


class NotEnoughActors(ValueError):
    """A centre would end up with fewer than two actors that collaborate."""


class SyntheticSeeder:
    def __init__(self, rng: random.Random, today: datetime.date, years: int) -> None:
        self.rng = rng
        self.today = today
        self.days = years * 365
        self.themes = list(Theme.objects.order_by("position", "id").values_list("id", flat=True))

    def seed(self, n_centres: int, n_actors: int, n_collaborations: int) -> dict[str, int]:
        with transaction.atomic():
            centres = self.create_centres(n_centres)
            actors = self.create_actors(n_actors)
            pools, presences = self.create_presences(centres, actors)
        counts = {"centres": len(centres), "actors": len(actors), "presences": presences}
        counts["collaborations"], counts["participations"] = self.create_collaborations(pools, n_collaborations)
        tables = [Centre, Actor, Presence, Collaboration, Collaboration.themes.through, Participation]
        refresh_statistics(tables, counts["collaborations"] + counts["actors"])
        return counts

    def create_centres(self, n: int) -> list[Centre]:
        first = next_number(Centre.objects.filter(slug__startswith="syntetisk-").values_list("slug", flat=True))
        kinds = list(CentreKind.values)
        centres = [
            Centre(
                name=CENTRE_NAME.format(number=number),
                slug=CENTRE_SLUG.format(number=number),
                kind=kinds[i % len(kinds)],
                municipality=MUNICIPALITY,
                description="Syntetiske data til ydelsesmålinger.",
            )
            for i, number in enumerate(range(first, first + n))
        ]
        return Centre.objects.bulk_create(centres)

    def create_actors(self, n: int) -> list[Actor]:
        names = Actor.objects.filter(name__startswith="Syntetisk aktør ").values_list("name", flat=True)
        first = next_number(match.group(1) for name in names if (match := ACTOR_NUMBER.match(name)))
        categories = list(ActorCategory)
        actors = []
        with translation.override("da"):
            for number in range(first, first + n):
                category = self.rng.choice(categories)
                name = ACTOR_NAME.format(number=number, category=category.label)
                actors.append(Actor(name=name, category=category.value))
        return Actor.objects.bulk_create(actors, batch_size=BATCH_SIZE)

    def create_presences(self, centres: list[Centre], actors: list[Actor]) -> tuple[list[CentrePool], int]:
        """Every actor is present in one or two centres; the ones that never collaborate stay out of the pools."""
        rng = self.rng
        order = list(range(len(actors)))
        rng.shuffle(order)
        silent = set(order[: round(len(actors) * SHARE_NEVER_COLLABORATING)])
        members: list[list[Actor]] = [[] for _ in centres]
        presences = []
        for i, actor in enumerate(actors):
            homes = [i % len(centres)]
            if len(centres) > 1 and rng.random() < SHARE_IN_TWO_CENTRES:
                homes.append((homes[0] + rng.randrange(1, len(centres))) % len(centres))
            based = rng.random() < SHARE_BASED
            for position, home in enumerate(homes):
                kind = PresenceKind.BASED if based and position == 0 else PresenceKind.AD_HOC
                started_on = None
                if rng.random() < 0.5:
                    started_on = self.today - datetime.timedelta(days=self.days + rng.randrange(0, 2 * 365))
                presences.append(Presence(centre=centres[home], actor=actor, kind=kind, started_on=started_on))
                if i not in silent:
                    members[home].append(actor)
        Presence.objects.bulk_create(presences, batch_size=BATCH_SIZE)
        if any(len(actors) < 2 for actors in members):
            raise NotEnoughActors("For få aktører: et center ville få færre end to, der samarbejder.")
        return [CentrePool(centre, actors, rng) for centre, actors in zip(centres, members, strict=True)], len(
            presences
        )

    def create_collaborations(self, pools: list[CentrePool], n: int) -> tuple[int, int]:
        """Write the collaborations in batches, each batch in one transaction with its participations."""
        rng = self.rng
        pool_weights = list(itertools.accumulate(len(pool.actors) for pool in pools))
        forms, form_weights = list(FORM_WEIGHTS), list(FORM_WEIGHTS.values())
        participations_written = 0
        for start in range(0, n, BATCH_SIZE):
            rows = []
            for i in range(start, min(start + BATCH_SIZE, n)):
                pool = rng.choices(pools, cum_weights=pool_weights)[0]
                # The first five are one of each form, so every form is present in any run.
                form = Form(i + 1) if i < len(forms) else rng.choices(forms, weights=form_weights)[0]
                rows.append(self.collaboration(i + 1, pool, form))
            with transaction.atomic():
                Collaboration.objects.bulk_create([collaboration for collaboration, _p, _t in rows])
                participations = [
                    Participation(collaboration_id=collaboration.pk, actor_id=actor.pk, role=role)
                    for collaboration, members, _themes in rows
                    for actor, role in members
                ]
                Participation.objects.bulk_create(participations)
                Collaboration.themes.through.objects.bulk_create(
                    [
                        Collaboration.themes.through(collaboration_id=collaboration.pk, theme_id=theme_id)
                        for collaboration, _members, themes in rows
                        for theme_id in themes
                    ]
                )
            participations_written += len(participations)
        return n, participations_written

    def collaboration(
        self, number: int, pool: CentrePool, form: Form
    ) -> tuple[Collaboration, list[tuple[Actor, str]], list[int]]:
        rng = self.rng
        count = rng.choices(list(PARTICIPANT_COUNT_WEIGHTS), weights=list(PARTICIPANT_COUNT_WEIGHTS.values()))[0]
        actors = pool.draw(min(count, len(pool.actors)))
        roles = roles_for(rng, form, len(actors))
        frequency = rng.choices(list(FREQUENCY_WEIGHTS), weights=list(FREQUENCY_WEIGHTS.values()))[0]
        started_on = self.today - datetime.timedelta(days=rng.randrange(0, self.days))
        if frequency == Frequency.ONCE:
            ended_on = started_on
        elif rng.random() < 0.5:
            ended_on = min(started_on + datetime.timedelta(days=rng.randint(30, 540)), self.today)
        else:
            ended_on = None
        level = rng.choice(Level.values)
        citizens_part = rng.choice(CitizensPart.values)
        collaboration = Collaboration(
            centre_id=pool.centre.pk,
            form=form,
            title=f"{FORM_WORDS[form]} {number:06d} i {pool.centre.name}",
            started_on=started_on,
            ended_on=ended_on,
            frequency=frequency,
            level=level,
            citizens_part=citizens_part,
            citizen_count=None if citizens_part == CitizensPart.NOT_INVOLVED else rng.randint(2, 80),
            resource_kind=rng.choice(ResourceKind.values) if form == Form.RESOURCE_EXCHANGE else "",
        )
        themes = sorted(rng.sample(self.themes, min(rng.choice((0, 1, 1, 2)), len(self.themes))))
        return collaboration, list(zip(actors, roles, strict=True)), themes


class CentrePool:
    """The actors that collaborate in one centre, in a random order that decides who the hubs are."""

    def __init__(self, centre: Centre, actors: list[Actor], rng: random.Random) -> None:
        self.centre = centre
        self.actors = list(actors)
        rng.shuffle(self.actors)
        self.rng = rng
        self.cum_weights = list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(actors) + 1)))
        self.total = self.cum_weights[-1]

    def draw(self, count: int) -> list[Actor]:
        """`count` distinct actors, each chosen with a weight of 1 / rank."""
        chosen: dict[int, Actor] = {}
        while len(chosen) < count:
            index = bisect_right(self.cum_weights, self.rng.random() * self.total)
            index = min(index, len(self.actors) - 1)
            chosen.setdefault(index, self.actors[index])
        return list(chosen.values())


def roles_for(rng: random.Random, form: int, count: int) -> list[str]:
    """Roles in participant order; always among ROLES_FOR_FORM[form]."""
    lead, participant = ParticipantRole.LEAD, ParticipantRole.PARTICIPANT
    if form == Form.RESOURCE_EXCHANGE:
        extra = (ParticipantRole.GIVER, ParticipantRole.RECEIVER, ParticipantRole.RECEIVER, participant)
        roles = [ParticipantRole.GIVER, ParticipantRole.RECEIVER] + [rng.choice(extra) for _ in range(count - 2)]
    elif form == Form.ALIGNMENT and rng.random() < 0.4:
        roles = [ParticipantRole.REFERRER, ParticipantRole.REFERRED] + [participant] * (count - 2)
    elif form in (Form.COORDINATED_ACTION, Form.CO_CREATION):
        roles = [lead if rng.random() < 0.7 else participant] + [participant] * (count - 1)
    else:
        roles = [lead if rng.random() < 0.2 else participant] + [participant] * (count - 1)
    if any(role not in ROLES_FOR_FORM[form] for role in roles):
        raise ValueError(f"Roles {roles} do not fit form {form}.")
    return [str(role) for role in roles]


def next_number(existing) -> int:
    """One more than the highest number among existing synthetic names or slugs; 1 when there are none."""
    numbers = [int(match.group()) for value in existing if (match := re.search(r"\d+", str(value)))]
    return max(numbers, default=0) + 1
