"""Who may do what in the back-office: the territories given to each staff account,
their e-mail preferences and their recovery codes (two-factor login)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

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


class StaffPreferences(models.Model):
    """What a staff member or hub manager wants from the site's e-mails (« Mon compte »).

    Whoever sends them reads :meth:`for_user`: an account that never saved its
    preferences has the defaults (French, every notification).
    """

    class Language(models.TextChoices):
        FRENCH = "fr", "Français"
        ENGLISH = "en", "English"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="staff_preferences",
    )
    email_language = models.CharField(
        _("langue des e-mails"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    notify_reports = models.BooleanField(
        _("signalements des habitants"),
        default=True,
        help_text=_("Un e-mail quand un habitant signale une erreur ou propose un lieu."),
    )
    notify_reminders = models.BooleanField(
        _("rappels de mise à jour"),
        default=True,
        help_text=_("Un e-mail quand des fiches n’ont pas été confirmées depuis longtemps."),
    )

    class Meta:
        verbose_name = _("préférences d’un compte")
        verbose_name_plural = _("préférences des comptes")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "StaffPreferences":
        """The user's saved preferences, or the defaults (unsaved) when there are none."""
        try:
            return user.staff_preferences
        except cls.DoesNotExist:
            return cls(user=user)


def _new_salt() -> str:
    return secrets.token_hex(16)


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A staff member's recovery codes: the second factor when the phone is lost.

    Ten single-use codes, shown once when they are made; only a salted SHA-256
    of each is stored (django-otp's own static device keeps them in clear).
    Their 60 random bits make a stolen hash useless to guess from.
    """

    COUNT = 10
    ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    LENGTH = 12

    salt = models.CharField(max_length=32, default=_new_salt, editable=False)

    class Meta(Device.Meta):
        verbose_name = _("codes de secours")
        verbose_name_plural = _("codes de secours")

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    @staticmethod
    def normalize(code: str) -> str:
        return "".join(code.split()).replace("-", "").lower()

    def digest(self, code: str) -> str:
        return hashlib.sha256(f"{self.salt}:{self.normalize(code)}".encode()).hexdigest()

    def make_codes(self) -> list[str]:
        """Replace this device's codes by ten new ones, returned (readable, with dashes)."""
        codes = []
        for _i in range(self.COUNT):
            raw = "".join(secrets.choice(self.ALPHABET) for _j in range(self.LENGTH))
            codes.append("-".join(raw[i : i + 4] for i in range(0, self.LENGTH, 4)))
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, digest=self.digest(code)) for code in codes
        )
        return codes

    def verify_token(self, token):
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        match = self.codes.filter(digest=self.digest(str(token))).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()  # single use
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code, hashed (see :class:`RecoveryCodeDevice`)."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self):
        return f"{self.device.user} ({self.pk})"  # never the code, which only its owner saw
