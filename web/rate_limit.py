"""How many times one client did something lately, in Django's cache.

A fixed window per client address (``web.client_ip``): the first hit starts a
count that the cache forgets after ``window`` seconds. Shared by every worker
when the cache is (``REDIS_URL``); per process otherwise, which is enough
against one person or script in a hurry. Anonymous forms use it where a login
form uses django-axes.
"""

from __future__ import annotations

from django.core.cache import cache

from .client_ip import client_ip


def _key(scope: str, request) -> str:
    return f"rate:{scope}:{client_ip(request) or 'unknown'}"


def is_limited(scope: str, request, *, limit: int) -> bool:
    """Whether the client already did ``scope`` ``limit`` times in the current window."""
    return (cache.get(_key(scope, request)) or 0) >= limit


def count(scope: str, request, *, window: int) -> int:
    """Count one more ``scope`` for the client; the count so far."""
    key = _key(scope, request)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.set(key, 1, timeout=window)
        return 1
