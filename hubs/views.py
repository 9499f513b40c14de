"""Public pages and API of the hub directory."""

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from backoffice.scoping import can_preview
from places.filters import DEFAULT_RADIUS_KM, RADIUS_CHOICES
from web.api import bad_request, conditional_response
from web.maps import map_settings
from web.querystrings import without_blanks

from . import exports, hours, national_export, selectors
from .filters import HubFilterSet
from .jsonld import hub_jsonld
from .models import Audience, Equipment, Hub, HubKind, Label
from .targets import progress


def _filtered(request):
    """The published hubs matching the query string, and the bound FilterSet."""
    filterset = HubFilterSet(without_blanks(request.GET), queryset=selectors.public_hubs())
    return filterset, filterset.qs if filterset.is_valid() else None


def _paginator(queryset) -> Paginator:
    """The pages of results, as the list, the map page and the cards fragment cut them."""
    return Paginator(selectors.for_listing(queryset), settings.HUBS_PER_PAGE)


def _page_context(request, filterset, queryset):
    """What the map page and the list page share: the form, the page of results."""
    status = 200
    page = None
    if queryset is None:
        status = 400
    else:
        page = _paginator(queryset).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    empty = page is not None and not page.paginator.count
    return {
        "searched": page is not None,  # a valid search (an empty page is falsy)
        "wider": wider_searches(request, filterset) if empty else [],
        "radius": filterset.form.cleaned_data.get("radius_km") if page is not None else None,
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page,
        "hubs": page.object_list if page else [],
        "query_string": query.urlencode(),
        "center": filterset.center,
        "place_ref": filterset.place_ref,
        "radius_choices": RADIUS_CHOICES,
        "default_radius": DEFAULT_RADIUS_KM,
        "vocabularies": _vocabularies(),
        **(_hours_context(filterset) if page is not None else {}),
    }, status


def _hours_context(filterset) -> dict:
    """The moment the cards' open/closed state is read at: ``open_at`` when the
    search asks for it (« open on Tuesday at 10 » shows who is open then), else now."""
    data = filterset.form.cleaned_data
    moment = data.get("open_at")
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=hours.PARIS)
    moment = moment.astimezone(hours.PARIS) if moment else None
    return {
        "hours_moment": moment,
        "hours_moment_label": hours.moment_in_words(moment) if moment else "",
        "open_now": bool(data.get("open_now")) and moment is None,
    }


def wider_searches(request, filterset) -> list[dict]:
    """One-click ways out of an empty search around a place: the larger radii of
    the menu, then the whole département of the place (issue 16). The map's
    area (``bbox``, sent by the map page's list) is left out: wider is wider."""
    data = filterset.form.cleaned_data
    ref = filterset.place_ref
    offers = []
    if data.get("open_now") or data.get("open_at"):
        # Closed at that moment is the likeliest reason: the same search, open or not.
        query = request.GET.copy()
        for name in ("page", "open_now", "open_at", "bbox"):
            query.pop(name, None)
        offers.append({"label": _("y compris les lieux fermés à ce moment"), "query": query})
    if filterset.center:
        radius = float(data.get("radius_km") or DEFAULT_RADIUS_KM)
        for km in [r for r in RADIUS_CHOICES if r > radius][:2]:
            query = request.GET.copy()
            query.pop("page", None)
            query.pop("bbox", None)
            query["radius_km"] = str(km)
            offers.append({"label": _("à moins de %(km)s km") % {"km": km}, "query": query})
    commune = ref.obj if ref is not None and ref.level == "commune" else None
    if commune is not None and commune.departement_id:
        query = request.GET.copy()
        for name in ("page", "place", "near", "radius_km", "bbox"):
            query.pop(name, None)
        query["territory"] = f"dep:{commune.departement_id}"
        offers.append(
            {
                "label": _("dans tout le département (%(name)s)")
                % {"name": commune.departement.name},
                "query": query,
            }
        )
    return [{**offer, "query": offer["query"].urlencode()} for offer in offers]


def _vocabularies():
    return {
        "kinds": list(HubKind.objects.all()),
        "equipment": list(Equipment.objects.all()),
        "audiences": list(Audience.objects.all()),
        "labels": list(Label.objects.all()),
    }


@require_safe
def home(request):
    return _map_page(request, embed=False)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})
def embed(request):
    """The map alone, for other sites' iframes (same filters in the query string)."""
    return _map_page(request, embed=True)


def embed_snippet(url: str, title: str) -> str:
    return (
        f'<iframe src="{url}" title="{title}" width="100%" height="520" '
        'style="border:0" loading="lazy"></iframe>'
    )


def _map_page(request, embed: bool):
    filterset, queryset = _filtered(request)
    context, status = _page_context(request, filterset, queryset)
    query_string = context["query_string"]  # the filters, without the page
    suffix = f"?{query_string}" if query_string else ""
    context["embed"] = embed
    context["full_site_url"] = request.build_absolute_uri(reverse("home") + suffix)
    context["embed_base_url"] = request.build_absolute_uri(reverse("embed"))
    context["embed_snippet"] = embed_snippet(
        context["embed_base_url"] + suffix, escape(_("Carte des lieux numériques"))
    )
    # The GeoJSON of this very selection, preloaded from the page's <head>: it
    # downloads while Leaflet and the scripts load instead of after them.
    initial_url = f"{reverse('api:hubs-geojson')}?{query_string}"
    context["geojson_preload_url"] = initial_url if status == 200 else None
    context["map_config"] = map_settings(
        geojsonUrl=reverse("api:hubs-geojson"),
        geojsonInitialUrl=initial_url,
        hubUrl=exports.detail_path_template(),
        hubJsonUrl=reverse("api:hub-json", kwargs={"pk": 987654321}).replace("987654321", "{id}"),
        eventsGeojsonUrl=reverse("api:events-geojson"),
        listUrl=reverse("hubs:list"),
        cardsUrl=reverse("hubs:cards"),
        # Which cards the server drew in the list: this selection's first page.
        cardsDrawn=not request.GET.get("page") and status == 200,
        autocompleteUrl=reverse("api:territories-autocomplete"),
        kinds=[
            {"slug": k.slug, "name": k.label, "color": k.color}
            for k in context["vocabularies"]["kinds"]
        ],
    )
    return render(request, "hubs/map.html", context, status=status)


@require_safe
def hub_list(request):
    filterset, queryset = _filtered(request)
    context, status = _page_context(request, filterset, queryset)
    return render(request, "hubs/list.html", context, status=status)


@require_safe
def hub_cards(request):
    """One page of result cards (``<li>``, components/hub_card.html), for the map
    page's list: after a search or a move of the map it fetches them with the same
    filters (and ``bbox``, the map's area) instead of drawing cards of its own, so
    a card shows the same fields whoever draws it (issue 16). Bad input is a 400
    (JSON, as the API's); a page past the last is empty; 304 when unchanged."""
    filterset, queryset = _filtered(request)
    if queryset is None:
        return bad_request(filterset)
    number = request.GET.get("page") or "1"
    if not number.isdigit() or int(number) < 1:
        message = _("Paramètre invalide : %(names)s.") % {"names": "page"}
        return JsonResponse({"message": message, "errors": {"page": [message]}}, status=400)
    try:
        page = _paginator(queryset).page(int(number))
    except EmptyPage:
        page = None  # past the last page: no more cards
    # Cards say « Ouvert » or « Fermé »: the state changes with the clock, so the
    # ETag does too, every minute.
    variant = f"cards|{selectors.vocabulary_version()}|{hours.now():%Y-%m-%dT%H:%M}"

    def render_cards():
        empty = page is not None and page.number == 1 and not page.paginator.count
        context = {
            "hubs": page.object_list if page else [],
            "page_obj": page,
            "searched": empty,
            "wider": wider_searches(request, filterset) if empty else [],
            "radius": filterset.form.cleaned_data.get("radius_km"),
            "center": filterset.center,
            "place_ref": filterset.place_ref,
            "show_on_map": True,
            # The empty message's links lead to the map page, not to this fragment.
            "results_path": reverse("home"),
            **_hours_context(filterset),  # the state at ``open_at``, as the list's cards
        }
        return render(request, "hubs/cards.html", context)

    return conditional_response(request, selectors.freshness(queryset), variant, render_cards)


@require_safe
def hub_detail(request, slug):
    queryset = Hub.objects.select_related(
        "commune", "commune__departement", "commune__epci", "parent"
    ).prefetch_related(
        "kinds",
        "equipment",
        "audiences",
        "labels",
        "photos",
        "indicators",
        "targets",
        Prefetch("children", queryset=Hub.objects.published().select_related("commune")),
    )
    hub = get_object_or_404(queryset, slug=slug)
    if not hub.is_published and not can_preview(request.user, Hub, hub.commune):
        raise Http404
    parent = hub.parent if hub.parent and hub.parent.is_published else None
    indicators = list(hub.indicators.all())
    context = {
        "hub": hub,
        "parent": parent,
        "children": list(hub.children.all()),
        "indicators": indicators,
        "latest_indicator": indicators[0] if indicators else None,
        "targets": [progress(target, indicators) for target in hub.targets.all()],
        "hours_status": hours.status(hub.opening_hours),
        "hours_week": hours.week(hub.opening_hours),
        "jsonld": hub_jsonld(hub, request),
        "map_config": map_settings(center=[hub.latitude, hub.longitude], zoom=15, label=hub.name),
    }
    return render(request, "hubs/detail.html", context)


# A rendered GeoJSON or CSV is kept under its ETag (selection, row count, newest
# change, vocabulary version): the next visitor without the ETag gets it at once.
API_RENDER_CACHE_SECONDS = 600


def _api_response(request, variant: str, render, confirmed: bool = False):
    """Filter, answer 400 on bad input, 304 when unchanged, else ``render(filterset, qs)``;
    ``confirmed``: a hub's « toujours exact » confirmation changes the answer too."""
    filterset, queryset = _filtered(request)
    if queryset is None:
        return bad_request(filterset)
    variant = f"{variant}|{selectors.vocabulary_version()}"  # a renamed kind changes the ETag
    if filterset.form.cleaned_data.get("open_now"):
        # « Open now » changes with the clock, not only with the data.
        variant += f"|{hours.now():%Y-%m-%dT%H:%M}"
    return conditional_response(
        request,
        selectors.freshness(queryset, confirmed),
        variant,
        lambda: render(filterset, queryset),
        cache_seconds=API_RENDER_CACHE_SECONDS,
    )


@require_safe  # HEAD too: caches and feed readers revalidate with it
def hubs_geojson(request):
    def render(filterset, queryset):
        near = filterset.center is not None
        # Nearest first around a point; else by id (stable, and no sort of every name).
        body = exports.geojson_bytes(
            queryset if near else queryset.order_by("pk"), with_distance=near
        )
        return HttpResponse(body, content_type="application/geo+json; charset=utf-8")

    return _api_response(request, "geojson", render)


@require_safe
def hub_json(request, pk: int):
    """One published hub's details, for the map popup (the GeoJSON stays compact)."""
    hub = get_object_or_404(Hub.objects.published().select_related("commune"), pk=pk)

    def render():
        return JsonResponse(exports.hub_details(hub), json_dumps_params={"ensure_ascii": False})

    return conditional_response(request, (1, hub.updated_at), "json", render)


@require_safe
def hubs_csv(request):
    def render(filterset, queryset):
        base_url = request.build_absolute_uri("/").rstrip("/")
        # The BOM lets spreadsheet software recognise UTF-8 (accents in names).
        text = "\ufeff" + exports.csv_text(queryset, base_url=base_url)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lieux-numeriques.csv"'
        return response

    return _api_response(request, "csv", render)


@require_safe
def national_csv(request):
    """The selection in the national schema « lieux de médiation numérique » (CSV)."""

    def render(filterset, queryset):
        response = HttpResponse(
            national_export.csv_text(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="lieux-mediation-numerique.csv"'
        return response

    return _api_response(
        request, f"national-csv|{national_export.vocabulary_state()}", render, confirmed=True
    )


@require_safe
def national_json(request):
    """The same records as a JSON array."""

    def render(filterset, queryset):
        return HttpResponse(
            national_export.json_bytes(queryset), content_type="application/json; charset=utf-8"
        )

    return _api_response(
        request, f"national-json|{national_export.vocabulary_state()}", render, confirmed=True
    )
