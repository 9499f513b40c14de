"""``/robots.txt``: what crawlers may fetch, and where the sitemap is.

The public pages are open to every crawler. Closed to them: the back-office, the
API (data files, not pages; every filter combination is a new URL, each a query
over the whole table), the calendar files, the embeddable map (the map's own
page, in an iframe) and the language switcher. The hub and event pages a crawler
should know come from the sitemap, named with an absolute URL as the protocol
asks (on the host the request came in on).
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

#: Paths closed to crawlers (prefixes; ``*`` and ``$`` as Google and Bing read them).
DISALLOWED = [
    "/admin/",
    "/api/",
    "/embed/",
    "/i18n/",
    "/*.ics$",
]


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
