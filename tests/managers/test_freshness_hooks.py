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


def test_the_confirmation_page_sends_a_manager_to_their_form(client, hub, manager):
    token = freshness.make_token(hub, manager)
    page = client.get(reverse("hubs:confirm", args=[token])).content.decode()
    assert f'href="{reverse("managers:hub", args=[hub.slug])}"' in page
    assert "/admin/" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    done = client.post(reverse("hubs:confirm", args=[token])).content.decode()
    assert f'href="{reverse("managers:hub", args=[hub.slug])}"' in done


def test_a_managers_reminder_links_to_their_form_and_account(hub, manager, settings):
    import datetime

    from django.core import mail
    from django.utils import timezone

    from hubs.models import Hub

    Hub.objects.filter(pk=hub.pk).update(updated_at=timezone.now() - datetime.timedelta(days=900))
    reminders.run(now=timezone.now(), months=12)
    [message] = [m for m in mail.outbox if m.to == [manager.email]]
    assert reverse("managers:hub", args=[hub.slug]) in message.body
    assert reverse("managers:account") in message.body
    assert "/admin/" not in message.body
