"""Who paid for the hubs: funders, funded operations and their financing lines.

An operation is a financing plan ("Pop School – sessions 2016-2018", "Fit-out
of the premises") of one hub. Each line says how much a funder gives, as an
amount, a share of the total, or both (the press often gives only "60 %
FEDER, 40 % agglo"). Invariants are checked by forms, ``clean()`` and the
database (check constraints, and triggers for the cross-row rules).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hubs.models import Hub
from territories.lookup import parse_territory_code

from . import money
from .querysets import FinancingLineQuerySet


class Funder(models.Model):
    class Category(models.TextChoices):
        EU_FUND = "eu_fund", _("Fonds européen")
        STATE = "state", _("État")
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("Intercommunalité")
        COMMUNE = "commune", _("Commune")
        CHAMBER = "chamber", _("Chambre consulaire")
        PRIVATE = "private", _("Privé")
        OTHER = "other", _("Autre")

    # Local public money, the denominator of the EU leverage ratio.
    LOCAL_PUBLIC = (Category.REGION, Category.DEPARTEMENT, Category.EPCI, Category.COMMUNE)

    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(
        _("sigle"), max_length=40, blank=True, help_text=_("Ex. FEDER, FSE, CAVM.")
    )
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    territory_code = models.CharField(
        _("territoire"),
        max_length=30,
        blank=True,
        help_text=_("Pour une collectivité : region:32, dep:59, epci:245901160, 59606…"),
    )
    # When it last changed: part of the dashboard's cache key (funding.summaries).
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        if self.territory_code and parse_territory_code(self.territory_code) is None:
            raise ValidationError(
                {"territory_code": _("Code de territoire invalide.")}, code="territory_code"
            )


class FundedOperation(models.Model):
    class Purpose(models.TextChoices):
        INVESTMENT = "investment", _("investissement, travaux")
        EQUIPMENT = "equipment", _("équipement")
        RUNNING = "running", _("fonctionnement")
        ANIMATION = "animation", _("animation")
        TRAINING = "training", _("formation")
        PURCHASE = "purchase", _("acquisition")
        OTHER = "other", _("autre")

    hub = models.ForeignKey(
        Hub,
        verbose_name=_("lieu"),
        on_delete=models.PROTECT,  # public money is never silently lost
        related_name="operations",
    )
    title = models.CharField(_("intitulé"), max_length=250)
    purpose = models.CharField(_("objet"), max_length=20, choices=Purpose.choices)
    total_cost = models.DecimalField(
        _("coût total (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Laisser vide s'il n'est pas connu."),
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    programme = models.CharField(
        _("programme"),
        max_length=200,
        blank=True,
        help_text=_("Ex. PO FEDER-FSE Nord-Pas-de-Calais 2014-2020, Contrat de territoire 2015."),
    )
    notes = models.TextField(_("précisions"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opération financée")
        verbose_name_plural = _("opérations financées")
        ordering = ["hub__name", "start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0),
                name="operation_total_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="operation_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La fin précède le début.")}, code="end_before_start"
            )
        if self.pk and self.total_cost is not None:
            known = self.lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)
            if known > self.total_cost:
                raise ValidationError(
                    {
                        "total_cost": _(
                            "Les montants des lignes (%(known)s) dépassent ce coût total."
                        )
                    },
                    code="total_below_lines",
                    params={"known": money.format_euros(known)},
                )


class FinancingLine(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("prévu")
        REQUESTED = "requested", _("demandé")
        GRANTED = "granted", _("accordé")
        PAID = "paid", _("versé")

    # Shown to everyone and summed. A planned commitment (not decided yet, its year
    # being the operation's start) is shown apart and never summed; a request is
    # shown to staff only.
    PUBLIC_STATUSES = (Status.GRANTED, Status.PAID)

    class Nature(models.TextChoices):
        SUBSIDY = "subsidy", _("subvention")
        ADVANCE = "advance", _("avance remboursable")
        DIRECT = "direct", _("dépense directe")
        ACQUISITION = "acquisition", _("acquisition")

    # Money given to the hub's project: what the dashboard adds up as co-financing
    # and what the EU leverage is computed on. A direct investment or an acquisition
    # is the public body spending for itself, counted apart.
    CO_FINANCING = (Nature.SUBSIDY, Nature.ADVANCE)

    operation = models.ForeignKey(
        FundedOperation, verbose_name=_("opération"), on_delete=models.CASCADE, related_name="lines"
    )
    funder = models.ForeignKey(
        Funder, verbose_name=_("financeur"), on_delete=models.PROTECT, related_name="lines"
    )
    amount = models.DecimalField(
        _("montant (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    share = models.DecimalField(
        _("part (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Part du coût total, en pourcentage."),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.GRANTED, db_index=True
    )
    nature = models.CharField(
        _("nature"),
        max_length=12,
        choices=Nature.choices,
        default=Nature.SUBSIDY,
        help_text=_(
            "Une subvention ou une avance cofinance le projet du lieu ; une dépense directe "
            "ou une acquisition est l'argent que la collectivité dépense pour elle-même."
        ),
    )
    decision_date = models.DateField(_("date de décision"), null=True, blank=True)
    source = models.CharField(_("source ou référence"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True, db_index=True)
    # Kept by the database (triggers, migration 0005) from the line and its operation,
    # so that the funding dashboard groups one table instead of joining every line to
    # its operation (issue 7). Never written by Django: a value in memory may be stale.
    effective = models.DecimalField(
        _("montant retenu (€)"),
        max_digits=18,
        decimal_places=6,  # a share (2 decimals) of a total (2 decimals), exactly
        null=True,
        editable=False,
        help_text=_("Le montant, ou la part d'un coût total connu ; vide s'il n'est pas connu."),
    )
    # The same in whole cents (migration 0008), for the dashboard's sums: a bigint is
    # added natively, a numeric one digit group at a time.
    effective_cents = models.BigIntegerField(
        _("montant retenu (centimes)"), null=True, editable=False
    )
    year = models.PositiveSmallIntegerField(
        _("année"),
        null=True,
        editable=False,
        help_text=_("Année de la décision, sinon du début de l'opération."),
    )
    hub = models.ForeignKey(
        Hub,
        verbose_name=_("lieu"),
        on_delete=models.PROTECT,
        null=True,  # filled in by the database once the line is written
        editable=False,
        related_name="financing_lines",
    )

    objects = FinancingLineQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["effective", "effective_cents", "year", "hub"])

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["operation", "-amount", "-share"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="line_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0, share__lte=100),
                name="line_share_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(share__isnull=False),
                name="line_amount_or_share",
            ),
        ]

    def __str__(self):
        return f"{self.funder} — {self.operation}"

    @property
    def effective_amount(self):
        """The amount, given or derived from the share of a known total; None if unknown."""
        if self.amount is not None:
            return self.amount
        return money.derived_amount(self.operation.total_cost, self.share)

    @property
    def effective_share(self):
        if self.share is not None:
            return self.share
        return money.derived_share(self.operation.total_cost, self.amount)

    def clean(self):
        errors = {}
        if self.amount is None and self.share is None:
            errors["amount"] = ValidationError(
                _("Indiquez un montant, une part, ou les deux."), code="amount_or_share"
            )
        operation = self.operation if self.operation_id else None
        total = operation.total_cost if operation else None
        both_given = self.amount is not None and self.share is not None
        if total is not None and both_given and not money.agrees(total, self.share, self.amount):
            errors["share"] = ValidationError(
                _(
                    "%(share)s de %(total)s font %(expected)s, pas %(amount)s : "
                    "le montant et la part ne concordent pas."
                ),
                code="share_amount_mismatch",
                params={
                    "share": money.format_share(self.share),
                    "total": money.format_euros(total),
                    "expected": money.format_euros(money.derived_amount(total, self.share)),
                    "amount": money.format_euros(self.amount),
                },
            )
        # In the admin the formset checks siblings with their new values.
        check_siblings = operation is not None and not getattr(
            self, "siblings_checked_by_formset", False
        )
        if check_siblings and self.share is not None:
            others = operation.lines.exclude(pk=self.pk).aggregate(total=Sum("share"))["total"]
            if (others or 0) + self.share > 100:
                errors["share"] = ValidationError(
                    _(
                        "Les parts de cette opération dépasseraient 100 %% "
                        "(%(others)s déjà attribués)."
                    ),
                    code="shares_over_100",
                    params={"others": money.format_share(others or 0)},
                )
        if check_siblings and total is not None and self.amount is not None:
            others = operation.lines.exclude(pk=self.pk).aggregate(total=Sum("amount"))["total"]
            if (others or 0) + self.amount > total:
                errors["amount"] = ValidationError(
                    _("Les montants de cette opération dépasseraient son coût total (%(total)s)."),
                    code="amounts_over_total",
                    params={"total": money.format_euros(total)},
                )
        if errors:
            raise ValidationError(errors)
