from decimal import Decimal

from django.db import models
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from territories.scoping import Scope

MONEY = DecimalField(max_digits=18, decimal_places=4)

# The amount of a line: given, or derived from its share of a known total.
# Share-only lines of an operation whose total is unknown stay NULL: they are
# counted apart, never summed as zero.
EFFECTIVE_AMOUNT = Case(
    When(amount__isnull=False, then=F("amount")),
    When(
        share__isnull=False,
        operation__total_cost__isnull=False,
        then=ExpressionWrapper(
            F("operation__total_cost") * F("share") / Value(Decimal(100)), output_field=MONEY
        ),
    ),
    default=Value(None, output_field=MONEY),
    output_field=MONEY,
)

LINE_YEAR = Coalesce(ExtractYear("decision_date"), ExtractYear("operation__start_date"))


class FinancingLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public visitors see granted and paid lines.

        Staff who may view financing lines also see the requests of their
        territories (all of them for regional administrators and viewers).
        """
        public = self.filter(status__in=self.model.PUBLIC_STATUSES)
        if not sees_requests(user):
            return public
        scope = Scope.for_user(user)
        if scope.unrestricted:
            return self
        return self.filter(
            Q(status__in=self.model.PUBLIC_STATUSES) | scope.communes_q("operation__hub__commune")
        )

    def with_effective_amount(self):
        return self.annotate(effective=EFFECTIVE_AMOUNT)

    def with_year(self):
        return self.annotate(year=LINE_YEAR)


def sees_requests(user) -> bool:
    """Whether ``user`` is shown requested (not yet granted) financing lines."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("funding.view_financingline")
    )
