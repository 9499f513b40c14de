"""Reads of hubs shaped for pages and exports (bounded number of queries)."""

import hashlib

from django.db.models import Aggregate, Count, Max, Prefetch, TextField, Value
from django.db.models.functions import Cast

from web.sql import TextJoin

from .models import Hub, HubKind


def public_hubs():
    return Hub.objects.published()


def for_listing(queryset):
    """What a list row shows: commune, département and kinds, in 2 queries."""
    return queryset.select_related("commune", "commune__departement").prefetch_related(
        Prefetch("kinds", queryset=HubKind.objects.order_by("position", "name"))
    )


def kinds_by_hub(queryset, shape=None) -> dict[int, object]:
    """``{hub_id: [kind slugs]}`` for a selection of hubs, in one query (``shape``:
    see ``related_by_hub``)."""
    return related_by_hub(queryset, "kinds", shape=shape)


def related_by_hub(
    queryset, relation: str, shape=None, with_names: bool = False
) -> dict[int, object]:
    """``{hub_id: [slug of each related row]}`` through a many-to-many ``relation``
    of a selection of hubs (kinds, equipment, audiences, labels), in the
    vocabulary's order. A subquery, not a list of ids: any selection size.

    ``with_names``: ``(name, slug)`` pairs instead of the slug alone. ``shape``:
    a function applied to each distinct list, once (``json.dumps`` for a feed that
    writes the same few dozen lists thousands of times); each hub gets its result.

    One query, one row per hub: its terms as one text (each term's position, name
    and slug), put in the vocabulary's order here, once for each distinct
    text (hubs share a few dozen sets of terms); hubs with the same terms share
    one value: read it, do not change it. Sorting every (hub, term) pair in SQL and
    grouping them in Python cost twice as much at 25,000 hubs.
    """
    m2m = Hub._meta.get_field(relation)
    hub_column = m2m.m2m_field_name()
    term = m2m.m2m_reverse_field_name()
    sets = (
        m2m.remote_field.through.objects.filter(
            **{f"{hub_column}__in": queryset.order_by().values("pk")}
        )
        .order_by()
        .values(f"{hub_column}_id")
        .annotate(
            terms=TermList(
                TextJoin(
                    Cast(f"{term}__position", TextField()),
                    Value(_FIELD),
                    f"{term}__name",
                    Value(_FIELD),
                    f"{term}__slug",
                )
            )
        )
        .values_list(f"{hub_column}_id", "terms")
    )
    by_text: dict[str, object] = {}
    by_set: dict[tuple, object] = {}  # one set may come in several orders (PostgreSQL)
    result: dict[int, object] = {}
    for hub_id, terms in sets:
        value = by_text.get(terms)
        if value is None:
            parts = sorted(
                (int(position), name, text)
                for position, name, text in (t.split(_FIELD) for t in terms.split(_TERM))
            )
            values = [(name, text) if with_names else text for _, name, text in parts]
            value = by_set.get(tuple(values))
            if value is None:
                value = by_set[tuple(values)] = shape(values) if shape else values
            by_text[terms] = value
        result[hub_id] = value
    return result


# Separators no vocabulary text holds (ASCII's unit and record separators).
_FIELD, _TERM = "\x1f", "\x1e"


class TermList(Aggregate):
    """A group's texts joined by ``_TERM``, in no particular order."""

    output_field = TextField()
    template = f"STRING_AGG(%(expressions)s, '{_TERM}')"

    def as_sqlite(self, compiler, connection, **extra):
        template = f"GROUP_CONCAT(%(expressions)s, '{_TERM}')"
        return self.as_sql(compiler, connection, template=template, **extra)


def vocabulary_version() -> str:
    """The kinds' slugs, names and colours, in short: the GeoJSON and CSV carry them."""
    rows = HubKind.objects.order_by("pk").values_list("pk", "slug", "name", "color")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:12]


def freshness(queryset, confirmed: bool = False) -> tuple[int, object]:
    """How many hubs a selection has and when the newest changed (for ETags).
    ``confirmed``: a « toujours exact » confirmation counts as a change (the national
    export's ``date_maj`` shows it), in the same query."""
    aggregates = {"count": Count("pk"), "last": Max("updated_at")}
    if confirmed:
        aggregates["confirmed"] = Max("confirmed_at")
    stats = queryset.order_by().aggregate(**aggregates)
    return stats["count"], max(filter(None, (stats["last"], stats.get("confirmed"))), default=None)
