from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from hubs import views as hub_views

admin.site.site_header = "Lieux numériques — administration"
admin.site.site_title = "Lieux numériques"
admin.site.index_title = "Back-office des territoires"

urlpatterns = [
    path("", hub_views.home, name="home"),
    path("hubs/", include("hubs.urls")),
    path("events/", include("events.urls")),
    path("funding/", include("funding.urls")),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
