"""Outbound HTTP: the one small client the site asks other services with.

The address geocoder (hubs/geocoding.py), the SIRET lookup (hubs/sirene.py) and the
hubs' iCalendar feeds (events/feed_import.py) all fetch through ``fetch()`` or
``fetch_json()``: http or https only, a User-Agent saying who asks, a timeout (per
connection and per read, as urllib has it), a status 200 or nothing, a body read to
at most ``max_bytes``. Redirects are followed as urllib follows them. Whatever goes
wrong raises ``FetchError``, whose text says why in a few words:

- ``not an http(s) URL: '…'``;
- ``HTTP 503`` (``status`` and the answer's ``headers`` kept, for a Retry-After);
- ``unreachable (…)``: no connection, a timeout, a broken answer, a bad URL;
- ``larger than 2 MB`` (``ResponseTooLarge``);
- ``not JSON (…)`` (``NotJSON``, from ``fetch_json()`` only).

Requests go through ``urllib.request.urlopen`` (looked up at each call), so a test can
patch that one name.
"""

import json
import urllib.error
import urllib.request
from http.client import HTTPException
from urllib.parse import urlsplit

__all__ = ["FetchError", "NotJSON", "ResponseTooLarge", "fetch", "fetch_json"]


class FetchError(Exception):
    """No usable answer; ``status`` is the HTTP status when the server gave one."""

    def __init__(self, reason: str, *, status: int | None = None, headers=None):
        super().__init__(reason)
        self.status = status
        self.headers = headers if headers is not None else {}


class ResponseTooLarge(FetchError):
    """The body is longer than the ``max_bytes`` asked for."""


class NotJSON(FetchError):
    """The body is not JSON (or not UTF-8)."""


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    accept: str,
    user_agent: str,
    headers: dict[str, str] | None = None,
) -> bytes:
    """The body of a 200 answer to a GET of ``url``; ``FetchError`` otherwise."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError as error:  # "http://[::1/": Invalid IPv6 URL
        raise FetchError(f"unreachable ({error})") from error
    if scheme not in {"http", "https"}:
        raise FetchError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, headers={"User-Agent": user_agent, "Accept": accept, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status != 200:
                raise FetchError(
                    f"HTTP {response.status}", status=response.status, headers=response.headers
                )
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code}", status=error.code, headers=error.headers) from error
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as error:
        # URLError and socket timeouts are OSErrors; ValueError for a bad URL.
        raise FetchError(f"unreachable ({error})") from error
    if len(body) > max_bytes:
        raise ResponseTooLarge(f"larger than {_size(max_bytes)}")
    return body


def fetch_json(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    user_agent: str,
    accept: str = "application/json",
    headers: dict[str, str] | None = None,
):
    """The JSON value a 200 answer's body holds; ``FetchError`` (or ``NotJSON``) otherwise."""
    body = fetch(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        accept=accept,
        user_agent=user_agent,
        headers=headers,
    )
    try:
        return json.loads(body)
    except ValueError as error:  # UnicodeDecodeError too
        raise NotJSON(f"not JSON ({error})") from error


def _size(count: int) -> str:
    """2097152 → « 2 MB », 262144 → « 256 KB », 1000 → « 1000 bytes »."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"
