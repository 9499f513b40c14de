"""E-mail written from templates: a subject, a text body and its HTML alternative,
in the recipient's language, with links that work outside the site.

A message named ``reports/new_report`` is three templates:
``emails/reports/new_report_subject.txt`` (one line; new lines are joined),
``emails/reports/new_report.txt`` and ``emails/reports/new_report.html``. The
text and HTML bodies extend ``emails/base.txt`` and ``emails/base.html``; the
subject and the text are not HTML-escaped (« Tom & Léa » stays so). Each is rendered in ``language`` (French when
none is given). Mail is written outside any request, so links are built from
``SITE_URL`` (:func:`absolute_url`), never from a request's host.

The backend comes from the settings (docs/settings.md, « E-mail »): SMTP in
production, the console under ``make run``, in memory in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

TEMPLATE_FOLDER = "emails"


def absolute_url(path: str) -> str:
    """``path`` (``/admin/…``, from ``reverse`` or ``get_absolute_url``) on the site's address."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        raise ValueError(f"not a path from the site's root: {path!r}")
    return settings.SITE_URL.rstrip("/") + path


def _render_plain(name: str, context: dict) -> str:
    """A template rendered without HTML escaping (a subject, a text body)."""
    template = get_template(name).template  # the Django engine's own Template
    return template.render(Context(context, autoescape=False))


def render_templated(
    template_prefix: str, context: dict, language: str | None = None
) -> tuple[str, str, str]:
    """The subject, text body and HTML body of a message, in ``language``."""
    name = f"{TEMPLATE_FOLDER}/{template_prefix}"
    with translation.override(language or settings.LANGUAGE_CODE):
        full_context = {
            "site_name": str(settings.SITE_NAME),
            "site_url": settings.SITE_URL,
            "language": translation.get_language(),
            **context,
        }
        # A header holds one line: a template's new lines would break it.
        subject = " ".join(_render_plain(f"{name}_subject.txt", full_context).split())
        text = _render_plain(f"{name}.txt", full_context)
        html = render_to_string(f"{name}.html", full_context)
    return subject, text, html


def send_templated(
    to: str | Iterable[str],
    template_prefix: str,
    context: dict,
    language: str | None = None,
    *,
    reply_to: Iterable[str] = (),
) -> int:
    """Render ``template_prefix`` in ``language`` and send it to ``to``: 1 when sent.

    Several addresses receive one message together; to keep them from seeing
    each other, or to write to each in their language, call once per person.
    Errors of the backend (an SMTP server down) are raised: the caller decides
    whether the message matters more than what it is doing.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject, text, html = render_templated(template_prefix, context, language)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=list(reply_to),
    )
    message.attach_alternative(html, "text/html")
    return message.send()
