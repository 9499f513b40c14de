"""The freshness loop (hubs/freshness.py, hubs/reminders.py) asks a hub's managers
first and links them to their own form; staff keep the admin's page."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from hubs import freshness, reminders
from managers.models import HubManager

pytestmark = pytest.mark.django_db


def test_a_hubs_managers_are_asked_first(hub, manager, editor):
    assert freshness.hub_managers(hub) == [manager]
    assert freshness.recipients_for(hub) == [manager]
    assert freshness.may_confirm(manager, hub)


def test_without_manager_the_territorys_staff_are_asked(hub, hub_calais, manager, editor):
    assert freshness.hub_managers(hub_calais) == []
    assert manager not in freshness.recipients_for(hub_calais)
    assert not freshness.may_confirm(manager, hub_calais)


def test_inactive_or_addressless_managers_are_not_asked(hub, editor):
    quiet = User.objects.create_user("sans-adresse", password="x")
    gone = User.objects.create_user("parti", email="parti@example.org", is_active=False)
    for user in (quiet, gone):
        HubManager.objects.create(user=user, hub=hub)
    assert freshness.hub_managers(hub) == []
    assert freshness.recipients_for(hub) == [editor]


def test_the_edit_link_is_the_managers_form_for_managers_only(hub, manager, editor):
    assert reminders.edit_url(hub, manager).endswith(reverse("managers:hub", args=[hub.slug]))
    assert reminders.edit_url(hub, editor).endswith(reverse("admin:hubs_hub_change", args=[hub.pk]))
