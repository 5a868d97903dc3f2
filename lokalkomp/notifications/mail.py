"""A notification rendered as an e-mail, in the recipient's language, from the ids it stores."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation

from lokalkomp.directory.models import Network
from lokalkomp.needs.models import NeedsReport, Partnership, ReportEvent
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
        site=settings.SITE_URL,
    )
    return context


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """Subject, text and HTML from `notifications/email/<kind>…`, rendered in the notification's language."""
    base = f"notifications/email/{notification.kind}"
    with translation.override(notification.language):
        context = template_context(notification)
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
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
    return message


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "lokalkomp"
