"""Playwright in headless Chromium against Django's live server.

Every test here is marked ``browser``. The browser never leaves the machine:
map tiles get a blank PNG, any other external request is aborted. A test fails
at teardown when the page logged a console error or threw an uncaught
exception (``allow_console_errors`` lists the messages a test expects).
"""

import functools
import importlib
import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection, transaction
from PIL import Image

from events import demo as events_demo
from hubs import demo
from tests import factories

HERE = Path(__file__).resolve().parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    """Debian's Chromium, or the one ``CHROMIUM_PATH`` names."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).is_file() else None
    found = shutil.which("chromium")
    if not found and Path("/usr/bin/chromium").is_file():
        found = "/usr/bin/chromium"
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    if not executable:
        reason = "Chromium is not installed (looked for $CHROMIUM_PATH, `chromium` on PATH, /usr/bin/chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the browser tests.", pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A French visitor: LocaleMiddleware would otherwise serve the admin in English."""
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


# ------------------------------------------------------------------ network


@functools.cache
def blank_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (236, 238, 241)).save(buffer, format="PNG")
    return buffer.getvalue()


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return False
    return parts.hostname not in LOCAL_HOSTS


def answer_external(route):
    if urlsplit(route.request.url).path.endswith(".png"):
        route.fulfill(status=200, content_type="image/png", body=blank_tile())
    else:
        route.abort()


# ------------------------------------------------------------------ JS errors


@pytest.fixture
def allow_console_errors():
    """Regexes of console errors a test expects (e.g. a 400 it asked for)."""
    return []


@pytest.fixture
def js_errors():
    return []


def watch(page, errors: list):
    def on_console(message):
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))


@pytest.fixture
def new_context(new_context, js_errors, allow_console_errors):
    """pytest-playwright's factory, with the network guard and the error watch."""

    def factory(**kwargs):
        context = new_context(**kwargs)
        context.route(is_external, answer_external)
        context.on("page", lambda page: watch(page, js_errors))
        return context

    yield factory
    unexpected = [
        error
        for error in js_errors
        if not any(re.search(pattern, error) for pattern in allow_console_errors)
    ]
    if unexpected:
        pytest.fail("JavaScript errors in the page:\n" + "\n".join(unexpected), pytrace=False)


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


# ------------------------------------------------------------------ data


def load_vocabularies():
    """The kinds, equipment, publics and labels the data migration creates.

    ``transactional_db`` flushes them after each test. ``django_db_serialized_rollback``
    cannot bring them back here: Playwright's sync API runs the test in a greenlet
    whose context sees another ``connections["default"]`` than the one Django
    serialized at setup.
    """
    migration = importlib.import_module("hubs.migrations.0002_reference_vocabularies")
    migration.load(django_apps, None)


# The tables of the demo: reference territories, vocabularies, hubs, funding, events,
# with their history and many-to-many tables.
DEMO_APPS = ("territories", "hubs", "funding", "events")

#: Rows of the demo tables, read once per worker after the first full load.
_demo_rows: dict[str, tuple[list[str], list[tuple]]] = {}


def demo_tables() -> list[str]:
    return [
        model._meta.db_table
        for label in DEMO_APPS
        for model in django_apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    ]


def load_demo_fully():
    load_vocabularies()
    factories.reference_territories(if_missing=True)
    demo.load()
    # The demo agenda too (the events layer is off by default: the hub map is unchanged).
    # Events outside the loaded départements (Amiens) are skipped.
    events_demo.load()


def remember_demo():
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in demo_tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names from the models)
            columns = [column[0] for column in cursor.description]
            _demo_rows[table] = (columns, cursor.fetchall())


def restore_demo() -> bool:
    """Insert the remembered rows again, as they were; ``False`` when a demo table
    is not empty (the flush did not happen) and the rows cannot simply go back."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _demo_rows:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
        # Foreign keys are checked at commit (Django creates them deferrable), so
        # the order of the tables does not matter.
        for table, (columns, rows) in _demo_rows.items():
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
    return True


@pytest.fixture
def live_demo(live_server, transactional_db):
    """The live server with the demo hubs and agenda, as ``make run`` shows them.

    ``live_server`` needs a transactional database, flushed after each test. The
    first test of a worker loads the demo through its loaders (vocabularies,
    territories, hubs, funding, events); its rows are then remembered and put back
    as they were after each flush, ≈ 1 s saved per browser test. The cache is
    cleared: remembered rows keep their dates, so a page cached for another test's
    changes would otherwise look current.
    """
    if not (_demo_rows and restore_demo()):
        load_demo_fully()
        remember_demo()
    cache.clear()
    return live_server
