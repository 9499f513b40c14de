"""Writing reports: receive one (and tell the territory's staff), close one (and tell the reporter)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backoffice.scoping import staff_for_commune
from web.mail import absolute_url, send_templated

from .models import Report

logger = logging.getLogger(__name__)

#: Who hears about a new report: the staff who may handle it, in its territory.
HANDLE_PERMISSION = "reports.change_report"


def _preferences(user):
    """The account's e-mail preferences (« Mon compte »), when it saved some."""
    return getattr(user, "staff_preferences", None)  # none saved: the related row is missing


def staff_language(user) -> str | None:
    """The language a staff member reads their e-mail in: their « Mon compte »
    choice where the back-office records one, else the site's (French)."""
    return getattr(_preferences(user), "email_language", None) or None


def wants_reports(user) -> bool:
    """Whether the account receives reports by e-mail (yes unless it said no)."""
    return getattr(_preferences(user), "notify_reports", True)


def report_create(
    *,
    kind: str,
    commune,
    subject_name: str,
    message: str,
    hub=None,
    event=None,
    suggested_name: str = "",
    suggested_address: str = "",
    reporter_email: str = "",
    contact_consent: bool = False,
    language: str = "fr",
) -> Report:
    """Store a resident's report (validated like the database will), then tell its staff."""
    report = Report(
        kind=kind,
        hub=hub,
        event=event,
        commune=commune,
        subject_name=subject_name[:200],
        message=message,
        suggested_name=suggested_name,
        suggested_address=suggested_address,
        reporter_email=reporter_email if contact_consent else "",
        contact_consent=contact_consent and bool(reporter_email),
        language=language,
    )
    report.full_clean()
    with transaction.atomic():
        report.save()
    notify_staff(report)
    return report


def notify_staff(report: Report) -> int:
    """E-mail each staff member of the report's territory (one message each, in their
    language); the count sent. A mail server that fails is logged: the report is saved
    and waits in the back-office all the same."""
    context = {
        "report": report,
        "admin_url": absolute_url(reverse("admin:reports_report_change", args=[report.pk])),
        "record_url": _record_url(report),
    }
    sent = 0
    for user in staff_for_commune(report.commune, HANDLE_PERMISSION):
        if not wants_reports(user):
            continue
        try:
            sent += send_templated(user.email, "reports/new_report", context, staff_language(user))
        except Exception:
            logger.exception("Report %s: the e-mail to staff account %s failed", report.pk, user.pk)
    return sent


def report_close(report: Report, *, status: str, note: str | None = None) -> bool:
    """Mark ``report`` done or rejected; the reporter, if they left their address,
    gets the outcome (and the note) in the language they wrote in, then their address
    is wiped. Whether the report was open."""
    if status not in {Report.Status.DONE, Report.Status.REJECTED}:
        raise ValueError(f"not a closing status: {status!r}")
    if not report.is_open:
        return False
    if note is not None:
        report.staff_note = note
    email = report.reporter_email
    report.status = status
    report.closed_at = timezone.now()
    report.save()  # wipes the address (Report.save)
    tell_reporter(report, email)
    return True


def tell_reporter(report: Report, email: str) -> bool:
    """The outcome of a closed report (and the staff's note), to the address its
    reporter left (read before closing wiped it), in the language they wrote in."""
    if not email or report.is_open:
        return False
    try:
        send_templated(
            email,
            "reports/report_closed",
            {"report": report, "record_url": _record_url(report)},
            report.language,
        )
    except Exception:
        logger.exception("Report %s: the e-mail to the reporter failed", report.pk)
        return False
    return True


def _record_url(report: Report) -> str:
    record = report.get_record()
    return absolute_url(record.get_absolute_url()) if record else ""
