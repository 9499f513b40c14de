"""The outbound HTTP client (web/http.py) against a tiny HTTP server on 127.0.0.1
(tests/stub_server.py).

The geocoder, the SIRET lookup and the iCalendar feed import all fetch through it;
their own tests (tests/hubs/test_geocoding.py, tests/hubs/test_sirene.py,
tests/events/test_feed_import.py) check what each makes of its errors.
"""

import time
from unittest import mock

import pytest

from tests.stub_server import serve
from web import http

USER_AGENT = "lieux-numeriques/1.0 (tests)"


@pytest.fixture
def stub():
    """``stub.answer(path, body, status=, headers=, delay=)`` gives the URL to fetch."""
    with serve() as server:
        yield server


def fetch(url, **options):
    options = {"timeout": 2, "max_bytes": 1024, "accept": "text/plain", **options}
    return http.fetch(url, user_agent=USER_AGENT, **options)


def fetch_json(url, **options):
    return http.fetch_json(url, timeout=2, max_bytes=1024, user_agent=USER_AGENT, **options)


# ------------------------------------------------------------------ fetch


def test_the_body_of_a_200_answer_and_who_asks(stub):
    url = stub.answer("/hello?x=1", b"bonjour")

    assert fetch(url, headers={"X-Extra": "yes"}) == b"bonjour"

    (request,) = stub.requests
    assert request["path"] == "/hello?x=1"
    assert request["headers"]["User-Agent"] == USER_AGENT
    assert request["headers"]["Accept"] == "text/plain"
    assert request["headers"]["X-Extra"] == "yes"


def test_a_body_of_exactly_the_limit_is_read(stub):
    url = stub.answer("/full", b"x" * 1024)
    assert fetch(url) == b"x" * 1024


@pytest.mark.parametrize("length", ["announced", "unannounced"])
def test_a_body_over_the_limit_is_refused(stub, length):
    # Unannounced: no Content-Length, the body ends when the server closes (HTTP/1.0).
    headers = {} if length == "announced" else {"Content-Length": None}
    url = stub.answer("/big", b"x" * 1025, headers=headers)

    with pytest.raises(http.ResponseTooLarge, match=r"^larger than 1 KB$") as raised:
        fetch(url)
    assert isinstance(raised.value, http.FetchError)
    assert raised.value.status is None


def test_the_size_is_said_in_a_readable_unit(stub):
    url = stub.answer("/big", b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(http.ResponseTooLarge, match=r"^larger than 2 MB$"):
        fetch(url, max_bytes=2 * 1024 * 1024)
    url = stub.answer("/odd", b"x" * 1001)
    with pytest.raises(http.ResponseTooLarge, match=r"^larger than 1000 bytes$"):
        fetch(url, max_bytes=1000)


def test_a_slow_answer_times_out(stub):
    url = stub.answer("/slow", b"late", delay=1.5)
    started = time.monotonic()
    with pytest.raises(http.FetchError, match=r"^unreachable \(") as raised:
        fetch(url, timeout=0.2)
    assert time.monotonic() - started < 1.2
    assert raised.value.status is None


@pytest.mark.parametrize("status", [500, 503, 404])
def test_an_error_status_is_an_error_with_its_status_and_headers(stub, status):
    url = stub.answer("/down", b"oops", status=status, headers={"Retry-After": "7"})
    with pytest.raises(http.FetchError, match=rf"^HTTP {status}$") as raised:
        fetch(url)
    assert raised.value.status == status
    assert raised.value.headers.get("Retry-After") == "7"


def test_a_success_other_than_200_is_an_error(stub):
    url = stub.answer("/empty", None, status=204)
    with pytest.raises(http.FetchError, match=r"^HTTP 204$") as raised:
        fetch(url)
    assert raised.value.status == 204


def test_a_redirect_is_followed(stub):
    target = stub.answer("/moved-here", b"arrived")
    url = stub.answer("/old", b"", status=302, headers={"Location": target})

    assert fetch(url) == b"arrived"
    assert [request["path"] for request in stub.requests] == ["/old", "/moved-here"]
    assert stub.requests[1]["headers"]["User-Agent"] == USER_AGENT


def test_a_redirect_to_a_file_is_refused(stub):
    url = stub.answer("/sneaky", b"", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(http.FetchError, match=r"^HTTP 302$"):
        fetch(url)


def test_nobody_listening_is_unreachable():
    with pytest.raises(http.FetchError, match=r"^unreachable \("):
        fetch("http://127.0.0.1:9/")  # discard port: refused


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed.ics", "nonsense", "", "//host/x"]
)
def test_only_http_urls_are_fetched(url):
    with (
        mock.patch("urllib.request.urlopen") as urlopen,
        pytest.raises(http.FetchError, match=r"^not an http\(s\) URL: "),
    ):
        fetch(url)
    urlopen.assert_not_called()


def test_a_bad_url_is_unreachable_not_a_crash():
    with pytest.raises(http.FetchError, match=r"^unreachable \("):
        fetch("http://[::1/broken")


# ------------------------------------------------------------------ fetch_json


def test_a_json_body_is_decoded(stub):
    url = stub.answer("/data", b'{"results": [1, 2]}')
    assert fetch_json(url) == {"results": [1, 2]}
    assert stub.requests[0]["headers"]["Accept"] == "application/json"


@pytest.mark.parametrize("body", [b"<html>Maintenance</html>", b"", b"\xff\xfe\x00"])
def test_a_body_that_is_not_json_is_refused(stub, body):
    url = stub.answer("/data", body)
    with pytest.raises(http.NotJSON, match=r"^not JSON \(") as raised:
        fetch_json(url)
    assert isinstance(raised.value, http.FetchError)
    assert isinstance(raised.value.__cause__, ValueError)


def test_fetch_json_keeps_the_limit_and_the_errors(stub):
    url = stub.answer("/big", b'"' + b"x" * 1024 + b'"')
    with pytest.raises(http.ResponseTooLarge):
        fetch_json(url)
    url = stub.answer("/down", b'{"erreur": "boom"}', status=502)
    with pytest.raises(http.FetchError, match=r"^HTTP 502$"):
        fetch_json(url)
