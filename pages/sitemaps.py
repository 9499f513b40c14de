"""``/sitemap.xml``: the site's pages for search engines (``django.contrib.sitemaps``).

``/sitemap.xml`` is an index naming one sitemap per section (``sitemap-hubs.xml``,
``sitemap-events.xml``, ``sitemap-pages.xml``); a section past ``limit`` URLs is
split into pages (``sitemap-hubs.xml?p=2``), each listed by the index, as the
protocol asks (50,000 URLs a file at most).

Only what the public may see: the published hubs and events, picked by the same
selectors as the pages and the API. URLs are absolute, on the host and scheme the
request came in on (``django.contrib.sites`` is not installed: Django then uses
the request's host, checked against ``ALLOWED_HOSTS``).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from events import selectors as event_selectors
from hubs import selectors as hub_selectors

#: URLs per sitemap file: the protocol's maximum (sitemaps.org).
SITEMAP_LIMIT = 50_000


class RecordSitemap(Sitemap):
    """Published records with a page of their own, by primary key (a stable order for
    the pages of a split section), each dated by its last change."""

    limit = SITEMAP_LIMIT

    def public(self):
        raise NotImplementedError

    def items(self):
        # Only what the URL and the date need: narrow rows, however many there are.
        return self.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # The index dates each section; Django's default would load every row for it.
        return self.public().aggregate(last=Max("updated_at"))["last"]


class HubSitemap(RecordSitemap):
    def public(self):
        return hub_selectors.public_hubs()


class EventSitemap(RecordSitemap):
    def public(self):
        return event_selectors.public_events()


class PageSitemap(Sitemap):
    """The site's own pages: the map, the lists, the funding dashboard, the statements."""

    limit = SITEMAP_LIMIT
    url_names = [
        "home",
        "hubs:list",
        "events:agenda",
        "funding:dashboard",
        "accessibility",
        "site-map",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


SITEMAPS = {"hubs": HubSitemap, "events": EventSitemap, "pages": PageSitemap}
