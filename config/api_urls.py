"""Version 1 of the public API: stable URLs other sites and scripts rely on.

Every view here is read-only and open to every origin (``web.api.public_cors``);
``/api/v1/openapi.json`` describes them all (``config/openapi.py``, kept in step
by the tests) and ``/api/v1/`` prints that description.
"""

from django.urls import path

from events import views as event_views
from funding import views as funding_views
from hubs import views as hub_views
from territories import views as territory_views
from web.api import public_cors

from . import api_views

app_name = "api"


def api_path(route, view, name):
    return path(route, public_cors(view), name=name)


urlpatterns = [
    api_path("", api_views.documentation, name="documentation"),
    api_path("openapi.json", api_views.openapi_json, name="openapi"),
    api_path("hubs.geojson", hub_views.hubs_geojson, name="hubs-geojson"),
    api_path("hubs.csv", hub_views.hubs_csv, name="hubs-csv"),
    api_path("hubs/<int:pk>.json", hub_views.hub_json, name="hub-json"),
    api_path("lieux-mediation-numerique.csv", hub_views.national_csv, name="national-csv"),
    api_path("lieux-mediation-numerique.json", hub_views.national_json, name="national-json"),
    api_path("events.ics", event_views.events_ics, name="events-ics"),
    api_path("events.geojson", event_views.events_geojson, name="events-geojson"),
    api_path("funding.csv", funding_views.funding_csv, name="funding-csv"),
    api_path("funding.xlsx", funding_views.funding_xlsx, name="funding-xlsx"),
    api_path(
        "territories/autocomplete",
        territory_views.territories_autocomplete,
        name="territories-autocomplete",
    ),
]
