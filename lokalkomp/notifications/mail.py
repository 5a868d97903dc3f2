"""A notification rendered as an e-mail, in the recipient's language, from the ids it stores."""

from __future__ import annotations

import logging
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation

from lokalkomp.directory.models import Network
from lokalkomp.needs.documents import export_filename, render_report_pdf
from lokalkomp.needs.models import NeedsReport, NeedsReportVersion, Partnership, ReportEvent
from lokalkomp.schemes.models import Milestone, Round

from .models import Notification

# Context keys that name one row, and keys that name a list of rows (shown by name).
ONE: dict[str, models.QuerySet[Any]] = {
    "report": NeedsReport.objects.select_related("partnership__network", "round__office"),
    "event": ReportEvent.objects.select_related("actor"),
    "round": Round.objects.select_related("office"),
    "milestone": Milestone.objects.select_related("round__office"),
}
MANY: dict[str, models.QuerySet[Any]] = {
    "partnerships": Partnership.objects.order_by("name"),
    "networks": Network.objects.select_related("office").order_by("name"),
}

logger = logging.getLogger(__name__)

# A mail server that does not answer must not hold a worker (and its row lock) for long.
SEND_TIMEOUT = 30


def template_context(notification: Notification) -> dict[str, Any]:
    """The objects the stored ids name; a row deleted since raises DoesNotExist."""
    stored = notification.context
    context: dict[str, Any] = {key: qs.get(pk=stored[key]) for key, qs in ONE.items() if stored.get(key)}
    context.update({key: list(qs.filter(pk__in=stored[key])) for key, qs in MANY.items() if key in stored})
    recipient = notification.recipient
    context.update(
        notification=notification,
        name=stored.get("name") or (str(recipient) if recipient else notification.email),
        site=settings.SITE_URL.rstrip("/"),  # links go to the site's public address, never the request's host
    )
    return context


def attachments(notification: Notification, context: dict[str, Any]) -> list[tuple[str, bytes, str]]:
    """The receipt carries the report as PDF, in the recipient's language (the caller has activated it).

    A PDF that cannot be made must not cost the receipt itself: it goes without, and says where the PDF is.
    """
    report = context.get("report")
    if notification.kind != Notification.Kind.RECEIPT or report is None:
        return []
    name = export_filename("behovsmelding", report.round.year, report.partnership.name, extension="pdf")
    try:
        return [(name, render_report_pdf(report, _version_of(context.get("event"))), "application/pdf")]
    except Exception:
        logger.exception(
            "The PDF of needs report %s could not be attached to notification %s", report.pk, notification.pk
        )
        return []


def _version_of(event: ReportEvent | None) -> NeedsReportVersion | None:
    """The record the submission made: the receipt's PDF prints it, whatever happened since."""
    try:
        return event.version if event is not None else None  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """Subject, text and HTML from `notifications/email/<kind>…`, rendered in the notification's language."""
    base = f"notifications/email/{notification.kind}"
    with translation.override(notification.language):
        context = template_context(notification)
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        files = attachments(notification, context)
        language = translation.get_language() or settings.LANGUAGE_CODE
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[notification.email],
        headers={
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies to a robot
            # The same id on every attempt, so that a mail server or client can drop a copy.
            "Message-ID": f"<notification-{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}@{_domain()}>",
        },
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT or SEND_TIMEOUT),
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in files:
        message.attach(name, content, mimetype)
    return message


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "lokalkomp"
