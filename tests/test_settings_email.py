"""E-mail settings chosen by the environment (docs/settings.md, « E-mail »), read in a
fresh interpreter as a server would."""

import json
import subprocess
import sys

import pytest

from tests.test_settings import ROOT, production_environ, startup

NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "SITE_URL",
    "DEFAULT_FROM_EMAIL",
]


def mail_settings(**env) -> dict:
    script = (
        "import json, config.settings as s; "
        f"print(json.dumps({{k: str(getattr(s, k)) for k in {NAMES!r}}}))"
    )
    environ = production_environ(DJANGO_SECRET_KEY="x" * 50, **env)
    for name in [*NAMES, "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"]:
        environ.pop(name, None)
    environ.update(env)
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_without_a_server_hands_mail_to_the_local_one():
    found = mail_settings(DJANGO_ALLOWED_HOSTS="lieux.example.org,www.lieux.example.org")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_USE_TLS"]) == (
        "localhost",
        "25",
        "False",
    )
    # Links in messages start with the site's address, the first allowed host over HTTPS.
    assert found["SITE_URL"] == "https://lieux.example.org"
    assert found["DEFAULT_FROM_EMAIL"] == "ne-pas-repondre@lieux.example.org"


def test_an_smtp_server_from_the_environment():
    found = mail_settings(
        EMAIL_HOST="smtp.example.org",
        SITE_URL="https://carto.region.example/",
        DEFAULT_FROM_EMAIL="Lieux <lieux@region.example>",
    )
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["EMAIL_HOST"] == "smtp.example.org"
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (
        "587",
        "True",
        "False",
    )
    assert found["EMAIL_TIMEOUT"] == "10"
    assert found["SITE_URL"] == "https://carto.region.example"  # no trailing slash
    assert found["DEFAULT_FROM_EMAIL"] == "Lieux <lieux@region.example>"


def test_make_run_prints_mail_on_the_console():
    found = mail_settings(DJANGO_DEBUG="true")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["SITE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SITE_URL": "lieux.example.org"}, "SITE_URL"),  # no scheme
        ({"SITE_URL": "https://lieux.example.org/carte/"}, "SITE_URL"),  # a path
        ({"SITE_URL": "ftp://lieux.example.org"}, "SITE_URL"),
        ({"EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS and EMAIL_USE_SSL"),  # TLS is on by default
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
    ],
)
def test_a_wrong_mail_setting_stops_the_start(env, named):
    result = startup(**env)
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr
    assert named in error
