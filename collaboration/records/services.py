"""Every write of a collaboration goes through here: all of it in one transaction, with its history."""

from __future__ import annotations

from django.db import transaction

from centres.models import Centre
from collaboration.models import Collaboration, HistoryAction, HistoryEntry, Participation
from collaboration.records.forms import CollaborationForm
from samkort.history import changes_between, readable

TRACKED_FIELDS = [
    "form",
    "title",
    "description",
    "started_on",
    "ended_on",
    "frequency",
    "level",
    "target_group",
    "citizens_part",
    "citizen_count",
    "resource_kind",
    "goals",
    "outcome",
]


def snapshot(collaboration: Collaboration) -> dict[str, str]:
    """What a person would read of the collaboration, field by field, for the history."""
    values = readable(collaboration, TRACKED_FIELDS)
    values["themes"] = ", ".join(sorted(theme.name for theme in collaboration.themes.all()))
    values["participants"] = ", ".join(
        f"{p.actor.name} ({p.get_role_display()})" for p in collaboration.participations.select_related("actor")
    )
    return values


@transaction.atomic
def save_collaboration(form: CollaborationForm, centre: Centre, user) -> Collaboration:
    """Create or update the collaboration of a valid form, its themes and its participations."""
    is_new = form.instance.pk is None
    before = {} if is_new else snapshot(Collaboration.objects.get(pk=form.instance.pk))
    collaboration = form.save(commit=False)
    collaboration.centre = centre
    collaboration.updated_by = user
    if is_new:
        collaboration.created_by = user
    collaboration.save()
    form.save_m2m()
    replace_participations(collaboration, [(row.actor, row.role) for row in form.cleaned_data["participants"]])
    HistoryEntry.objects.create(
        centre=centre,
        collaboration=collaboration,
        title=collaboration.title,
        user=user,
        action=HistoryAction.CREATED if is_new else HistoryAction.UPDATED,
        changes=changes_between(before, snapshot(collaboration)),
    )
    return collaboration


def replace_participations(collaboration: Collaboration, actors_and_roles: list[tuple]) -> None:
    """Make the participations exactly these, keeping rows that did not change."""
    wanted = {actor.pk: role for actor, role in actors_and_roles}
    existing = {p.actor_id: p for p in collaboration.participations.all()}
    collaboration.participations.exclude(actor_id__in=wanted).delete()
    changed = []
    for actor_id, participation in existing.items():
        if actor_id in wanted and participation.role != wanted[actor_id]:
            participation.role = wanted[actor_id]
            changed.append(participation)
    Participation.objects.bulk_update(changed, ["role"])
    Participation.objects.bulk_create(
        Participation(collaboration=collaboration, actor_id=actor_id, role=role)
        for actor_id, role in wanted.items()
        if actor_id not in existing
    )


@transaction.atomic
def delete_collaboration(collaboration: Collaboration, user) -> None:
    HistoryEntry.objects.create(
        centre=collaboration.centre,
        collaboration=None,
        title=collaboration.title,
        user=user,
        action=HistoryAction.DELETED,
        # Only that it happened, by whom and when: deletion is real deletion of the content.
        changes={},
    )
    collaboration.delete()
