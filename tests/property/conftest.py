"""The property-based suite: how many inputs it generated, printed at the end of the run.

LOKALKOMP_PROPERTY_EXAMPLES sets the examples per test. Unset, PostgreSQL runs the full count (together
at least 10 000 generated inputs, as issue 9 asks, and CI runs it there) and SQLite a tenth of it.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

INPUTS: Counter[str] = Counter()  # inputs actually posted or placed in a form
OUTCOMES: Counter[str] = Counter()  # answers by kind: accepted and refused both need to occur


def examples(full: int) -> int:
    if os.environ.get("LOKALKOMP_PROPERTY_EXAMPLES"):
        return int(os.environ["LOKALKOMP_PROPERTY_EXAMPLES"])
    return full if "postgres" in os.environ.get("DATABASE_URL", "") else max(10, full // 10)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if INPUTS:
        parts = ", ".join(f"{name}: {n}" for name, n in sorted(INPUTS.items()))
        terminalreporter.write_line(f"property suite: {sum(INPUTS.values())} generated inputs ({parts})")
    if OUTCOMES:
        terminalreporter.write_line(
            "property suite answers: " + ", ".join(f"{k}: {n}" for k, n in sorted(OUTCOMES.items()))
        )
