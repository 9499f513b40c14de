"""The managers in the back-office: inviting one, trusting one, reviewing their changes.

Everything is scoped by the hub's commune (``TerritoryScopedMixin``): an editor of
Valenciennes neither sees nor invites nor decides for a Calais hub. Deciding on a
change is a POST to its own URL, open to who may change it in its territory.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.admin_layout import short_datetime
from backoffice.admin_scoping import TerritoryScopedAdmin, TerritoryScopedMixin

from . import diff, services
from .models import ChangeRequest, HubManager, Invitation


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["hub", "email"]
        help_texts = {
            "email": _(
                "Le gestionnaire reçoit un lien valable 7 jours, qui sert une fois : il y choisit "
                "son mot de passe, puis modifie la fiche de son lieu hors du back-office."
            )
        }

    def clean(self):
        cleaned = super().clean()
        hub, email = cleaned.get("hub"), cleaned.get("email")
        if hub is not None and email:
            try:
                cleaned["email"] = services.invitation_check(
                    hub=hub, email=email, invited_by=self.request_user
                )
            except PermissionDenied:
                self.add_error("hub", _("Vous ne pouvez pas modifier ce lieu."))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(TerritoryScopedMixin, admin.ModelAdmin):
    """Invite a hub's manager: an e-mail with a link valid a week, once.

    « Inviter le gestionnaire » on a hub's page opens this form with the hub chosen.
    Sent invitations are not edited (revoke one by deleting it, then invite again).
    """

    scope_paths = ("hub__commune",)
    form = InvitationForm
    list_display = ["email", "hub", "invited_by", "sent", "state"]
    list_select_related = ["hub", "invited_by"]
    search_fields = ["email", "hub__name"]
    autocomplete_fields = ["hub"]
    readonly_fields = ["invited_by", "created_at", "expires_at", "used_at", "accepted_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["hub", "email"]
        return ["hub", "email", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return ["hub", "email", *self.readonly_fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # sent is sent

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        widget = form.base_fields["hub"].widget if "hub" in form.base_fields else None
        if widget is not None:  # no « add / change / view the hub » icons beside the choice
            widget.can_add_related = widget.can_change_related = widget.can_view_related = False
        return form

    def add_view(self, request, form_url="", extra_context=None):
        extra = {
            "title": gettext("Inviter le gestionnaire d’un lieu"),
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
        }
        return super().add_view(request, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        services.invitation_send(obj)

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(
            request,
            gettext("Invitation envoyée à %(email)s pour « %(hub)s ».")
            % {"email": obj.email, "hub": obj.hub},
        )
        return redirect(reverse("admin:managers_invitation_changelist"))

    @admin.display(description=_("envoyée le"), ordering="created_at")
    def sent(self, obj):
        return short_datetime(obj.created_at)

    @admin.display(description=_("état"))
    def state(self, obj):
        if obj.is_used:
            return gettext("acceptée")
        if obj.is_expired:
            return gettext("expirée")
        return gettext("en attente")


@admin.register(HubManager)
class HubManagerAdmin(TerritoryScopedAdmin):
    """The managers of the territory's hubs, and whether their changes are published
    without review (« publie sans relecture »)."""

    scope_paths = ("hub__commune",)
    list_display = ["account", "hub", "trusted", "created_at"]
    list_filter = ["trusted"]
    list_select_related = ["user", "hub"]
    search_fields = ["user__email", "user__username", "hub__name"]
    fields = ["user", "hub", "trusted", "invited_by", "created_at"]
    readonly_fields = ["user", "hub", "invited_by", "created_at"]

    def has_add_permission(self, request):
        return False  # by invitation only

    @admin.display(description=_("compte"), ordering="user__email")
    def account(self, obj):
        return obj.user.email or obj.user.get_username()


@admin.register(ChangeRequest)
class ChangeRequestAdmin(TerritoryScopedMixin, admin.ModelAdmin):
    """What managers propose: each field's value now and proposed, and the decision
    (accept or reject, with a message the manager receives)."""

    scope_paths = ("hub__commune",)
    list_display = ["hub", "author", "fields_changed", "created", "status"]
    list_filter = ["status"]
    list_select_related = ["hub", "author"]
    search_fields = ["hub__name", "author__email"]
    ordering = ["-created_at"]
    change_form_template = "admin/managers/changerequest/change_form.html"
    readonly_fields = [
        "hub",
        "author",
        "created_at",
        "status",
        "reviewer",
        "decided_at",
        "message",
        "photo_alt_text",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # managers send them from /gestion/

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hub__commune", "author", "reviewer")

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/decide/", decide, name="{}_{}_decide".format(*info)),
            *super().get_urls(),
        ]

    @admin.display(description=_("champs"))
    def fields_changed(self, obj):
        return diff.summary(obj)

    @admin.display(description=_("proposée le"), ordering="created_at")
    def created(self, obj):
        return short_datetime(obj.created_at)

    def may_decide(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.is_pending
            and self.has_change_permission(request, obj)
            and services.may_decide(request.user, obj)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        if obj is not None:
            extra.update(
                title=gettext("Modification proposée : %(hub)s") % {"hub": obj.hub},
                diff_rows=diff.rows(obj),
                may_decide=self.may_decide(request, obj),
                decide_url=reverse("admin:managers_changerequest_decide", args=[obj.pk]),
                hub_admin_url=reverse("admin:hubs_hub_change", args=[obj.hub_id]),
            )
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def decide_view(self, request, object_id):
        """POST ``decision`` (``accept`` or ``reject``) and ``message``."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not (
            self.has_change_permission(request, obj) and services.may_decide(request.user, obj)
        ):
            raise PermissionDenied
        decision = request.POST.get("decision")
        message = request.POST.get("message", "").strip()[:2000]
        change_url = reverse("admin:managers_changerequest_change", args=[obj.pk])
        if decision not in {"accept", "reject"}:
            messages.error(request, gettext("Choisissez d’accepter ou de refuser."))
            return redirect(change_url)
        if decision == "reject" and not message:
            messages.error(
                request, gettext("Dites au gestionnaire pourquoi sa modification est refusée.")
            )
            return redirect(change_url)
        try:
            if decision == "accept":
                services.change_accept(obj, reviewer=request.user, message=message)
            else:
                services.change_reject(obj, reviewer=request.user, message=message)
        except ValidationError as error:
            messages.error(
                request,
                gettext("La modification ne peut pas être appliquée : %(errors)s")
                % {"errors": " ".join(error.messages)},
            )
            return redirect(change_url)
        self.log_change(request, obj, [{"changed": {"fields": ["status"]}}])
        if decision == "accept":
            text = gettext(
                "Modification acceptée et publiée : « %(hub)s ». Le gestionnaire est prévenu."
            )
        else:
            text = gettext("Modification refusée : « %(hub)s ». Le gestionnaire est prévenu.")
        messages.success(request, text % {"hub": obj.hub})
        return redirect(reverse("admin:managers_changerequest_changelist"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.photo:
            context["pending_photo"] = format_html(
                '<img src="{}" alt="{}" class="change-photo">', obj.photo.url, obj.photo_alt_text
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
