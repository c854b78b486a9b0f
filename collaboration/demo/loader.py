"""The demo: four real kinds of citizen centre, their actors and two years of plausible collaborations.

The centres and the kinds of actor follow published cases; every collaboration is invented for the demo. The data
lives in `data/*.toml` (one file per centre, read in the order of their names, and `users.toml`), so it can be read
and edited without reading Python. One seeded random generator draws the dates and counts the files leave open, so
the same `today` always gives the same rows in the same order.
"""

from __future__ import annotations

import datetime
import random
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from centres.models import Actor, Centre, Membership, Presence, Role
from collaboration.models import (
    ROLES_FOR_FORM,
    CitizensPart,
    Collaboration,
    Form,
    Frequency,
    HistoryEntry,
    Level,
    ParticipantRole,
    Participation,
    Theme,
)

DATA = Path(__file__).resolve().parent / "data"
SEED = 20240917
DEMO_PASSWORD = "samkort-demo"
# The forms by their Danish names, as the field and the data files call them.
FORMS_BY_WORD = {
    "videndele": Form.KNOWLEDGE_SHARING,
    "samvirke": Form.ALIGNMENT,
    "ressourceudveksle": Form.RESOURCE_EXCHANGE,
    "samordne": Form.COORDINATED_ACTION,
    "samskabe": Form.CO_CREATION,
}


@dataclass(frozen=True)
class CollaborationSpec:
    """One collaboration of a data file. Roles follow from the form and the flags unless `roles` gives them."""

    form: int
    title: str
    actors: tuple[str, ...]
    frequency: str
    level: str
    citizens_part: str
    themes: tuple[str, ...]
    description: str
    target_group: str = ""
    goals: str = ""
    outcome: str = ""
    lead: bool | None = None  # None: the first actor leads in coordinated action and co-creation.
    referral: bool = False  # Alignment only: the first actor refers to the second.
    resource: str = ""  # Resource exchange only: the first actor gives, the others receive.
    roles: tuple[str, ...] = ()  # Explicit roles when the defaults do not fit.
    ended: bool = False  # Set for collaborations that ran for a while and stopped.
    months_ago: int | None = None  # When it started, where the story needs it; otherwise random.
    months: tuple[int, ...] = ()  # The months it can start in, for what has a season (a summer party in summer).
    citizen_count: int | None = None


@dataclass(frozen=True)
class CentreFile:
    centre: dict
    actors: dict[str, dict]
    presences: list[dict] = field(default_factory=list)
    collaborations: list[CollaborationSpec] = field(default_factory=list)
    # A mapping round with the partners' answers (see demo/rounds.py), if the centre has one.
    round: dict | None = None


@cache
def centre_files() -> tuple[CentreFile, ...]:
    return tuple(read_centre_file(path) for path in sorted(DATA.glob("[0-9]*-*.toml")))


def read_centre_file(path: Path) -> CentreFile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    collaborations = []
    for row in data.get("collaborations", []):
        row = dict(row)
        row["form"] = FORMS_BY_WORD[row["form"]]
        for name in ("actors", "themes", "roles", "months"):
            if name in row:
                row[name] = tuple(row[name])
        collaborations.append(CollaborationSpec(**row))
    return CentreFile(
        centre=data["centre"],
        actors=data.get("actors", {}),
        presences=data.get("presences", []),
        collaborations=collaborations,
        round=data.get("round"),
    )


@cache
def demo_users() -> tuple[dict, ...]:
    return tuple(tomllib.loads((DATA / "users.toml").read_text(encoding="utf-8"))["users"])


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what the user may do), for `make run` to print."""
    return [(user["username"], DEMO_PASSWORD, user["description"]) for user in demo_users()]


def load_demo(today: datetime.date) -> dict[str, int]:
    """Create the demo centres, actors, users and collaborations, with every date relative to `today`."""
    rng = random.Random(SEED)
    files = centre_files()
    with transaction.atomic():
        centres = create_centres(files)
        actors = create_actors(files)
        presences = create_presences(files, centres, actors, today)
        users = create_users()
        memberships = create_memberships(users, centres)
        collaborations, participations = create_collaborations(files, rng, centres, actors, users, today)
        rounds = create_rounds(files, rng, centres, actors, users, today)
    return {
        "centres": len(centres),
        "actors": len(actors),
        "presences": presences,
        "users": len(users),
        "memberships": memberships,
        "collaborations": collaborations,
        "participations": participations,
        "rounds": rounds,
    }


def create_rounds(files, rng, centres, actors, users, today: datetime.date) -> int:
    # Imported here: the round module reads this one's names for the forms and dates.
    from collaboration.demo.rounds import create_round

    coordinators = {
        centre: users[username] for username, centre, role in demo_memberships() if role == Role.COORDINATOR
    }
    made = [
        create_round(
            file.round, centres[file.centre["slug"]], actors, coordinators.get(file.centre["slug"]), rng, today
        )
        for file in files
        if file.round
    ]
    return len(made)


def delete_all() -> None:
    """Remove every centre, actor and collaboration, and the demo users, so the demo can be loaded again."""
    with transaction.atomic():
        HistoryEntry.objects.all().delete()
        # Participations go with their collaborations; they protect actors, so collaborations go first.
        Collaboration.objects.all().delete()
        Presence.objects.all().delete()
        Membership.objects.all().delete()
        Actor.objects.all().delete()
        Centre.objects.all().delete()
        get_user_model().objects.filter(username__in=[user["username"] for user in demo_users()]).delete()


def months_before(today: datetime.date, months: int) -> datetime.date:
    return today - datetime.timedelta(days=round(months * 30.44))


def create_centres(files: tuple[CentreFile, ...]) -> dict[str, Centre]:
    centres = [Centre(**file.centre) for file in files]
    validate(centres)
    Centre.objects.bulk_create(centres)
    return {centre.slug: centre for centre in centres}


def create_actors(files: tuple[CentreFile, ...]) -> dict[str, Actor]:
    specs = [(key, spec) for file in files for key, spec in file.actors.items()]
    actors = [Actor(**spec) for _key, spec in specs]
    validate(actors)
    Actor.objects.bulk_create(actors)
    return {key: actor for (key, _spec), actor in zip(specs, actors, strict=True)}


def create_presences(files, centres: dict[str, Centre], actors: dict[str, Actor], today: datetime.date) -> int:
    presences = [
        Presence(
            centre=centres[file.centre["slug"]],
            actor=actors[spec["actor"]],
            kind=spec["kind"],
            started_on=months_before(today, spec["since_months"]) if "since_months" in spec else None,
            ended_on=months_before(today, spec["until_months"]) if "until_months" in spec else None,
            note=spec.get("note", ""),
        )
        for file in files
        for spec in file.presences
    ]
    validate(presences)
    Presence.objects.bulk_create(presences)
    return len(presences)


def create_users() -> dict[str, AbstractBaseUser]:
    # PBKDF2 is slow on purpose; hashing the shared demo password once keeps loading fast.
    password = make_password(DEMO_PASSWORD)
    user_model = get_user_model()
    users = [
        user_model(
            username=user["username"],
            # A name, as a real account has: a new mapping round's contact is "Mette Holm", not "tovholder".
            first_name=user.get("name", "").rpartition(" ")[0],
            last_name=user.get("name", "").rpartition(" ")[2],
            password=password,
            is_staff=user.get("superuser", False),
            is_superuser=user.get("superuser", False),
        )
        for user in demo_users()
    ]
    user_model.objects.bulk_create(users)
    usernames = [user["username"] for user in demo_users()]
    return {user.username: user for user in user_model.objects.filter(username__in=usernames)}


def demo_memberships() -> list[tuple[str, str, str]]:
    """(username, centre slug, role), in the order they are created."""
    return [
        (user["username"], membership["centre"], membership["role"])
        for user in demo_users()
        for membership in user.get("memberships", [])
    ]


def create_memberships(users: dict[str, AbstractBaseUser], centres: dict[str, Centre]) -> int:
    memberships = [
        Membership(user=users[username], centre=centres[slug], role=role) for username, slug, role in demo_memberships()
    ]
    Membership.objects.bulk_create(memberships)
    return len(memberships)


def loggers_by_centre(users: dict[str, AbstractBaseUser]) -> dict[str, list[AbstractBaseUser]]:
    """Who could have logged the collaborations of each centre: its staff and coordinators."""
    loggers: dict[str, list[AbstractBaseUser]] = {}
    for username, slug, role in demo_memberships():
        if role in (Role.STAFF, Role.COORDINATOR):
            loggers.setdefault(slug, []).append(users[username])
    return loggers


def create_collaborations(files, rng, centres, actors, users, today: datetime.date) -> tuple[int, int]:
    themes = {theme.name: theme for theme in Theme.objects.all()}
    loggers = loggers_by_centre(users)
    rows: list[tuple[Collaboration, CollaborationSpec]] = []
    for file in files:
        slug = file.centre["slug"]
        for spec in file.collaborations:
            logger = rng.choice(loggers[slug]) if loggers.get(slug) else None
            rows.append((new_collaboration(rng, spec, centres[slug], logger, today), spec))
    collaborations = [collaboration for collaboration, _spec in rows]
    validate(collaborations)
    Collaboration.objects.bulk_create(collaborations)
    # Each logged the day it started, as staff log them: a mapping round closed a month ago asked about them.
    for collaboration in collaborations:
        collaboration.created_at = collaboration.updated_at = logged_at(collaboration.started_on)
    Collaboration.objects.bulk_update(collaborations, ["created_at", "updated_at"])

    theme_links = [
        Collaboration.themes.through(collaboration=collaboration, theme=themes[name])
        for collaboration, spec in rows
        for name in spec.themes
        if name in themes
    ]
    Collaboration.themes.through.objects.bulk_create(theme_links)
    participations = [
        Participation(collaboration=collaboration, actor=actors[key], role=role)
        for collaboration, spec in rows
        for key, role in zip(spec.actors, roles_for(spec), strict=True)
    ]
    Participation.objects.bulk_create(participations)
    return len(collaborations), len(participations)


def logged_at(day: datetime.date) -> datetime.datetime:
    """Four in the afternoon of the day, or now if that is still to come."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(16))), timezone.now())


def new_collaboration(rng, spec: CollaborationSpec, centre: Centre, logger, today: datetime.date) -> Collaboration:
    started_on, ended_on = dates_of(rng, spec, today)
    return Collaboration(
        centre=centre,
        form=spec.form,
        title=spec.title,
        description=spec.description,
        started_on=started_on,
        ended_on=ended_on,
        frequency=spec.frequency,
        level=spec.level,
        target_group=spec.target_group,
        citizens_part=spec.citizens_part,
        citizen_count=citizen_count(rng, spec),
        resource_kind=spec.resource,
        goals=spec.goals,
        outcome=spec.outcome,
        created_by=logger,
        updated_by=logger,
    )


def dates_of(rng, spec: CollaborationSpec, today: datetime.date) -> tuple[datetime.date, datetime.date | None]:
    """A start within the last 24 months; once-off ones end the same day, ended ones some months later."""
    if spec.months_ago is not None:
        days_ago = round(spec.months_ago * 30.44) + rng.randint(-10, 10)
    elif spec.ended:
        days_ago = rng.randint(200, 715)
    else:
        days_ago = rng.randint(5, 715)
    drawn = today - datetime.timedelta(days=min(max(days_ago, 3), 715))
    # Fitted to the calendar without drawing again, so every later row stays as it was drawn.
    started_on = working_day_near(in_season(drawn, spec.months, today), spec.months, today)
    if spec.frequency == Frequency.ONCE:
        return started_on, started_on
    if spec.ended:
        ended_on = started_on + datetime.timedelta(days=rng.randint(60, 240))
        return started_on, max(started_on, min(ended_on, today - datetime.timedelta(days=1)))
    return started_on, None


def in_season(day: datetime.date, months: tuple[int, ...], today: datetime.date) -> datetime.date:
    """The latest day on or before `day` in one of `months`, within the two years before today; else the first after."""
    if not months:
        return day
    earliest = today - datetime.timedelta(days=730)
    for step in (-1, 1):
        candidate = day
        while earliest <= candidate < today:
            if candidate.month in months:
                return candidate
            candidate += datetime.timedelta(days=step)
    return day


def working_day_near(day: datetime.date, months: tuple[int, ...], today: datetime.date) -> datetime.date:
    """The nearest working day (Monday to Friday, not a public holiday) before today, in the same season."""
    for offset in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
        candidate = day + datetime.timedelta(days=offset)
        if candidate < today and is_working_day(candidate) and (not months or candidate.month in months):
            return candidate
    return day


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in danish_holidays(day.year)


@cache
def danish_holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays, and the days around Christmas and New Year when a centre is closed."""
    easter = easter_sunday(year)
    from_easter = (-3, -2, 0, 1, 39, 49, 50)  # Maundy Thursday to Whit Monday
    fixed = [(1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31)]
    return frozenset(
        [easter + datetime.timedelta(days=days) for days in from_easter]
        + [datetime.date(year, month, day) for month, day in fixed]
    )


def easter_sunday(year: int) -> datetime.date:
    """The Gregorian Easter Sunday (the anonymous algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def citizen_count(rng, spec: CollaborationSpec) -> int | None:
    """Counts only where residents actually took part; leadership meetings have none."""
    if spec.citizen_count is not None:
        return spec.citizen_count
    if spec.level == Level.LEADERSHIP or (
        spec.level == Level.ORGANISATIONAL and spec.citizens_part == CitizensPart.NOT_INVOLVED
    ):
        return None
    if spec.referral:
        return rng.randint(2, 14)
    if spec.frequency == Frequency.ONCE:
        return rng.randint(15, 120)
    return rng.randint(5, 35)


def roles_for(spec: CollaborationSpec) -> list[str]:
    """Each participant's role, in the order of `spec.actors`, checked against the form's allowed roles."""
    count = len(spec.actors)
    participant = ParticipantRole.PARTICIPANT
    if spec.roles:
        roles = list(spec.roles)
    elif spec.form == Form.RESOURCE_EXCHANGE:
        roles = [ParticipantRole.GIVER] + [ParticipantRole.RECEIVER] * (count - 1)
    elif spec.referral:
        roles = [ParticipantRole.REFERRER, ParticipantRole.REFERRED] + [participant] * (count - 2)
    elif spec.lead or (spec.lead is None and spec.form in (Form.COORDINATED_ACTION, Form.CO_CREATION)):
        roles = [ParticipantRole.LEAD] + [participant] * (count - 1)
    else:
        roles = [participant] * count
    if len(roles) != count or any(role not in ROLES_FOR_FORM[spec.form] for role in roles):
        raise ValueError(f"Roles {roles} do not fit {spec.title!r}.")
    return roles


def validate(objects: list) -> None:
    """Check choices, lengths and the personal-data validator, which bulk_create skips.

    Unique and check constraints are left to the database; checking them here costs a query each.
    """
    for obj in objects:
        obj.full_clean(
            exclude=["centre", "actor", "user", "created_by", "updated_by"],
            validate_unique=False,
            validate_constraints=False,
        )
