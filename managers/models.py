"""The people who run a hub and keep its listing exact (issue 18, item 1).

A territory editor invites a hub's manager by e-mail (:class:`Invitation`: a
signed, single-use link valid :data:`INVITATION_DAYS` days, managers/tokens.py);
the manager sets a password and becomes a :class:`HubManager` of that hub. A
manager is never staff: they edit their hubs' practical information at
``/gestion/``, outside the back-office. What they submit is a
:class:`ChangeRequest` the territory's staff accept or reject, unless the
territory trusts them (``HubManager.trusted``): then it is published at once.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

INVITATION_DAYS = 7


class HubManager(models.Model):
    """An account that runs ``hub`` and may edit its listing at /gestion/."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="managed_hubs",
    )
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="managers"
    )
    trusted = models.BooleanField(
        _("publie sans relecture"),
        default=False,
        help_text=_(
            "Cochée : ses modifications sont publiées aussitôt. Sinon l’équipe du territoire "
            "les relit et les accepte ou les refuse."
        ),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now, editable=False)

    # Who turned « publie sans relecture » on or off, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gestionnaire d’un lieu")
        verbose_name_plural = _("gestionnaires des lieux")
        ordering = ["hub__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "hub"], name="hubmanager_unique_user_hub")
        ]

    def __str__(self):
        return f"{self.user.email or self.user.get_username()} — {self.hub}"


class Invitation(models.Model):
    """An e-mail asking someone to manage ``hub``; its link works once, until ``expires_at``."""

    email = models.EmailField(_("e-mail du gestionnaire"))
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="manager_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now, editable=False)
    # Set on the first save: INVITATION_DAYS after ``created_at``.
    expires_at = models.DateTimeField(_("expire le"), blank=True, editable=False)
    used_at = models.DateTimeField(_("acceptée le"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("invitation d’un gestionnaire")
        verbose_name_plural = _("invitations des gestionnaires")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            )
        ]

    def __str__(self):
        return f"{self.email} — {self.hub}"

    def save(self, *args, **kwargs):
        self._set_expiry()
        super().save(*args, **kwargs)

    def clean(self):
        self._set_expiry()  # before the constraints are checked

    def _set_expiry(self):
        if self.expires_at is None:
            self.expires_at = self.created_at + datetime.timedelta(days=INVITATION_DAYS)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequest.Status.PENDING)


class ChangeRequest(models.Model):
    """What a manager (not trusted) proposes for their hub, until staff decide.

    ``data`` holds the proposed value of each field that differs from the hub's
    when it was sent (the fields of ``managers.forms.EDITABLE_FIELDS``); ``photo``
    a new photo, already checked and re-encoded (hubs/images.py), with its
    ``photo_alt_text``. One pending request per manager and hub: sending again
    replaces it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("à relire")
        ACCEPTED = "accepted", _("acceptée")
        REJECTED = "rejected", _("refusée")

    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="change_requests"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        on_delete=models.CASCADE,
        related_name="hub_change_requests",
    )
    data = models.JSONField(_("valeurs proposées"), default=dict, blank=True)
    photo = models.ImageField(
        _("photo proposée"), upload_to="managers/pending/%Y/", blank=True, editable=False
    )
    photo_alt_text = models.CharField(_("texte alternatif de la photo"), max_length=250, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relue par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    message = models.TextField(
        _("message au gestionnaire"),
        blank=True,
        help_text=_("Envoyé au gestionnaire avec la décision."),
    )
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True, editable=False)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("modification proposée")
        verbose_name_plural = _("modifications proposées")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "author"],
                condition=Q(status="pending"),
                name="changerequest_one_pending_per_author_and_hub",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="changerequest_decided_at_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt_text=""),
                name="changerequest_photo_has_alt_text",
            ),
        ]

    def __str__(self):
        return f"{self.hub} — {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
