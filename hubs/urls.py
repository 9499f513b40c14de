from django.urls import path

from events import views as event_views

from . import views

app_name = "hubs"

urlpatterns = [
    path("", views.hub_list, name="list"),
    path("<slug:slug>/events.ics", event_views.hub_events_ics, name="events-ics"),
    path("<slug:slug>/", views.hub_detail, name="detail"),
]
