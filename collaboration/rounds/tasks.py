"""Background work of a mapping round: its e-mails, sent through the task queue (django-tasks, Django's task API).

The page that opens a round or sends reminders only queues them; a mail server that is slow or down never holds a
page up, and a failed sending is marked on the invitation for the coordinator to see and resend.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from collaboration.rounds.models import Invitation
from collaboration.rounds.tokens import link_token
from samkort.task_priority import WAITED_FOR

logger = logging.getLogger(__name__)

SUBJECTS = {
    "invitation": "Bekræft jeres samarbejder med {centre}",
    "reminder": "Påmindelse: bekræft jeres samarbejder med {centre}",
}


@task(priority=WAITED_FOR)
def send_round_email(invitation_id: int, kind: str, base_url: str) -> bool:
    """Send an invitation or a reminder; True when it left. Skips what no longer needs sending."""
    invitation = Invitation.objects.select_related("round__centre", "actor").filter(pk=invitation_id).first()
    if invitation is None or not invitation.contact_email or not invitation.link_works:
        return False
    if kind == "reminder" and invitation.finished_at is not None:
        return False
    link = base_url.rstrip("/") + reverse("partner_page", args=[link_token(invitation)])
    # Partners read Danish first; the e-mail says in English too how to switch.
    with translation.override("da"):
        body = render_to_string(
            "collaboration/rounds/email.txt",
            {"invitation": invitation, "round": invitation.round, "link": link, "reminder": kind == "reminder"},
        )
    subject = SUBJECTS[kind].format(centre=invitation.round.centre.name)
    # A partner who answers the e-mail writes to the round's contact, not to the address it was sent from.
    reply_to = [invitation.round.contact_email] if invitation.round.contact_email else None
    message = EmailMessage(subject, body, to=[invitation.contact_email], reply_to=reply_to)
    try:
        message.send()
    except OSError:
        logger.exception("The mapping round's e-mail to invitation %s could not be sent.", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(send_failed_at=timezone.now())
        return False
    field = "reminded_at" if kind == "reminder" else "sent_at"
    Invitation.objects.filter(pk=invitation_id).update(**{field: timezone.now(), "send_failed_at": None})
    return True
