"""The site-wide pages and endpoints, at the root of the site (names without a namespace)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from . import views
from .health import healthz
from .i18n import javascript_catalog
from .robots import robots_txt
from .sitemaps import SITEMAPS
from .wellknown import security_txt

#: Sitemaps change when a hub or an event does: crawlers may keep them an hour.
SITEMAP_CACHE = cache_control(max_age=3600, public=True)

urlpatterns = [
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("plan-du-site/", views.site_map, name="site-map"),
    # Scripts load their translations from one cacheable URL per language.
    path("jsi18n/<str:language>.js", javascript_catalog, name="javascript-catalog"),
    path("healthz", healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    # For search engines: an index of one sitemap per section, split past 50,000 URLs.
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        SITEMAP_CACHE(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        SITEMAP_CACHE(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
