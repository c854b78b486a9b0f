"""Two actors that are one organisation (an import's "Kommunen" and the register's "Slagelse Kommune"): everything of
the one that goes moves to the one that stays, in one transaction, and the history says so.

`plan_merge` tells what a merge would do and why it cannot be done; `merge_actors` does it. The one that stays keeps
its name, category and details; its empty details take the other's, and it is active when either was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from centres.models import Actor, ActorHistoryAction, ActorHistoryEntry, Presence
from collaboration.models import ActorPosition, Collaboration, HistoryAction, HistoryEntry, Participation
from collaboration.records.services import record, snapshot
from collaboration.rounds.models import Invitation, MappingRound, Proposal, Rating
from collaboration.signals import centre_written_in_bulk, round_marks_changed
from samkort.concurrency import claim_next_version
from samkort.history import recorded

# The shared details an empty field of the staying actor takes from the going one.
FILLED_DETAILS = ["description", "website", "email"]


class MergeRefused(Exception):
    """Something changed while the user read the plan, so that the merge can no longer be done as planned."""

    def __init__(self, merge: Merge):
        super().__init__(f"Actor {merge.going.pk} cannot be merged into {merge.staying.pk}.")
        self.merge = merge


@dataclass
class Merge:
    """What merging `going` into `staying` does, and what stops it (`between_the_two`, `rounds_both_asked`)."""

    going: Actor
    staying: Actor
    # The going actor's collaborations that the staying one takes over.
    moved: list[Collaboration] = field(default_factory=list)
    # Both took part: the staying actor's participation (and its role) is the one kept.
    shared: list[Collaboration] = field(default_factory=list)
    # Only the two took part: merged, it would be a collaboration of one actor.
    between_the_two: list[Collaboration] = field(default_factory=list)
    presences_moved: list[Presence] = field(default_factory=list)
    # (the going actor's presence, the staying actor's that overlaps it): one actor is present once at a time.
    presences_not_kept: list[tuple[Presence, Presence]] = field(default_factory=list)
    # Rounds that asked both: their answers cannot be joined into one partner's.
    rounds_both_asked: list[MappingRound] = field(default_factory=list)
    invitations_moved: int = 0
    # {field: the going actor's value}, for the staying actor's empty fields (and `active`, when only it was).
    details_filled: dict[str, str] = field(default_factory=dict)

    @property
    def possible(self) -> bool:
        return not (self.between_the_two or self.rounds_both_asked)

    def filled_labels(self) -> list[str]:
        return [str(Actor._meta.get_field(name).verbose_name) for name in self.details_filled]

    def centre_ids(self) -> set[int]:
        """The centres whose maps and figures the merge changes."""
        presences = self.presences_moved + [going for going, _staying in self.presences_not_kept]
        return {c.centre_id for c in self.moved + self.shared} | {p.centre_id for p in presences}


def plan_merge(going: Actor, staying: Actor) -> Merge:
    merge = Merge(going=going, staying=staying)
    sort_collaborations(merge)
    sort_presences(merge)
    going_rounds = rounds_of(going)
    merge.rounds_both_asked = list(
        MappingRound.objects.filter(pk__in=going_rounds & rounds_of(staying)).select_related("centre").order_by("-pk")
    )
    merge.invitations_moved = Invitation.objects.filter(actor=going).count()
    merge.details_filled = {
        name: value for name, value in recorded(going, FILLED_DETAILS).items() if value and not getattr(staying, name)
    }
    if going.active and not staying.active:
        merge.details_filled["active"] = str(True)
    return merge


def sort_collaborations(merge: Merge) -> None:
    collaborations = (
        Collaboration.objects.involving(merge.going)
        .select_related("centre")
        .prefetch_related("participations")
        .order_by("-started_on", "-pk")
    )
    for collaboration in collaborations:
        actors = {p.actor_id for p in collaboration.participations.all()}
        if actors <= {merge.going.pk, merge.staying.pk}:
            merge.between_the_two.append(collaboration)
        elif merge.staying.pk in actors:
            merge.shared.append(collaboration)
        else:
            merge.moved.append(collaboration)


def sort_presences(merge: Merge) -> None:
    staying = list(Presence.objects.filter(actor=merge.staying))
    for presence in Presence.objects.filter(actor=merge.going).select_related("centre").order_by("centre__name"):
        clash = next((other for other in staying if overlap(presence, other)), None)
        if clash:
            merge.presences_not_kept.append((presence, clash))
        else:
            merge.presences_moved.append(presence)


def overlap(one: Presence, other: Presence) -> bool:
    """Two presences in one centre that share a day (an open end lasts; an open start was always)."""
    if one.centre_id != other.centre_id:
        return False
    starts_before_other_ends = one.started_on is None or other.ended_on is None or one.started_on <= other.ended_on
    ends_after_other_starts = one.ended_on is None or other.started_on is None or one.ended_on >= other.started_on
    return starts_before_other_ends and ends_after_other_starts


def rounds_of(actor: Actor) -> set[int]:
    """The rounds that asked the actor, or in which a partner rated it or proposed a collaboration with it."""
    return (
        set(Invitation.objects.filter(actor=actor).values_list("round_id", flat=True))
        | set(Rating.objects.filter(partner=actor).values_list("invitation__round_id", flat=True))
        | set(Proposal.objects.filter(partners=actor).values_list("invitation__round_id", flat=True))
    )


@transaction.atomic
def merge_actors(going: Actor, staying: Actor, user, versions: tuple[int | None, int | None]) -> Merge:
    """Merge `going` into `staying`, both as the user saw them (samkort.concurrency.EditConflict when either changed
    since); MergeRefused when the merge is no longer possible."""
    locked = Actor.objects.select_for_update().filter(pk__in=[going.pk, staying.pk]).order_by("pk")
    list(locked)
    claim_next_version(going, versions[0])
    claim_next_version(staying, versions[1])
    merge = plan_merge(going, staying)
    if not merge.possible:
        raise MergeRefused(merge)
    move_participations(merge, user)
    move_presences(merge)
    move_positions(merge)
    move_round_parts(merge)
    record_merge(merge, user)
    going.delete()
    staying.save()
    # Participations and presences moved by update send no model signals.
    for centre_id in merge.centre_ids():
        centre_written_in_bulk.send(sender=Merge, centre_id=centre_id)
    return merge


def move_participations(merge: Merge, user) -> None:
    going, staying = merge.going, merge.staying
    collaborations = merge.moved + merge.shared
    before = {c.pk: snapshot(c) for c in collaborations}
    Participation.objects.filter(actor=going, collaboration__in=merge.shared).delete()
    Participation.objects.filter(actor=going).update(actor=staying)
    # An edit opened before the merge names the actor that went: it is refused, not saved over the merge.
    Collaboration.objects.filter(pk__in=before).update(version=F("version") + 1, updated_at=timezone.now())
    for collaboration in Collaboration.objects.filter(pk__in=before):
        record(collaboration, user, HistoryAction.MERGED, before[collaboration.pk])
    restore_to_the_staying(merge)


def restore_to_the_staying(merge: Merge) -> None:
    """Earlier versions in the collaborations' history name the staying actor where they named the going one, so
    restoring one brings back the organisation, not an actor that no longer exists: also a version of a
    collaboration the going actor has since left, in whatever centre."""
    changed = []
    for entry in entries_that_may_name(merge.going.pk).iterator(chunk_size=500):
        participants = entry.state.get("participants") or []
        if not any(actor_id == merge.going.pk for actor_id, _role in participants):
            continue
        present = {actor_id for actor_id, _role in participants}
        entry.state["participants"] = sorted(
            [merge.staying.pk, role] if actor_id == merge.going.pk else [actor_id, role]
            for actor_id, role in participants
            if not (actor_id == merge.going.pk and merge.staying.pk in present)
        )
        changed.append(entry)
    HistoryEntry.objects.bulk_update(changed, ["state"], batch_size=500)


def entries_that_may_name(actor_id: int):
    """History entries whose saved state has a participant pair that opens with the actor's id: "[86, " in the
    state's text, as both PostgreSQL's jsonb and Django's JSON on SQLite write it (the caller checks exactly)."""
    return HistoryEntry.objects.annotate(text=Cast("state", TextField())).filter(text__contains=f"[{actor_id}, ")


def move_presences(merge: Merge) -> None:
    Presence.objects.filter(pk__in=[going.pk for going, _staying in merge.presences_not_kept]).delete()
    Presence.objects.filter(actor=merge.going).update(actor=merge.staying)


def move_positions(merge: Merge) -> None:
    """The staying actor keeps its place on each map; where it had none, it takes the going one's."""
    placed = ActorPosition.objects.filter(actor=merge.staying).values("centre_id")
    ActorPosition.objects.filter(actor=merge.going, centre_id__in=placed).delete()
    ActorPosition.objects.filter(actor=merge.going).update(actor=merge.staying)


def move_round_parts(merge: Merge) -> None:
    """The going actor's invitations, and what partners said of it, become the staying one's. No round asked both
    (plan_merge refuses that), so an invitation never meets another of the same actor."""
    going, staying = merge.going, merge.staying
    centre_ids = set(Invitation.objects.filter(actor=going).values_list("round__centre_id", flat=True))
    Invitation.objects.filter(actor=going).update(actor=staying)
    # A partner's rating of the going actor stands for the staying one, unless it rated that one too, or is it.
    Rating.objects.filter(partner=going).filter(
        Q(invitation__actor=staying) | Q(invitation__ratings__partner=staying)
    ).delete()
    centre_ids |= set(Rating.objects.filter(partner=going).values_list("invitation__round__centre_id", flat=True))
    Rating.objects.filter(partner=going).update(partner=staying)
    through = Proposal.partners.through
    through.objects.filter(actor=going).filter(
        Q(proposal__invitation__actor=staying) | Q(proposal__partners=staying)
    ).delete()
    through.objects.filter(actor=going).update(actor=staying)
    for centre_id in centre_ids:
        round_marks_changed.send(sender=Merge, centre_id=centre_id)


def record_merge(merge: Merge, user) -> None:
    """The going actor's history becomes the staying one's, under one entry that says what was merged."""
    going, staying = merge.going, merge.staying
    ActorHistoryEntry.objects.filter(actor=going).update(actor=staying)
    changes = {"merged_with": ["", going.name]}
    for name, value in merge.details_filled.items():
        changes[name] = [recorded(staying, [name])[name], value]
        setattr(staying, name, value == str(True) if name == "active" else value)
    if merge.presences_not_kept:
        changes["presence_not_kept"] = ["", "; ".join(presence_in_words(p) for p, _clash in merge.presences_not_kept)]
    ActorHistoryEntry.objects.create(
        actor=staying, user=user, action=ActorHistoryAction.MERGED, merged_actor_id=going.pk, changes=changes
    )


def presence_in_words(presence: Presence) -> str:
    """ "Motalavej (based, 01.02.2024 – …)", as the history keeps a presence that no longer exists."""
    return f"{presence.centre.name} ({presence.get_kind_display().lower()}, {presence.period_in_words()})"
