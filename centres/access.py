"""The one place that decides who may see and do what. Every view goes through these helpers.

Objects outside the user's centres answer 404, so their existence is not revealed; a member who lacks
the role for an action gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from centres.models import Centre, Membership


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
