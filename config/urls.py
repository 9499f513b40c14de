from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from events import views as event_views
from hubs import views as hub_views

admin.site.site_header = _("Lieux numériques — administration")
admin.site.site_title = _("Lieux numériques")
admin.site.index_title = _("Back-office des territoires")

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("embed/", hub_views.embed, name="embed"),
    # A hub's agenda: the events app answers it, at the hub's address.
    path("hubs/<slug:slug>/events.ics", event_views.hub_events_ics, name="hub-events-ics"),
    # « Signaler une erreur » and « Proposer un lieu »: hubs/<slug>/signaler/…
    path("", include("reports.urls")),
    path("hubs/", include("hubs.urls")),
    path("events/", include("events.urls")),
    path("funding/", include("funding.urls")),
    # Hub managers' area, outside the back-office (managers/views.py).
    path("gestion/", include("managers.urls")),
    path("api/v1/", include("config.api_urls")),
    # The language switcher posts to set_language (i18n/setlang/).
    path("i18n/", include("django.conf.urls.i18n")),
    # Accessibility statement, site map, health check, JS catalogs, security.txt.
    path("", include("pages.urls")),
    path("admin/geocode/", include("hubs.admin_views")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Uploaded photos, served by Django for development and the browser tests
    # only; in production the web server (or object storage) serves MEDIA_URL.
    from django.urls import re_path
    from django.views.static import serve

    def serve_media(request, path):
        # MEDIA_ROOT read at each request: tests point it at a temporary folder.
        return serve(request, path, document_root=settings.MEDIA_ROOT)

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]
