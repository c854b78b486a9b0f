"""Small factory helpers: each fills in sensible defaults that a test can override."""

from __future__ import annotations

import datetime
import importlib
import itertools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from centres.models import Actor, ActorCategory, Centre, CentreKind, Membership, Presence, PresenceKind, Role
from collaboration.models import Collaboration, Form, ParticipantRole, Participation, ResourceKind, Theme

_sequence = itertools.count(1)


def make_user(username: str | None = None, **kwargs):
    username = username or f"user{next(_sequence)}"
    kwargs.setdefault("password", "correct horse battery")
    return get_user_model().objects.create_user(username=username, **kwargs)


def make_centre(**kwargs) -> Centre:
    n = next(_sequence)
    kwargs.setdefault("name", f"Medborgercenter {n}")
    kwargs.setdefault("slug", f"centre-{n}")
    kwargs.setdefault("kind", CentreKind.HOUSING_AREA)
    kwargs.setdefault("municipality", "Slagelse")
    return Centre.objects.create(**kwargs)


def make_actor(**kwargs) -> Actor:
    kwargs.setdefault("name", f"Forening {next(_sequence)}")
    kwargs.setdefault("category", ActorCategory.ASSOCIATION)
    return Actor.objects.create(**kwargs)


def make_presence(centre: Centre, actor: Actor, **kwargs) -> Presence:
    kwargs.setdefault("kind", PresenceKind.BASED)
    return Presence.objects.create(centre=centre, actor=actor, **kwargs)


def make_membership(user, centre: Centre, role: str = Role.STAFF) -> Membership:
    return Membership.objects.create(user=user, centre=centre, role=role)


def make_collaboration(centre: Centre, actors=None, roles=None, **kwargs) -> Collaboration:
    """A collaboration with its participations; two new actors when none are given."""
    kwargs.setdefault("title", f"Samarbejde {next(_sequence)}")
    kwargs.setdefault("form", Form.KNOWLEDGE_SHARING)
    kwargs.setdefault("started_on", datetime.date(2026, 3, 1))
    if kwargs["form"] == Form.RESOURCE_EXCHANGE:
        kwargs.setdefault("resource_kind", ResourceKind.ROOMS)
    themes = kwargs.pop("themes", [])
    actors = actors if actors is not None else [make_actor(), make_actor()]
    if roles is None:
        if kwargs["form"] == Form.RESOURCE_EXCHANGE:
            roles = [ParticipantRole.GIVER] + [ParticipantRole.RECEIVER] * (len(actors) - 1)
        else:
            roles = [ParticipantRole.PARTICIPANT] * len(actors)
    # One transaction, as in the app: PostgreSQL checks the two-actor rule when it commits.
    with transaction.atomic():
        collaboration = Collaboration.objects.create(centre=centre, **kwargs)
        collaboration.themes.set(themes)
        Participation.objects.bulk_create(
            Participation(collaboration=collaboration, actor=actor, role=role)
            for actor, role in zip(actors, roles, strict=True)
        )
    return collaboration


def make_round(centre: Centre, **kwargs):
    """An open mapping round over 2026, closing in two weeks."""
    from django.utils import timezone

    from collaboration.rounds.models import MappingRound

    kwargs.setdefault("title", f"Kortlægning {next(_sequence)}")
    kwargs.setdefault("period_start", datetime.date(2026, 1, 1))
    kwargs.setdefault("period_end", datetime.date(2026, 12, 31))
    kwargs.setdefault("closes_on", timezone.localdate() + datetime.timedelta(days=14))
    kwargs.setdefault("contact_name", "Tovholderen")
    kwargs.setdefault("contact_email", "tovholder@center.example")
    return MappingRound.objects.create(centre=centre, **kwargs)


def make_invitation(round_, actor: Actor, **kwargs):
    from collaboration.rounds.models import Invitation

    kwargs.setdefault("contact_name", "Kontaktperson")
    kwargs.setdefault("contact_email", f"kontakt{next(_sequence)}@partner.example")
    return Invitation.objects.create(round=round_, actor=actor, **kwargs)


def make_round_with_a_proposal(centre: Centre, actor: Actor) -> dict:
    """A round asking `actor`, with its link, a partner it collaborated with, and a collaboration it proposed."""
    from collaboration.rounds.models import Proposal
    from collaboration.rounds.tokens import link_token

    round_ = make_round(centre)
    invitation = make_invitation(round_, actor)
    partner = (
        Participation.objects.filter(collaboration__centre=centre, collaboration__participations__actor=actor)
        .exclude(actor=actor)
        .first()
        .actor
    )
    proposal = Proposal.objects.create(
        invitation=invitation,
        title="Fælles udflugt",
        form=Form.COORDINATED_ACTION,
        started_on=datetime.date(2026, 5, 1),
    )
    proposal.partners.set([partner])
    return {
        "round": round_,
        "invitation": invitation,
        "proposal": proposal,
        "partner": partner,
        "token": link_token(invitation),
    }


def make_prepared_report(user, centres=(), **kwargs):
    """A report of these centres a worker is making for the user: queued, expiring in a day."""
    from django.utils import timezone

    from collaboration.models import PreparedReport

    chosen = "".join(f"centres={centre.pk}&" for centre in centres)
    kwargs.setdefault("query", f"{chosen}start=2026-01-01&end=2026-12-31")
    kwargs.setdefault("file_format", "xlsx")
    kwargs.setdefault("language", "da")
    kwargs.setdefault("expires_at", timezone.now() + datetime.timedelta(days=1))
    return PreparedReport.objects.create(user=user, **kwargs)


def make_import_run(centre, user, **kwargs):
    """A large import the user confirmed, waiting for a worker."""
    from collaboration.models import ImportRun

    kwargs.setdefault("upload", f"upload-{ImportRun.objects.count() + 1:04d}-aaaaaaaaaaaaaaaa")
    kwargs.setdefault("ticket", "")
    kwargs.setdefault("file_names", ["partnere.xlsx"])
    kwargs.setdefault("rows", 5000)
    kwargs.setdefault("language", "da")
    return ImportRun.objects.create(centre=centre, user=user, **kwargs)


def collaboration_post(actors, roles=None, **overrides) -> dict:
    """What the log form posts for a weekly coordinated action between these actors; overrides change fields."""
    data = {
        "form": str(Form.COORDINATED_ACTION),
        "title": "Fælles jobcafé",
        "participants": [str(a.pk) for a in actors],
        "started_on": "2026-10-01",
        "ended_on": "",
        "frequency": "weekly",
        "level": "organisational",
        "citizens_part": "co_implementer",
        "themes": [str(Theme.objects.get(name="Beskæftigelse").pk)],
        "target_group": "Ledige unge 18-25",
        "citizen_count": "12",
        "resource_kind": "",
        "description": "",
        "goals": "",
        "outcome": "",
    }
    for actor, role in zip(actors, roles or [ParticipantRole.PARTICIPANT] * len(actors), strict=True):
        data[f"role-{actor.pk}"] = role
    return data | overrides


def seed_themes() -> None:
    """The themes the migrations seed. A transactional test's flush removes them; the demo and the forms need them."""
    importlib.import_module("collaboration.migrations.0002_seed_themes").seed_themes(apps, None)
