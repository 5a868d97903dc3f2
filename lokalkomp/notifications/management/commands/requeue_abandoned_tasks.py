from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from lokalkomp.notifications.worker import requeue_abandoned_tasks


class Command(BaseCommand):
    help = (
        "Put background tasks left RUNNING by a worker that died back in the queue, so that they run again once. "
        "Tasks are safe to run again: each notification is sent once whatever runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=600, help="seconds a task must have been running (default 600)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - dt.timedelta(seconds=options["older_than"])
        count = requeue_abandoned_tasks(started_before=before)
        self.stdout.write(f"{count} abandoned task(s) put back in the queue.")
