from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from config.wellknown import security_txt
from hubs import views as hub_views

admin.site.site_header = "Lieux numériques — administration"
admin.site.site_title = "Lieux numériques"
admin.site.index_title = "Back-office des territoires"

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("embed/", hub_views.embed, name="embed"),
    path("hubs/", include("hubs.urls")),
    path("events/", include("events.urls")),
    path("funding/", include("funding.urls")),
    path("api/v1/", include("config.api_urls")),
    path("healthz", healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
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
