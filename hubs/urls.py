from django.urls import path

from . import freshness_views, views

app_name = "hubs"

urlpatterns = [
    path("", views.hub_list, name="list"),
    # The result cards of a page of the selection, for the map page's list.
    path("cards/", views.hub_cards, name="cards"),
    # The « toujours exact » link of the reminders (a signed token, no slash in it).
    path("fiche-exacte/<str:token>/", freshness_views.confirm_hub, name="confirm"),
    path("<slug:slug>/", views.hub_detail, name="detail"),
]
