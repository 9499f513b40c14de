"""« Mon compte »: a staff member's role and territories, password, two-factor
login and e-mail preferences. Pages of the admin site (backoffice/sites.py),
behind its login; the second-factor pages are the ones a held session may open
(backoffice/middleware.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import two_factor
from .account_forms import CodeForm, PreferencesForm
from .models import RecoveryCodeDevice, StaffPreferences
from .roles import role_labels
from .scoping import ALL_TERRITORIES


def _context(site, request, title, **extra):
    context = {**site.each_context(request), "title": title, "subtitle": None, **extra}
    if not request.user.is_verified() and (
        two_factor.has_device(request.user) or two_factor.is_required(request.user)
    ):
        # A session held for its second factor: no menu of pages it may not open yet.
        context.update(is_nav_sidebar_enabled=False, available_apps=[])
    return context


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def territories(user) -> list[str]:
    """The territories the account works on, by name."""
    if user.has_perm(ALL_TERRITORIES):
        return [_("Tous les territoires")]
    rows = user.territory_scopes.select_related("region", "departement", "epci")
    return [str(row) for row in rows]


def account(request, site):
    user = request.user
    preferences = StaffPreferences.for_user(user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("admin:account")
    return TemplateResponse(
        request,
        "admin/account/account.html",
        _context(
            site,
            request,
            _("Mon compte"),
            roles=role_labels(user),
            territories=territories(user),
            form=form,
            two_factor_on=two_factor.has_device(user),
            two_factor_required=two_factor.is_required(user),
            recovery_left=two_factor.remaining_recovery_codes(user),
            app=two_factor.app_device(user),
        ),
    )


def two_factor_setup(request, site):
    """Set up the authenticator app (or replace it): scan, then type its first code."""
    user = request.user
    device = two_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, _("La double authentification est activée."))
            return _show_codes(request, site, codes, next_url=_next_url(request))
        form.add_error("code", _("Ce code ne correspond pas. Vérifiez l’heure du téléphone."))
    return TemplateResponse(
        request,
        "admin/account/two_factor_setup.html",
        _context(
            site,
            request,
            _("Double authentification"),
            form=form,
            qr_svg=mark_safe(two_factor.qr_svg(device)),  # noqa: S308 (drawn by qrcode, no user text)
            secret=two_factor.secret_text(device),
            replacing=two_factor.has_device(user),
            required=two_factor.is_required(user),
            next=request.GET.get("next", ""),
        ),
    )


def two_factor_verify(request, site):
    """The second step of the login: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified() or not two_factor.has_device(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request, form.cleaned_data["code"])
        if device is not None:
            if isinstance(device, RecoveryCodeDevice):
                left = device.codes.count()
                messages.warning(
                    request,
                    _("Code de secours utilisé : il vous en reste %(count)d.") % {"count": left},
                )
            return redirect(_next_url(request))
        # Counted by django-axes like a wrong password: enough of them lock the account out.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return redirect("admin:login")
        until = two_factor.throttled_until(user)
        if until is not None and until > timezone.now():
            seconds = int((until - timezone.now()).total_seconds()) + 1
            form.add_error(
                "code",
                _("Code refusé. Attendez %(seconds)d secondes avant d’en essayer un autre.")
                % {"seconds": seconds},
            )
        else:
            form.add_error("code", _("Code refusé."))
    return TemplateResponse(
        request,
        "admin/account/two_factor_verify.html",
        _context(
            site,
            request,
            _("Code de connexion"),
            form=form,
            next=request.GET.get("next", ""),
        ),
    )


def _show_codes(request, site, codes, next_url=""):
    return TemplateResponse(
        request,
        "admin/account/recovery_codes.html",
        _context(site, request, _("Vos codes de secours"), codes=codes, next_url=next_url),
    )


@require_POST
def recovery_codes(request, site):
    """Ten new recovery codes, the old ones no longer working."""
    if not two_factor.has_device(request.user):
        return redirect("admin:account_two_factor")
    codes = two_factor.new_recovery_codes(request.user)
    messages.success(request, _("Nouveaux codes de secours : les anciens ne servent plus."))
    return _show_codes(request, site, codes, next_url=reverse("admin:account"))


@require_POST
def two_factor_reset(request, site):
    """Remove the app and the recovery codes; an account that must use them sets them up again."""
    user = request.user
    two_factor.reset(user)
    two_factor.forget_verification(request)
    if two_factor.is_required(user):
        messages.warning(request, _("Configurez à nouveau la double authentification."))
        return redirect("admin:account_two_factor")
    messages.success(request, _("La double authentification est désactivée."))
    return redirect("admin:account")


PAGES = [
    ("account/", account, "account"),
    ("account/two-factor/", two_factor_setup, "account_two_factor"),
    ("account/two-factor/verify/", two_factor_verify, "account_verify"),
    ("account/two-factor/recovery-codes/", recovery_codes, "account_recovery_codes"),
    ("account/two-factor/reset/", two_factor_reset, "account_two_factor_reset"),
]
