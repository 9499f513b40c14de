"""Digital hubs: fablabs, pépinières, coworking spaces, coding schools…"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from places.models import Place, Publication
from territories.models import far_from_commune_error
from web.fields import URLField

from . import hours
from .choices import (
    ChoiceListValidator,
    Itinerance,
    NationalProgramme,
    Service,
    SpecificSupport,
    SupportMode,
)
from .querysets import HubQuerySet
from .siret import format_siret, validate_siret


def validate_acceslibre_url(value):
    """A record of acceslibre, the public accessibility database (beta.gouv.fr)."""
    if value and not re.match(r"^https://acceslibre\.beta\.gouv\.fr/", value):
        raise ValidationError(
            _("Indiquez l'adresse d'une fiche acceslibre (https://acceslibre.beta.gouv.fr/…)."),
            code="acceslibre_url",
        )


def last_known_exact(updated_at, confirmed_at):
    """When a listing was last known exact: its last update, or its « toujours exact »
    confirmation when that came later (``Hub.checked_at``; the national export reads
    the two columns with ``values()`` and asks here too, so both always agree)."""
    if confirmed_at and confirmed_at > updated_at:
        return confirmed_at
    return updated_at


#: What the SIRET check (hubs/sirene.py) found of a hub's SIRET: forgotten when it changes.
SIRET_FINDING_FIELDS = ("siret_status", "siret_checked_at", "siret_closed_on")


class Vocabulary(models.Model):
    """A small reference list edited in the admin (kinds, equipment…)."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the visitor's language: a seeded name is in the catalog
        (``hubs/vocabularies.py``); a renamed or new entry is shown as typed."""
        return gettext(self.name) if self.name else ""


def contrast_with_white(color: str) -> float:
    """WCAG 2.1 contrast ratio between white and ``color`` (#rrggbb)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


#: White text on a kind's badge is small text: WCAG AA asks 4.5:1 (RGAA 3.2).
MIN_BADGE_CONTRAST = 4.5


def validate_badge_color(value: str) -> None:
    """A colour written #rrggbb, dark enough for the white text of the kind's badge."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError(_("Écrivez la couleur sous la forme #rrggbb, par exemple #1d4ed8."))
    ratio = contrast_with_white(value)
    if ratio < MIN_BADGE_CONTRAST:
        raise ValidationError(
            _(
                "Couleur trop claire : le texte blanc des pastilles n’y serait pas lisible "
                "(contraste %(ratio)s:1, il faut au moins 4,5:1). Choisissez une teinte plus foncée."
            ),
            params={"ratio": number_format(ratio, 1)},
        )


class HubKind(Vocabulary):
    description = models.CharField(_("description"), max_length=250, blank=True)
    color = models.CharField(
        _("couleur"),
        max_length=7,
        default="#1d4ed8",
        validators=[validate_badge_color],
        help_text=_(
            "Couleur de la pastille sur la carte et des étiquettes (#rrggbb), assez foncée "
            "pour un texte blanc."
        ),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("type de lieu")
        verbose_name_plural = _("types de lieu")


class Equipment(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("équipement ou service")
        verbose_name_plural = _("équipements et services")


class Audience(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")


class Label(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("label ou réseau")
        verbose_name_plural = _("labels et réseaux")


#: Paths under /hubs/ that are not hub pages (hubs/urls.py): a hub cannot take them.
RESERVED_SLUGS = frozenset({"cards", "fiche-exacte"})


class Hub(Place):
    """A digital hub. Its commune, point, publication state, search text and
    timestamps come from ``places.models.Place``."""

    class Status(models.TextChoices):
        PROJECT = "project", _("en projet")
        OPEN = "open", _("ouvert")
        CLOSED = "closed", _("fermé")

    class OperatorKind(models.TextChoices):
        ASSOCIATION = "association", _("association")
        EPCI = "epci", _("intercommunalité")
        COMMUNE = "commune", _("commune")
        DEPARTEMENT = "departement", _("département")
        REGION = "region", _("région")
        STATE = "state", _("État")
        CHAMBER = "chamber", _("chambre consulaire (CCI, CMA)")
        UNIVERSITY = "university", _("université ou école")
        COMPANY = "company", _("entreprise")
        OTHER = "other", _("autre")

    class Fees(models.TextChoices):
        FREE = "free", _("gratuit")
        CONDITIONAL = "conditional", _("gratuit sous condition")
        PAID = "paid", _("payant")

    class AccessMode(models.TextChoices):
        WALK_IN = "walk_in", _("sans rendez-vous : présentez-vous")
        PHONE = "phone", _("sur rendez-vous par téléphone")
        EMAIL = "email", _("sur rendez-vous par courriel")
        ONLINE = "online", _("rendez-vous en ligne")
        REFERRAL = "referral", _("sur orientation d'un travailleur social")
        NO_PUBLIC = "no_public", _("n'accueille pas de public")

    class Wheelchair(models.TextChoices):
        YES = "yes", _("accessible")
        LIMITED = "limited", _("partiellement accessible")
        NO = "no", _("non accessible")

    class SiretStatus(models.TextChoices):
        """What the company directory said of the SIRET (hubs/sirene.py); blank: never asked."""

        ACTIVE = "active", _("établissement actif")
        CLOSED = "closed", _("établissement fermé")
        NOT_FOUND = "not_found", _("SIRET introuvable")
        UNKNOWN = "unknown", _("état inconnu")

    # The national schema's lists (hubs/choices.py), here for ``Hub.Service.…``.
    Itinerance = Itinerance
    Service = Service
    SupportMode = SupportMode
    SpecificSupport = SpecificSupport
    NationalProgramme = NationalProgramme

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse de la page"), max_length=200, unique=True)
    kinds = models.ManyToManyField(HubKind, verbose_name=_("types"), related_name="hubs")
    summary = models.CharField(
        _("résumé"), max_length=300, help_text=_("Une ou deux phrases, montrées dans les listes.")
    )
    description = models.TextField(_("description"), blank=True)

    street_address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)

    website = URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture"),
        blank=True,
        validators=[hours.validate_opening_hours],
        help_text=hours.HELP_TEXT,
    )
    opening_hours_note = models.CharField(
        _("précisions sur les horaires"),
        max_length=250,
        blank=True,
        help_text=_("Ex. « fermé en août », « horaires indicatifs »."),
    )

    # Access: who pays, how to come in, who can get in (the practical questions
    # of a resident, and the fields of the national schema of the same names).
    fees = models.CharField(
        _("tarif"), max_length=20, choices=Fees.choices, blank=True, db_index=True
    )
    fees_details = models.CharField(
        _("précisions sur les tarifs"),
        max_length=250,
        blank=True,
        help_text=_("Ex. « adhésion 20 € par an, gratuit pour les demandeurs d'emploi »."),
    )
    access_modes = models.JSONField(
        _("modalités d'accès"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(AccessMode)],
    )
    booking_url = URLField(_("prise de rendez-vous en ligne"), blank=True)
    wheelchair = models.CharField(
        _("accès en fauteuil roulant"),
        max_length=10,
        choices=Wheelchair.choices,
        blank=True,
        db_index=True,
        help_text=_("Laissez vide si vous ne savez pas : la fiche dira « non renseigné »."),
    )
    acceslibre_url = URLField(
        _("fiche acceslibre"),
        blank=True,
        validators=[validate_acceslibre_url],
        help_text=_(
            "La fiche du lieu sur acceslibre.beta.gouv.fr, qui détaille son accessibilité."
        ),
    )

    # What the national schema of digital inclusion places asks (hubs/national_schema.py
    # maps each list to its words), and a resident looks for: which help, how, for whom.
    services = models.JSONField(
        _("services d'inclusion numérique"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Service)],
    )
    support_modes = models.JSONField(
        _("modalités d'accompagnement"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(SupportMode)],
    )
    specific_support = models.JSONField(
        _("prise en charge spécifique"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(SpecificSupport)],
        help_text=_("Les publics aux besoins particuliers que l'équipe sait accompagner."),
    )
    national_programmes = models.JSONField(
        _("dispositifs et programmes nationaux"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(NationalProgramme)],
    )
    itinerance = models.CharField(
        _("itinérance"),
        max_length=10,
        choices=Itinerance.choices,
        default=Itinerance.FIXED,
        blank=True,
        help_text=_("Vide : non renseigné."),
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        db_index=True,
        validators=[validate_siret],
        help_text=_(
            "Le numéro d'établissement de la structure (14 chiffres), sur "
            "annuaire-entreprises.data.gouv.fr : l'identifiant du lieu dans les données nationales."
        ),
    )
    # What the company directory said of ``siret`` at its last check (manage.py
    # check_sirets, hubs/sirene.py). Staff read it; nothing is unpublished because of it.
    siret_status = models.CharField(
        _("état du SIRET"),
        max_length=10,
        choices=SiretStatus.choices,
        blank=True,
        editable=False,
        db_index=True,
    )
    siret_checked_at = models.DateTimeField(
        _("SIRET vérifié le"), null=True, blank=True, editable=False
    )
    siret_closed_on = models.DateField(
        _("établissement fermé le"), null=True, blank=True, editable=False
    )

    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("équipements et services"), blank=True, related_name="hubs"
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("publics"), blank=True, related_name="hubs"
    )
    labels = models.ManyToManyField(
        Label, verbose_name=_("labels et réseaux"), blank=True, related_name="hubs"
    )
    operator = models.CharField(_("gestionnaire"), max_length=200, blank=True)
    operator_kind = models.CharField(
        _("nature du gestionnaire"), max_length=20, choices=OperatorKind.choices, blank=True
    )
    surface_m2 = models.PositiveIntegerField(
        _("surface (m²)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opened_on = models.DateField(_("date d'ouverture"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("lieu parent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Le lieu qui héberge celui-ci (ex. la Nouvelle Forge)."),
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Articles ou documents d'où viennent ces informations."),
    )
    external_id = models.CharField(
        _("identifiant externe"),
        max_length=120,
        blank=True,
        help_text=_(
            "Identifiant dans une autre base (ex. « fablabs.io:fablab-lille ») : "
            "un nouvel import met ce lieu à jour au lieu d'en créer un second."
        ),
    )
    # Its own agenda: manage.py import_hub_feeds (events/feed_import.py) copies its
    # events into ours as drafts of this hub.
    ical_feed_url = URLField(
        _("agenda iCalendar du lieu"),
        max_length=500,
        blank=True,
        help_text=_(
            "L'adresse (http ou https) de l'agenda .ics que le lieu publie : ses événements "
            "sont importés chaque nuit en brouillon, à relire puis publier."
        ),
    )
    # When someone responsible for the hub last said its listing is still exact
    # (the « toujours exact » link of the reminders, hubs/freshness.py). A listing is
    # as fresh as the later of this and ``updated_at`` (``Hub.checked_at``).
    confirmed_at = models.DateTimeField(
        _("confirmé exact le"), null=True, blank=True, editable=False
    )

    objects = HubQuerySet.as_manager()
    # The SIRENE check's findings are not edits: no history row, nothing to revert.
    history = HistoricalRecords(excluded_fields=["search_text", *SIRET_FINDING_FIELDS])

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["name"]
        permissions = [("publish_hub", _("Peut publier et archiver les lieux"))]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="hub_lat_lng_idx"),
            # The list's order: published hubs by name, deep pages without a sort.
            models.Index(fields=["publication", "name"], name="hub_publication_name_idx"),
            # « The published hubs' ids », the semi-join of every public count and sum
            # (the funding dashboard's passes): read from this index alone.
            models.Index(
                fields=["id"],
                condition=Q(publication=Publication.PUBLISHED),
                name="hub_published_id_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="hub_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="hub_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="hub_longitude_range"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="hub_not_own_parent"),
            models.CheckConstraint(condition=~Q(name=""), name="hub_name_not_empty"),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"), name="hub_siret_digits"
            ),
            models.CheckConstraint(
                condition=Q(surface_m2__isnull=True) | Q(surface_m2__gt=0),
                name="hub_surface_positive",
            ),
        ]

    def __str__(self):
        return self.name

    # The company directory's finding (``siret_status``…) is about one number: the SIRET
    # the hub had when it was read from the database. Every save forgets it once the
    # SIRET is another (the admin, the imports, a manager's accepted change); the bulk
    # imports, which do not call save(), call ``forget_stale_siret_finding`` themselves.
    @classmethod
    def from_db(cls, db, field_names, values):
        hub = super().from_db(db, field_names, values)
        hub._finding_siret = hub.__dict__.get("siret")  # None: deferred, unknown
        return hub

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using, fields, **kwargs)
        if fields is None or "siret" in fields:
            self._finding_siret = self.__dict__.get("siret")

    def forget_stale_siret_finding(self) -> bool:
        """Clear the directory's finding when the SIRET changed since the hub was read
        (the finding was about the former number); True when it changed."""
        former = getattr(self, "_finding_siret", None)
        if former is None or self.siret == former:
            return False
        self.siret_status, self.siret_checked_at, self.siret_closed_on = "", None, None
        self._finding_siret = self.siret
        return True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writes_siret = update_fields is None or "siret" in update_fields
        if writes_siret and self.forget_stale_siret_finding() and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *SIRET_FINDING_FIELDS}
        super().save(*args, **kwargs)
        if writes_siret:
            self._finding_siret = self.siret

    def get_absolute_url(self):
        return reverse("hubs:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = ValidationError(
                _("« %(slug)s » est réservé par le site : choisissez une autre adresse."),
                code="reserved_slug",
                params={"slug": self.slug},
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = ValidationError(
                _("Un lieu ne peut pas être son propre parent."), code="own_parent"
            )
        elif self.parent_id and self.pk:
            # Refuse cycles: walking up from the parent must not meet this hub.
            seen, current = {self.pk}, self.parent
            while current is not None:
                if current.pk in seen:
                    errors["parent"] = ValidationError(
                        _("Ce choix créerait une boucle entre lieux parents."), code="parent_cycle"
                    )
                    break
                seen.add(current.pk)
                current = current.parent
        if self.commune_id and (km := self.commune.far_from(self.latitude, self.longitude)):
            errors["latitude"] = far_from_commune_error(self.commune, km)
        if self.postcode and self.commune_id and self.postcode not in self.commune.postcode_list:
            errors["postcode"] = ValidationError(
                _("Ce code postal n'est pas celui de la commune choisie."), code="postcode_commune"
            )
        if self.AccessMode.ONLINE in (self.access_modes or []) and not self.booking_url:
            errors["booking_url"] = ValidationError(
                _("Indiquez l'adresse de la prise de rendez-vous en ligne."), code="booking_url"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def checked_at(self):
        """When the listing was last known exact: updated, or confirmed since."""
        return last_known_exact(self.updated_at, self.confirmed_at)

    @property
    def formatted_siret(self) -> str:
        return format_siret(self.siret)

    @property
    def access_mode_labels(self) -> list[str]:
        labels = dict(self.AccessMode.choices)
        return [labels[mode] for mode in self.access_modes or [] if mode in labels]

    def search_parts(self) -> list:
        """Name, summary, operator, address, commune and kinds."""
        parts = [self.name, self.summary, self.operator, self.street_address, self.postcode]
        if self.commune_id:
            parts.append(self.commune.name)
        if self.pk:
            parts.extend(kind.name for kind in self.kinds.all())
        return parts

    def refresh_search_text(self):
        """Recompute after many-to-many changes (kinds are set after the first save)."""
        text = self.build_search_text()
        if text != self.search_text:
            # Its kinds changed: the hub did, for ETags and caches too.
            now = timezone.now()
            Hub.objects.filter(pk=self.pk).update(search_text=text, updated_at=now)
            self.search_text, self.updated_at = text, now


class HubReminder(models.Model):
    """When a person was last asked to check a hub's listing (``remind_stale_hubs``):
    nobody is asked about the same hub twice within ``REMINDER_INTERVAL``."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_reminders"
    )
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("rappel de mise à jour")
        verbose_name_plural = _("rappels de mise à jour")
        constraints = [
            models.UniqueConstraint(fields=["hub", "recipient"], name="hub_reminder_unique")
        ]

    def __str__(self):
        return f"{self.hub} → {self.recipient} ({self.sent_at:%Y-%m-%d})"


class HubPhoto(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"),
        upload_to="hubs/photos/%Y/",
        help_text=_("JPEG, PNG ou WebP, 8 Mo et 40 mégapixels au plus."),
    )
    thumbnail = models.ImageField(
        _("vignette"), upload_to="hubs/thumbs/%Y/", blank=True, editable=False
    )
    width = models.PositiveIntegerField(_("largeur"), null=True, editable=False)
    height = models.PositiveIntegerField(_("hauteur"), null=True, editable=False)
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=250,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)
    credit = models.CharField(_("crédit"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="hubphoto_alt_text_required")
        ]

    def __str__(self):
        return self.alt_text


class HubIndicator(models.Model):
    """Yearly figures a hub reports: what came out of it."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="indicators")
    year = models.PositiveSmallIntegerField(_("année"))
    jobs = models.PositiveIntegerField(_("emplois"), null=True, blank=True)
    companies_hosted = models.PositiveIntegerField(
        _("entreprises hébergées"), null=True, blank=True
    )
    people_trained = models.PositiveIntegerField(_("personnes formées"), null=True, blank=True)
    success_rate = models.DecimalField(
        _("taux de réussite (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Part des personnes formées en emploi ou en formation ensuite."),
    )
    notes = models.CharField(_("précisions"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicateur annuel")
        verbose_name_plural = _("indicateurs annuels")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "year"], name="hubindicator_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="hubindicator_year_range"
            ),
            models.CheckConstraint(
                condition=Q(success_rate__isnull=True)
                | Q(success_rate__gte=0, success_rate__lte=100),
                name="hubindicator_rate_range",
            ),
        ]

    def __str__(self):
        return f"{self.hub} — {self.year}"


class HubTarget(models.Model):
    """What a hub set out to achieve by a given year (« 80 emplois en trois ans »),
    read beside its yearly indicators (issue 19)."""

    class Indicator(models.TextChoices):
        JOBS = "jobs", _("emplois")
        COMPANIES_HOSTED = "companies_hosted", _("entreprises hébergées")
        PEOPLE_TRAINED = "people_trained", _("personnes formées")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicateur"), max_length=20, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("objectif"))
    start_year = models.PositiveSmallIntegerField(
        _("depuis"), null=True, blank=True, help_text=_("Année de départ, si elle est connue.")
    )
    horizon_year = models.PositiveSmallIntegerField(
        _("horizon"), help_text=_("L'année où l'objectif doit être atteint.")
    )
    notes = models.CharField(_("précisions"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["hub", "indicator", "horizon_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "indicator", "horizon_year"], name="hubtarget_one_per_horizon"
            ),
            models.CheckConstraint(
                condition=Q(horizon_year__gte=1990, horizon_year__lte=2100),
                name="hubtarget_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__lte=F("horizon_year")),
                name="hubtarget_start_before_horizon",
            ),
        ]

    def __str__(self):
        return f"{self.hub} — {self.get_indicator_display()} {self.value} ({self.horizon_year})"

    def clean(self):
        if self.start_year and self.horizon_year and self.start_year > self.horizon_year:
            raise ValidationError(
                {"horizon_year": _("L'horizon précède l'année de départ.")},
                code="horizon_before_start",
            )


class PossibleDuplicate(models.Model):
    """Two hubs an import found alike (same SIRET, or same name within 100 m).

    Never merged by the import: staff of the territory look at the pair and say
    « pas un doublon », or merge them by hand and mark the pair « fusionnés ».
    """

    class Reason(models.TextChoices):
        SIRET = "siret", _("même SIRET")
        NAME_NEARBY = "name_nearby", _("même nom à moins de 100 m")

    class Status(models.TextChoices):
        OPEN = "open", _("à examiner")
        NOT_DUPLICATE = "not_duplicate", _("pas un doublon")
        MERGED = "merged", _("fusionnés")

    hub = models.ForeignKey(
        Hub,
        verbose_name=_("lieu importé"),
        on_delete=models.CASCADE,
        related_name="possible_duplicates",
    )
    other = models.ForeignKey(
        Hub, verbose_name=_("lieu existant"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    source = models.CharField(_("import"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "other"], name="possibleduplicate_pair_unique"),
            models.CheckConstraint(condition=~Q(hub=F("other")), name="possibleduplicate_two_hubs"),
        ]

    def __str__(self):
        return f"{self.hub} / {self.other} ({self.get_reason_display()})"
