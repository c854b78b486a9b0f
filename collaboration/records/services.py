"""Every write of a collaboration goes through here: all of it in one transaction, with its history."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from centres.models import Centre
from collaboration.models import Collaboration, HistoryAction, HistoryEntry, Participation
from collaboration.records.forms import CollaborationForm, collaboration_state
from samkort.concurrency import claim_next_version
from samkort.history import changes_between, recorded
from samkort.text import fold

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


class AlreadySubmitted(Exception):
    """The log form was sent twice (a double click, a resent page): the collaboration exists once, here."""

    def __init__(self, collaboration: Collaboration):
        super().__init__(f"Collaboration {collaboration.pk} was made by this submission already.")
        self.collaboration = collaboration


def snapshot(collaboration: Collaboration) -> dict[str, str]:
    """The collaboration, field by field, for the history (shown in each reader's language by `as_read`)."""
    values = recorded(collaboration, TRACKED_FIELDS)
    values["themes"] = ", ".join(sorted(theme.name for theme in collaboration.themes.all()))
    # Each role by its value, as the choices above, so the history names it in the reader's language.
    values["participants"] = ", ".join(
        f"{p.actor.name} ({p.role})" for p in collaboration.participations.select_related("actor")
    )
    return values


@transaction.atomic
def save_collaboration(
    form: CollaborationForm, centre: Centre, user, *, restored_from: HistoryEntry | None = None
) -> Collaboration:
    """Create or update the collaboration of a valid form, its themes and its participations.

    An edit must come from the version now saved (samkort.concurrency.EditConflict otherwise); a new collaboration
    whose one-time token was used before is not made twice (AlreadySubmitted).
    """
    is_new = form.instance.pk is None
    if not is_new:
        claim_next_version(form.instance, form.cleaned_data.get("version"))
    before = {} if is_new else snapshot(Collaboration.objects.get(pk=form.instance.pk))
    collaboration = form.save(commit=False)
    collaboration.centre = centre
    collaboration.updated_by = user
    if is_new:
        collaboration.created_by = user
        collaboration.submission = form.cleaned_data.get("submission")
        insert_once(collaboration)
    else:
        collaboration.save()
    form.save_m2m()
    replace_participations(collaboration, [(row.actor, row.role) for row in form.cleaned_data["participants"]])
    action = HistoryAction.CREATED if is_new else HistoryAction.RESTORED if restored_from else HistoryAction.UPDATED
    record(collaboration, user, action, before)
    return collaboration


def logged_already(form: CollaborationForm, centre: Centre) -> Collaboration | None:
    """A collaboration of the centre with the new one's title (in any case), start and actors: the same one logged a
    second time (the Back button gave a fresh form; a colleague logged it too), unless the user says it is another
    (`another_than` names the one they saw)."""
    data = form.cleaned_data
    actors = {row.actor.pk for row in data["participants"]}
    candidates = (
        Collaboration.objects.filter(centre=centre, started_on=data["started_on"])
        .exclude(pk=data.get("another_than") or 0)
        # The same form sent twice is no second logging: save_collaboration says it was logged once.
        .exclude(submission=data.get("submission") or uuid.UUID(int=0))
        .prefetch_related("participations")
        .order_by("-pk")
    )
    for candidate in candidates:
        if (
            fold(candidate.title) == fold(data["title"])
            and {p.actor_id for p in candidate.participations.all()} == actors
        ):
            return candidate
    return None


def insert_once(collaboration: Collaboration) -> None:
    """Insert, unless this submission made a collaboration already; also when two copies of it arrive at once."""
    token = collaboration.submission
    if token and (earlier := Collaboration.objects.filter(submission=token).first()):
        raise AlreadySubmitted(earlier)
    try:
        with transaction.atomic():
            collaboration.save()
    except IntegrityError:
        # The unique token made the parallel copy wait for the first one's commit; that one is the collaboration.
        earlier = Collaboration.objects.filter(submission=token).first() if token else None
        if earlier is None:
            raise
        raise AlreadySubmitted(earlier) from None


def record(collaboration: Collaboration, user, action: str, before: dict[str, str]) -> HistoryEntry:
    entry = history_entry(collaboration, user, action, changes_between(before, snapshot(collaboration)))
    entry.save()
    return entry


def history_entry(collaboration: Collaboration, user, action: str, changes: dict) -> HistoryEntry:
    """An unsaved entry for the collaboration as it is now; its state is what 'restore this version' brings back."""
    return HistoryEntry(
        centre_id=collaboration.centre_id,
        collaboration=collaboration,
        record_id=collaboration.pk,
        title=collaboration.title,
        user=user,
        action=action,
        changes=changes,
        state=collaboration_state(collaboration),
    )


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
def delete_collaboration(collaboration: Collaboration, user, version: int | None) -> None:
    """Delete the collaboration as seen at `version`, and its content with it, also from its history.

    The history keeps who deleted which title when, and who had made and changed it; what it said (description,
    goals, outcome, participants) goes, because deletion is real deletion of the content.
    """
    claim_next_version(collaboration, version)
    collaboration.history.update(changes={}, state={})
    HistoryEntry.objects.create(
        centre=collaboration.centre,
        collaboration=None,
        record_id=collaboration.pk,
        title=collaboration.title,
        user=user,
        action=HistoryAction.DELETED,
        changes={},
    )
    collaboration.delete()


def deletion_of(centre: Centre, pk: int) -> HistoryEntry | None:
    """The history's note that the centre's collaboration `pk` was deleted, if it was."""
    return (
        HistoryEntry.objects.filter(centre=centre, record_id=pk, action=HistoryAction.DELETED)
        .select_related("user")
        .first()
    )
