"""When a deadline closes: the one rule every transition's deadline check goes through.

A deadline (frist) written as «15.12.2023» may be met until midnight at the end of that day in
Norway, whatever time zone the server or the request runs in. `Round.is_open_for` and
`Round.why_closed` call `is_open` and `closes_at` here; nothing else compares dates with deadlines.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Milestone

NORWAY = ZoneInfo("Europe/Oslo")


def closes_at(last_day: dt.date) -> dt.datetime:
    """The moment a deadline on `last_day` has passed: 00:00 the next day, Norwegian time."""
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=NORWAY)


def is_open(milestone: Milestone | None, now: dt.datetime | None = None) -> bool:
    """No deadline: open. Otherwise open until the end of the deadline's last day."""
    return milestone is None or (now or timezone.now()) < closes_at(milestone.last_day)


def why_closed(milestone: Milestone | None, now: dt.datetime | None = None) -> str:
    """Why a transition is closed, in the user's language; empty while it is open."""
    if milestone is None or is_open(milestone, now):
        return ""
    return _("The deadline “%(title)s” was %(date)s.") % {
        "title": milestone.get_governs_display(),
        "date": milestone.last_day.strftime("%d.%m.%Y"),
    }
