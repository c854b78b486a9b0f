"""Logins locked after too many wrong passwords (django-axes), as a centre's coordinator sees and lifts them."""

from __future__ import annotations

import datetime
import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone

from centres.models import Membership

logger = logging.getLogger(__name__)
# How long a member must have been one, and how long between two lifts of the same member's lockout.
LIFT_INTERVAL = datetime.timedelta(days=1)


def locked_usernames(usernames: list[str]) -> set[str]:
    """Those of these users who are locked out now, from some address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


def liftable_by_coordinator(members, now=None) -> set[str]:
    """The user names of these members whose lockout their centre's coordinator may lift now: never an
    administrator's, only for a member of a day's standing, and once a day at most. Each lift gives whoever knows the
    user name a few more guesses; without these limits a coordinator could add any account, guess its password and
    lift its lockout again and again (the time of the first wrong password is no guide: django-axes moves it on with
    each new failure)."""
    now = now or timezone.now()
    since = now - LIFT_INTERVAL
    return {
        m.user.username
        for m in members
        if not (m.user.is_staff or m.user.is_superuser)
        and m.created_at <= since
        and (m.lockout_lifted_at is None or m.lockout_lifted_at <= since)
    }


def lift_lockout(member, lifted_by) -> None:
    reset(username=member.user.username)
    Membership.objects.filter(pk=member.pk).update(lockout_lifted_at=timezone.now())
    logger.info("Login lockout of %s lifted by %s", member.user.username, lifted_by)
