"""Who hears about a report: the staff of its territory (never another's), by an
e-mail in French with an HTML alternative and absolute links; the reporter who
left an address hears the outcome, then the address is gone."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from backoffice.roles import EDITOR
from backoffice.scoping import staff_for_commune
from reports import services
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = {"message": "L’adresse a changé : 3 rue des Arts."}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://lieux.example.org"


def report_on(client, hub, **data):
    response = client.post(reverse("reports:hub", args=[hub.slug]), {**GOOD, **data})
    assert response.status_code == 302
    return Report.objects.latest("pk")


def test_a_report_on_calais_reaches_calais_staff_and_never_valenciennes(
    client, hub_calais, editor_calais, editor_valenciennes, regional_admin, viewer
):
    report = report_on(client, hub_calais)
    assert [message.to for message in mail.outbox] == [["calais@example.org"]]
    report_on(client, factories.hub("Lieu VA", slug="lieu-va"))
    assert [message.to for message in mail.outbox] == [
        ["calais@example.org"],
        ["valenciennes@example.org"],
    ]
    assert report.commune.insee == "62193"


def test_the_message_is_french_with_an_html_alternative_and_absolute_links(
    client, hub_valenciennes, editor_valenciennes
):
    report = report_on(client, hub_valenciennes)
    [message] = mail.outbox
    assert message.subject == "Nouveau signalement (erreur sur un lieu) : Serre numérique test"
    admin_link = f"https://lieux.example.org/admin/reports/report/{report.pk}/change/"
    assert admin_link == "https://lieux.example.org" + reverse(
        "admin:reports_report_change", args=[report.pk]
    )
    assert admin_link in message.body
    assert "https://lieux.example.org/hubs/serre-test/" in message.body
    assert "L’adresse a changé : 3 rue des Arts." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{admin_link}"' in html
    assert "Traiter le signalement dans le back-office" in html
    assert '<html lang="fr">' in html


def test_each_staff_member_gets_their_own_message(client, hub_valenciennes, editor_valenciennes):
    colleague = factories.staff(EDITOR, "collegue", epci=["245901160"])
    colleague.email = "collegue@example.org"
    colleague.save()
    report_on(client, hub_valenciennes)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "collegue@example.org",
        "valenciennes@example.org",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_without_local_staff_the_regional_administrators_hear_of_it(
    client, hub_calais, editor_valenciennes, regional_admin, viewer
):
    report_on(client, hub_calais)
    # Not the Valenciennes editor, not the reader (who may not handle it).
    assert [message.to for message in mail.outbox] == [["region@example.org"]]


def test_accounts_without_an_address_or_inactive_are_skipped(hub_valenciennes):
    silent = factories.staff(EDITOR, "sans-adresse", epci=["245901160"])
    gone = factories.staff(EDITOR, "parti", epci=["245901160"])
    gone.email, gone.is_active = "parti@example.org", False
    gone.save()
    assert list(staff_for_commune(hub_valenciennes.commune, "reports.change_report")) == []
    assert silent.email == ""


def test_a_mail_server_down_loses_no_report(
    client, hub_valenciennes, editor_valenciennes, monkeypatch
):
    def refused(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_templated", refused)
    report = report_on(client, hub_valenciennes)
    assert Report.objects.filter(pk=report.pk, status="new").exists()


def test_closing_tells_the_reporter_in_their_language_then_forgets_them(
    client, hub_valenciennes, editor_valenciennes
):
    response = client.post(
        reverse("reports:hub", args=[hub_valenciennes.slug]),
        {**GOOD, "email": "lea@example.org", "consent": "on"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    mail.outbox.clear()
    assert services.report_close(report, status=Report.Status.DONE, note="Corrigé, merci !")
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    with translation.override("en"):
        subject = gettext("Votre signalement : %(name)s") % {"name": "Serre numérique test"}
    assert message.subject == subject
    assert '<html lang="en">' in message.alternatives[0][0]
    assert "Corrigé, merci !" in message.body
    assert "https://lieux.example.org/hubs/serre-test/" in message.body
    assert message.alternatives[0][1] == "text/html"
    report.refresh_from_db()
    assert report.reporter_email == "" and report.status == "done"
    # Closed once: closing again sends nothing.
    assert not services.report_close(report, status=Report.Status.REJECTED)
    assert len(mail.outbox) == 1


def test_closing_without_an_address_sends_nothing(client, hub_valenciennes):
    report = report_on(client, hub_valenciennes)
    mail.outbox.clear()
    services.report_close(report, status=Report.Status.REJECTED)
    assert mail.outbox == []


def test_staff_preferences_choose_the_language_and_whether_to_write():
    """« Mon compte » stores them on ``user.staff_preferences``; an account that
    never saved any gets French, and every report."""
    from types import SimpleNamespace

    assert services.staff_language(SimpleNamespace()) is None  # the site's: French
    assert services.wants_reports(SimpleNamespace())
    english = SimpleNamespace(
        staff_preferences=SimpleNamespace(email_language="en", notify_reports=False)
    )
    assert services.staff_language(english) == "en"
    assert not services.wants_reports(english)


def test_each_staff_member_is_written_to_as_their_account_asks(
    client, hub_valenciennes, editor_valenciennes
):
    from backoffice.models import StaffPreferences

    StaffPreferences.objects.create(user=editor_valenciennes, email_language="en")
    silent = factories.staff(EDITOR, "silencieux", epci=["245901160"])
    silent.email = "silencieux@example.org"
    silent.save()
    StaffPreferences.objects.create(user=silent, notify_reports=False)
    report_on(client, hub_valenciennes)
    [message] = mail.outbox
    assert message.to == ["valenciennes@example.org"]
    assert '<html lang="en">' in message.alternatives[0][0]
