"""Logins locked after too many wrong passwords (django-axes), as a centre's coordinator sees and lifts them."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Min
from django.utils import timezone

logger = logging.getLogger(__name__)


def locked_usernames(usernames: list[str]) -> set[str]:
    """Those of these users who are locked out now, from some address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


def liftable_by_coordinator(members) -> set[str]:
    """The user names of these members whose lockout their centre's coordinator may lift: never an administrator's,
    and only for a member who was one before the wrong passwords began. Otherwise a coordinator could add any account
    to the centre for a moment and lift its lockout, again and again, and guess its password unhindered."""
    usernames = [m.user.username for m in members if not (m.user.is_staff or m.user.is_superuser)]
    began = dict(
        AccessAttempt.objects.filter(username__in=usernames)
        .values("username")
        .annotate(first=Min("attempt_time"))
        .values_list("username", "first")
    )
    return {
        m.user.username
        for m in members
        if m.user.username in usernames and (m.user.username not in began or m.created_at <= began[m.user.username])
    }


def lift_lockout(username: str, lifted_by) -> None:
    reset(username=username)
    logger.info("Login lockout of %s lifted by %s", username, lifted_by)
