"""The site-wide pages and endpoints, at the root of the site (names without a namespace)."""

from django.urls import path

from . import views
from .health import healthz
from .i18n import javascript_catalog
from .wellknown import security_txt

urlpatterns = [
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("plan-du-site/", views.site_map, name="site-map"),
    # Scripts load their translations from one cacheable URL per language.
    path("jsi18n/<str:language>.js", javascript_catalog, name="javascript-catalog"),
    path("healthz", healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
]
