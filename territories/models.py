"""French administrative territories, keyed by their official codes.

Régions and départements by INSEE code, EPCI (groupings of communes:
métropoles, communautés urbaines, d'agglomération, de communes) by SIREN,
communes by INSEE code. Loaded from ``territories/data/france.json.gz`` by
``manage.py load_territories``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .geo import haversine_km
from .text import normalize


class TerritoryQuerySet(models.QuerySet):
    def search(self, text: str):
        """Names starting with ``text``, accents and case ignored."""
        needle = normalize(text)
        if not needle:
            return self.none()
        return self.filter(search_name__startswith=needle)


class Territory(models.Model):
    """Fields shared by every level."""

    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)


class Region(Territory):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)

    class Meta(Territory.Meta):
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    @property
    def filter_code(self) -> str:
        return f"region:{self.code}"


class Departement(Territory):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departements"
    )

    class Meta(Territory.Meta):
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def filter_code(self) -> str:
        return f"dep:{self.code}"


class EPCI(Territory):
    """A grouping of communes with its own taxation (métropole, CU, CA, CC)."""

    class Kind(models.TextChoices):
        METROPOLE = "METRO", _("métropole")
        METROPOLE_LYON = "MET69", _("Métropole de Lyon")
        COMMUNAUTE_URBAINE = "CU", _("communauté urbaine")
        AGGLOMERATION = "CA", _("communauté d'agglomération")
        COMMUNES = "CC", _("communauté de communes")

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    kind = models.CharField(_("nature"), max_length=5, choices=Kind.choices)

    class Meta(Territory.Meta):
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    @property
    def code(self) -> str:
        return self.siren

    @property
    def filter_code(self) -> str:
        return f"epci:{self.siren}"


#: A point farther than this from its commune's reference point is refused
#: (imports, admin forms): a typo in a coordinate, or a record placed elsewhere.
MAX_DISTANCE_KM = 50
#: Départements whose communes are too large for that rule (Guyane: Maripasoula
#: alone is 18,000 km²).
MAX_DISTANCE_KM_BY_DEPARTEMENT = {"973": 200}


class Commune(Territory):
    insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    epci = models.ForeignKey(
        EPCI,
        verbose_name=_("EPCI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
    )
    # Space-separated and space-framed (" 59600 59610 ") so that a postcode
    # prefix search is a plain ``contains(" 596")`` on both databases.
    postcodes = models.CharField(_("codes postaux"), max_length=400, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta(Territory.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(fields=["-population"], name="commune_population_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="commune_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="commune_longitude_range",
            ),
        ]

    def __str__(self):
        postcode = self.main_postcode
        return f"{self.name} ({postcode})" if postcode else self.name

    @property
    def code(self) -> str:
        return self.insee

    @property
    def filter_code(self) -> str:
        return f"commune:{self.insee}"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()

    @property
    def main_postcode(self) -> str:
        codes = self.postcode_list
        return codes[0] if codes else ""

    @property
    def max_distance_km(self) -> float:
        """How far from the reference point a place of this commune may be."""
        return MAX_DISTANCE_KM_BY_DEPARTEMENT.get(self.departement_id, MAX_DISTANCE_KM)

    def distance_km(self, latitude: float, longitude: float) -> float | None:
        """From the commune's reference point to (latitude, longitude); None if it has none."""
        if self.latitude is None or self.longitude is None:
            return None
        return haversine_km(latitude, longitude, self.latitude, self.longitude)

    def far_from(self, latitude, longitude) -> float | None:
        """The distance in km when (latitude, longitude) is too far to be in the commune."""
        if latitude is None or longitude is None:
            return None
        km = self.distance_km(latitude, longitude)
        return km if km is not None and km > self.max_distance_km else None

    @staticmethod
    def pack_postcodes(codes) -> str:
        codes = sorted(set(codes))
        return f" {' '.join(codes)} " if codes else ""


def far_from_commune_error(commune: Commune, km: float) -> ValidationError:
    """The form error of a point ``km`` away from ``commune`` (see ``Commune.far_from``)."""
    return ValidationError(
        _(
            "Cette position est à %(km)s km de %(commune)s : placez le point dans la commune "
            "(à moins de %(max)s km de son centre), ou choisissez la bonne commune."
        ),
        code="far_from_commune",
        params={
            "km": number_format(round(km), force_grouping=True),  # « 16 821 »
            "commune": commune.name,
            "max": f"{commune.max_distance_km:.0f}",
        },
    )
