"""A partner's personal link: an unguessable, signed token for one invitation (one contact, one round).

The token carries the invitation's number and its random key, signed with the server's SECRET_KEY. A tampered token
fails the signature (checked in constant time) and is unknown, whatever part was changed. A token with a good
signature was made by this server: when its key no longer matches the invitation's (a constant-time comparison), the
link was sent once and replaced since, and its page says so and names the round's contact, as a revoked link's does.
"""

from __future__ import annotations

from enum import StrEnum

from django.core import signing
from django.utils.crypto import constant_time_compare

from collaboration.rounds.models import Invitation

SALT = "samkort.rounds.partner-link"
# Longer than any token made here: the rest is refused before any work is done on it.
MAX_TOKEN_LENGTH = 200


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    REPLACED = "replaced"
    REVOKED = "revoked"
    CLOSED = "closed"


def link_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.key], salt=SALT)


def invitation_for(token: str) -> tuple[Invitation | None, LinkProblem | None]:
    """The invitation behind a token, or why the link does not work (unknown, replaced by a newer link, revoked, or
    the round has closed)."""
    invitation, key = signed_invitation(token)
    if invitation is None:
        return None, LinkProblem.UNKNOWN
    if not constant_time_compare(invitation.key, key):
        return invitation, LinkProblem.REPLACED
    if invitation.revoked_at is not None:
        return invitation, LinkProblem.REVOKED
    if not invitation.round.is_open:
        return invitation, LinkProblem.CLOSED
    return invitation, None


def signed_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation a token with a good signature names, and the key it carries."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, ""
    try:
        number, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None, ""
    if not isinstance(number, int) or not isinstance(key, str):
        return None, ""
    return Invitation.objects.select_related("round__centre", "actor").filter(pk=number).first(), key
