"""Faults: the database connection cut in the middle of a submission, and a task worker killed mid-task."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import get_commands
from django.db import connection
from django.test import Client
from django.urls import reverse

from lokalkomp.needs.models import NeedsReport, NeedsReportEvent
from lokalkomp.testing import Cast

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)
# The command that puts tasks whose worker died back in the queue. It does not exist yet: see test below.
RECOVERY_COMMAND = "requeue_abandoned_tasks"


def _cut_own_connection() -> None:
    """Terminate this thread's database session from a second connection, as a network cut or a failover would."""
    pid = connection.connection.info.backend_pid  # type: ignore[union-attr]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _submit(client: Client, report: NeedsReport) -> Any:
    return client.post(reverse("needs:submit", args=[report.pk]))


@pytest.fixture
def contact_client(cast: Cast) -> Iterator[Client]:
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner_contact)
    with mock.patch("lokalkomp.needs.checks.problems", return_value=[]):  # the checklist is tested elsewhere
        yield client


def _cut_during_submit(client: Client, report: NeedsReport) -> Any:
    """Submit, with the connection terminated after the status UPDATE and before the event INSERT and COMMIT.

    The cut is made at the SQL, whichever model method writes the event.
    """
    insert = f'INSERT INTO "{NeedsReportEvent._meta.db_table}"'

    def cut_before_the_event(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(insert):
            _cut_own_connection()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cut_before_the_event):
        response = _submit(client, report)
    connection.close()  # the test goes on with a fresh connection, as the next request would
    return response


def test_a_cut_connection_during_submission_leaves_no_partial_report(cast: Cast, contact_client: Client) -> None:
    _cut_during_submit(contact_client, cast.report)
    report = NeedsReport.objects.get(pk=cast.report.pk)
    assert report.status == NeedsReport.Status.DRAFT
    assert report.version == cast.report.version
    assert not NeedsReportEvent.objects.filter(report=report, to_status="submitted").exists()
    assert mail.outbox == []  # no receipt for a submission that did not happen


def test_a_retry_after_a_cut_connection_submits_the_report_once(cast: Cast, contact_client: Client) -> None:
    _cut_during_submit(contact_client, cast.report)
    response = _submit(contact_client, cast.report)
    assert response.status_code == 302
    assert NeedsReport.objects.get(pk=cast.report.pk).status == NeedsReport.Status.SUBMITTED
    assert NeedsReportEvent.objects.filter(report=cast.report, to_status="submitted").count() == 1


def test_the_person_is_told_clearly_when_the_connection_is_cut(cast: Cast, contact_client: Client) -> None:
    response = _cut_during_submit(contact_client, cast.report)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("needs:edit_section", args=[cast.report.pk, "check"]),
    )
    follow = contact_client.get(response["Location"])
    assert (
        "Behovsmeldingen kunne ikke sendes inn: forbindelsen til databasen ble brutt. Ingenting ble endret; prøv igjen."
        in follow.content.decode()
    )


# --- the task worker -------------------------------------------------------------------------------------------


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(*extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": _database_url(), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "manage.py", "db_worker", "--interval=0.1", "--no-startup-delay", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def _wait_for(condition: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _runs(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.exists() else []


@pytest.fixture
def killed_task(tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    """A task whose worker was killed (SIGKILL) while it ran: it is left RUNNING in the queue."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import record_run

    runs, hold = tmp_path / "runs.txt", tmp_path / "hold"
    hold.touch()  # the first run waits until it is killed
    result = record_run.enqueue(str(runs), str(hold))
    worker = _worker()
    try:
        assert _wait_for(lambda: len(_runs(runs)) == 1), "the worker never started the task"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    hold.unlink()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    yield result, runs


def test_a_task_left_by_a_killed_worker_is_not_run_twice_at_once(killed_task: tuple[Any, Path]) -> None:
    """While nobody has decided the worker is dead, a second worker must not start the same task."""
    _result, runs = killed_task
    worker = _worker("--batch")
    assert worker.wait(timeout=60) == 0
    assert len(_runs(runs)) == 1


def test_a_task_whose_worker_was_killed_runs_again_exactly_once(killed_task: tuple[Any, Path]) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    result, runs = killed_task
    assert RECOVERY_COMMAND in get_commands(), f"no {RECOVERY_COMMAND} command"
    call_command(RECOVERY_COMMAND, "--older-than=0")
    for _ in range(2):  # two workers, one after the other: the task must still run only once more
        worker = _worker("--batch")
        assert worker.wait(timeout=60) == 0
    assert len(_runs(runs)) == 2
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
