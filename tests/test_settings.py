"""Production settings are chosen by the environment: check them in a fresh interpreter."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_environ(**env) -> dict:
    """This process's environment without the project's settings, plus ``env``."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AXES_", "GEOCODER_", "DATABASE_"))
    }
    return {**environ, **env}


def production_settings(**env) -> dict:
    script = (
        "import json, config.settings as s; print(json.dumps({k: str(getattr(s, k)) for k in "
        "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_SECURE', 'LANGUAGE_COOKIE_HTTPONLY', "
        "'AXES_FAILURE_LIMIT', 'AXES_COOLOFF_TIME', 'SERVE_MEDIA', 'GEOCODER_URL', "
        "'SESSION_COOKIE_AGE', 'SESSION_SAVE_EVERY_REQUEST']}"
        "| {'CACHE': getattr(s, 'CACHES', {}).get('default', {}).get('BACKEND', 'locmem')}))"
    )
    environ = production_environ(DJANGO_SECRET_KEY="x" * 50, **env)
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def startup(**env) -> subprocess.CompletedProcess:
    """``django.setup()`` in a fresh interpreter, in the production environment plus ``env``."""
    environ = production_environ(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings", **env
    )
    return subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_HSTS_SECONDS", "abc"),
        ("DJANGO_DEBUG", "maybe"),  # was taken for false
        ("MAP_CENTER_LAT", "50,25"),  # a French decimal comma
        ("AXES_FAILURE_LIMIT", "0"),  # every login would be locked out
    ],
)
def test_a_malformed_value_stops_the_start_naming_the_variable(name, value):
    result = startup(**{name: value})
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    assert f"The environment variable {name} is {value!r}: expected " in error


def test_a_malformed_database_url_is_named_without_its_password():
    result = startup(DATABASE_URL="postgress://hubs:s3cr3t@db.example/hubs")
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured: DATABASE_URL "), error
    assert "s3cr3t" not in result.stderr


def test_a_well_formed_environment_starts():
    result = startup(DJANGO_HSTS_SECONDS="600", DJANGO_DEBUG="off", MAP_CENTER_LAT="48.85")
    assert result.returncode == 0, result.stderr


def test_the_test_run_sets_its_own_environment(settings):
    """pyproject.toml's [tool.pytest_env]: plain HTTP, static files as they are, media
    served, no geocoding over the network; the settings never ask whether tests run."""
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.STATIC_MANIFEST is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE
    assert settings.SERVE_MEDIA is True
    assert settings.GEOCODER_URL == ""


# "pytest" in sys.modules, "test" in sys.argv, PYTEST_CURRENT_TEST…
TEST_DETECTION = re.compile(
    r"""["'](?:py)?test["']\s+(?:not\s+)?in\s+sys\.(?:modules|argv)|PYTEST_|sys\.argv\[1\]\s*==""",
)
NOT_APP_CODE = {"tests", "node_modules", "staticfiles", "media", "artifacts", "static"}


def test_no_code_asks_whether_tests_are_running():
    """Tests set their environment; the code reads settings (docs/settings.md)."""
    offenders = []
    for top in sorted(ROOT.iterdir()):
        if top.name.startswith(".") or top.name in NOT_APP_CODE:
            continue
        for path in [top] if top.suffix == ".py" else sorted(top.rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if TEST_DETECTION.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_production_staff_cookies_are_secure_and_logins_limited():
    settings = production_settings()
    assert settings["DEBUG"] == "False"
    assert settings["SESSION_COOKIE_SECURE"] == "True"
    assert settings["CSRF_COOKIE_SECURE"] == "True"
    assert settings["SESSION_COOKIE_HTTPONLY"] == "True"
    assert settings["CSRF_COOKIE_HTTPONLY"] == "True"
    assert settings["LANGUAGE_COOKIE_SECURE"] == "True"
    assert settings["LANGUAGE_COOKIE_HTTPONLY"] == "True"
    assert settings["AXES_FAILURE_LIMIT"] == "5"
    assert settings["AXES_COOLOFF_TIME"] == "0:15:00"
    assert settings["SERVE_MEDIA"] == "False"  # the web server serves uploads
    assert settings["GEOCODER_URL"] == "https://api-adresse.data.gouv.fr/search/"
    # Staff sessions end after 8 hours without a request (not two weeks after logging in).
    assert settings["SESSION_COOKIE_AGE"] == str(8 * 3600)
    assert settings["SESSION_SAVE_EVERY_REQUEST"] == "True"


def test_staff_idle_time_comes_from_the_environment():
    settings = production_settings(DJANGO_SESSION_IDLE_SECONDS="1800")
    assert settings["SESSION_COOKIE_AGE"] == "1800"


def test_a_staff_session_expires_after_the_idle_time_not_after_login(client, db):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from tests import factories

    client.force_login(factories.superuser("root"))
    idle = 8 * 3600
    # Every request pushes the end back: the cookie and the stored session alike.
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == idle
    session = Session.objects.get()
    assert abs((session.expire_date - timezone.now()).total_seconds() - idle) < 60
    # Left idle longer than that, the session is over.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Visitors of the public site get no session for it.
    client.logout()
    assert "sessionid" not in client.get("/hubs/").cookies


def test_development_cookies_work_over_plain_http():
    settings = production_settings(DJANGO_DEBUG="true")
    assert settings["SESSION_COOKIE_SECURE"] == "False"
    assert settings["SERVE_MEDIA"] == "True"


def test_redis_url_switches_on_a_shared_cache():
    assert production_settings()["CACHE"] == "locmem"
    shared = production_settings(REDIS_URL="redis://127.0.0.1:6379/1")
    assert shared["CACHE"] == "django.core.cache.backends.redis.RedisCache"


def database_settings(**env) -> dict:
    """``DATABASES["default"]`` as a fresh interpreter reads it from ``env``."""
    script = (
        "import json, config.settings as s; d = s.DATABASES['default']; print(json.dumps("
        "{k: d.get(k) for k in ['ENGINE', 'OPTIONS', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS']}))"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environ(DJANGO_SECRET_KEY="x" * 50, **env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_connections_are_checked_and_time_limited():
    database = database_settings(DATABASE_URL="postgres://hubs@db.example:5432/hubs")
    assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] == 60
    assert database["OPTIONS"] == {"connect_timeout": 5, "options": "-c statement_timeout=30000"}


def test_database_timeouts_come_from_the_environment_and_keep_the_url_options():
    database = database_settings(
        DATABASE_URL="postgres://hubs@db.example/hubs?sslmode=require&options=-c%20search_path%3Dlieux",
        DATABASE_CONNECT_TIMEOUT="3",
        DATABASE_STATEMENT_TIMEOUT="120",
    )
    assert database["OPTIONS"] == {
        "sslmode": "require",
        "connect_timeout": 3,
        # The URL's own settings come last, so a statement_timeout there wins.
        "options": "-c statement_timeout=120000 -c search_path=lieux",
    }
    unlimited = database_settings(
        DATABASE_URL="postgres://hubs@db.example/hubs?connect_timeout=10",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    assert unlimited["OPTIONS"] == {"connect_timeout": 10, "options": "-c statement_timeout=0"}


def test_sqlite_gets_no_postgresql_options():
    database = database_settings(DATABASE_URL="sqlite:///:memory:")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert not database["OPTIONS"]
    assert database["CONN_HEALTH_CHECKS"] is True


def test_a_database_that_never_answers_is_given_up_on():
    """A server that accepts the connection and says nothing: libpq gives up, no hang."""
    import psycopg2

    silent = socket.create_server(("127.0.0.1", 0))  # the kernel accepts; nobody answers
    port = silent.getsockname()[1]
    guard = threading.Timer(15, silent.close)  # without a timeout, end the wait anyway
    guard.start()
    try:
        options = (
            database_settings(
                DATABASE_URL=f"postgres://hubs@127.0.0.1:{port}/hubs", DATABASE_CONNECT_TIMEOUT="2"
            )["OPTIONS"]
            or {}
        )
        started = time.monotonic()
        with pytest.raises(psycopg2.OperationalError, match="timeout expired"):
            psycopg2.connect(host="127.0.0.1", port=port, dbname="hubs", user="hubs", **options)
        assert time.monotonic() - started < 6
    finally:
        guard.cancel()
        silent.close()


@pytest.mark.django_db
def test_postgresql_sessions_run_with_the_statement_timeout(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's: run with DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        shown = cursor.fetchone()[0]
        cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout'")
        milliseconds = cursor.fetchone()[0]
    assert milliseconds == round(settings.DATABASE_STATEMENT_TIMEOUT * 1000)
    if settings.DATABASE_STATEMENT_TIMEOUT == 30:  # the default
        assert shown == "30s"


def test_check_deploy_is_clean_with_production_settings():
    environ = production_environ(
        DJANGO_SECRET_KEY="k3y-" + "x7Q2" * 15,
        DJANGO_ALLOWED_HOSTS="lieux.example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers_on_real_responses(client, db):
    response = client.get("/hubs/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_out_of_scripts_reach(client, db):
    """The CSRF cookie of the admin login and the session cookie are HttpOnly."""
    from tests import factories

    login = client.get("/admin/login/")
    assert login.cookies["csrftoken"]["httponly"] is True
    assert login.cookies["csrftoken"]["samesite"] == "Lax"
    factories.superuser("root", "correct horse battery")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "correct horse battery", "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="127.0.0.1",
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True


def test_production_static_files_are_hashed_compressed_and_cached(tmp_path):
    """collectstatic with the production storage, then whitenoise serves what pages link to."""
    environ = production_environ(
        DJANGO_SECRET_KEY="k3y-" + "x7Q2" * 15,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SSL_REDIRECT="false",
        DATABASE_URL="sqlite:///:memory:",
    )
    run = {"cwd": ROOT, "env": environ, "capture_output": True, "text": True}
    collected = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "collectstatic", "--noinput"], **run
    )
    assert collected.returncode == 0, collected.stderr
    script = (
        "import django, json; django.setup()\n"
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "url = static('css/site.css')\n"
        "r = Client().get(url, headers={'accept-encoding': 'gzip'})\n"
        "print(json.dumps({'url': url, 'status': r.status_code,"
        " 'cache': r.headers.get('Cache-Control'), 'encoding': r.headers.get('Content-Encoding')}))\n"
    )
    served = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        **{**run, "env": {**environ, "DJANGO_SETTINGS_MODULE": "config.settings"}},
    )
    assert served.returncode == 0, served.stderr
    result = json.loads(served.stdout.strip().splitlines()[-1])
    assert result["url"].startswith("/static/css/site.") and result["url"] != "/static/css/site.css"
    assert result["status"] == 200
    assert "immutable" in result["cache"] and result["encoding"] == "gzip"


def test_security_txt_names_the_configured_contact(client, settings):
    settings.SECURITY_CONTACTS = []
    assert client.get("/.well-known/security.txt").status_code == 404  # no made-up address
    settings.SECURITY_CONTACTS = ["mailto:securite@region.example", "https://region.example/cert"]
    settings.SECURITY_POLICY_URL = "https://region.example/divulgation"
    response = client.get("/.well-known/security.txt", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert fields[:2] == [
        ["Contact", "mailto:securite@region.example"],
        ["Contact", "https://region.example/cert"],
    ]
    values = dict(fields)
    expires = datetime.fromisoformat(values["Expires"].replace("Z", "+00:00"))
    assert timedelta(days=300) < expires - datetime.now(UTC) <= timedelta(days=366)
    assert values["Canonical"] == "https://testserver/.well-known/security.txt"
    assert values["Policy"] == "https://region.example/divulgation"
    assert values["Preferred-Languages"] == "fr, en"


def test_staff_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="12"):
        validate_password("Kx7#qLm2vW!")  # 11 characters
    validate_password("Kx7#qLm2vW!p")
