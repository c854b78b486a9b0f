"""Logins locked after too many wrong passwords (django-axes), as a centre's coordinator sees and lifts them."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
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


def lift_lockout(username: str, lifted_by) -> None:
    reset(username=username)
    logger.info("Login lockout of %s lifted by %s", username, lifted_by)
