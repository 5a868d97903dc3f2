"""The background task that sends one notification.

django-tasks has no retries of its own (a task that raises is simply FAILED), so `deliver`
schedules its next attempt itself, with `run_after` and a growing delay.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lokalkomp.needs.documents import PdfTimeout

from .mail import after_sent, build_message
from .models import Notification

logger = logging.getLogger(__name__)

# 1, 2, 4 … 256 minutes between attempts: about 8.5 hours in all, which outlasts a night's outage.
MAX_ATTEMPTS = 10


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the given number of failed attempts."""
    return dt.timedelta(minutes=2 ** (attempts - 1))


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer (unknown address, refused sender) will not get better by waiting."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


@task()
def deliver(notification_id: int, attempt: int = 0) -> str:
    """Send a notification once, whatever the number of workers or copies of this task.

    The claim is a conditional UPDATE on (status queued, attempts = attempt) held until the
    commit: on PostgreSQL it locks the row, so a second worker waits and then finds it sent;
    on SQLite (where SELECT … FOR UPDATE does nothing) it takes the database's write lock.
    A copy of the task for an attempt already made finds nothing to claim.
    """
    with transaction.atomic():
        now = timezone.now()
        claimed = (
            Notification.objects.queued().filter(pk=notification_id, attempts=attempt).update(attempts=attempt + 1)
        )
        if not claimed:
            return "skipped"
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
        try:
            message = build_message(notification)
        except PdfTimeout as exc:  # a letter is its PDF: a busy renderer is tried again later, not given up
            if notification.attempts >= MAX_ATTEMPTS:
                return _give_up(notification, exc)
            return _retry_later(notification, exc, now + backoff(notification.attempts))
        except Exception as exc:  # a deleted row or a template error: waiting will not mend it
            logger.exception("Notification %s cannot be rendered", notification_id)
            return _give_up(notification, exc)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, reset, timed out, TLS
            if is_permanent(exc) or notification.attempts >= MAX_ATTEMPTS:
                return _give_up(notification, exc)
            return _retry_later(notification, exc, now + backoff(notification.attempts))
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.subject = message.subject[:300]
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "subject", "last_error"])
        after_sent(notification)  # in the same transaction: what the sending records goes with the «sent»
    return "sent"


def _give_up(notification: Notification, exc: Exception) -> str:
    notification.status = Notification.Status.FAILED
    notification.last_error = _describe(exc)
    notification.save(update_fields=["status", "last_error"])
    return "failed"


def _retry_later(notification: Notification, exc: Exception, run_after: dt.datetime) -> str:
    logger.warning("Notification %s not sent (%s); next attempt at %s", notification.pk, exc, run_after)
    notification.last_error = _describe(exc)
    notification.next_attempt_at = run_after
    notification.save(update_fields=["last_error", "next_attempt_at"])
    transaction.on_commit(partial(enqueue_delivery, notification.pk, notification.attempts, run_after))
    return "retry"


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


@task()
def deliver_each(notification_ids: list[int]) -> int:
    """Queue the delivery of each: a step that queues many messages writes one task in its request, not one each."""
    for pk in notification_ids:
        enqueue_delivery(pk)
    return len(notification_ids)


def enqueue_deliveries(notification_ids: list[int]) -> None:
    """Queue the delivery of several notifications (one task row, whatever their number)."""
    if len(notification_ids) == 1:
        enqueue_delivery(notification_ids[0])
    elif notification_ids:
        deliver_each.enqueue(list(notification_ids))


def enqueue_delivery(notification_id: int, attempt: int = 0, run_after: dt.datetime | None = None) -> None:
    """Queue `deliver` for an attempt; a backend that cannot defer leaves it to `requeue_stalled`."""
    if run_after is None:
        deliver.enqueue(notification_id, attempt)
    elif deliver.get_backend().supports_defer:
        deliver.using(run_after=run_after).enqueue(notification_id, attempt)
    else:
        logger.warning("The task backend cannot defer; notification %s waits for the worker's sweep", notification_id)
