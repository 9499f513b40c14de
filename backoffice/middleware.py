"""No back-office without the second factor (backoffice/two_factor.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from . import two_factor

#: The admin pages a held session may open, by step.
OPEN_PAGES = {
    "verify": {"account_verify", "logout"},
    "setup": {"account_two_factor", "logout"},
}


class SecondFactorMiddleware:
    """Holds a staff session that has not passed the second factor.

    Under ``/admin/`` it is sent to the page of its next step (enter a code, or
    set up the app when its role requires one) and may open nothing else but
    « Se déconnecter »; on the public site it counts as a visitor's (no preview
    of drafts). Sessions without a login, the public's, are not looked at.
    Runs after django-otp's ``OTPMiddleware``, which tells ``is_verified()``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SESSION_KEY not in request.session:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        step = self.step(user)
        if step is None:
            return None
        if not request.path_info.startswith(reverse("admin:index")):
            request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if match and match.namespace == "admin" and match.url_name in OPEN_PAGES[step]:
            return None
        target = reverse("admin:account_verify" if step == "verify" else "admin:account_two_factor")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def step(user) -> str | None:
        """``verify``, ``setup`` or None (nothing asked of this account)."""
        if two_factor.has_device(user):
            return "verify"
        if two_factor.is_required(user):
            return "setup"
        return None
