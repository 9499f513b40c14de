"""web/mail.py: a message from three templates, in the recipient's language, with
absolute links from SITE_URL, sent by the backend the settings choose."""

import pytest
from django.conf import settings as django_settings
from django.core import mail

from web.mail import absolute_url, render_templated, send_templated

TEMPLATES = {
    "emails/demo/hello_subject.txt": (
        '{% load i18n %}{% translate "Lieux numériques" %}\n — {{ name }}\n'
    ),
    "emails/demo/hello.txt": (
        '{% extends "emails/base.txt" %}{% load i18n %}{% block body %}'
        '{% translate "Accessibilité" %} : {{ name }} <{{ link }}>{% endblock body %}'
    ),
    "emails/demo/hello.html": (
        '{% extends "emails/base.html" %}{% load i18n %}{% block body %}'
        '<p>{% translate "Accessibilité" %} : <a href="{{ link }}">{{ name }}</a></p>'
        "{% endblock body %}"
    ),
}


@pytest.fixture
def demo_templates(settings, tmp_path):
    for name, text in TEMPLATES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path, *engine["DIRS"]]
    settings.TEMPLATES = [engine]
    settings.SITE_URL = "https://lieux.example.org"
    settings.SITE_NAME = "Lieux de test"


def test_the_tests_keep_mail_in_memory():
    assert django_settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_absolute_url_starts_with_the_site_url(settings):
    settings.SITE_URL = "https://lieux.example.org"
    assert absolute_url("/admin/reports/report/3/change/") == (
        "https://lieux.example.org/admin/reports/report/3/change/"
    )
    assert absolute_url("https://ailleurs.example/x") == "https://ailleurs.example/x"
    with pytest.raises(ValueError):
        absolute_url("admin/")


def test_a_message_has_a_subject_a_text_and_an_html_body(demo_templates):
    link = absolute_url("/hubs/")
    sent = send_templated("agent@example.org", "demo/hello", {"name": "Tom & Léa", "link": link})
    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["agent@example.org"]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    # One line, in French by default.
    assert message.subject == "Lieux numériques — Tom & Léa"
    # The text is not HTML-escaped; the HTML is.
    assert "Accessibilité : Tom & Léa <https://lieux.example.org/hubs/>" in message.body
    assert "Lieux de test\nhttps://lieux.example.org/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://lieux.example.org/hubs/">Tom &amp; Léa</a>' in html
    assert '<html lang="fr">' in html


def test_a_message_is_written_in_the_recipients_language(demo_templates):
    send_templated(
        ["a@example.org", "b@example.org"], "demo/hello", {"name": "X", "link": "/"}, "en"
    )
    [message] = mail.outbox
    assert message.to == ["a@example.org", "b@example.org"]
    assert message.subject.startswith("Digital hubs")
    assert "Accessibility : X" in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_the_language_of_the_caller_is_left_as_it_was(demo_templates):
    from django.utils import translation

    with translation.override("fr"):
        render_templated("demo/hello", {"name": "X", "link": "/"}, "en")
        assert translation.get_language() == "fr"
