"""What residents tell the territories: an error on a hub or an event page, a place to add.

A report belongs to the commune of what it is about (the hub's, the event's, or
the one given with a suggestion): the back-office scopes it by that commune like
every territorial record, and its staff are told by e-mail (``services.py``).

The reporter's e-mail address is personal data kept for one purpose, to answer:
it is stored only with their consent, and wiped when the report is closed
(``save``, and a database constraint), never copied into the history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: Longest texts a resident may type (the form says so before the database would).
MESSAGE_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 250


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.NEW)


class Report(models.Model):
    class Kind(models.TextChoices):
        HUB = "hub", _("erreur sur un lieu")
        EVENT = "event", _("erreur sur un événement")
        NEW_PLACE = "new_place", _("lieu à ajouter")

    class Status(models.TextChoices):
        NEW = "new", _("nouveau")
        DONE = "done", _("traité")
        REJECTED = "rejected", _("rejeté")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # SET_NULL: a deleted hub or event leaves its reports to their territory
    # (the commune and the name below), and needs no right over them.
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("lieu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Celle du lieu ou de l’événement, ou celle du lieu proposé."),
    )
    subject_name = models.CharField(
        _("concerne"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Le nom du lieu ou de l’événement au moment du signalement."),
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    suggested_name = models.CharField(
        _("nom du lieu proposé"), max_length=NAME_MAX_LENGTH, blank=True
    )
    suggested_address = models.CharField(
        _("adresse du lieu proposé"), max_length=ADDRESS_MAX_LENGTH, blank=True
    )
    reporter_email = models.EmailField(
        _("e-mail de l’habitant"),
        blank=True,
        help_text=_("Gardé avec son accord pour lui répondre, effacé à la clôture."),
    )
    contact_consent = models.BooleanField(_("accepte d’être recontacté"), default=False)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    staff_note = models.TextField(
        _("réponse ou note"),
        blank=True,
        help_text=_("Envoyée à l’habitant à la clôture s’il a laissé son adresse."),
    )
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True, editable=False)

    # The reporter's address stays out of the history: closing wipes it for good.
    history = HistoricalRecords(excluded_fields=["reporter_email", "contact_consent"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="hub", event__isnull=True)
                    | Q(kind="event", hub__isnull=True)
                    | Q(kind="new_place", hub__isnull=True, event__isnull=True)
                ),
                name="report_kind_matches_its_record",
            ),
            models.CheckConstraint(
                condition=Q(reporter_email="") | Q(contact_consent=True, status="new"),
                name="report_email_only_with_consent_while_open",
            ),
            models.CheckConstraint(
                condition=Q(status="new", closed_at__isnull=True)
                | (~Q(status="new") & Q(closed_at__isnull=False)),
                name="report_closed_at_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_status_created")]

    def __str__(self):
        return f"{capfirst(self.get_kind_display())} — {self.subject_name}"

    def save(self, *args, **kwargs):
        # The address is kept only with consent, and only while the report is open.
        if not self.contact_consent or not self.is_open:
            self.reporter_email = ""
        if not self.reporter_email:
            self.contact_consent = False
        if self.is_open:
            self.closed_at = None
        elif self.closed_at is None:
            self.closed_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "reporter_email",
                "contact_consent",
                "closed_at",
            }
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.NEW

    def get_record(self):
        """The hub or event reported on, if it still exists."""
        return self.hub or self.event
