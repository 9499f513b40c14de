"""A tiny HTTP server on 127.0.0.1 for tests that fetch (no test touches the network).

One home for the stubs of the outbound HTTP client (tests/web/test_http.py), the
SIRET check (tests/hubs/test_sirene.py), the iCalendar feed import
(tests/events/test_feed_import.py), the geocoder in the admin
(tests/browser/test_admin_geocoding.py), the embedded map's host page
(tests/browser/test_embed.py) and the dependency audit (tests/test_audit_dependencies.py)::

    with serve() as stub:                      # a ThreadingHTTPServer on 127.0.0.1:<free port>
        url = stub.answer("/data?x=1", {"results": []})   # JSON, or bytes, str, None
        stub.answer(ANY, b"down", status=503)  # whatever no other answer matches
        ...fetch(url)...
        stub.requests[0]["headers"]["User-Agent"]
        settings.SOME_API_URL = stub.url("/search")  # http://127.0.0.1:<port>/search

In a pytest fixture: ``with serve() as stub: yield stub`` (stopped after the test).

Each request is recorded as a dict: ``method``, ``path`` (with its query string),
``query`` (``parse_qs`` of it), ``headers`` (a dict, names as the client sent them) and
``body`` (bytes); ``stub.queries`` lists the ``query`` of each. Answers are looked up
by ``key(request)``, the path by default: ``serve(key=lambda r: r["query"]["q"][0])``
answers by a query parameter, and any function of the request will do (the audit's
stub answers by the POSTed JSON).

An answer is a status, a body, headers and an optional delay before answering:

- a ``dict`` or ``list`` body is sent as JSON (``Content-Type: application/json``), a
  ``str`` as UTF-8, ``None`` as no body at all (a 204);
- ``Content-Length`` is added, unless the headers give it; a header given as ``None``
  is not sent: ``headers={"Content-Length": None}`` makes the body end when the
  connection closes (HTTP/1.0);
- ``serve(headers=...)``: headers sent with every answer (the answer's own win).

A client that gives up (a timeout) is not an error here, and nothing is logged. Without
any answer set, every request gets a 404 ``stub: no answer set``.
"""

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

#: The key of the answer given to every request no other answer matches.
ANY = object()


@dataclass
class Answer:
    """What the stub says; ``body``: bytes, str (UTF-8), dict or list (JSON), None."""

    status: int = 200
    body: object = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0

    def payload(self):
        if self.body is None or isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


NO_ANSWER = Answer(404, b"stub: no answer set")


class StubHandler(BaseHTTPRequestHandler):
    """Records the request, then sends the answer its key finds (``ANY`` otherwise)."""

    def handle_request(self):
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        request = {
            "method": self.command,
            "path": self.path,
            "query": parse_qs(urlsplit(self.path).query),
            "headers": dict(self.headers),
            "body": self.rfile.read(length) if length else b"",
        }
        stub.requests.append(request)
        answers = stub.answers
        answer = answers.get(stub.key(request), answers.get(ANY, NO_ANSWER))
        if answer.delay:
            time.sleep(answer.delay)
        payload = answer.payload()
        headers = {**stub.headers, **answer.headers}
        if isinstance(answer.body, (dict, list)):
            headers.setdefault("Content-Type", "application/json")
        if payload is not None:
            headers.setdefault("Content-Length", str(len(payload)))
        try:
            self.send_response(answer.status)
            for name, value in headers.items():
                if value is not None:  # None: that header is not sent
                    self.send_header(name, value)
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_request  # noqa: N815

    def log_message(self, format, *args):  # quiet
        pass


def by_path(request):
    return request["path"]


class StubServer:
    """The running server: ``answer()`` what to say, read ``requests`` of what was asked."""

    def __init__(self, *, key=by_path, headers=None):
        self.key = key
        self.headers = headers or {}
        self.answers = {}
        self.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
        self.server.stub = self
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path=""):
        return self.base + path

    @property
    def queries(self):
        """The query of each request, ``parse_qs``-ed."""
        return [request["query"] for request in self.requests]

    def answer(self, key, body=b"", *, status=200, headers=None, content_type=None, delay=0):
        """Answer requests whose key is ``key`` (``ANY``: all the others); the URL of a path key."""
        headers = dict(headers or {})
        if content_type is not None:
            headers["Content-Type"] = content_type
        self.answers[key] = Answer(status, body, headers, delay)
        return self.url(key) if isinstance(key, str) and key.startswith("/") else None

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@contextmanager
def serve(*, key=by_path, headers=None):
    """A ``StubServer`` running for the ``with`` block (yield it from a pytest fixture)."""
    stub = StubServer(key=key, headers=headers).start()
    try:
        yield stub
    finally:
        stub.stop()
