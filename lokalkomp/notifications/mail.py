"""A notification rendered as an e-mail, in the recipient's language, from the ids it stores."""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from lokalkomp.allocation.announce import compilation_named, version_named
from lokalkomp.allocation.decision_documents import decision_letter_pdf, letter_filename
from lokalkomp.allocation.letters import decision_named
from lokalkomp.directory.models import Network
from lokalkomp.needs.announce import event_named, partnerships_named, report_named
from lokalkomp.needs.documents import export_filename, html_to_pdf
from lokalkomp.needs.records import record_of_submission, version_of
from lokalkomp.needs.tasks import version_pdf
from lokalkomp.reporting.followup_announce import funds_event_named
from lokalkomp.schemes.models import Milestone, Round

from .models import Notification


def _milestone(pk: int) -> Milestone:
    return Milestone.objects.select_related("round__office").get(pk=pk)


def _round(pk: int) -> Round:
    return Round.objects.select_related("office").get(pk=pk)


def _networks(pks: list[int]) -> list[Network]:
    return list(Network.objects.filter(pk__in=pks).select_related("office").order_by("name"))


# Context keys that name one row (a deleted one raises DoesNotExist), and keys that name a list
# of rows (shown by name).
ONE: dict[str, Callable[[int], Any]] = {
    "report": report_named,
    "event": event_named,
    "milestone": _milestone,
    "round": _round,
    "compilation": compilation_named,  # allocation: a delivered compilation and its version
    "compilation_version": version_named,
    "decision": decision_named,  # allocation: a decision, whose letter this is
    "funds_event": funds_event_named,  # reporting: a report on the use of funds asked for more
}
MANY: dict[str, Callable[[list[int]], list[Any]]] = {"partnerships": partnerships_named, "networks": _networks}

logger = logging.getLogger(__name__)

# A mail server that does not answer must not hold a worker (and its row lock) for long.
SEND_TIMEOUT = 30


def template_context(notification: Notification) -> dict[str, Any]:
    """The objects the stored ids name; a row deleted since raises DoesNotExist."""
    stored = notification.context
    context: dict[str, Any] = {key: get(stored[key]) for key, get in ONE.items() if stored.get(key)}
    context.update({key: get(stored[key]) for key, get in MANY.items() if key in stored})
    if "report" in context and "event" in context:
        # What that submission said (its version), not the live rows the draft has since.
        context["record"] = record_of_submission(context["report"], context["event"])
    recipient = notification.recipient
    context.update(
        notification=notification,
        name=stored.get("name") or (str(recipient) if recipient else notification.email),
        site=settings.SITE_URL.rstrip("/"),  # links go to the site's public address, never the request's host
    )
    return context


def attachments(notification: Notification, context: dict[str, Any]) -> list[tuple[str, bytes, str]]:
    """The receipt carries the submitted version as PDF, in the recipient's language (the caller activated it).

    The PDF kept for that version is attached; else it is made now, in a child process stopped after
    `RECEIPT_PDF_TIME_LIMIT` seconds. A PDF that cannot be made (in time) must not cost the receipt
    itself: it goes without, and says where the PDF is (the worker makes it meanwhile).
    """
    if notification.kind == Notification.Kind.DECISION_LETTER:
        return letter_attachments(context["decision"])
    report = context.get("report")
    version = version_of(context.get("event"))
    if notification.kind != Notification.Kind.RECEIPT or report is None or version is None:
        return []
    name = export_filename("behovsmelding", report.round.year, report.partnership.name, extension="pdf")
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        content = version_pdf(version, language, seconds=receipt_pdf_time_limit())
    except Exception:
        logger.exception(
            "The PDF of needs report %s could not be attached to notification %s", report.pk, notification.pk
        )
        return []
    return [(name, content, "application/pdf")] if content is not None else []


_warm = False


def warm_renderer() -> None:
    """Make one tiny PDF in this process, once: the child each PDF is made in is forked from it.

    WeasyPrint loads its fonts at the first PDF of a process. Loaded here, every forked child
    inherits them: a letter then takes about a seventh of the time (bench/letters.py).
    """
    global _warm
    if not _warm:
        html_to_pdf('<html lang="nb"><body><p>lokalkomp</p></body></html>')
        _warm = True


def letter_attachments(decision: Any) -> list[tuple[str, bytes, str]]:
    """The decision letter is the PDF itself (in the decision's language form): made here, in the worker.

    Unlike the receipt's PDF it is not optional: if it cannot be made the message is not sent
    (PdfTimeout: the attempt is made again later; another error: the message fails, and says why).
    """
    warm_renderer()
    return [(letter_filename(decision), decision_letter_pdf(decision), "application/pdf")]


def after_sent(notification: Notification) -> None:
    """What a message records once it is sent (in the worker's transaction): a decision's «letter sent» event."""
    if notification.kind == Notification.Kind.DECISION_LETTER:
        decision_named(notification.context["decision"]).record_letter_sent(
            to=notification.addresses, at=notification.sent_at
        )


def receipt_pdf_time_limit() -> float:
    """How long a send attempt waits for a PDF it must make: shorter than the worker's own limit."""
    return float(getattr(settings, "RECEIPT_PDF_TIME_LIMIT", 30))


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """Subject, text and HTML from `notifications/email/<kind>…`, rendered in the notification's language."""
    base = f"notifications/email/{notification.kind}"
    with translation.override(notification.language):
        context = template_context(notification)
        files = attachments(notification, context)
        context["pdf_attached"] = bool(files)
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        language = translation.get_language() or settings.LANGUAGE_CODE
    message = EmailMultiAlternatives(
        subject,
        text,
        to=notification.addresses,
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
