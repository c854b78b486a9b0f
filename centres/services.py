"""Every write of an actor or a presence goes through here: in one transaction, with its history."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.forms import ModelForm

from centres.models import Actor, ActorHistoryAction, ActorHistoryEntry, Centre, Membership, Presence, Role
from samkort.concurrency import claim_next_version, form_version, save_or_refuse
from samkort.history import changes_between, recorded

ACTOR_FIELDS = ["name", "category", "description", "website", "email", "active"]
PRESENCE_FIELDS = ["kind", "started_on", "ended_on", "note"]


def save_actor(form: ModelForm, user) -> Actor:
    """Create or change an actor from a valid form, and record it."""
    return save_recorded(form, user, ACTOR_FIELDS, ActorHistoryAction.CREATED, ActorHistoryAction.CHANGED)


def save_presence(form: ModelForm, user) -> Presence:
    return save_recorded(
        form, user, PRESENCE_FIELDS, ActorHistoryAction.PRESENCE_ADDED, ActorHistoryAction.PRESENCE_CHANGED
    )


@transaction.atomic
def save_recorded(form: ModelForm, user, fields: list[str], created: str, changed: str):
    """Save the form's actor or presence and, when something changed, who changed what.

    An edit must come from the version now saved (samkort.concurrency.EditConflict otherwise); a name or a start date
    that a parallel request has just taken is refused on the form (samkort.concurrency.Refused).
    """
    model = form._meta.model
    is_new = form.instance.pk is None
    if not is_new:
        claim_next_version(form.instance, form_version(form))
    before = {} if is_new else recorded(model.objects.get(pk=form.instance.pk), fields)
    saved = save_or_refuse(form)
    changes = changes_between(before, recorded(saved, fields))
    if is_new or changes:
        presence = saved if isinstance(saved, Presence) else None
        ActorHistoryEntry.objects.create(
            actor=presence.actor if presence else saved,
            centre=presence.centre if presence else None,
            user=user,
            action=created if is_new else changed,
            changes=changes,
        )
    return saved


@transaction.atomic
def remove_presence(presence: Presence, user) -> bool:
    """Remove the presence and record it; False when it was removed meanwhile (a second click, another tab), so a
    removal is recorded once."""
    presence = Presence.objects.select_for_update().select_related("actor", "centre").filter(pk=presence.pk).first()
    if presence is None:
        return False
    ActorHistoryEntry.objects.create(
        actor=presence.actor,
        centre=presence.centre,
        user=user,
        action=ActorHistoryAction.PRESENCE_REMOVED,
        changes={name: [value, ""] for name, value in recorded(presence, PRESENCE_FIELDS).items() if value},
    )
    presence.delete()
    return True


class AlreadyMember(Exception):
    """The user became a member meanwhile (the form sent twice, another coordinator); `same_role` when as asked."""

    def __init__(self, same_role: bool):
        super().__init__("Already a member.")
        self.same_role = same_role


def add_member(form: ModelForm) -> Membership:
    """Add the member the form names. The form checked that they are not one yet; a parallel request may have made
    them one since, which the database's unique pair refuses."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        current = Membership.objects.filter(user=form.instance.user, centre=form.instance.centre).first()
        if current is None:
            raise
        raise AlreadyMember(same_role=current.role == form.instance.role) from None


class LastCoordinator(Exception):
    """The change would leave the centre without a coordinator."""


class MemberGone(Exception):
    """The member was removed meanwhile (by another coordinator, in another tab)."""


class RoleChanged(Exception):
    """Someone changed the member's role after the page that changes it was opened: its `role` now."""

    def __init__(self, role: str):
        super().__init__(role)
        self.role = role


@transaction.atomic
def change_role(member: Membership, role: str, was: str | None = None) -> None:
    """The member's new role; LastCoordinator when it is the centre's last coordinator stepping down, MemberGone
    when the membership was removed meanwhile, RoleChanged when its role is no longer `was`, the role the page
    showed (two coordinators, or two tabs: the second would undo the first unseen)."""
    if role != Role.COORDINATOR:
        refuse_the_last_coordinator(member)
    members = Membership.objects.filter(pk=member.pk)
    if not (members.filter(role=was) if was else members).update(role=role):
        now = members.values_list("role", flat=True).first()
        if now is None:
            raise MemberGone
        raise RoleChanged(now)


@transaction.atomic
def remove_member(member: Membership) -> None:
    refuse_the_last_coordinator(member)
    member.delete()


def refuse_the_last_coordinator(member: Membership) -> None:
    """Checked with the centre locked: two coordinators stepping down at the same moment each saw the other stay,
    and the centre was left with none."""
    Centre.objects.select_for_update().filter(pk=member.centre_id).first()
    coordinators = Membership.objects.filter(centre_id=member.centre_id, role=Role.COORDINATOR)
    if not coordinators.exclude(pk=member.pk).exists() and coordinators.filter(pk=member.pk).exists():
        raise LastCoordinator


def merged_into(actor_id: int) -> ActorHistoryEntry | None:
    """The history entry of the actor that `actor_id` was merged into (collaboration.merging), if it was."""
    return (
        ActorHistoryEntry.objects.filter(merged_actor_id=actor_id, action=ActorHistoryAction.MERGED)
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
