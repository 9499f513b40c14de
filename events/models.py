"""Events: workshops, training sessions, forums, open days, calls for projects…"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hubs.models import Audience, Hub
from places.models import Place, commune_field, latitude_field, longitude_field
from territories.models import far_from_commune_error
from web.fields import URLField

from .querysets import EventQuerySet

# Changing one of these changes what a calendar shows: the iCalendar SEQUENCE goes up.
SEQUENCED_FIELDS = (
    "title",
    "start",
    "end",
    "all_day",
    "status",
    "hub_id",
    "venue_name",
    "street_address",
    "commune_id",
    "latitude",
    "longitude",
)


class Event(Place):
    """An event. Its publication state, search text and timestamps come from
    ``places.models.Place``; its commune and point are optional (see ``hub``)."""

    class Kind(models.TextChoices):
        WORKSHOP = "atelier", _("atelier")
        TRAINING = "formation", _("formation")
        FORUM = "forum", _("forum ou conférence")
        OPEN_DAY = "portes-ouvertes", _("portes ouvertes")
        MEETUP = "rencontre", _("rencontre")
        HACKATHON = "hackathon", _("hackathon")
        CALL = "appel-a-projets", _("appel à projets")
        OTHER = "autre", _("autre")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("programmé")
        POSTPONED = "postponed", _("reporté")
        CANCELLED = "cancelled", _("annulé")
        FULL = "full", _("complet")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse de la page"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    summary = models.CharField(
        _("résumé"), max_length=300, blank=True, help_text=_("Une phrase, montrée dans l'agenda.")
    )
    description = models.TextField(_("description"), blank=True)

    # Where: a hub, or a venue of its own (or both: the hub organises, elsewhere).
    # PROTECT: an event takes its place and organiser from its hub; deleting the
    # hub would leave published events (and calendars) pointing nowhere. Hubs
    # are archived, not deleted.
    hub = models.ForeignKey(
        Hub,
        verbose_name=_("lieu organisateur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("L'événement a lieu dans ce lieu, sauf si une autre adresse est donnée."),
    )
    organizer = models.CharField(
        _("organisateur"),
        max_length=200,
        blank=True,
        help_text=_("Si ce n'est pas le lieu choisi ci-dessus (ex. « Région Hauts-de-France »)."),
    )
    venue_name = models.CharField(_("nom de la salle ou du site"), max_length=200, blank=True)
    street_address = models.CharField(_("adresse"), max_length=250, blank=True)
    # Optional here (``event_has_a_place``): without them the event is at its hub.
    commune = commune_field(null=True, blank=True)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)

    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"), db_index=True)
    all_day = models.BooleanField(
        _("journée(s) entière(s)"), default=False, help_text=_("Les heures ne sont pas affichées.")
    )

    registration_url = URLField(_("lien d'inscription"), blank=True)
    is_free = models.BooleanField(_("gratuit"), default=False)
    price = models.DecimalField(
        _("prix (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_details = models.CharField(
        _("précisions sur le prix"),
        max_length=200,
        blank=True,
        help_text=_("ex. « tarif réduit 5 € »"),
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("publics"), blank=True, related_name="events"
    )
    accessibility = models.TextField(
        _("accessibilité"),
        blank=True,
        help_text=_("Accès en fauteuil, boucle magnétique, interprète LSF…"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Articles ou documents d'où viennent ces informations."),
    )
    sequence = models.PositiveIntegerField(
        _("révision"),
        default=0,
        editable=False,
        help_text=_("Augmente quand la date, le lieu ou l'état changent (calendriers abonnés)."),
    )

    # Imported from its hub's iCalendar feed (events/feed_import.py): the feed and the
    # event's UID there (with ``#RECURRENCE-ID`` for one occurrence of a repeated event).
    # Empty for the events staff write by hand, which an import never touches.
    source_feed = URLField(_("agenda d'origine"), max_length=500, blank=True, editable=False)
    source_uid = models.CharField(
        _("identifiant dans l'agenda d'origine"), max_length=300, blank=True, editable=False
    )

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["start", "pk"]
        permissions = [("publish_event", _("Peut publier et archiver les événements"))]
        indexes = [
            models.Index(fields=["publication", "end", "start"], name="event_pub_end_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_end_after_start"),
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="event_coordinates_pair_in_range",
            ),
            models.CheckConstraint(
                condition=Q(hub__isnull=False) | Q(commune__isnull=False, latitude__isnull=False),
                name="event_has_a_place",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="event_price_positive"
            ),
            models.UniqueConstraint(
                fields=["hub", "source_uid"],
                condition=~Q(source_uid=""),
                name="event_hub_source_uid_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_free=False) | Q(price__isnull=True) | Q(price=0),
                name="event_free_has_no_price",
            ),
        ]

    def __str__(self):
        return self.title

    # ------------------------------------------------------------ saving
    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            self._bump_sequence()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def get_ics_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})

    # ------------------------------------------------------------ validation
    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = ValidationError(
                _("La fin doit être postérieure ou égale au début."), code="end_before_start"
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = ValidationError(
                _("Donnez la latitude et la longitude, ou aucune des deux."), code="half_point"
            )
        if not self.hub_id and not (self.commune_id and self.latitude is not None):
            errors["hub"] = ValidationError(
                _(
                    "Choisissez le lieu organisateur, ou donnez une commune et une position "
                    "(latitude, longitude) pour un autre lieu."
                ),
                code="no_place",
            )
        commune = self.commune if self.commune_id else (self.hub.commune if self.hub_id else None)
        km = commune.far_from(self.latitude, self.longitude) if commune else None
        if km and "latitude" not in errors:
            errors["latitude"] = far_from_commune_error(commune, km)
        if self.is_free and self.price:
            errors["price"] = ValidationError(
                _("Un événement gratuit n'a pas de prix."), code="free_with_price"
            )
        if errors:
            raise ValidationError(errors)

    def _bump_sequence(self):
        previous = type(self).objects.filter(pk=self.pk).values(*SEQUENCED_FIELDS).first()
        if previous and any(previous[name] != getattr(self, name) for name in SEQUENCED_FIELDS):
            self.sequence += 1

    def search_parts(self) -> list:
        """Title, summary, venue, organiser, kind, commune, and the hub's name and commune."""
        parts = [self.title, self.summary, self.venue_name, self.organizer, self.get_kind_display()]
        if self.commune_id:
            parts.append(self.commune.name)
        if self.hub_id:
            parts.extend([self.hub.name, self.hub.commune.name])
        return parts

    # ------------------------------------------------------------ reading
    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    # The place shown to the public: the event's own venue, else its hub's, and only a
    # published hub's (issue 14: a draft or archived hub lends an event neither its name,
    # its address, its position nor its page). ``querysets.HUB_IS_PUBLIC`` is the same
    # rule in SQL, for filters and exports.
    @property
    def public_hub(self):
        """The event's hub if the public may see it (published), else None."""
        return self.hub if self.hub_id and self.hub.is_published else None

    @property
    def place_commune(self):
        """The commune the event happens in: its own, else its (published) hub's."""
        hub = self.public_hub
        return self.commune if self.commune_id else (hub.commune if hub else None)

    @property
    def place_point(self) -> tuple[float, float] | None:
        if self.latitude is not None:
            return (self.latitude, self.longitude)
        hub = self.public_hub
        return (hub.latitude, hub.longitude) if hub else None

    @property
    def place_name(self) -> str:
        """What to call the place: the venue, else the (published) hub."""
        if self.venue_name:
            return self.venue_name
        hub = self.public_hub
        return hub.name if hub and not self.commune_id else ""

    @property
    def place_street(self) -> str:
        if self.street_address or self.commune_id:
            return self.street_address
        hub = self.public_hub
        return hub.street_address if hub else ""

    @property
    def organizer_name(self) -> str:
        hub = self.public_hub
        return self.organizer or (hub.name if hub else "")

    @property
    def staff_commune(self):
        """The commune whose staff look after the event: its own, else its hub's,
        published or not (previews and the back-office; never shown to the public)."""
        return self.commune if self.commune_id else (self.hub.commune if self.hub_id else None)

    def location_text(self) -> str:
        """One line: « Pop Place, Parc des Rives Créatives, 59410 Anzin »."""
        commune = self.place_commune
        locality = ""
        if commune:
            hub = self.public_hub
            postcode = (
                hub.postcode if hub and not self.commune_id else ""
            ) or commune.main_postcode
            locality = f"{postcode} {commune.name}".strip()
        parts = [self.place_name, self.place_street, locality]
        return ", ".join(part for part in parts if part)

    def is_past(self, now=None) -> bool:
        return self.end < (now or timezone.now())
