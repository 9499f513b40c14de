"""The client's address, as the nearest of our reverse proxies saw it.

django-axes counts failed logins per address with it. Without proxies
(``DJANGO_PROXY_COUNT=0``) it is the peer of the connection, ``REMOTE_ADDR``:
an ``X-Forwarded-For`` header is then the client's own words, ignored. Behind
N proxies, each appends the address it received the request from, so the
client's is the N-th from the right; what the client itself wrote stands
further left and is never read.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote  # not through all our proxies: nothing in the header is theirs
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
