from django.db import models
from django.db.models import Q

from backoffice.scoping import Scope
from hubs.models import Hub

# A line's effective amount (``effective``: the amount, or its share of a known
# total; NULL when it cannot be known, counted apart, never summed as zero) and
# its year (``year``: of the decision, else of the operation's start) are columns
# kept by the database (migration 0005).


class FinancingLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lines ``user`` is shown and that are added up: public visitors see
        granted and paid lines.

        Staff who may view financing lines also see the requests of their
        territories (all of them for regional administrators and viewers). Planned
        commitments are never among them: see ``planned``.
        """
        decided = self.exclude(status=self.model.Status.PLANNED)
        public = decided.filter(status__in=self.model.PUBLIC_STATUSES)
        if not sees_requests(user):
            return public
        scope = Scope.for_user(user)
        if scope.unrestricted:
            return decided
        return decided.filter(
            Q(status__in=self.model.PUBLIC_STATUSES) | scope.communes_q("hub__commune")
        )

    def planned(self):
        """Commitments announced but not decided yet (status « prévu »): public, shown
        apart with their year, never added to what was granted or paid."""
        return self.filter(status=self.model.Status.PLANNED)

    def co_financing(self):
        """Subsidies and repayable advances: money given to a hub's project."""
        return self.filter(nature__in=self.model.CO_FINANCING)

    def direct_spending(self):
        """A public body's own spending (direct investment, acquisition)."""
        return self.exclude(nature__in=self.model.CO_FINANCING)

    def of_published_hubs(self, territory=None):
        """The lines of published hubs (in ``territory``, a resolved territory, if given).

        The only money the public dashboard and its export count, whoever asks: a
        draft's or an archived hub's operations show on its own page alone, to the
        staff who may preview it. One semi-join on the line's stored hub (indexed,
        kept by the database: migration 0005) and the few hubs asked for; the
        territory goes into the same subquery (two would let SQLite drive the
        lines from every published hub).
        """
        hubs = Hub.objects.published()
        if territory is not None:
            hubs = hubs.in_territory(territory)
        return self.filter(hub_id__in=hubs.values("pk"))


def sees_requests(user) -> bool:
    """Whether ``user`` is shown requested (not yet granted) financing lines."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and user.has_perm("funding.view_financingline")
    )
