"""The worker `make demo` and production run: `db_worker`'s loop plus the daily reminders."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from lokalkomp.notifications.worker import Schedule

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the background worker: send queued e-mail (retrying while the mail server is down) and "
        "queue each day's deadline reminders from 07:00. Stop it with Ctrl-C or SIGTERM; it finishes "
        "the task at hand first. Several workers may run at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when no task is ready (default: 1)."
        )
        parser.add_argument(
            "--once", action="store_true", help="Run every ready task and the day's schedule once, then exit."
        )

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        # db_worker's Worker in batch mode returns when no task is ready; between its runs this loop
        # does what is due by the clock, which plain `db_worker` cannot.
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        # In batch mode the worker logs its start and end on every turn of this loop: keep its warnings only.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        schedule = Schedule()
        if not once:
            worker.configure_signals()
            self.stdout.write(f"Worker {worker.worker_id} started; reminders are queued daily from 07:00.")
        while worker.running:
            worker.run()
            try:
                schedule.tick(timezone.now())
            except Exception:  # a locked or lost database: log it and try again on the next turn
                logger.exception("The worker's schedule failed")
            if once:
                worker.run()  # what the schedule just queued
                return
            time.sleep(interval)
