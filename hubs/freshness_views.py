"""The « toujours exact » page a reminder links to (hubs/freshness.py).

GET shows the hub and one button, and changes nothing: mail scanners open links
before people do. POST confirms. No login: the signed link is the permission, for
its hub and its recipient only. A link that confirms nothing (tampered, expired,
already used, or whose recipient no longer answers for the hub) is a 400 page
saying which.
"""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import freshness

TEMPLATE = "hubs/confirm.html"


def _edit_path(hub, user) -> str:
    """Where the link's recipient edits the hub: a manager's own form, else the admin."""
    return freshness.manager_edit_path(hub, user) or reverse("admin:hubs_hub_change", args=[hub.pk])


def _refused(request, error: freshness.LinkError):
    context = {"error": error.reason, "hub": error.hub, "link_days": freshness.LINK_VALIDITY.days}
    return render(request, TEMPLATE, context, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_hub(request, token: str):
    if request.method == "POST":
        try:
            user = freshness.read_token(token).user
            hub = freshness.confirm(token)  # locks the hub and checks the link again
        except freshness.LinkError as error:
            return _refused(request, error)
        context = {"hub": hub, "done": True, "edit_url": _edit_path(hub, user)}
        return render(request, TEMPLATE, context)
    try:
        link = freshness.read_token(token)
    except freshness.LinkError as error:
        return _refused(request, error)
    return render(request, TEMPLATE, {"hub": link.hub, "edit_url": _edit_path(link.hub, link.user)})
