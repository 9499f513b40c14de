"""``/.well-known/security.txt`` (RFC 9116): whom to tell about a vulnerability.

Served when ``DJANGO_SECURITY_CONTACT`` is set (a ``mailto:`` or ``https:``
address, several separated by commas); a 404 otherwise, rather than a made-up
address. ``Expires`` rolls a year ahead: the file is generated, not forgotten.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def security_txt(request):
    contacts = settings.SECURITY_CONTACTS
    if not contacts:
        raise Http404("No security contact is configured.")
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
