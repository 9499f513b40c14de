"""The residents' forms, at the addresses of what they are about (included at the root)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("hubs/<slug:slug>/signaler/", views.report_hub, name="hub"),
    path("events/<slug:slug>/signaler/", views.report_event, name="event"),
    path("proposer-un-lieu/", views.suggest_place, name="suggest"),
    path("signalement-envoye/", views.thanks, name="thanks"),
]
