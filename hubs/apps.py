from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Lieux numériques")

    def ready(self):
        from . import signals  # noqa: F401
