"""Version 1 of the public API: stable URLs other sites and scripts rely on."""

from django.urls import path

from hubs import views as hub_views
from territories import views as territory_views

app_name = "api"

urlpatterns = [
    path("hubs.geojson", hub_views.hubs_geojson, name="hubs-geojson"),
    path("hubs.csv", hub_views.hubs_csv, name="hubs-csv"),
    path(
        "territories/autocomplete",
        territory_views.territories_autocomplete,
        name="territories-autocomplete",
    ),
]
