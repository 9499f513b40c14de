from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="backoffice_roles")
