"""What a report's measures were granted, once the Statsforvalter has decided (vedtak): a registry.

The decisions and the forum's recommendation are allocation's, which comes after needs in the year
and may not be imported here, so allocation appends a function to `report_outcomes` in its
AppConfig.ready() (allocation/registrations.py)::

    from lokalkomp.needs import outcomes
    outcomes.report_outcomes.append(outcome.report_outcome)

A function is called with the person and the report (as `access.for_record` reads it, with the
`report_annotations`) and returns a `ReportOutcome`, or None until the round's decisions are made: the partnerships see nothing of the recommendation before (issue 12), not
even its preliminary numbers. A bounded number of queries, whatever the number of measures. The page
shows it to everyone who may read the report; the decisions themselves keep their own access rules
(a `DecisionLink` has a url only for those who may open it).

`outcome_rows` puts the outcome beside the measures the page shows: a measure no decision line names
is «not granted» (0 kr), as when a report was sent back and never submitted again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .models import Totals

if TYPE_CHECKING:
    from .models import NeedsReport
    from .records.record import ReportRecord


@dataclass(frozen=True)
class DecisionLink:
    number: str  # the decision's number («2024-NORDLAND-001»)
    url: str = ""  # the decision's page, for those who may open it; '' for the others


@dataclass(frozen=True)
class MeasureOutcome:
    """One measure as the final recommendation's record and the decisions have it."""

    measure: int
    name: str
    scheme: str
    asked_owner: int
    asked_partner: int
    granted_owner: int = 0
    granted_partner: int = 0
    reason: str = ""  # the forum's justification in the final recommendation
    decisions: tuple[DecisionLink, ...] = ()


@dataclass(frozen=True)
class ReportOutcome:
    decided_on: dt.date
    measures: dict[int, MeasureOutcome]  # by measure pk: those the recommendation or a decision names
    decisions: tuple[DecisionLink, ...] = ()  # every decision with a line for the report, by number
    my_decisions_url: str = ""  # the person's own decisions (/mine-vedtak/), if they receive one of these


ReportOutcomes = Callable[[Any, "NeedsReport"], ReportOutcome | None]

report_outcomes: list[ReportOutcomes] = []  # allocation: the decisions of the report's round

# What a later app reads with the report itself (`access.for_record`), so that the page of a report whose
# round is not decided asks nothing more: name → a function making the annotation (allocation: when the
# round's first ordinary decision was made, and the record of the recommendation it was made from).
report_annotations: dict[str, Callable[[], Any]] = {}


def read_with_report() -> dict[str, Any]:
    """The registered annotations for a queryset of reports."""
    return {name: make() for name, make in report_annotations.items()}


def outcome_of(user: Any, report: NeedsReport) -> ReportOutcome | None:
    """The first registered function's outcome for the report (None: not decided, or nothing registered)."""
    for provider in report_outcomes:
        found = provider(user, report)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class OutcomeRow:
    """A row of the outcome table: what was asked and what was granted, with why and by which decision."""

    measure: int | None
    name: str
    scheme: str
    asked: Totals
    granted: Totals
    reason: str = ""
    decisions: tuple[DecisionLink, ...] = ()

    @property
    def is_granted(self) -> bool:
        return self.granted.total > 0


@dataclass(frozen=True)
class OutcomeTable:
    outcome: ReportOutcome
    rows: list[OutcomeRow] = field(default_factory=list)

    @property
    def asked(self) -> Totals:
        return sum((row.asked for row in self.rows), Totals())

    @property
    def granted(self) -> Totals:
        return sum((row.granted for row in self.rows), Totals())


def outcome_rows(user: Any, report: NeedsReport, record: ReportRecord) -> OutcomeTable | None:
    """The outcome per measure in the order the page shows them (the record's), or None before the decisions.

    What was asked is what the forum recommended on (the final recommendation's record) where it names
    the measure, else the page's own amounts. A measure the decisions name that the record no longer has
    comes last.
    """
    outcome = outcome_of(user, report)
    if outcome is None:
        return None
    rows = []
    for m in record.measures:
        found = outcome.measures.get(m.pk) if m.pk is not None else None
        if found is None:
            rows.append(OutcomeRow(m.pk, m.name, str(m.scheme), m.totals, Totals()))
        else:  # the page's name and scheme, the amounts the forum and the Statsforvalter read
            rows.append(_row(found, name=m.name, scheme=str(m.scheme)))
    shown = {m.pk for m in record.measures}
    rows += [_row(found) for pk, found in outcome.measures.items() if pk not in shown]
    return OutcomeTable(outcome, rows)


def _row(found: MeasureOutcome, *, name: str | None = None, scheme: str | None = None) -> OutcomeRow:
    return OutcomeRow(
        found.measure,
        found.name if name is None else name,
        found.scheme if scheme is None else scheme,
        Totals(found.asked_owner, found.asked_partner),
        Totals(found.granted_owner, found.granted_partner),
        found.reason,
        found.decisions,
    )
