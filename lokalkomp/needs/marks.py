"""What an app after needs says about a round's reports on the network's overview (a registry).

The overview (views/network.py) has a column «Sammenstilt»: which reports are in a compilation the
network has delivered. The compilation is allocation's, which comes after needs and may not be
imported here, so allocation appends a function to `report_marks` in its AppConfig.ready()::

    from lokalkomp.needs import marks
    marks.report_marks.append(compiled_reports)

Each function is called once per page with the round and the ids of the reports shown, and returns
a short text per report id («Levert 10.01.2025», «3 av 4 tiltak») for the reports it has something to
say about; the overview shows the texts of every function, and the column only when one is registered.
One query per function, whatever the number of reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round

ReportMarks = Callable[["Round", list[int]], dict[int, str]]

report_marks: list[ReportMarks] = []  # allocation: the reports in a delivered compilation


def marks_for(round: Round, report_ids: list[int]) -> dict[int, list[str]]:
    """Every registered function's text for each report (in the order they were registered)."""
    found: dict[int, list[str]] = {}
    for provider in report_marks:
        for pk, text in provider(round, report_ids).items():
            if text:
                found.setdefault(pk, []).append(text)
    return found
