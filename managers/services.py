"""Writes about managers: invite one, accept an invitation, submit a hub's changes,
accept or reject them. Each runs in a transaction and validates like the database
will (``full_clean``); the e-mails go once it is committed."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.models import StaffPreferences
from backoffice.scoping import Scope, staff_for_commune
from events.models import Event
from events.services import _free_slug
from hubs.images import delete_files_on_commit, photo_basename, process_photo
from hubs.models import Hub, HubPhoto
from web.mail import absolute_url, send_templated

from . import tokens
from .models import ChangeRequest, HubManager, Invitation

logger = logging.getLogger(__name__)

#: Who may invite a hub's manager and decide on their changes: who edits the hub.
EDIT_PERMISSION = "hubs.change_hub"
#: Who hears about a change waiting for review.
REVIEW_PERMISSION = "managers.change_changerequest"

# Stored in the history (data, not interface: not translated).
REASON_TRUSTED = "modifié par son gestionnaire (publié sans relecture)"
REASON_ACCEPTED = "proposé par son gestionnaire, accepté par {reviewer}"


def language_of(user) -> str:
    return StaffPreferences.for_user(user).email_language


def _send(user_or_email, template, context, language=None) -> None:
    """Send after the commit; a mail server that fails is logged, the data stays."""
    address = getattr(user_or_email, "email", user_or_email)

    def send():
        try:
            send_templated(address, template, context, language)
        except Exception:
            logger.exception("managers: the e-mail %s to %s failed", template, address)

    transaction.on_commit(send)


# Inviting ------------------------------------------------------------------------


def may_manage_hub(user, hub) -> bool:
    """Staff who may edit ``hub`` in the back-office, in its territory."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(EDIT_PERMISSION)
        and Scope.for_user(user).contains_commune(hub.commune)
    )


def invitation_check(*, hub: Hub, email: str, invited_by) -> str:
    """The address to invite (normalised), or why not: PermissionDenied to who may
    not edit ``hub``; a ValidationError for a staff account's address (staff edit
    hubs in the back-office) or someone who manages the hub already."""
    if not may_manage_hub(invited_by, hub):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email).strip()
    existing = get_user_model().objects.filter(email__iexact=email).first()
    if existing is not None and existing.is_staff:
        raise ValidationError(
            {
                "email": _(
                    "Ce compte fait partie de l’équipe du back-office : il modifie déjà les "
                    "lieux de son territoire."
                )
            },
            code="staff_account",
        )
    if existing is not None and hub.managers.filter(user=existing).exists():
        raise ValidationError({"email": _("Ce compte gère déjà ce lieu.")}, code="already_manager")
    return email


def invitation_send(invitation: Invitation) -> None:
    """E-mail the link of a saved invitation (once the transaction commits)."""
    _send(
        invitation.email,
        "managers/invitation",
        {
            "hub": invitation.hub,
            "invited_by": invitation.invited_by,
            "url": absolute_url(
                reverse("managers:invitation", args=[tokens.make_token(invitation)])
            ),
            "expires_at": invitation.expires_at,
        },
    )


def invitation_create(*, hub: Hub, email: str, invited_by) -> Invitation:
    """Invite ``email`` to manage ``hub`` (checked by :func:`invitation_check`) and send the link."""
    email = invitation_check(hub=hub, email=email, invited_by=invited_by)
    invitation = Invitation(email=email, hub=hub, invited_by=invited_by)
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        invitation_send(invitation)
    return invitation


def invitation_account(invitation: Invitation):
    """The account already registered with the invitation's address, or None."""
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


def invitation_accept(token: str, *, password: str | None = None, user=None):
    """Accept the invitation of ``token`` (:class:`tokens.InvitationError` otherwise):
    a new account with ``password``, or ``user`` when the address has one already (who
    must be logged in as it). Returns the account; the link works no more."""
    with transaction.atomic():
        invitation = tokens.read_token(token, for_update=True)
        existing = invitation_account(invitation)
        if existing is not None:
            if user is None or user.pk != existing.pk:
                raise PermissionDenied
            account = existing
        else:
            if not password:
                raise ValueError("a new account needs a password")
            account = get_user_model()(
                username=invitation.email.lower()[:150], email=invitation.email, is_staff=False
            )
            account.set_password(password)
            account.full_clean()
            account.save()
        if account.is_staff:  # checked at invitation too; an account may have changed since
            raise PermissionDenied
        HubManager.objects.get_or_create(
            user=account, hub=invitation.hub, defaults={"invited_by": invitation.invited_by}
        )
        invitation.used_at = timezone.now()
        invitation.accepted_by = account
        invitation.save(update_fields=["used_at", "accepted_by"])
    return account


# Changing a hub -------------------------------------------------------------------


def _add_photo(hub: Hub, processed, alt_text: str, author, reason: str) -> HubPhoto:
    basename = photo_basename(hub)
    last = hub.photos.order_by("-position").values_list("position", flat=True).first()
    photo = HubPhoto(
        hub=hub,
        image=processed.image_file(basename),
        thumbnail=processed.thumbnail_file(basename),
        width=processed.width,
        height=processed.height,
        alt_text=alt_text.strip(),
        position=0 if last is None else last + 1,
    )
    photo.full_clean()
    photo._history_user = author
    photo._change_reason = reason
    photo.save()
    return photo


def _apply(hub: Hub, values: dict, *, author, reason: str) -> Hub:
    """Set ``values`` on ``hub`` (locked), validate the whole hub, save it with its history."""
    hub = Hub.objects.select_for_update(of=("self",)).get(pk=hub.pk)
    for name, value in values.items():
        setattr(hub, name, value)
    hub.full_clean()
    hub._history_user = author
    hub._change_reason = reason
    hub.save()
    return hub


def changes_submit(*, hub: Hub, author, values: dict, photo=None, photo_alt_text: str = ""):
    """A manager's changes to ``hub`` (``values``: the fields that differ; ``photo``: a
    ``hubs.images.ProcessedPhoto`` or None). Published at once when the territory
    trusts them; otherwise their pending request (one per hub) holds them. Returns
    the ``ChangeRequest`` or None when published directly."""
    link = HubManager.objects.filter(user=author, hub=hub).first()
    if link is None or not author.is_active:
        raise PermissionDenied
    if link.trusted:
        with transaction.atomic():
            if values:
                hub = _apply(hub, values, author=author, reason=REASON_TRUSTED)
            if photo is not None:
                _add_photo(hub, photo, photo_alt_text, author, REASON_TRUSTED)
        return None
    with transaction.atomic():
        request = (
            ChangeRequest.objects.select_for_update()
            .filter(hub=hub, author=author, status=ChangeRequest.Status.PENDING)
            .first()
        ) or ChangeRequest(hub=hub, author=author)
        request.data = values
        request.created_at = timezone.now()
        if photo is not None:
            if request.photo:
                delete_files_on_commit([request.photo])
            request.photo = photo.image_file(photo_basename(hub))
            request.photo_alt_text = photo_alt_text.strip()
        request.full_clean(exclude=["photo"])
        request.save()
        context = {
            "change": request,
            "hub": hub,
            "author": author,
            "admin_url": absolute_url(
                reverse("admin:managers_changerequest_change", args=[request.pk])
            ),
        }
        for user in staff_for_commune(hub.commune, REVIEW_PERMISSION):
            _send(user, "managers/change_submitted", context, language_of(user))
    return request


def may_decide(user, change: ChangeRequest) -> bool:
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(REVIEW_PERMISSION)
        and user.has_perm(EDIT_PERMISSION)
        and Scope.for_user(user).contains_commune(change.hub.commune)
    )


def _decide(change: ChangeRequest, *, reviewer, message: str, status: str) -> ChangeRequest:
    if not may_decide(reviewer, change):
        raise PermissionDenied
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("hub").get(pk=change.pk)
        if not change.is_pending:
            raise ValidationError(_("Cette modification a déjà été traitée."), code="decided")
        if status == ChangeRequest.Status.ACCEPTED:
            reason = REASON_ACCEPTED.format(reviewer=reviewer.get_username())
            hub = change.hub
            if change.data:
                hub = _apply(hub, change.data, author=change.author, reason=reason)
            if change.photo:
                with change.photo.open("rb") as stored:
                    processed = process_photo(stored)
                _add_photo(hub, processed, change.photo_alt_text, change.author, reason)
        if change.photo:
            delete_files_on_commit([change.photo])
            change.photo = ""
        change.status = status
        change.reviewer = reviewer
        change.message = message
        change.decided_at = timezone.now()
        change.save()
        _send(
            change.author,
            "managers/change_decided",
            {
                "change": change,
                "hub": change.hub,
                "accepted": status == ChangeRequest.Status.ACCEPTED,
                "hub_url": absolute_url(change.hub.get_absolute_url()),
                "edit_url": absolute_url(reverse("managers:hub", args=[change.hub.slug])),
            },
            language_of(change.author),
        )
    return change


def change_accept(change: ChangeRequest, *, reviewer, message: str = "") -> ChangeRequest:
    """Apply a pending change to its hub (validated as a whole: a ValidationError leaves
    everything as it was), its author recorded in the history and the reviewer in
    the reason; the manager is told, with ``message``."""
    return _decide(change, reviewer=reviewer, message=message, status=ChangeRequest.Status.ACCEPTED)


def change_reject(change: ChangeRequest, *, reviewer, message: str = "") -> ChangeRequest:
    """Close a pending change without touching the hub; the manager gets ``message``."""
    return _decide(change, reviewer=reviewer, message=message, status=ChangeRequest.Status.REJECTED)


# A hub's events and photos ------------------------------------------------------
#
# The simplest safe design, without a new table:
# - A trusted manager's new event is published at once; an untrusted manager's is a
#   draft at their hub, and the territory's staff (who may change events) get an
#   e-mail to review and publish it in the back-office.
# - A trusted manager edits any event of their hub (its publication unchanged); an
#   untrusted one only the drafts (what the public sees is never changed unreviewed;
#   for a published event they write to the territory's staff). Events imported from
#   the hub's iCalendar feed are edited in that calendar: the next import would undo
#   any change here.
# - The hub, the publication and the slug are set here, never read from the request.
# - Removing a photo: a trusted manager's removes it at once (its history records who
#   did); an untrusted manager's sends the staff an e-mail asking them to.

#: Who hears about a manager's draft event: who may change events in the back-office.
EVENT_REVIEW_PERMISSION = "events.change_event"
#: Who hears about a photo a manager asks to remove: who edits the hub.
PHOTO_REVIEW_PERMISSION = EDIT_PERMISSION

REASON_EVENT_TRUSTED = "écrit par le gestionnaire du lieu (publié sans relecture)"
REASON_EVENT_DRAFT = "proposé par le gestionnaire du lieu (brouillon à relire)"
REASON_PHOTO_REMOVED = "retirée par le gestionnaire du lieu (sans relecture)"


def _link(author, hub) -> HubManager:
    link = HubManager.objects.filter(user=author, hub=hub).first()
    if link is None or not author.is_active:
        raise PermissionDenied
    return link


def event_editable(link: HubManager, event) -> bool:
    """May the manager of ``link`` edit ``event`` (of their hub) here?"""
    return (
        event.hub_id == link.hub_id
        and not event.source_uid
        and (link.trusted or event.publication == Event.Publication.DRAFT)
    )


def event_save(*, hub: Hub, author, event):
    """Save ``event`` (new, or one of ``hub``'s, with the manager's values set) for the
    manager ``author`` of ``hub``: see the rules above. Returns the saved event."""
    link = _link(author, hub)
    with transaction.atomic():
        if event.pk is None:
            event.slug = _free_slug(event.title)
            event.publication = (
                Event.Publication.PUBLISHED if link.trusted else Event.Publication.DRAFT
            )
            event.source_feed = event.source_uid = ""
            created = True
        else:
            stored = Event.objects.select_for_update().get(pk=event.pk)
            if not event_editable(link, stored):
                raise PermissionDenied
            event.publication = stored.publication  # whatever the request carried
            event.slug = stored.slug
            created = False
        event.hub = hub
        event.full_clean()
        event._history_user = author
        event._change_reason = REASON_EVENT_TRUSTED if link.trusted else REASON_EVENT_DRAFT
        event.save()
        if not link.trusted:
            context = {
                "event": event,
                "hub": hub,
                "author": author,
                "created": created,
                "admin_url": absolute_url(reverse("admin:events_event_change", args=[event.pk])),
            }
            for user in staff_for_commune(hub.commune, EVENT_REVIEW_PERMISSION):
                _send(user, "managers/event_submitted", context, language_of(user))
    return event


def photo_remove(*, photo: HubPhoto, author) -> bool:
    """Remove ``photo`` of a hub ``author`` manages: at once when trusted (True), else
    e-mail the territory's staff asking them to (False)."""
    hub = photo.hub
    link = _link(author, hub)
    if link.trusted:
        with transaction.atomic():
            photo = HubPhoto.objects.select_for_update().get(pk=photo.pk)
            photo._history_user = author
            photo._change_reason = REASON_PHOTO_REMOVED
            photo.delete()  # its files go once committed (hubs/signals.py)
        return True
    context = {
        "photo": photo,
        "hub": hub,
        "author": author,
        "photo_url": absolute_url(photo.image.url) if photo.image else "",
        "admin_url": absolute_url(reverse("admin:hubs_hub_change", args=[hub.pk])),
    }
    with transaction.atomic():
        for user in staff_for_commune(hub.commune, PHOTO_REVIEW_PERMISSION):
            _send(user, "managers/photo_removal", context, language_of(user))
    return False
