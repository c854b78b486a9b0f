"""The one place that decides who may see and do what. Every view goes through these helpers.

Objects outside the user's centres answer 404, so their existence is not revealed; a member who lacks
the role for an action gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from centres.models import MANAGING_ROLES, REPORTING_ROLES, Actor, Centre, CentreQuerySet, Membership


def get_centre_for_user(user, slug: str) -> tuple[Centre, Membership]:
    """The centre and the user's membership of it; 404 when the user is not a member."""
    membership = get_object_or_404(Membership.objects.select_related("centre"), user=user, centre__slug=slug)
    return membership.centre, membership


def get_centre_for_logging(user, slug: str) -> tuple[Centre, Membership]:
    centre, membership = get_centre_for_user(user, slug)
    if not membership.can_log:
        raise PermissionDenied
    return centre, membership


def get_centre_for_managing(user, slug: str) -> tuple[Centre, Membership]:
    centre, membership = get_centre_for_user(user, slug)
    if not membership.can_manage:
        raise PermissionDenied
    return centre, membership


def centres_for_reporting(user) -> CentreQuerySet:
    """The centres whose reports and exports the user may make: coordinators and managers, each for their own."""
    return Centre.objects.where_user_has_role(user, REPORTING_ROLES).order_by("name")


def get_actor_for_user(user, pk: int) -> Actor:
    """Actors are a register shared by all centres, readable by anyone who is a member of some centre."""
    if not Membership.objects.filter(user=user).exists():
        raise Http404
    return get_object_or_404(Actor, pk=pk)


@dataclass(frozen=True)
class ActorRights:
    """What a user may do with an actor's shared details, and why not."""

    can_edit: bool
    coordinates_a_centre: bool
    # How many of the actor's centres the user does not coordinate.
    other_centres: int


def actor_rights(user, actor: Actor) -> ActorRights:
    """An actor's name, category and activity are shared by every centre it works with, so a coordinator may change
    them only when they coordinate every one of those centres. Otherwise an administrator does (every change is in
    the actor's history either way), so no centre renames another centre's partner unnoticed."""
    involved = actor.centre_ids()
    managed = set(Centre.objects.where_user_has_role(user, MANAGING_ROLES).values_list("pk", flat=True))
    return ActorRights(
        can_edit=bool(involved) and involved <= managed,
        coordinates_a_centre=bool(managed),
        other_centres=len(involved - managed),
    )


def can_edit_actor(user, actor: Actor) -> bool:
    return actor_rights(user, actor).can_edit


def get_actor_for_editing(user, pk: int) -> Actor:
    actor = get_actor_for_user(user, pk)
    if not can_edit_actor(user, actor):
        raise PermissionDenied
    return actor
