"""Which territories a staff member may see and edit in the back-office.

A territory editor is given one or more EPCI, départements or régions
(:class:`~backoffice.models.TerritoryScope` rows); a regional administrator
or a read-only viewer of the whole region has the ``all_territories``
permission. Every admin of a territorial record (hubs, photos, operations,
financing lines, events, imports) goes through :class:`Scope`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

ALL_TERRITORIES = "backoffice.all_territories"


def walk(record, path: str):
    """``record`` followed along ``a__b`` (``""``: itself); None where a link is empty."""
    for name in path.split("__") if path else []:
        if record is None:
            return None
        record = getattr(record, name, None)  # an empty foreign key: None, not an error
    return record


@dataclass(frozen=True)
class Scope:
    unrestricted: bool
    regions: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    epcis: frozenset[str] = frozenset()

    @classmethod
    def for_user(cls, user) -> Scope:
        """The user's scope, computed once per request (cached on the user object)."""
        cached = getattr(user, "_territory_scope", None)
        if cached is not None:
            return cached
        if not (user.is_authenticated and user.is_active):
            scope = cls(unrestricted=False)
        elif user.has_perm(ALL_TERRITORIES):
            scope = cls(unrestricted=True)
        else:
            rows = list(user.territory_scopes.values_list("region_id", "departement_id", "epci_id"))
            scope = cls(
                unrestricted=False,
                regions=frozenset(r for r, _, _ in rows if r),
                departements=frozenset(d for _, d, _ in rows if d),
                epcis=frozenset(e for _, _, e in rows if e),
            )
        user._territory_scope = scope
        return scope

    @property
    def is_empty(self) -> bool:
        return not (self.unrestricted or self.regions or self.departements or self.epcis)

    def communes_q(self, path: str = "commune") -> Q:
        """A filter keeping the rows whose commune (reached by ``path``) is in scope.

        ``path=""`` filters communes themselves.
        """
        if self.unrestricted:
            return Q()
        prefix = f"{path}__" if path else ""
        q = Q(pk__in=[])  # nothing, unless a territory below adds to it
        if self.epcis:
            q |= Q(**{f"{prefix}epci_id__in": sorted(self.epcis)})
        if self.departements:
            q |= Q(**{f"{prefix}departement_id__in": sorted(self.departements)})
        if self.regions:
            q |= Q(**{f"{prefix}departement__region_id__in": sorted(self.regions)})
        return q

    def records_q(self, *paths: str) -> Q:
        """A filter keeping the records whose communes (reached by ``paths``) are all in scope.

        A path whose commune is empty is ignored, but one must lead somewhere:
        an event is at its hub, at its own venue, or both.
        """
        if self.unrestricted:
            return Q()
        if len(paths) == 1:
            return self.communes_q(paths[0])
        inside, anywhere = Q(), Q()
        for path in paths:
            inside &= Q(**{f"{path}__isnull": True}) | self.communes_q(path)
            anywhere |= Q(**{f"{path}__isnull": False})
        return inside & anywhere

    def allows(self, record, *paths: str) -> bool:
        """The same rule for one record (saved, new, or rebuilt from its history)."""
        if self.unrestricted:
            return True
        communes = [walk(record, path) for path in paths]
        communes = [commune for commune in communes if commune is not None]
        return bool(communes) and all(self.contains_commune(c) for c in communes)

    def contains_commune(self, commune) -> bool:
        if self.unrestricted:
            return True
        if commune is None:
            return False
        return (
            commune.epci_id in self.epcis
            or commune.departement_id in self.departements
            or (bool(self.regions) and commune.departement.region_id in self.regions)
        )

    def contains_territory(self, level: str, territory) -> bool:
        """Whether a whole territory (``level``: commune, epci, dep, region) lies in
        scope: a commune of it, or every commune of a larger one (an EPCI may cross
        the border of a département given to an editor)."""
        if self.unrestricted:
            return True
        if territory is None:
            return False
        if level == "commune":
            return self.contains_commune(territory)
        from territories.models import Commune

        within = {
            "epci": Q(epci_id=territory.pk),
            "dep": Q(departement_id=territory.pk),
            "region": Q(departement__region_id=territory.pk),
        }.get(level)
        if within is None:
            return False
        communes = Commune.objects.filter(within)
        return communes.exists() and not communes.exclude(self.communes_q("")).exists()

    def territory_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The territories an editor may name as a record's own (a funder's), grouped
        for a ``<select>``: those of the scope, the départements of its régions, the
        intercommunalities wholly inside it, and the communes of its EPCIs and
        départements (a région's thousands of communes are left out). Values are
        territory codes (``epci:245901160``, ``commune:59606``); nothing for an
        unrestricted scope, whose members type any code."""
        from territories.models import EPCI, Commune, Departement, Region

        if self.unrestricted:
            return []
        own = [
            (r.filter_code, _("%(name)s (région)") % {"name": r.name})
            for r in Region.objects.filter(pk__in=self.regions)
        ]
        own += [
            (d.filter_code, str(d)) for d in Departement.objects.filter(pk__in=self.departements)
        ]
        own += [(e.filter_code, e.name) for e in EPCI.objects.filter(pk__in=self.epcis)]
        groups = [(_("Vos territoires"), own)]
        departements = Departement.objects.filter(region_id__in=self.regions)
        groups.append((_("Départements"), [(d.filter_code, str(d)) for d in departements]))
        outside = Commune.objects.exclude(self.communes_q(""))
        epcis = (
            EPCI.objects.filter(communes__in=Commune.objects.filter(self.communes_q("")))
            .exclude(pk__in=self.epcis)
            .exclude(communes__in=outside)
            .distinct()
        )
        groups.append((_("Intercommunalités"), [(e.filter_code, e.name) for e in epcis]))
        communes = Commune.objects.filter(
            Q(epci_id__in=self.epcis) | Q(departement_id__in=self.departements)
        ).order_by("name", "insee")
        groups.append((_("Communes"), [(c.filter_code, str(c)) for c in communes]))
        return [(label, options) for label, options in groups if options]

    def describe(self) -> str:
        """The territories, for messages ("Valenciennes Métropole, Nord (59)")."""
        from territories.models import EPCI, Departement, Region

        if self.unrestricted:
            return _("tous les territoires")
        names = [str(e) for e in EPCI.objects.filter(pk__in=self.epcis)]
        names += [str(d) for d in Departement.objects.filter(pk__in=self.departements)]
        names += [str(r) for r in Region.objects.filter(pk__in=self.regions)]
        return ", ".join(names) or _("aucun territoire")


def can_preview(user, model, commune) -> bool:
    """Whether ``user`` may see an unpublished record of ``model`` located in ``commune``.

    Staff who may view such records in the admin, in their territories.
    """
    opts = model._meta
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        and Scope.for_user(user).contains_commune(commune)
    )


def staff_for_commune(commune, permission: str):
    """The active staff accounts with ``permission`` (``"app.codename"``) and an e-mail
    address who look after ``commune``: those given its EPCI, its département or its
    région. When nobody is, those who look after every territory (regional
    administrators, who have ``all_territories``), so that nothing goes unseen.

    For messages about a record of that commune (a resident's report, a reminder):
    an editor of Valenciennes never hears about Calais.
    """
    from django.contrib.auth import get_user_model

    accounts = (
        get_user_model()
        .objects.with_perm(
            permission,
            is_active=True,
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_staff=True)
        .exclude(email="")
    )
    given = Q(territory_scopes__departement_id=commune.departement_id)
    if commune.epci_id:
        given |= Q(territory_scopes__epci_id=commune.epci_id)
    given |= Q(territory_scopes__region_id=commune.departement.region_id)
    local = accounts.filter(given).distinct().order_by("pk")
    if local.exists():
        return local
    everywhere = (
        get_user_model()
        .objects.with_perm(
            ALL_TERRITORIES,
            is_active=True,
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .values("pk")
    )
    return accounts.filter(pk__in=everywhere).distinct().order_by("pk")
