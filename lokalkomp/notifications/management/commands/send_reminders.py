"""Queue one day's deadline reminders, for cron or to catch up a day the worker missed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lokalkomp.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due on a day (default: today); the worker sends them. "
        "Safe to run again: nobody is reminded twice of the same deadline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day, as YYYY-MM-DD (default: today, Norwegian time).")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        queued = send_reminders(day)
        self.stdout.write(f"{queued} reminder(s) queued for {day:%d.%m.%Y}.")
