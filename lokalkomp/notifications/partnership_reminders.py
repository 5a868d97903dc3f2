"""The Statsforvalter's reminder to a partnership without a needs report, sent from the round's work list.

needs shows the button and when each partnership was last reminded (its registry
`needs.panels.partnership_reminders`, filled in NotificationsConfig.ready()); this app sends the
e-mail through its queue and keeps the record: a `PartnershipReminder` row says who sent it, when,
and to which addresses. At most one a day per partnership, whatever the round: the row's unique
(partnership, day), and each message's dedupe key, which names the day too. Only a partnership
the work list lists may be reminded (`needs.access.get_remindable_partnership_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from lokalkomp.needs.audiences import partnership_addresses
from lokalkomp.needs.models import Partnership
from lokalkomp.needs.panels import PartnershipReminder as ReminderButton
from lokalkomp.schemes.models import Round, Transition

from .actions import notify
from .models import Notification, PartnershipReminder


@dataclass(frozen=True)
class Outcome:
    """What a click on «Send a reminder» did."""

    reminder: PartnershipReminder | None = None  # today's record (new, or the one sent earlier today, any round)
    queued: int = 0
    already: bool = False  # a reminder went earlier today: nothing was sent again
    started: bool = False  # the partnership has a report in the round by now: nothing was sent
    no_address: bool = False  # no contact person has an e-mail address: nothing was sent


def remind_partnership(*, round: Round, partnership: Partnership, by: Any, today: dt.date | None = None) -> Outcome:
    """Queue the reminder to each contact address of the partnership, once a day, and record it."""
    today = today or timezone.localdate()
    if partnership.reports.filter(round=round).exists():
        return Outcome(started=True)
    contacts = partnership_addresses(partnership)
    if not contacts:
        return Outcome(no_address=True)
    deadline = round.deadline(Transition.NEEDS_REPORTS)
    with transaction.atomic():
        reminder, created = PartnershipReminder.objects.get_or_create(
            partnership=partnership,
            day=today,
            defaults={"round": round, "sent_by": by, "recipients": [contact.email for contact in contacts]},
        )
        if not created:
            return Outcome(reminder=reminder, already=True)
        queued = 0
        for contact in contacts:
            context = {"round": round.pk, "partnerships": [partnership.pk], "name": contact.name, "sent_by": str(by)}
            if deadline is not None:
                context["milestone"] = deadline.pk
            notification = notify(
                Notification.Kind.PARTNERSHIP_REMINDER,
                recipient=contact.user,
                email=contact.email,
                context=context,
                dedupe_key=f"partnership_reminder:{round.pk}:{partnership.pk}:{today:%Y%m%d}:{contact.email.lower()}",
            )
            queued += notification is not None
    return Outcome(reminder=reminder, queued=queued)


def reminder_url(round: Round, partnership_id: int) -> str:
    return reverse("notifications:remind_partnership", args=[round.office.slug, round.year, partnership_id])


def last_sent(round: Round, partnership_ids: list[int]) -> dict[int, dt.date]:
    """The day each partnership was last reminded in the round, in one query."""
    rows = (
        PartnershipReminder.objects.filter(round=round, partnership_id__in=partnership_ids)
        .order_by()
        .values_list("partnership_id")
        .annotate(last=Max("day"))
    )
    return dict(rows)


BUTTON = ReminderButton(url=reminder_url, last_sent=last_sent)
