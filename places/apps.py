from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """What hubs and events share as located, publishable, searchable records.

    No tables of its own: an abstract model, a queryset mixin and a FilterSet.
    """

    name = "places"
    verbose_name = _("Lieux et événements : socle commun")
