"""Reminders N days before a deadline (N = `Round.reminder_days`), to those who have not delivered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Q
from django_tasks import task

from lokalkomp.accounts.models import User
from lokalkomp.needs.audiences import needs_report_missing
from lokalkomp.reporting.followup_reminders import funds_report_missing
from lokalkomp.schemes.models import Milestone, Round, Transition

from .actions import notify
from .audiences import network_coordinators
from .models import Notification

# Per deadline: who has not delivered, each with the ids of what they owe, and under which context key.
# The recommendation and the decision are the forum's and the Statsforvalter's own deadlines: nothing
# records their delivery yet (the allocation app), so they get no reminder.
UNDELIVERED: dict[str, tuple[str, Callable[[Round], dict[User, list[int]]]]] = {
    Transition.NEEDS_REPORTS: ("partnerships", needs_report_missing),
    Transition.NETWORK_COMPILATION: ("networks", network_coordinators),
    Transition.REPORTS_DUE: ("partnerships", funds_report_missing),  # reporting: not submitted
}


def deadlines_to_remind(today: dt.date) -> list[Milestone]:
    """The deadlines whose reminder day is today: exactly `reminder_days` before their last day."""
    upcoming = (
        Milestone.objects.filter(governs__in=list(UNDELIVERED))
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today))
        .select_related("round__office")
        .order_by("pk")
    )
    return [m for m in upcoming if m.last_day - dt.timedelta(days=m.round.reminder_days) == today]


def send_reminders(today: dt.date) -> int:
    """Queue today's reminders; returns how many are new. Running it again the same day queues none.

    The key names the deadline's date and N as well, so a deadline moved later, or a round
    given another N, is reminded of again; the same deadline never twice.
    """
    queued = 0
    for milestone in deadlines_to_remind(today):
        key, undelivered = UNDELIVERED[milestone.governs]
        days = milestone.round.reminder_days
        for user, owed in undelivered(milestone.round).items():
            notification = notify(
                Notification.Kind.REMINDER,
                recipient=user,
                context={"milestone": milestone.pk, key: owed},
                dedupe_key=f"reminder:{milestone.pk}:{user.pk}:{milestone.last_day:%Y%m%d}:{days}",
            )
            queued += notification is not None
    return queued


@task()
def remind(day: str) -> int:
    """The reminders of one day (an ISO date), as the worker queues it each morning."""
    return send_reminders(dt.date.fromisoformat(day))
