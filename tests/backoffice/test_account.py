"""« Mon compte » (backoffice/account_views.py): role, territories, password,
two-factor status and e-mail preferences."""

import pytest

from backoffice import two_factor
from backoffice.models import StaffPreferences
from backoffice.roles import EDITOR, REGIONAL_ADMIN, VIEWER
from tests import factories, otp

ACCOUNT = "/admin/account/"


@pytest.fixture
def editor(db):
    return factories.staff(EDITOR, "editeur-cavm", epci=["245901160"], departement=["62"])


def test_an_editor_sees_their_role_and_territories(client, editor):
    client.force_login(editor)
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    text = page.text
    assert "Éditeur de territoire" in text
    assert "CA Valenciennes Métropole" in text and "Pas-de-Calais" in text
    assert 'href="/admin/password_change/"' in text
    assert "Désactivée" in text and "facultative pour votre rôle" in text


def test_a_regional_admin_sees_every_territory_and_their_codes_left(client, db):
    admin = factories.staff(REGIONAL_ADMIN, "region")
    otp.app_device(admin)
    two_factor.new_recovery_codes(admin)
    client.force_login(admin)
    text = client.get(ACCOUNT).text
    assert "Administrateur régional" in text
    assert "Tous les territoires" in text
    assert "Activée" in text
    assert "10 codes de secours inutilisés" in text
    assert "Générer de nouveaux codes de secours" in text


def test_a_superuser_is_named_so(client, db):
    client.force_login(factories.superuser("root"))
    assert "Super-utilisateur (tous les droits)" in client.get(ACCOUNT).text


def test_the_header_links_to_mon_compte(client, editor):
    client.force_login(editor)
    assert f'href="{ACCOUNT}"' in client.get("/admin/").text


def test_e_mail_preferences_are_saved_for_the_other_senders(client, editor):
    assert StaffPreferences.for_user(editor).email_language == "fr"  # defaults, unsaved
    assert StaffPreferences.for_user(editor).notify_reports is True
    client.force_login(editor)
    response = client.post(ACCOUNT, {"email_language": "en", "notify_reminders": "on"})
    assert response.status_code == 302
    editor.refresh_from_db()
    preferences = editor.staff_preferences
    assert preferences.email_language == "en"
    assert preferences.notify_reports is False
    assert preferences.notify_reminders is True
    # A language the site does not speak is refused, nothing saved.
    refused = client.post(ACCOUNT, {"email_language": "de"})
    assert refused.status_code == 200
    preferences.refresh_from_db()
    assert preferences.email_language == "en"


def test_only_staff_have_an_account_page(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("habitant", password="x"))
    assert client.get(ACCOUNT)["Location"].startswith("/admin/login/")


def test_a_viewer_without_second_factor_opens_it_directly(client, db):
    client.force_login(factories.staff(VIEWER, "elue"))
    assert client.get(ACCOUNT).status_code == 200
