from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManagersConfig(AppConfig):
    name = "managers"
    verbose_name = _("Gestionnaires des lieux")

    def ready(self):
        # The freshness loop (hubs/freshness.py) asks a hub's managers first and
        # links them to their own form: hubs sits below this app, so it is told here.
        from hubs import freshness

        from . import selectors

        freshness.register_managers(selectors.managers_of, selectors.edit_path)
