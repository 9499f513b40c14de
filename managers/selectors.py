"""Reads about managers: whose hubs, who runs a hub, where they edit it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from hubs.models import Hub


def hubs_of(user):
    """The hubs ``user`` manages (none for an anonymous visitor)."""
    if not (user.is_authenticated and user.is_active):
        return Hub.objects.none()
    return Hub.objects.filter(managers__user=user)


def managers_of(hub) -> list:
    """The active accounts with an e-mail address that manage ``hub`` (the freshness
    reminders write to them first, hubs/freshness.py)."""
    return list(
        get_user_model()
        .objects.filter(managed_hubs__hub=hub, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def manager_link(user, hub):
    """``user``'s HubManager row for ``hub``, or None."""
    if not user.is_authenticated:
        return None
    return hub.managers.filter(user=user).first()


def edit_path(hub, user) -> str | None:
    """Where ``user`` edits ``hub`` when they manage it (their form), else None."""
    if manager_link(user, hub) is None:
        return None
    return reverse("managers:hub", args=[hub.slug])
