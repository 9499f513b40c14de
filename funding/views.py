"""The officials' funding dashboard and its CSV export."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backoffice.scoping import Scope
from web.api import bad_request
from web.querystrings import without_blanks

from . import exports, summaries
from .filters import FundingFilterSet
from .models import FinancingLine
from .querysets import sees_requests


def _filtered(request):
    lines = FinancingLine.objects.visible_to(request.user)
    filterset = FundingFilterSet(without_blanks(request.GET), queryset=lines)
    return filterset, filterset.qs if filterset.is_valid() else None


@require_GET
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
    context.update(summaries.cached_dashboard(lines, territory.level if territory else None, key))
    return render(request, "funding/dashboard.html", context)


def _visibility(user) -> str:
    """Which lines a user sees, as a cache-key part (see FinancingLineQuerySet.visible_to)."""
    if not sees_requests(user):
        return "public"
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return "all"
    codes = [f"region:{c}" for c in scope.regions] + [f"dep:{c}" for c in scope.departements]
    return "scope:" + ",".join(sorted(codes + [f"epci:{c}" for c in scope.epcis]))


@require_GET
def funding_csv(request):
    filterset, lines = _filtered(request)
    if lines is None:
        return bad_request(filterset)
    response = HttpResponse(
        "\ufeff" + exports.lines_csv(lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="financements.csv"'
    return response
