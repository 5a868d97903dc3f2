"""What the worker does besides running tasks: the morning's reminders, and mail whose task was lost."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Notification
from .reminders import remind
from .tasks import enqueue_delivery

REMIND_AT = dt.time(7, 0)  # Norwegian time: reminders arrive with the working day, not at midnight
SWEEP_EVERY = dt.timedelta(hours=1)
# A queued notification this long past its due time has no task left: a worker was killed while
# sending (the attempt rolled back), or the process died between the commit and the enqueue.
STALLED_AFTER = dt.timedelta(minutes=10)


def requeue_stalled(now: dt.datetime) -> int:
    """Queue delivery again for stalled notifications. A copy of a live task is harmless: it finds nothing to claim."""
    stalled = list(
        Notification.objects.queued().filter(next_attempt_at__lte=now - STALLED_AFTER).values_list("pk", "attempts")
    )
    for pk, attempts in stalled:
        Notification.objects.filter(pk=pk).update(next_attempt_at=now)
        enqueue_delivery(pk, attempts)
    return len(stalled)


# A task RUNNING this long has lost its worker (killed, or the machine went down): the database
# backend leaves it RUNNING for ever, so the sweep puts it back in the queue to run once more.
ABANDONED_AFTER = dt.timedelta(minutes=30)


def requeue_abandoned_tasks(*, started_before: dt.datetime) -> int:
    """Put tasks started before a moment and still RUNNING back in the queue; returns how many."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=started_before).update(
        status="READY", started_at=None
    )


@dataclass
class Schedule:
    """Called on every turn of the worker's loop; does each job when it is due.

    The day's reminders are queued at the first turn after 07:00, and again after a restart:
    `send_reminders` is idempotent, so a restart or a second worker costs a query, not a mail.
    """

    reminded_on: dt.date | None = None
    swept_at: dt.datetime | None = None

    def tick(self, now: dt.datetime) -> None:
        local = timezone.localtime(now)
        if local.time() >= REMIND_AT and self.reminded_on != local.date():
            remind.enqueue(local.date().isoformat())
            self.reminded_on = local.date()
        if self.swept_at is None or now - self.swept_at >= SWEEP_EVERY:
            requeue_stalled(now)
            requeue_abandoned_tasks(started_before=now - ABANDONED_AFTER)
            self.swept_at = now
