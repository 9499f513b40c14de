"""Accessibility rules checked on the rendered HTML of every public page.

One <h1> per page and no skipped heading level (RGAA 9.1), distinct <title>s
(RGAA 8.6), ``lang`` on <html>; the accessibility statement and the site map
(RGAA: reachable from every page's footer). The browser-side checks (axe-core,
keyboard) are in ``tests/browser/test_accessibility.py`` and ``test_keyboard.py``.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from events import demo as events_demo
from events.models import Event
from funding import demo as funding_demo
from hubs.models import Hub
from pages.views import RGAA_VERSION
from tests import factories


class Outline(HTMLParser):
    """The headings (level, text), the <title>, <html lang> and the links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[list] = []
        self.title = ""
        self.lang = None
        self.links: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title":
            self._in = "title"
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append([int(tag[1]), ""])
            self._in = "heading"
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title" or re.fullmatch(r"h[1-6]", tag):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "heading":
            self.headings[-1][1] += data


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site(demo_hubs):
    events_demo.load()
    funding_demo.load()
    for number in range(25):  # a second page on /hubs/
        factories.hub(name=f"Lieu de test {number:02d}", slug=f"lieu-de-test-{number:02d}")


def public_pages() -> dict[str, str]:
    hub = Hub.objects.published().order_by("name").first()
    event = Event.objects.published().order_by("start").first()
    today = timezone.localdate()
    return {
        "home": "/",
        "home filtered": "/?kind=fablab",
        "embed": "/embed/",
        "hub list": "/hubs/",
        "hub list, page 2": "/hubs/?page=2",
        "hub list filtered": "/hubs/?kind=fablab&equipment=imprimante-3d",
        "hub page": hub.get_absolute_url(),
        "agenda": "/events/",
        "month view": f"/events/month/{today.year}/{today.month}/",
        "event page": event.get_absolute_url(),
        "funding": "/funding/",
        "funding filtered": "/funding/?territory=dep%3A59",
        "accessibility statement": reverse("accessibility"),
        "site map": reverse("site-map"),
        "404 page": "/hubs/there-is-no-such-place/",
    }


def test_one_h1_and_no_skipped_heading_level_on_every_public_page(client, site):
    problems = []
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code == (404 if name == "404 page" else 200), name
        page = outline(response)
        levels = [level for level, _text in page.headings]
        if levels.count(1) != 1:
            problems.append(f"{name} ({path}): {levels.count(1)} <h1>")
        if levels and levels[0] != 1:
            problems.append(f"{name} ({path}): the first heading is an <h{levels[0]}>")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                problems.append(f"{name} ({path}): <h{before}> followed by <h{after}>")
        if page.lang not in {"fr", "en"}:
            problems.append(f"{name} ({path}): <html lang={page.lang!r}>")
    assert not problems, "\n".join(problems)


def test_key_pages_have_distinct_titles(client, site):
    pages = public_pages()
    titles = {}
    for name in (
        "home",
        "embed",
        "hub list",
        "hub list, page 2",
        "hub page",
        "agenda",
        "month view",
        "event page",
        "funding",
        "accessibility statement",
        "site map",
        "404 page",
    ):
        title = " ".join(outline(client.get(pages[name])).title.split())
        assert title, name
        titles.setdefault(title, []).append(name)
    shared = {title: names for title, names in titles.items() if len(names) > 1}
    assert not shared, shared


@pytest.mark.parametrize("path", ["/", "/hubs/", "/events/", "/funding/", "/plan-du-site/"])
def test_every_page_footer_links_to_the_statement_and_the_site_map(client, db, path):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert re.search(
        rf'<a href="{reverse("accessibility")}"[^>]*>Accessibilité : non conforme</a>', footer
    )
    assert re.search(rf'<a href="{reverse("site-map")}"[^>]*>Plan du site</a>', footer)


@override_settings(
    SITE_OWNER="Région Exemple", ACCESSIBILITY_CONTACT_EMAIL="accessibilite@region.example"
)
def test_accessibility_statement(client, db):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    page = outline(response)
    assert page.headings[0] == [1, "Déclaration d’accessibilité"]
    assert [text for level, text in page.headings if level == 2] == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
    ]
    assert "Région Exemple s’engage à rendre son site internet accessible" in html
    assert f"est non conforme avec le RGAA {RGAA_VERSION}" in html
    assert "n’a pas encore fait l’objet d’un audit" in html
    assert "mailto:accessibilite@region.example" in page.links
    # Voies de recours: the Défenseur des droits, by form, phone and free post.
    assert "https://formulaire.defenseurdesdroits.fr/" in page.links
    assert "tel:+33969390000" in page.links
    assert "Libre réponse 71120" in html and "75342 Paris CEDEX 07" in html


@override_settings(ACCESSIBILITY_CONTACT_EMAIL="")
def test_accessibility_statement_without_a_contact_says_so(client, db):
    html = client.get(reverse("accessibility")).content.decode()
    assert "mailto:" not in html
    assert "Aucune adresse de contact n’est encore configurée" in html


def test_site_map_links_all_answer(client, site):
    page = outline(client.get(reverse("site-map")))
    internal = [link for link in page.links if link.startswith("/")]
    # Every public page and open-data feed, each kind of place.
    for name in (
        "home",
        "hubs:list",
        "events:agenda",
        "funding:dashboard",
        "embed",
        "accessibility",
        "site-map",
        "api:hubs-geojson",
        "api:hubs-csv",
        "api:events-ics",
        "api:events-geojson",
        "api:funding-csv",
    ):
        assert reverse(name) in internal, name
    assert "/hubs/?kind=fablab" in internal
    for link in set(internal):
        response = client.get(link, follow=True)
        assert response.status_code == 200, link


def test_axe_core_is_for_the_tests_only():
    """The vendored axe-core is added to pages by the browser tests; no template loads it."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        assert "vendor/axe-core" not in template.read_text(), template


def test_server_error_page_stands_alone(rf):
    """Django renders 500.html without context or database: it must say what happened,
    in the visitor's language, with one h1 and a way back."""
    from django.utils import translation
    from django.views.defaults import server_error

    response = server_error(rf.get("/hubs/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert page.count("<h1>") == 1
    assert "Le site a rencontré une erreur" in page
    assert '<a href="/">Retour à la carte des lieux</a>' in page
    with translation.override("en"):
        english = server_error(rf.get("/hubs/")).content.decode()
    assert '<html lang="en">' in english
    assert "Le site a rencontré une erreur" not in english


def test_admin_login_page_has_one_h1(client):
    page = client.get("/admin/login/").content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Connexion au back-office"]
    assert 'name="username"' in page  # still Django's login form
