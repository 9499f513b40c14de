from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig


class DirectoryAdminConfig(SimpleAdminConfig):
    """The admin, registering the ``admin`` modules of our own apps only.

    Plain autodiscovery would import ``leaflet.admin``, which needs the GDAL
    library (GeoDjango). We do not use GeoDjango: coordinates are two floats.
    """

    default_site = "backoffice.sites.DirectoryAdminSite"
    skipped_apps = {"leaflet"}

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.label in self.skipped_apps:
                continue
            module = f"{app_config.name}.admin"
            if find_spec(module) is None:
                continue
            import_module(module)
