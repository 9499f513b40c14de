"""Who may do what in the back-office: the territories given to each staff account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from territories.models import EPCI, Departement, Region


class TerritoryScope(models.Model):
    """One territory (EPCI, département or région) whose records a staff member edits.

    A staff member without scopes and without the ``all_territories``
    permission sees no hub, operation or event in the admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="territory_scopes",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.CASCADE, null=True, blank=True
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    epci = models.ForeignKey(
        EPCI, verbose_name=_("EPCI"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        verbose_name = _("territoire attribué")
        verbose_name_plural = _("territoires attribués")
        permissions = [("all_territories", _("Peut voir et modifier tous les territoires"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, departement__isnull=True, epci__isnull=True)
                    | models.Q(region__isnull=True, departement__isnull=False, epci__isnull=True)
                    | models.Q(region__isnull=True, departement__isnull=True, epci__isnull=False)
                ),
                name="territoryscope_exactly_one_level",
            ),
            models.UniqueConstraint(fields=["user", "region"], name="territoryscope_unique_region"),
            models.UniqueConstraint(
                fields=["user", "departement"], name="territoryscope_unique_departement"
            ),
            models.UniqueConstraint(fields=["user", "epci"], name="territoryscope_unique_epci"),
        ]

    def __str__(self):
        return str(self.territory)

    @property
    def territory(self):
        return self.epci or self.departement or self.region
