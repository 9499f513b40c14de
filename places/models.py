"""A place: a located, publishable, searchable record (a hub, an event).

One abstract model holds what hubs and events share: the commune and the point
they are at, the publication workflow's state, the normalised text searches read,
and the timestamps. Each model keeps its own constraints (their names are in the
migrations) and says what its search text is made of.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from territories.models import Commune
from territories.text import normalize


class Publication(models.TextChoices):
    """Draft → published → archived: only published records are shown to the public."""

    DRAFT = "draft", _("brouillon")
    PUBLISHED = "published", _("publié")
    ARCHIVED = "archived", _("archivé")


# Field builders, so that a model whose place may come from elsewhere (an event at
# its hub) makes the same field optional in one line: ``commune_field(null=True, blank=True)``.


def commune_field(**options) -> models.ForeignKey:
    """The commune the record is in; ``commune.hubs``, ``commune.events`` from the other side."""
    options.setdefault("related_name", "%(class)ss")
    return models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, **options
    )


def latitude_field(**options) -> models.FloatField:
    # The validators repeat each model's CHECK constraints without a query (bulk imports).
    return models.FloatField(
        _("latitude"),
        db_index=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        **options,
    )


def longitude_field(**options) -> models.FloatField:
    return models.FloatField(
        _("longitude"),
        db_index=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        **options,
    )


def search_text(parts) -> str:
    """What ``Place.search_text`` stores for these texts (bulk imports compute it before
    their ``INSERT``): normalised, between spaces, empty parts skipped."""
    return f" {normalize(' '.join(str(part) for part in parts if part))} "


class Place(models.Model):
    """A record on the map: in a commune, at a point, published or not, searchable.

    A subclass says what its search text is made of (``search_parts``); it is
    stored normalised on each save, for searches that ignore accents and case
    (``PlaceQuerySet.search``).
    """

    Publication = Publication

    commune = commune_field()
    latitude = latitude_field()
    longitude = longitude_field()
    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def search_parts(self) -> list:
        """The texts a search finds the record by (empty ones are skipped)."""
        raise NotImplementedError

    def build_search_text(self) -> str:
        """The searchable words, normalised (accents and case ignored)."""
        return search_text(self.search_parts())

    @property
    def is_published(self) -> bool:
        return self.publication == self.Publication.PUBLISHED
