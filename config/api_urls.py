"""Version 1 of the public API: stable URLs other sites and scripts rely on."""

from django.urls import path

from events import views as event_views
from funding import views as funding_views
from hubs import views as hub_views
from territories import views as territory_views

app_name = "api"

urlpatterns = [
    path("hubs.geojson", hub_views.hubs_geojson, name="hubs-geojson"),
    path("hubs.csv", hub_views.hubs_csv, name="hubs-csv"),
    path("hubs/<int:pk>.json", hub_views.hub_json, name="hub-json"),
    path("lieux-mediation-numerique.csv", hub_views.national_csv, name="national-csv"),
    path("lieux-mediation-numerique.json", hub_views.national_json, name="national-json"),
    path("events.ics", event_views.events_ics, name="events-ics"),
    path("events.geojson", event_views.events_geojson, name="events-geojson"),
    path("funding.csv", funding_views.funding_csv, name="funding-csv"),
    path("funding.xlsx", funding_views.funding_xlsx, name="funding-xlsx"),
    path(
        "territories/autocomplete",
        territory_views.territories_autocomplete,
        name="territories-autocomplete",
    ),
]
