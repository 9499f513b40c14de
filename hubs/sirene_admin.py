"""What staff see of the SIRET check (manage.py check_sirets, hubs/sirene.py).

A list filter on the directory's finding, the finding on the change form (read
only, with a warning at the top when the establishment is closed), and a row of
the admin home's to-do. Nothing here changes a hub's publication: staff decide.
"""

from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Hub

Status = Hub.SiretStatus
UNCHECKED = "unchecked"
DIRECTORY_URL = "https://annuaire-entreprises.data.gouv.fr/etablissement/{}"


class SiretStatusListFilter(admin.SimpleListFilter):
    """« Par SIRET : établissement fermé », and the other findings."""

    title = _("SIRET")
    parameter_name = "siret_status"

    def lookups(self, request, model_admin):
        return [
            (Status.CLOSED, _("établissement fermé")),
            (Status.NOT_FOUND, _("SIRET introuvable")),
            (Status.UNKNOWN, _("état inconnu")),
            (Status.ACTIVE, _("établissement actif")),
            (UNCHECKED, _("jamais vérifié")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == UNCHECKED:
            return queryset.exclude(siret="").filter(siret_status="")
        if value in Status.values:
            return queryset.filter(siret_status=value)
        return queryset


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def closed_message(hub: Hub) -> str:
    if hub.siret_closed_on:
        text = gettext(
            "L'établissement de ce SIRET est fermé depuis le %(date)s selon l'annuaire "
            "des entreprises."
        ) % {"date": _day(hub.siret_closed_on)}
    else:
        text = gettext("L'établissement de ce SIRET est fermé selon l'annuaire des entreprises.")
    return f"{text} " + gettext(
        "Le lieu reste publié : vérifiez s'il a fermé, déménagé ou changé de SIRET."
    )


class SiretCheckAdminMixin:
    """For ``HubAdmin``: add ``siret_check`` to its fieldsets and read-only fields."""

    @admin.display(description=_("vérification du SIRET"))
    def siret_check(self, hub):
        if not hub.pk or not hub.siret:
            return "—"
        if not hub.siret_status:
            return gettext("Jamais vérifié dans l'annuaire des entreprises.")
        checked = gettext("vérifié le %(date)s") % {"date": _day(localtime(hub.siret_checked_at))}
        if hub.siret_status == Status.CLOSED:
            return format_html(
                '<strong class="siret-closed">{}</strong> ({}, <a href="{}">{}</a>)',
                closed_message(hub),
                checked,
                DIRECTORY_URL.format(hub.siret),
                gettext("voir la fiche de l'annuaire"),
            )
        if hub.siret_status == Status.NOT_FOUND:
            return format_html(
                "{} ({})",
                gettext("SIRET introuvable dans l'annuaire des entreprises : vérifiez le numéro."),
                checked,
            )
        return format_html("{} ({})", capfirst(Status(hub.siret_status).label), checked)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.siret_status == Status.CLOSED:
            messages.warning(request, closed_message(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def extra_todo_rows(self, request, records, changelist_url):
        """« lieux dont l'établissement est fermé »: published ones, when there are any."""
        count = records.filter(
            publication=Hub.Publication.PUBLISHED, siret_status=Status.CLOSED
        ).count()
        if not count:
            return []
        return [
            {
                "count": count,
                "label": _("lieux dont l'établissement est fermé"),
                "url": f"{changelist_url}?siret_status={Status.CLOSED}"
                "&publication__exact=published",
            }
        ]
