from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backoffice.admin_scoping import TerritoryScopedAdmin

from . import services
from .models import Report


@admin.register(Report)
class ReportAdmin(TerritoryScopedAdmin):
    """Residents' reports, in the territory of what they are about (their commune).

    Staff read them, answer in the note, and close them (done or rejected): the
    reporter who left an address hears the outcome, then the address is wiped.
    Nobody adds one here: they come from the public forms.
    """

    scope_paths = ("commune",)
    list_display = ["subject_name", "kind", "commune", "created_at", "status", "has_contact"]
    list_filter = ["status", "kind"]
    list_select_related = ["commune"]
    search_fields = ["subject_name", "message", "suggested_name", "commune__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["mark_done", "reject"]
    fieldsets = [
        (
            _("Signalement"),
            {
                "fields": [
                    "kind",
                    "record_link",
                    "subject_name",
                    "commune",
                    "message",
                    "suggested_name",
                    "suggested_address",
                    "created_at",
                ]
            },
        ),
        (_("Habitant"), {"fields": ["reporter_email", "language"]}),
        (_("Suivi"), {"fields": ["status", "staff_note", "closed_at"]}),
    ]
    readonly_fields = [
        "kind",
        "record_link",
        "subject_name",
        "commune",
        "message",
        "suggested_name",
        "suggested_address",
        "created_at",
        "reporter_email",
        "language",
        "closed_at",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.kind == Report.Kind.NEW_PLACE:
            return fieldsets
        # An error on a hub or an event: no suggested place to show.
        suggestion = {"suggested_name", "suggested_address"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in suggestion]})
            for name, options in fieldsets
        ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("e-mail"), boolean=True)
    def has_contact(self, obj):
        return bool(obj.reporter_email)

    @admin.display(description=_("fiche concernée"))
    def record_link(self, obj):
        record = obj.get_record()
        if record is None:
            return "—"
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record)

    def save_model(self, request, obj, form, change):
        # The address before the save, which wipes it when the report is closed.
        stored = Report.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if stored is not None and stored.is_open and not obj.is_open:
            services.tell_reporter(obj, stored.reporter_email)

    def _close(self, request, queryset, status, message):
        closed = 0
        for report in queryset.filter(status=Report.Status.NEW):
            if not self.has_change_permission(request, report):
                raise PermissionDenied
            closed += services.report_close(report, status=status)
        self.message_user(request, message(closed) % {"count": closed}, messages.SUCCESS)

    @admin.action(description=_("Marquer traité"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._close(
            request,
            queryset,
            Report.Status.DONE,
            lambda n: ngettext(
                "%(count)d signalement marqué traité.", "%(count)d signalements marqués traités.", n
            ),
        )

    @admin.action(description=_("Rejeter"), permissions=["change"])
    def reject(self, request, queryset):
        self._close(
            request,
            queryset,
            Report.Status.REJECTED,
            lambda n: ngettext(
                "%(count)d signalement rejeté.", "%(count)d signalements rejetés.", n
            ),
        )
