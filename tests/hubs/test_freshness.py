"""The freshness loop (issue 18, item 3): ``remind_stale_hubs``, the « toujours
exact » link, and the back-office home's « Fraîcheur des fiches »."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from backoffice.roles import EDITOR, REGIONAL_ADMIN
from backoffice.scoping import Scope
from hubs import freshness, reminders
from hubs.models import Hub, HubReminder
from tests import factories

pytestmark = pytest.mark.django_db

EPCI_VM = "245901160"  # Valenciennes Métropole
# The frozen clock starts at the real date: the tests without it see the same world.
NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
LONG_AGO = NOW - datetime.timedelta(days=400)


@pytest.fixture
def clock(monkeypatch):
    """``timezone.now`` frozen at ``clock.now``; move it with ``clock.now = …``."""

    class Clock:
        now = NOW

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def hubs(demo_hubs):
    """Every demo hub fresh except: two of Valenciennes Métropole and Calais' one,
    stale; a stale draft in Valenciennes."""
    Hub.objects.update(updated_at=NOW - datetime.timedelta(days=3))
    serre, pop = demo_hubs["serre-numerique"], demo_hubs["pop-school-valenciennes"]
    calais = demo_hubs["maison-numerique-innovation-calaisis"]
    draft = demo_hubs["pop-place-valenciennes"]
    assert {serre.commune.epci_id, pop.commune.epci_id, draft.commune.epci_id} == {EPCI_VM}
    assert calais.commune.departement_id == "62"
    Hub.objects.filter(pk__in=[serre.pk, pop.pk, calais.pk, draft.pk]).update(updated_at=LONG_AGO)
    Hub.objects.filter(pk=draft.pk).update(publication=Hub.Publication.DRAFT)
    return {"serre": serre, "pop": pop, "calais": calais, "draft": draft}


def _staff(role, name, **territories):
    user = factories.staff(role, name, **territories)
    user.email = f"{name}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def people(db):
    return {
        "vm": _staff(EDITOR, "editrice-vm", epci=[EPCI_VM]),
        "calais": _staff(EDITOR, "editeur-62", departement=["62"]),
        "region": _staff(REGIONAL_ADMIN, "admin-region"),
    }


def _mail_to(address):
    messages = [message for message in mail.outbox if message.to == [address]]
    assert len(messages) <= 1, f"{len(messages)} messages to {address}"
    return messages[0] if messages else None


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+/hubs/fiche-exacte/[^/\s]+/", message.body)


def _remind(*args):
    call_command("remind_stale_hubs", *args, stdout=(out := _Out()))
    return out.text


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# The command ---------------------------------------------------------------------


def test_one_message_per_person_listing_their_stale_published_hubs(clock, hubs, people):
    output = _remind()

    to_vm = _mail_to("editrice-vm@example.org")
    assert to_vm is not None
    assert hubs["pop"].name in to_vm.body and hubs["serre"].name in to_vm.body
    assert hubs["calais"].name not in to_vm.body  # another territory's
    assert hubs["draft"].name not in to_vm.body  # not published
    assert len(_links(to_vm)) == 2  # one « toujours exact » link per hub
    edit = f"{settings.SITE_URL}{reverse('admin:hubs_hub_change', args=[hubs['serre'].pk])}"
    assert edit in to_vm.body
    html = to_vm.alternatives[0].content
    assert edit in html and "Toujours exacte" in html
    assert "2 lieux à vérifier" in to_vm.subject

    to_calais = _mail_to("editeur-62@example.org")
    assert hubs["calais"].name in to_calais.body and len(_links(to_calais)) == 1
    # The territories have their own staff: the regional administrator is not asked.
    assert _mail_to("admin-region@example.org") is None
    assert len(mail.outbox) == 2
    assert "2 recipient(s) sent, 3 hub(s) asked about" in output


def test_fresh_and_confirmed_hubs_are_not_asked_about(clock, hubs, people):
    Hub.objects.filter(pk=hubs["pop"].pk).update(confirmed_at=NOW - datetime.timedelta(days=30))
    Hub.objects.filter(pk=hubs["calais"].pk).update(updated_at=NOW - datetime.timedelta(days=150))
    _remind()
    assert [message.to for message in mail.outbox] == [["editrice-vm@example.org"]]
    assert "Pop School" not in mail.outbox[0].body and len(_links(mail.outbox[0])) == 1


def test_months_option_and_setting(clock, hubs, people, settings):
    Hub.objects.filter(pk=hubs["calais"].pk).update(updated_at=NOW - datetime.timedelta(days=100))
    settings.HUBS_STALE_MONTHS = 3
    output = _remind("--months", "4", "--dry-run")
    assert "editeur-62@example.org" not in output  # 100 days is not 4 months
    _remind()
    assert _mail_to("editeur-62@example.org") is not None  # 3 months, from the setting
    with pytest.raises(CommandError):
        _remind("--months", "0")


def test_nobody_is_asked_twice_about_a_hub_within_25_days(clock, hubs, people):
    _remind()
    assert len(mail.outbox) == 2
    clock.now = NOW + datetime.timedelta(days=24)
    output = _remind()
    assert len(mail.outbox) == 2 and "0 recipient(s) sent" in output
    # A hub newly stale is asked about alone, to its people.
    Hub.objects.filter(pk=hubs["draft"].pk).update(publication=Hub.Publication.PUBLISHED)
    _remind()
    assert len(mail.outbox) == 3
    assert hubs["draft"].name in mail.outbox[2].body and "Pop School" not in mail.outbox[2].body
    clock.now = NOW + datetime.timedelta(days=26)
    _remind()
    assert len(mail.outbox) == 5


def test_dry_run_sends_and_records_nothing(clock, hubs, people):
    output = _remind("--dry-run")
    assert mail.outbox == [] and not HubReminder.objects.exists()
    assert "would send to editrice-vm@example.org" in output and "dry run" in output
    _remind()
    assert len(mail.outbox) == 2


def test_the_regional_administrators_hear_about_a_territory_without_staff(clock, hubs, people):
    people["calais"].territory_scopes.all().delete()
    _remind()
    to_region = _mail_to("admin-region@example.org")
    assert to_region is not None and hubs["calais"].name in to_region.body
    assert "Pop School" not in to_region.body  # Valenciennes has its editor


def test_hub_managers_come_first(clock, hubs, people, monkeypatch):
    manager = factories.superuser("gerante")
    manager.is_staff, manager.is_superuser = False, False
    manager.save()
    monkeypatch.setattr(
        freshness, "hub_managers", lambda hub: [manager] if hub.pk == hubs["pop"].pk else []
    )
    _remind()
    assert "Pop School" in _mail_to("gerante@example.org").body
    assert "Pop School" not in _mail_to("editrice-vm@example.org").body


def test_a_failed_send_is_reported_and_tried_again(clock, hubs, people, monkeypatch):
    real = reminders.send_templated

    def flaky(to, *args, **kwargs):
        if to == "editeur-62@example.org":
            raise ConnectionRefusedError("SMTP down")
        return real(to, *args, **kwargs)

    monkeypatch.setattr(reminders, "send_templated", flaky)
    with pytest.raises(CommandError):
        _remind()
    assert [message.to for message in mail.outbox] == [["editrice-vm@example.org"]]
    monkeypatch.setattr(reminders, "send_templated", real)
    _remind()
    assert [message.to for message in mail.outbox][-1] == ["editeur-62@example.org"]


def test_preferences_language_and_opt_out(clock, hubs, people, monkeypatch):
    from backoffice import models

    if not hasattr(models, "StaffPreferences"):
        pytest.skip("no StaffPreferences model yet")
    models.StaffPreferences.objects.create(user=people["vm"], email_language="en")
    models.StaffPreferences.objects.create(user=people["calais"], notify_reminders=False)
    languages = {}
    real = reminders.send_templated

    def spy(to, template, context, language=None, **kwargs):
        languages[to] = language
        return real(to, template, context, language, **kwargs)

    monkeypatch.setattr(reminders, "send_templated", spy)
    output = _remind()
    assert languages == {"editrice-vm@example.org": "en"}
    month = timezone.localtime(LONG_AGO).strftime("%B")  # English, whatever the machine's locale
    assert f"{month} {timezone.localtime(LONG_AGO).year}" in mail.outbox[0].body
    assert f"nobody receives reminders about {hubs['calais'].name}" in output


# The « toujours exact » link ---------------------------------------------------


@pytest.fixture
def link(hubs, people):
    hub = Hub.objects.get(pk=hubs["serre"].pk)
    return reverse("hubs:confirm", args=[freshness.make_token(hub, people["vm"])])


def test_the_link_in_the_mail_opens_the_confirmation_page(clock, hubs, people, client):
    _remind()
    url = _links(_mail_to("editeur-62@example.org"))[0].removeprefix(settings.SITE_URL)
    response = client.get(url)
    assert response.status_code == 200
    assert escape(hubs["calais"].name) in response.content.decode()


def test_get_changes_nothing(client, link, hubs):
    history = hubs["serre"].history.count()
    response = client.get(link)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Oui, la fiche est toujours exacte" in content and 'method="post"' in content
    assert 'name="robots" content="noindex"' in content
    hub = Hub.objects.get(pk=hubs["serre"].pk)
    assert hub.confirmed_at is None and hub.history.count() == history
    assert client.head(link).status_code == 200


def test_post_confirms_once_and_writes_the_history(client, link, hubs, people):
    before = Hub.objects.get(pk=hubs["serre"].pk)
    response = client.post(link)
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
    assert reverse("hubs:detail", args=[before.slug]) in response.content.decode()
    hub = Hub.objects.get(pk=before.pk)
    assert hub.confirmed_at is not None
    assert hub.updated_at == before.updated_at  # the content did not change: nor do the ETags
    assert hub.checked_at == hub.confirmed_at
    last = hub.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == freshness.CHANGE_REASON
    assert last.history_user == people["vm"] and last.history_type == "~"
    assert last.confirmed_at == hub.confirmed_at
    # Only that hub.
    assert not Hub.objects.exclude(pk=hub.pk).filter(confirmed_at__isnull=False).exists()
    # The same link again: already used, nothing changes.
    again = client.post(link)
    assert again.status_code == 400 and "a déjà été confirmée" in again.content.decode()
    assert client.get(link).status_code == 400
    assert Hub.objects.get(pk=hub.pk).confirmed_at == hub.confirmed_at
    assert hub.history.count() == before.history.count()


def test_a_confirmed_hub_is_fresh_for_the_reminders_and_the_public_page(client, link, hubs, people):
    client.post(link)
    _remind()
    assert "Serre" not in _mail_to("editrice-vm@example.org").body
    confirmed = Hub.objects.get(pk=hubs["serre"].pk).confirmed_at
    page = client.get(reverse("hubs:detail", args=[hubs["serre"].slug])).content.decode()
    assert f'<time datetime="{timezone.localtime(confirmed).isoformat()}">' in page


def _tampered(token: str) -> str:
    value, signature = token.rsplit(":", 1)
    return f"{value}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"


def test_a_tampered_link_is_refused(client, link, hubs, people):
    token = link.rstrip("/").rsplit("/", 1)[1]
    other = Hub.objects.get(pk=hubs["pop"].pk)
    # The payload of hub A with hub B's id: the signature no longer matches.
    forged = signing.TimestampSigner(salt="wrong").sign_object(
        {"hub": other.pk, "user": people["vm"].pk, "was": None}
    )
    for bad in (_tampered(token), forged, "nimportequoi"):
        url = reverse("hubs:confirm", args=[bad])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "incomplet ou a été modifié" in response.content.decode()
    assert not Hub.objects.filter(confirmed_at__isnull=False).exists()


def test_a_link_for_hub_a_never_confirms_hub_b(client, hubs, people):
    token_a = freshness.make_token(Hub.objects.get(pk=hubs["serre"].pk), people["vm"])
    assert client.post(reverse("hubs:confirm", args=[token_a])).status_code == 200
    assert Hub.objects.get(pk=hubs["pop"].pk).confirmed_at is None


def test_an_expired_link_is_refused(client, hubs, people, monkeypatch):
    hub = Hub.objects.get(pk=hubs["serre"].pk)
    sent = timezone.now() - datetime.timedelta(days=61)
    monkeypatch.setattr(signing.time, "time", lambda: sent.timestamp())
    token = freshness.make_token(hub, people["vm"])
    monkeypatch.undo()
    response = client.post(reverse("hubs:confirm", args=[token]))
    assert response.status_code == 400 and "a expiré" in response.content.decode()
    assert Hub.objects.get(pk=hub.pk).confirmed_at is None


def test_a_link_dies_with_the_role_or_the_publication(client, hubs, people):
    hub = Hub.objects.get(pk=hubs["serre"].pk)
    to_vm = reverse("hubs:confirm", args=[freshness.make_token(hub, people["vm"])])
    # A Calais editor's link for a Valenciennes hub: not theirs to confirm.
    to_calais = reverse("hubs:confirm", args=[freshness.make_token(hub, people["calais"])])
    assert client.post(to_calais).status_code == 400
    people["vm"].is_active = False
    people["vm"].save()
    assert client.post(to_vm).status_code == 400
    people["vm"].is_active = True
    people["vm"].save()
    Hub.objects.filter(pk=hub.pk).update(publication=Hub.Publication.ARCHIVED)
    response = client.post(to_vm)
    assert response.status_code == 400 and "plus publiée" in response.content.decode()
    assert Hub.objects.get(pk=hub.pk).confirmed_at is None


# The back-office -----------------------------------------------------------------


def test_months_before_keeps_to_the_calendar():
    end_of_march = datetime.datetime(2027, 3, 31, 7, 0, tzinfo=datetime.UTC)
    assert freshness.months_before(end_of_march, 1) == end_of_march.replace(month=2, day=28)
    assert freshness.months_before(end_of_march, 6) == end_of_march.replace(
        year=2026, month=9, day=30
    )
    assert freshness.months_before(end_of_march, 15).date() == datetime.date(2025, 12, 31)


def test_freshness_by_territory_for_an_editor_and_a_regional_admin(
    hubs, people, django_assert_max_num_queries
):
    since = timezone.now() - datetime.timedelta(days=365)
    Hub.objects.filter(pk=hubs["pop"].pk).update(confirmed_at=timezone.now())
    published_vm = Hub.objects.published().filter(commune__epci_id=EPCI_VM).count()
    scope = Scope.for_user(people["vm"])
    with django_assert_max_num_queries(1):
        rows = freshness.freshness_by_territory(scope, since)
    assert [(row.published, row.checked) for row in rows] == [(published_vm, published_vm - 1)]
    assert "Valenciennes" in rows[0].name
    many = Scope(
        unrestricted=False,
        epcis=frozenset({EPCI_VM, "200069037"}),
        departements=frozenset({"62", "59"}),
    )
    with django_assert_max_num_queries(2):
        rows = freshness.freshness_by_territory(many, since)
    assert {row.name for row in rows} >= {"Pas-de-Calais (62)", "Nord (59)"}
    with django_assert_max_num_queries(2):
        everywhere = freshness.freshness_by_territory(Scope(unrestricted=True), since)
    assert sum(row.published for row in everywhere) == Hub.objects.published().count()
    calais_row = next(row for row in everywhere if row.name == "Pas-de-Calais (62)")
    assert calais_row.checked == calais_row.published - 1


def test_the_admin_home_shows_freshness_for_the_editors_territory(client, hubs, people):
    client.force_login(people["vm"])
    content = client.get(reverse("admin:index")).content.decode()
    block = content[content.index('class="module hub-freshness"') :]
    block = block[: block.index("</section>")]
    published = Hub.objects.published().filter(commune__epci_id=EPCI_VM).count()
    share = 100 * (published - 2) // published  # the Serre and Pop School are stale
    assert "Fraîcheur des fiches" in block
    assert f"<td>{published}</td>" in block
    assert f"{share} %" in block and f"{published - 2} sur {published}" in block
    assert "Calais" not in block and "Pas-de-Calais" not in block


def test_the_stale_filter_counts_a_confirmed_hub_as_fresh(client, hubs, people):
    client.force_login(people["vm"])
    url = reverse("admin:hubs_hub_changelist")
    assert hubs["serre"].name in client.get(url, {"freshness": "stale"}).content.decode()
    Hub.objects.filter(pk=hubs["serre"].pk).update(confirmed_at=timezone.now())
    assert hubs["serre"].name not in client.get(url, {"freshness": "stale"}).content.decode()
