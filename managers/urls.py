"""The managers' area, outside the back-office: /gestion/…"""

from django.urls import path

from . import views

app_name = "managers"

urlpatterns = [
    path("", views.index, name="index"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path(
        "mot-de-passe/",
        views.manager_login_required(views.PasswordChangeView.as_view()),
        name="password",
    ),
    path("lieux/<slug:slug>/", views.hub_edit, name="hub"),
    path("lieux/<slug:slug>/evenements/nouveau/", views.event_edit, name="event_create"),
    path("lieux/<slug:slug>/evenements/<int:pk>/", views.event_edit, name="event_edit"),
    path("lieux/<slug:slug>/photos/<int:pk>/retirer/", views.photo_remove, name="photo_remove"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
