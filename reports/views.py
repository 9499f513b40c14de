"""« Signaler une erreur » (hub and event pages) and « Proposer un lieu » (map and list).

No account: a honeypot field drops robots silently (they are thanked, nothing is
stored) and each address may send ``REPORTS_PER_HOUR`` reports an hour (then the
form comes back with a 429 and a message saying when to try again, what was typed
kept). Bad input re-renders the form with a 400.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event
from hubs.models import Hub
from web import rate_limit

from . import services
from .forms import HONEYPOT, ErrorReportForm, PlaceSuggestionForm
from .models import Report

RATE_SCOPE = "reports"
RATE_WINDOW_SECONDS = 3600


def _too_many(request) -> bool:
    return rate_limit.is_limited(RATE_SCOPE, request, limit=settings.REPORTS_PER_HOUR)


def _count(request) -> None:
    rate_limit.count(RATE_SCOPE, request, window=RATE_WINDOW_SECONDS)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _contact(form) -> dict:
    return {
        "reporter_email": form.cleaned_data.get("email") or "",
        "contact_consent": bool(form.cleaned_data.get("consent")),
    }


def _handle(request, form_class, context, create):
    """The form's GET and POST; ``create(form)`` stores a valid report."""
    status = 200
    if request.method == "POST" and _too_many(request):
        # Refused, and said so above the form, which keeps what was typed.
        typed = {k: v for k, v in request.POST.items() if k != HONEYPOT}
        form, status = form_class(initial=typed), 429
        context = {**context, "rate_limited": True}
    elif request.method == "POST":
        form = form_class(request.POST)
        if form.is_robot():
            _count(request)
            return redirect("reports:thanks")
        if form.is_valid():
            create(form)
            _count(request)
            return redirect("reports:thanks")
        status = 400
    else:
        form = form_class()
    context = {**context, "form": form, "honeypot": form[HONEYPOT]}
    response = render(request, "reports/form.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    return response


def _report_error(request, kind, record, *, commune, subject_name):
    """« Signaler une erreur » about ``record``, a hub or an event (``kind``): the form,
    then a report naming the record and the commune whose staff hear of it."""

    def create(form):
        services.report_create(
            kind=kind,
            hub=record if kind == Report.Kind.HUB else None,
            event=record if kind == Report.Kind.EVENT else None,
            commune=commune,
            subject_name=subject_name,
            message=form.cleaned_data["message"],
            language=_language(),
            **_contact(form),
        )

    context = {"kind": kind.value, "record": record, "back_url": record.get_absolute_url()}
    return _handle(request, ErrorReportForm, context, create)


@require_http_methods(["GET", "POST"])
def report_hub(request, slug):
    hub = get_object_or_404(Hub.objects.published().select_related("commune"), slug=slug)
    return _report_error(request, Report.Kind.HUB, hub, commune=hub.commune, subject_name=hub.name)


@require_http_methods(["GET", "POST"])
def report_event(request, slug):
    queryset = Event.objects.published().select_related("hub__commune", "commune")
    event = get_object_or_404(queryset, slug=slug)
    return _report_error(
        request, Report.Kind.EVENT, event, commune=event.staff_commune, subject_name=event.title
    )


@require_http_methods(["GET", "POST"])
def suggest_place(request):
    def create(form):
        data = form.cleaned_data
        address = ", ".join(
            part for part in [data["address"], f"{data['postcode']} {data['city']}"] if part
        )
        services.report_create(
            kind=Report.Kind.NEW_PLACE,
            commune=data["commune"],
            subject_name=data["name"],
            suggested_name=data["name"],
            suggested_address=address[:250],
            message=data["message"],
            language=_language(),
            **_contact(form),
        )

    return _handle(request, PlaceSuggestionForm, {"kind": "new_place"}, create)


@require_safe
def thanks(request):
    return render(request, "reports/thanks.html")
