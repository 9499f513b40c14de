"""``/sitemap.xml``: an index of sections (hubs, events, pages), each valid XML in the
sitemap namespace, listing every published hub and event and nothing else."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from events.models import Event
from hubs.models import Hub
from pages.sitemaps import SITEMAP_LIMIT, HubSitemap
from tests import factories

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _xml(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/xml")
    # Our own response, not untrusted input; fromstring raises on malformed XML.
    return ET.fromstring(response.content)  # noqa: S314


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "testserver"), url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _section_urls(client) -> list[str]:
    """The sitemaps the index names (paths and query strings)."""
    root = _xml(client.get("/sitemap.xml"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [_path_and_query(loc.text) for loc in root.findall("sm:sitemap/sm:loc", NS)]


def _listed(client) -> list[str]:
    """Every URL of every sitemap the index names, following the index as a crawler does."""
    paths = []
    for section in _section_urls(client):
        root = _xml(client.get(section))
        assert root.tag == f"{{{NS['sm']}}}urlset"
        paths += [_path_and_query(loc.text) for loc in root.findall("sm:url/sm:loc", NS)]
    return paths


@pytest.fixture
def records():
    published = [factories.hub(slug="fablab-publie"), factories.hub(slug="coworking-publie")]
    draft = factories.hub(slug="brouillon", publication=Hub.Publication.DRAFT)
    archived = factories.hub(slug="archive", publication=Hub.Publication.ARCHIVED)
    events = [
        factories.event("Atelier", hub=published[0], slug="atelier-publie"),
        # An event at a draft hub is public all the same (its hub is not shown).
        factories.event("Forum", hub=draft, slug="forum-publie"),
    ]
    draft_event = factories.event(
        "Brouillon",
        hub=published[0],
        slug="evenement-brouillon",
        publication=Event.Publication.DRAFT,
    )
    return {
        "published": published,
        "hidden": [draft, archived],
        "events": events,
        "draft_event": draft_event,
    }


def test_the_index_names_one_sitemap_per_section(client, records):
    assert _section_urls(client) == [
        "/sitemap-hubs.xml",
        "/sitemap-events.xml",
        "/sitemap-pages.xml",
    ]


def test_every_published_hub_and_event_is_listed_and_nothing_else(client, records):
    listed = _listed(client)
    for hub in records["published"]:
        assert listed.count(hub.get_absolute_url()) == 1
    for event in records["events"]:
        assert listed.count(event.get_absolute_url()) == 1
    for hub in records["hidden"]:
        assert hub.get_absolute_url() not in listed
    assert records["draft_event"].get_absolute_url() not in listed
    for page in ["/", "/hubs/", "/events/", "/funding/", "/accessibilite/", "/plan-du-site/"]:
        assert page in listed


def test_urls_are_absolute_on_the_requests_host_and_scheme(client, records, settings):
    settings.ALLOWED_HOSTS = ["lieux.example.org"]
    response = client.get("/sitemap-hubs.xml", headers={"host": "lieux.example.org"}, secure=True)
    locs = [loc.text for loc in _xml(response).findall("sm:url/sm:loc", NS)]
    assert locs and all(loc.startswith("https://lieux.example.org/hubs/") for loc in locs)
    index = _xml(client.get("/sitemap.xml", headers={"host": "lieux.example.org"}, secure=True))
    first = index.find("sm:sitemap/sm:loc", NS).text
    assert first == "https://lieux.example.org/sitemap-hubs.xml"


def test_hubs_and_events_carry_their_last_change(client, records):
    hub, other = records["published"]
    Hub.objects.filter(pk=hub.pk).update(updated_at="2026-03-04T05:06:07Z")
    Hub.objects.filter(pk=other.pk).update(updated_at="2026-01-02T03:04:05Z")
    # A hidden hub's change is nobody's business: it does not date the section.
    Hub.objects.filter(pk=records["hidden"][0].pk).update(updated_at="2030-01-01T00:00:00Z")
    root = _xml(client.get("/sitemap-hubs.xml"))
    dates = {
        _path_and_query(url.find("sm:loc", NS).text): url.find("sm:lastmod", NS).text
        for url in root.findall("sm:url", NS)
    }
    assert dates[hub.get_absolute_url()] == "2026-03-04"
    assert dates[other.get_absolute_url()] == "2026-01-02"
    # The index dates each section by its newest change (the pages have none).
    index = _xml(client.get("/sitemap.xml"))
    lastmods = {
        _path_and_query(node.find("sm:loc", NS).text): node.find("sm:lastmod", NS)
        for node in index.findall("sm:sitemap", NS)
    }
    newest = datetime.datetime.fromisoformat(lastmods["/sitemap-hubs.xml"].text)
    assert newest == datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    assert lastmods["/sitemap-events.xml"] is not None
    assert lastmods["/sitemap-pages.xml"] is None


def test_a_section_splits_past_its_limit_and_the_index_names_each_part(
    client, records, monkeypatch
):
    assert SITEMAP_LIMIT == 50_000  # what the protocol allows in one file
    factories.hub(slug="troisieme-lieu")
    monkeypatch.setattr(HubSitemap, "limit", 2)
    sections = _section_urls(client)
    assert sections[:2] == ["/sitemap-hubs.xml", "/sitemap-hubs.xml?p=2"]
    first = _xml(client.get("/sitemap-hubs.xml")).findall("sm:url", NS)
    second = _xml(client.get("/sitemap-hubs.xml?p=2")).findall("sm:url", NS)
    assert (len(first), len(second)) == (2, 1)
    listed = _listed(client)
    for slug in ["fablab-publie", "coworking-publie", "troisieme-lieu"]:
        assert listed.count(f"/hubs/{slug}/") == 1
    assert client.get("/sitemap-hubs.xml?p=3").status_code == 404


@pytest.mark.parametrize("url", ["/sitemap-nope.xml", "/sitemap-hubs.xml?p=x"])
def test_an_unknown_section_or_page_is_a_404(client, records, url):
    assert client.get(url).status_code == 404


def test_sitemaps_may_be_cached(client, records):
    for url in ["/sitemap.xml", "/sitemap-hubs.xml"]:
        assert "max-age=3600" in client.get(url)["Cache-Control"]


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/sitemap-hubs.xml", "/sitemap-events.xml", "/sitemap-pages.xml"]
)
def test_query_count_does_not_grow_with_the_records(
    client, records, django_assert_max_num_queries, url
):
    for number in range(20):
        hub = factories.hub(slug=f"lieu-en-plus-{number}")
        factories.event(f"Atelier {number}", hub=hub, slug=f"atelier-en-plus-{number}")
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
