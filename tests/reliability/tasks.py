"""A task for the worker fault test: it records each run, and waits while the hold file exists."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def record_run(runs: str, hold: str) -> None:
    with open(runs, "a", encoding="utf-8") as file:
        file.write("run\n")
    deadline = time.monotonic() + 120
    while Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
