"""Link previews and canonical addresses: the OpenGraph and Twitter card tags of the
hub, event, map and dashboard pages, and ``<link rel="canonical">`` everywhere."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from hubs.models import Hub, HubPhoto
from tests import factories

pytestmark = pytest.mark.django_db

DEFAULT_IMAGE = Path(settings.BASE_DIR) / "static" / "img" / "share-default.png"
SITE_DESCRIPTION = (
    "Fablabs, pépinières, coworkings, écoles du numérique et tiers-lieux de la région, "
    "sur une carte."
)


class _Head(HTMLParser):
    """The ``<meta property|name>`` and ``<link rel=canonical>`` of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href"))


def _head(response) -> _Head:
    assert response.status_code == 200
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def _one(head: _Head, key: str) -> str:
    values = head.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


def _assert_default_image(head: _Head):
    image = _one(head, "og:image")
    assert image.startswith("http://testserver/static/img/share-default") and image.endswith(".png")
    assert (_one(head, "og:image:width"), _one(head, "og:image:height")) == ("1200", "630")
    assert _one(head, "og:image:alt") == str(settings.SITE_NAME)


@pytest.fixture
def hub():
    return factories.hub(
        name='Le « Lab » "des Dentelles" & co',
        slug="lab-des-dentelles",
        summary="Un fablab ouvert à tous, au cœur de Valenciennes.",
    )


def _photo(hub, name, position, **fields):
    return HubPhoto.objects.create(
        hub=hub,
        image=f"hubs/photos/2026/{name}",
        alt_text=f"Photo {name}",
        position=position,
        **fields,
    )


def test_hub_page_without_photo_shares_its_name_summary_and_the_default_image(client, hub):
    head = _head(client.get("/hubs/lab-des-dentelles/"))
    assert _one(head, "og:title") == 'Le « Lab » "des Dentelles" & co — Valenciennes'
    assert _one(head, "og:description") == "Un fablab ouvert à tous, au cœur de Valenciennes."
    assert _one(head, "og:url") == "http://testserver/hubs/lab-des-dentelles/"
    assert head.canonical == ["http://testserver/hubs/lab-des-dentelles/"]
    assert _one(head, "og:type") == "website"
    assert _one(head, "og:site_name") == str(settings.SITE_NAME)
    assert _one(head, "og:locale") == "fr_FR"
    assert _one(head, "twitter:card") == "summary_large_image"
    _assert_default_image(head)


def test_hub_page_shares_its_first_photo(client, hub):
    _photo(hub, "second.jpg", position=2, width=800, height=600)
    _photo(hub, "first.jpg", position=1, width=1600, height=900)
    head = _head(client.get("/hubs/lab-des-dentelles/"))
    assert _one(head, "og:image") == "http://testserver/media/hubs/photos/2026/first.jpg"
    assert (_one(head, "og:image:width"), _one(head, "og:image:height")) == ("1600", "900")
    assert _one(head, "og:image:alt") == "Photo first.jpg"
    assert _one(head, "twitter:image:alt") == "Photo first.jpg"


def test_a_photo_of_unknown_size_is_shared_without_dimensions(client, hub):
    _photo(hub, "old.jpg", position=0)
    head = _head(client.get("/hubs/lab-des-dentelles/"))
    assert _one(head, "og:image").endswith("/media/hubs/photos/2026/old.jpg")
    assert "og:image:width" not in head.meta and "og:image:height" not in head.meta


def test_a_hub_without_summary_shares_the_sites_description(client):
    factories.hub(slug="sans-resume", summary="")
    head = _head(client.get("/hubs/sans-resume/"))
    assert _one(head, "og:description") == SITE_DESCRIPTION


def test_canonical_address_drops_tracking_and_filters(client, hub):
    head = _head(client.get("/hubs/lab-des-dentelles/", {"utm_source": "news", "fbclid": "x"}))
    assert head.canonical == ["http://testserver/hubs/lab-des-dentelles/"]
    head = _head(client.get("/", {"kind": "fablab", "utm_campaign": "x"}))
    assert head.canonical == ["http://testserver/"]
    assert _one(head, "og:url") == "http://testserver/"


def test_a_later_page_of_a_list_is_its_own_canonical_page(client, settings):
    settings.HUBS_PER_PAGE = 1
    factories.hub(slug="premier")
    factories.hub(slug="second")
    assert _head(client.get("/hubs/", {"page": "2", "kind": "fablab"})).canonical == [
        "http://testserver/hubs/?page=2"
    ]
    # The page served is what counts, not the text asked for.
    for page in ["1", "abc", "<script>"]:
        assert _head(client.get("/hubs/", {"page": page})).canonical == ["http://testserver/hubs/"]


def test_event_page_shares_its_title_and_its_hubs_photo(client, hub):
    event = factories.event("Atelier impression 3D", hub=hub, slug="atelier-3d", summary="Venez.")
    head = _head(client.get(event.get_absolute_url()))
    assert _one(head, "og:title").startswith("Atelier impression 3D — ")
    assert _one(head, "og:description") == "Venez."
    assert head.canonical == ["http://testserver/events/atelier-3d/"]
    _assert_default_image(head)  # the hub has no photo yet
    _photo(hub, "atelier.jpg", position=0, width=1200, height=800)
    head = _head(client.get(event.get_absolute_url()))
    assert _one(head, "og:image") == "http://testserver/media/hubs/photos/2026/atelier.jpg"


def test_event_page_never_shares_a_draft_hubs_photo(client):
    draft = factories.hub(slug="brouillon", publication=Hub.Publication.DRAFT)
    _photo(draft, "secret.jpg", position=0)
    event = factories.event("Forum", hub=draft, slug="forum")
    head = _head(client.get(event.get_absolute_url()))
    _assert_default_image(head)


def test_map_page_shares_the_site(client, hub):
    head = _head(client.get("/"))
    assert _one(head, "og:title") == str(settings.SITE_NAME)
    assert _one(head, "og:description") == SITE_DESCRIPTION
    _assert_default_image(head)


def test_funding_dashboard_shares_its_own_title(client, hub):
    head = _head(client.get("/funding/"))
    assert _one(head, "og:title") == "Financements des lieux numériques"
    assert _one(head, "og:description").startswith("Combien l'Europe, l'État, la Région")
    assert head.canonical == ["http://testserver/funding/"]
    _assert_default_image(head)


def test_english_pages_say_their_locale(client, hub):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    head = _head(client.get("/hubs/lab-des-dentelles/"))
    assert _one(head, "og:locale") == "en_GB"


def test_absolute_urls_follow_the_requests_host_and_scheme(client, hub, settings):
    settings.ALLOWED_HOSTS = ["lieux.example.org"]
    head = _head(
        client.get("/hubs/lab-des-dentelles/", headers={"host": "lieux.example.org"}, secure=True)
    )
    assert head.canonical == ["https://lieux.example.org/hubs/lab-des-dentelles/"]
    assert _one(head, "og:image").startswith("https://lieux.example.org/static/")


def test_the_default_image_is_a_static_file_of_1200_by_630():
    path = finders.find("img/share-default.png")
    assert path and Path(path) == DEFAULT_IMAGE
    with Image.open(DEFAULT_IMAGE) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_a_missing_page_names_no_canonical_address(client):
    response = client.get("/hubs/nulle-part/")
    assert response.status_code == 404
    parser = _Head()
    parser.feed(response.content.decode())
    assert parser.canonical == [] and "og:url" not in parser.meta
    assert "og:title" in parser.meta  # the site's own preview still
