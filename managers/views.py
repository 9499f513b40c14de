"""The managers' area, outside the back-office (``/gestion/``): log in, their hubs,
each hub's form, « Mon compte », and the invitation link.

Every page but the login and the invitation needs a logged-in account, and a hub's
page is found among the account's own hubs only: any other slug is a 404, as if
the hub did not exist. Managers are never staff: /admin/ stays closed to them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from backoffice.account_forms import PreferencesForm
from backoffice.models import StaffPreferences
from events.models import Event
from hubs.models import Hub, HubPhoto

from . import diff, selectors, services, tokens
from .forms import SECTIONS, AcceptInvitationForm, EventEditForm, HubEditForm
from .models import ChangeRequest

LOGIN_URL = reverse_lazy("managers:login")
BACKEND = "django.contrib.auth.backends.ModelBackend"

manager_login_required = login_required(login_url=LOGIN_URL)


class LoginView(auth_views.LoginView):
    template_name = "managers/login.html"
    extra_context = {"title": gettext_lazy("Espace des gestionnaires")}

    def get_default_redirect_url(self):
        return reverse("managers:index")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("managers:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "managers/password.html"
    success_url = reverse_lazy("managers:account")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est changé."))
        return super().form_valid(form)


@manager_login_required
@require_http_methods(["GET", "HEAD"])
def index(request):
    hubs = list(selectors.hubs_of(request.user).select_related("commune").order_by("name"))
    pending = set(
        ChangeRequest.objects.pending()
        .filter(author=request.user, hub__in=hubs)
        .values_list("hub_id", flat=True)
    )
    return render(request, "managers/index.html", {"hubs": hubs, "pending": pending})


@manager_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    """« Mon compte » of a manager: their hubs, password and e-mail preferences."""
    preferences = StaffPreferences.for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    # A manager hears about reminders, not residents' reports (sent to staff).
    form.fields.pop("notify_reports", None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("managers:account")
    links = request.user.managed_hubs.select_related("hub__commune").order_by("hub__name")
    return render(request, "managers/account.html", {"form": form, "links": links})


@manager_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_edit(request, slug):
    hub = get_object_or_404(selectors.hubs_of(request.user).select_related("commune"), slug=slug)
    link = selectors.manager_link(request.user, hub)
    stored = Hub.objects.get(pk=hub.pk)  # the form's instance is changed by validation
    pending = ChangeRequest.objects.pending().filter(hub=hub, author=request.user).first()
    initial = dict(pending.data) if pending else {}
    form = HubEditForm(request.POST or None, request.FILES or None, instance=hub, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form.changed_values(stored)
            if not values and form.processed_photo is None:
                messages.info(request, _("Rien n’a changé."))
                return redirect("managers:hub", slug=slug)
            try:
                change = services.changes_submit(
                    hub=stored,
                    author=request.user,
                    values=values,
                    photo=form.processed_photo,
                    photo_alt_text=form.cleaned_data.get("photo_alt_text", ""),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if change is None:
                    messages.success(request, _("Vos modifications sont publiées."))
                else:
                    messages.success(
                        request,
                        _(
                            "Vos modifications sont envoyées à l’équipe du territoire, qui les "
                            "relira. Vous recevrez sa réponse par e-mail."
                        ),
                    )
                return redirect("managers:hub", slug=slug)
        status = 400
    sections = [(legend, [form[name] for name in names]) for legend, names in SECTIONS]
    events = Event.objects.filter(hub=stored).order_by("-start").select_related("hub")[:20]
    context = {
        "hub": stored,
        "form": form,
        "sections": sections,
        "trusted": link.trusted,
        "pending": pending,
        "pending_rows": diff.rows(pending, stored) if pending else [],
        "photos": stored.photos.all(),
        "events": [(event, services.event_editable(link, event)) for event in events],
    }
    return render(request, "managers/hub_form.html", context, status=status)


def _invitation_refused(request, error: tokens.InvitationError):
    return render(
        request,
        "managers/invitation.html",
        {"error": error.reason, "days": tokens.MAX_AGE.days},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    """GET shows the invitation and changes nothing (mail scanners open links); POST
    accepts it: a new account with the password typed, or the account of that address
    when its owner is logged in."""
    try:
        invitation = tokens.read_token(token)
    except tokens.InvitationError as error:
        return _invitation_refused(request, error)
    existing = services.invitation_account(invitation)
    context = {"invitation": invitation, "hub": invitation.hub, "existing": existing}
    if existing is not None:
        if not request.user.is_authenticated or request.user.pk != existing.pk:
            context["login_url"] = f"{reverse('managers:login')}?next={request.path}"
            return render(request, "managers/invitation.html", context)
        if request.method == "POST":
            try:
                services.invitation_accept(token, user=request.user)
            except tokens.InvitationError as error:
                return _invitation_refused(request, error)
            except PermissionDenied:
                return _invitation_refused(request, tokens.InvitationError("invalid"))
            messages.success(request, _("Vous gérez maintenant ce lieu."))
            return redirect("managers:hub", slug=invitation.hub.slug)
        return render(request, "managers/invitation.html", context)

    future = get_user_model()(username=invitation.email, email=invitation.email)
    form = AcceptInvitationForm(request.POST or None, user=future)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = services.invitation_accept(token, password=form.cleaned_data["password1"])
            except tokens.InvitationError as error:
                return _invitation_refused(request, error)
            except (PermissionDenied, ValidationError):
                return _invitation_refused(request, tokens.InvitationError("invalid"))
            login(request, account, backend=BACKEND)
            messages.success(
                request, _("Votre compte est créé. Vous pouvez modifier la fiche de votre lieu.")
            )
            return redirect("managers:hub", slug=invitation.hub.slug)
        status = 400
    context["form"] = form
    return render(request, "managers/invitation.html", context, status=status)


# A hub's events and photos (the rules: managers/services.py) ----------------------


def _own_hub(request, slug):
    hub = get_object_or_404(selectors.hubs_of(request.user).select_related("commune"), slug=slug)
    return hub, selectors.manager_link(request.user, hub)


@manager_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, slug, pk=None):
    """« Proposer un événement » (``pk`` None) or « Modifier » one of the hub's events;
    another hub's event is a 404, one the manager may not edit a 403."""
    hub, link = _own_hub(request, slug)
    if pk is None:
        event = Event(hub=hub)
    else:
        event = get_object_or_404(Event.objects.filter(hub=hub), pk=pk)
        if not services.event_editable(link, event):
            raise PermissionDenied
    form = EventEditForm(request.POST or None, instance=event, hub=hub)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.event_save(hub=hub, author=request.user, event=form.instance)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if saved.is_published:
                    messages.success(request, _("L’événement est publié."))
                else:
                    messages.success(
                        request,
                        _(
                            "L’événement est enregistré en brouillon : l’équipe du territoire "
                            "le relira avant de le publier."
                        ),
                    )
                return redirect("managers:hub", slug=slug)
        status = 400
    context = {"hub": hub, "event": event, "form": form, "trusted": link.trusted}
    return render(request, "managers/event_form.html", context, status=status)


@manager_login_required
@require_http_methods(["POST"])
def photo_remove(request, slug, pk):
    """Remove a photo of the hub (trusted) or ask the territory's staff to."""
    hub, _link = _own_hub(request, slug)
    photo = get_object_or_404(HubPhoto.objects.filter(hub=hub), pk=pk)
    if services.photo_remove(photo=photo, author=request.user):
        messages.success(request, _("La photo est retirée."))
    else:
        messages.success(
            request,
            _("Votre demande est envoyée à l’équipe du territoire, qui retirera la photo."),
        )
    return redirect("managers:hub", slug=slug)
