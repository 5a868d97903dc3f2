"""For tests: run the queued tasks in-process, as `run_worker` would, without a worker running."""

from __future__ import annotations

from django.test import TestCase
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def run_queued_tasks(limit: int = 100) -> int:
    """Claim and run every task that is ready now (time-machine moves "now"); returns how many ran.

    The same steps as one turn of db_worker's loop (claim under lock, `Worker.run_task`), minus
    its connection recycling, which would break a test's transaction. Callbacks registered with
    `on_commit` inside a task (a retry being queued) run as they would in the worker.
    """
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with exclusive_transaction():
            result = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS).get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
        ran += 1
    return ran
