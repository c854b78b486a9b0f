"""Writing a plan: everything in one transaction, in bulk, or nothing at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from centres.models import Actor, ActorHistoryAction, ActorHistoryEntry, Presence
from collaboration.imports.files import FileRefused
from collaboration.imports.plan import ImportPlan, presence_kind
from collaboration.models import ActorPosition, Collaboration, HistoryAction, HistoryEntry, Participation, Theme
from collaboration.records.services import history_entry
from collaboration.signals import centre_written_in_bulk
from samkort.bulk import batches, insert, refresh_statistics


@dataclass(frozen=True)
class Written:
    actors: int
    presences: int
    collaborations: int


def write_plan(plan: ImportPlan, user, on_written: Callable[[Written], None] | None = None) -> Written:
    """Write what the plan says; a plan with errors writes nothing (the preview has said what to fix).

    `on_written` runs in the same transaction as the rows: what it records is there exactly when they are."""
    if plan.has_errors:
        raise FileRefused(_("The file has rows with errors. Correct them and import it again; nothing was imported."))
    try:
        with transaction.atomic():
            written = write(plan, user)
            if on_written is not None:
                on_written(written)
    except IntegrityError as error:
        # Another import, or someone logging the same actor, got there first: nothing of this one is kept.
        raise FileRefused(
            _(
                "Someone changed the centre's actors or collaborations while you imported. "
                "Nothing was imported; try again."
            )
        ) from error
    tables = [Actor, ActorHistoryEntry, Presence, Collaboration, Collaboration.themes.through, Participation]
    refresh_statistics([*tables, ActorPosition, HistoryEntry], written.actors + written.collaborations)
    # Rows written in bulk send no model signals: whoever keeps something of the centre's data hears it here.
    centre_written_in_bulk.send(sender=ImportPlan, centre_id=plan.centre.pk)
    return written


def write(plan: ImportPlan, user) -> Written:
    centre, file_names = plan.centre, ", ".join(plan.file_names)
    actors = [
        Actor(
            name=draft.name,
            category=draft.category,
            description=draft.description,
            website=draft.website,
            email=draft.email,
        )
        for draft in plan.new_actors.values()
    ]
    insert(Actor, actors)
    created = ids_by(Actor.objects.all(), "name_key", list(plan.new_actors))
    actor_ids = dict(plan.existing_actors) | created
    insert(
        ActorHistoryEntry,
        [ActorHistoryEntry(actor_id=pk, user=user, action=ActorHistoryAction.CREATED) for pk in created.values()],
    )
    present = set(Presence.objects.filter(centre=centre).values_list("actor_id", flat=True))
    presences = {}
    for key, pk in actor_ids.items():
        if pk not in present and pk not in presences:  # one presence an actor, however many names led to it
            presences[pk] = Presence(centre=centre, actor_id=pk, kind=presence_kind(plan, key))
    presences = list(presences.values())
    insert(Presence, presences)
    insert(
        ActorHistoryEntry,
        [
            ActorHistoryEntry(
                actor_id=presence.actor_id, centre=centre, user=user, action=ActorHistoryAction.PRESENCE_ADDED
            )
            for presence in presences
        ],
    )
    write_positions(plan, actor_ids)

    collaborations = [
        Collaboration(centre=centre, created_by=user, updated_by=user, import_key=draft.import_key, **draft.values)
        for draft in plan.collaborations
    ]
    insert(Collaboration, collaborations)
    keys = ids_by(Collaboration.objects.filter(centre=centre), "import_key", [c.import_key for c in collaborations])
    for collaboration in collaborations:
        collaboration.pk = keys[collaboration.import_key]
    participations = [
        [
            Participation(collaboration=collaboration, actor_id=actor_ids[key], role=role)
            for key, role in draft.participants
        ]
        for collaboration, draft in zip(collaborations, plan.collaborations, strict=True)
    ]
    insert(Participation, [row for rows in participations for row in rows])
    Themes = Collaboration.themes.through
    insert(
        Themes,
        [
            Themes(collaboration_id=collaboration.pk, theme_id=theme_id)
            for collaboration, draft in zip(collaborations, plan.collaborations, strict=True)
            for theme_id in draft.theme_ids
        ],
    )
    themes = Theme.objects.in_bulk({theme_id for draft in plan.collaborations for theme_id in draft.theme_ids})
    for collaboration, draft, rows in zip(collaborations, plan.collaborations, participations, strict=True):
        # What was just written, handed to the history as if prefetched: no query per collaboration.
        collaboration._prefetched_objects_cache = {
            "participations": rows,
            "themes": [themes[theme_id] for theme_id in draft.theme_ids],
        }
    record_in_history(collaborations, user, file_names)
    return Written(actors=len(created), presences=len(presences), collaborations=len(collaborations))


def ids_by(queryset, key: str, values: list[str]) -> dict[str, int]:
    """The ids of rows just inserted, found by a unique key, a batch of keys at a time."""
    found = {}
    for batch in batches(values):
        found.update(queryset.filter(**{f"{key}__in": batch}).values_list(key, "pk"))
    return found


def write_positions(plan: ImportPlan, actor_ids: dict[str, int]) -> None:
    """Positions from the file (Samkort's own export has them), for actors without one in this centre yet."""
    placed = set(ActorPosition.objects.filter(centre=plan.centre).values_list("actor_id", flat=True))
    insert(
        ActorPosition,
        [
            ActorPosition(centre=plan.centre, actor_id=actor_ids[key], x=x, y=y)
            for key, (x, y) in plan.positions.items()
            if key in actor_ids and actor_ids[key] not in placed
        ],
    )


def record_in_history(collaborations: list[Collaboration], user, file_names: str) -> None:
    """One entry per imported collaboration, saying from which file."""
    changes = {"file": file_names}
    insert(HistoryEntry, [history_entry(c, user, HistoryAction.IMPORTED, changes) for c in collaborations])
