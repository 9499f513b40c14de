"""The officials' funding dashboard and its CSV export."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from backoffice.scoping import Scope
from hubs.models import Hub
from web.api import bad_request
from web.maps import map_settings
from web.querystrings import without_blanks

from . import exports, money, summaries
from .filters import FundingFilterSet
from .models import FinancingLine, Funder
from .querysets import sees_requests


def _filtered(request):
    lines = FinancingLine.objects.visible_to(request.user)
    filterset = FundingFilterSet(without_blanks(request.GET), queryset=lines)
    return filterset, filterset.qs if filterset.is_valid() else None


@require_safe
def dashboard(request):
    filterset, lines = _filtered(request)
    territory = filterset.form.cleaned_data.get("territory") if lines is not None else None
    context = {
        "filter": filterset,
        "form": filterset.form,
        "territory": territory,
        "is_staff_view": sees_requests(request.user),
        "query_string": request.GET.urlencode(),
    }
    if lines is None:
        return render(request, "funding/dashboard.html", context, status=400)
    context.update(_figures(request, filterset, lines))
    context["coverage_map"] = coverage_map(context["coverage"], context["distance_km"])
    context["coverage_shown"], context["coverage_rest"] = coverage_table(context["coverage"])
    context["chips"] = active_filters(request.GET, filterset.form)
    context["sentence"] = headline_sentence(context["headline"], context["years"])
    return render(request, "funding/dashboard.html", context)


def _figures(request, filterset, lines) -> dict:
    """The dashboard's figures for a valid selection (cached per data version)."""
    # The filters the form knows, as given: an unknown parameter cannot make a new entry.
    key = [
        _visibility(request.user),
        *sorted(
            f"{name}={value}"
            for name in filterset.form.fields
            for value in request.GET.getlist(name)
            if value
        ),
    ]
    # Planned commitments, filtered alike (the same validated filters): listed apart,
    # never summed.
    planned = filterset.filter_queryset(FinancingLine.objects.planned())
    territory = filterset.form.cleaned_data.get("territory")
    level = territory.level if territory else None
    return summaries.cached_dashboard(
        lines, level, key, planned, filters=filterset.form.cleaned_data
    )


#: The coverage table lists the most populated territories; the map shows them all.
COVERAGE_ROWS = 30


def coverage_table(rows) -> tuple[list[dict], dict | None]:
    """The rows the table lists, and the others added up in one (or None)."""
    shown, rest = rows[:COVERAGE_ROWS], rows[COVERAGE_ROWS:]
    if not rest:
        return shown, None
    population = sum(row["population"] for row in rest)
    far = sum(row["far"] for row in rest)
    return shown, {
        "count": len(rest),
        "population": population,
        "hubs": sum(row["hubs"] for row in rest),
        "far": far,
        "far_share": round(100 * far / population, 1) if population else None,
    }


def coverage_map(rows, km) -> dict | None:
    """The coverage map's settings and points: one circle per territory, its area
    proportional to the population living farther than ``km`` from a hub."""
    points = [
        {
            "lat": row["latitude"],
            "lng": row["longitude"],
            "far": row["far"],
            "label": _("%(name)s : %(far)s habitants à plus de %(km)s km d'un lieu (%(share)s %%)")
            % {
                "name": row["name"],
                "far": intcomma(row["far"]),
                "km": km,
                "share": number_format(row["far_share"], 1),
            },
        }
        for row in rows
        if row["latitude"] is not None
    ]
    return map_settings(points=points) if points else None


def active_filters(params: QueryDict, form) -> list[dict]:
    """Each active filter as a chip: what it says (« Lieu : Pop Place ») and the
    address of the dashboard without it (the other filters kept)."""
    data = form.cleaned_data
    categories = dict(Funder.Category.choices)
    statuses = dict(FinancingLine.Status.choices)
    described = {
        "territory": lambda value: data["territory"].label if data.get("territory") else value,
        "year_from": lambda value: _("depuis %(year)s") % {"year": value},
        "year_to": lambda value: _("jusqu'à %(year)s") % {"year": value},
        "category": lambda value: str(categories.get(value, value)),
        "kind": lambda value: next(
            (k.label for k in data.get("kind") or [] if k.slug == value), value
        ),
        "fund": lambda value: next(
            (str(f) for f in data.get("fund") or [] if f.slug == value), value
        ),
        "hub": lambda value: (
            Hub.objects.published().filter(slug=value).values_list("name", flat=True).first()
            or value
        ),
        "status": lambda value: str(statuses.get(value, value)),
        "distance_km": lambda value: f"{value} km",
    }
    chips = []
    for name, describe in described.items():
        if data.get(name) in (None, "", []):
            continue  # given but empty once cleaned (spaces, control characters): no filter
        for value in params.getlist(name):
            if not value.strip():
                continue
            remaining = params.copy()
            remaining.setlist(name, [v for v in params.getlist(name) if v != value])
            chips.append(
                {
                    "label": str(form.fields[name].label),
                    "value": describe(value),
                    "query": remaining.urlencode(),
                }
            )
    return chips


def headline_sentence(headline, years) -> str:
    """« Depuis 2015, 3,58 M€ de cofinancements publics connus pour 4 lieux, dont 26 %
    de fonds européens. » — the dashboard in one sentence, from its figures."""
    if not headline:
        return ""
    if not headline["lines"]:
        # An empty selection is not a zero: nothing has been recorded, which an
        # official must not read as « no money ».
        return _(
            "Aucun cofinancement public n'est enregistré pour ces critères : cela ne "
            "veut pas dire qu'il n'y en a pas, seulement qu'aucun n'a encore été saisi ici."
        )
    first = next((row["year"] for row in years if row["year"] is not None), None)
    hubs = ngettext("%(count)d lieu", "%(count)d lieux", headline["hubs"]) % {
        "count": headline["hubs"]
    }
    if headline["total"] is None:
        sentence = ngettext(
            "%(count)d ligne de cofinancement public pour %(hubs)s, sans montant connu",
            "%(count)d lignes de cofinancement public pour %(hubs)s, sans montant connu",
            headline["lines"],
        ) % {"count": headline["lines"], "hubs": hubs}
    else:
        amount = money.format_millions(headline["total"])
        if headline["unknown"]:
            amount = _("au moins %(amount)s") % {"amount": amount}
        sentence = _("%(amount)s de cofinancements publics connus pour %(hubs)s") % {
            "amount": amount,
            "hubs": hubs,
        }
        if headline["eu_share"] is not None and headline["eu"]:
            sentence += _(", dont %(share)s de fonds européens") % {
                "share": money.format_share(headline["eu_share"])
            }
    if first is not None:
        sentence = _("Depuis %(year)s, %(rest)s") % {"year": first, "rest": sentence}
    else:
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence + "."


def _visibility(user) -> str:
    """Which lines a user sees, as a cache-key part (see FinancingLineQuerySet.visible_to)."""
    if not sees_requests(user):
        return "public"
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return "all"
    codes = [f"region:{c}" for c in scope.regions] + [f"dep:{c}" for c in scope.departements]
    return "scope:" + ",".join(sorted(codes + [f"epci:{c}" for c in scope.epcis]))


@require_safe
def funding_csv(request):
    filterset, lines = _filtered(request)
    if lines is None:
        return bad_request(filterset)
    response = HttpResponse(
        "\ufeff" + exports.lines_csv(lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="financements.csv"'
    return response


@require_safe
def funding_xlsx(request):
    """The lines and every table of the dashboard, for a spreadsheet, in French."""
    filterset, lines = _filtered(request)
    if lines is None:
        return bad_request(filterset)
    figures = _figures(request, filterset, lines)
    chips = active_filters(request.GET, filterset.form)
    about = [
        (_("Titre"), _("Financements des lieux numériques")),
        (_("Téléchargé le"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        (_("Adresse"), request.build_absolute_uri()),
        (
            _("Filtres"),
            " ; ".join(f"{chip['label']} : {chip['value']}" for chip in chips)
            or _("tous les territoires, toutes les années"),
        ),
        (_("Résumé"), headline_sentence(figures["headline"], figures["years"])),
        (
            _("Règles"),
            _(
                "Montants au centime (arrondi au plus proche, le demi-centime vers le haut). "
                "« non connu » : une part d'un coût total non publié, jamais comptée comme "
                "zéro. Les tableaux additionnent les cofinancements (subventions, avances "
                "remboursables) ; les dépenses directes et les engagements prévus sont à part. "
                "Dictionnaire des données : docs/funding-data.md."
            ),
        ),
    ]
    about = [(str(name), str(value)) for name, value in about]
    response = HttpResponse(
        exports.lines_xlsx(lines, figures, about),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="financements.xlsx"'
    return response
