"""The invitation link: the invitation's id, signed (``TimestampSigner``, own salt).

The signature makes it unguessable and untouchable; ``max_age`` and the
invitation's ``expires_at`` make it expire; ``Invitation.used_at`` makes it work
once. Reading a token changes nothing (mail scanners open links): only the POST
of the page it opens accepts the invitation.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils import timezone

from .models import INVITATION_DAYS, Invitation

SALT = "managers.invitation"
MAX_AGE = datetime.timedelta(days=INVITATION_DAYS)


class InvitationError(Exception):
    """A link that invites no one. ``reason``: ``invalid`` (tampered, cut), ``expired``
    or ``used``."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def make_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(invitation.pk))


def read_token(token: str, *, for_update: bool = False) -> Invitation:
    """The invitation of a valid, unused, unexpired link, or :class:`InvitationError`."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationError("expired") from None
    except signing.BadSignature:
        raise InvitationError("invalid") from None
    if not value.isdigit():
        raise InvitationError("invalid")
    invitations = Invitation.objects.select_related("hub")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=int(value)).first()
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.is_used:
        raise InvitationError("used", invitation)
    if timezone.now() >= invitation.expires_at:
        raise InvitationError("expired", invitation)
    return invitation
