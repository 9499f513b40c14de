from django.db import models
from django.db.models import Q

from territories.scoping import Scope

# A line's effective amount (``effective``: the amount, or its share of a known
# total; NULL when it cannot be known, counted apart, never summed as zero) and
# its year (``year``: of the decision, else of the operation's start) are columns
# kept by the database (migration 0005).


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
            Q(status__in=self.model.PUBLIC_STATUSES) | scope.communes_q("hub__commune")
        )


def sees_requests(user) -> bool:
    """Whether ``user`` is shown requested (not yet granted) financing lines."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("funding.view_financingline")
    )
