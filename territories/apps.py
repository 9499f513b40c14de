from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = _("Territoires")

    def ready(self):
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="territories_roles")
