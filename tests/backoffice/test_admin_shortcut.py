"""« Voir sur le site » (/admin/r/<content type>/<id>/) only for those who may view the record.

Django's shortcut view redirected any staff account to any record's public URL:
the slug of a draft, for an account with no role or an editor of another
territory (issue 14). Every model with a public URL (hubs and events) is tried.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from backoffice.roles import EDITOR, VIEWER
from events.models import Event
from hubs.models import Hub
from tests import factories

pytestmark = pytest.mark.django_db
VALENCIENNES_METROPOLE = "245901160"
GRAND_CALAIS = "246200364"


def _shortcut(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def drafts(db):
    """A draft hub of Valenciennes Métropole, a draft event there, and a published hub."""
    factories.epci(GRAND_CALAIS, name="CA Grand Calais Terres et Mers")
    hub = factories.hub(slug="lieu-brouillon-secret", publication=Hub.Publication.DRAFT)
    event = factories.event(
        hub=hub, slug="atelier-brouillon-secret", publication=Event.Publication.DRAFT
    )
    return [hub, event, factories.hub(slug="lieu-publie")]


def _staff_without_role():
    return User.objects.create_user("sans-role", password="unused", is_staff=True)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("viewer", True),
        ("editor of the record's territory", True),
        ("staff without a role", False),
        ("editor of another territory", False),
    ],
)
def test_view_on_site_needs_the_right_to_view_the_record(client, drafts, who, allowed):
    user = {
        "viewer": lambda: factories.staff(VIEWER),
        "editor of the record's territory": lambda: factories.staff(
            EDITOR, epci=[VALENCIENNES_METROPOLE]
        ),
        "staff without a role": _staff_without_role,
        "editor of another territory": lambda: factories.staff(EDITOR, epci=[GRAND_CALAIS]),
    }[who]()
    client.force_login(user)
    for obj in drafts:
        response = client.get(_shortcut(obj))
        if allowed:
            assert response.status_code == 302, (who, obj)
            assert response.url.endswith(obj.get_absolute_url())
        else:
            assert response.status_code == 404, (who, obj)
            assert obj.slug not in response.content.decode()
            assert obj.slug not in response.get("Location", "")


def test_view_on_site_refuses_what_has_no_admin_or_does_not_exist(client, drafts):
    client.force_login(factories.staff(VIEWER))
    hub_type = ContentType.objects.get_for_model(Hub)
    no_admin = ContentType.objects.get_for_model(ContentType)
    for args in (
        [hub_type.pk, 987654],
        [987654, drafts[0].pk],
        [no_admin.pk, hub_type.pk],
        ["abc", drafts[0].pk],
        [hub_type.pk, "abc"],
        ["9" * 30, drafts[0].pk],
        [hub_type.pk, "9" * 30],
    ):
        assert client.get(reverse("admin:view_on_site", args=args)).status_code == 404, args
    client.logout()
    response = client.get(_shortcut(drafts[0]))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert drafts[0].slug not in response.url
