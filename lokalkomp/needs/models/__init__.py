"""Partnerships, their needs reports (behovsmeldinger) and the measures (tiltak) in them.

One module per part: `partnership` (who reports), `report` (the report, its workflow and the rows on
it), `measure` (the measures and their field lists) and `events` (what happened to a report: its
change record, status events and submitted versions). Import from here: `from lokalkomp.needs.models import …`.
"""

from .events import (
    SYSTEM_COMMENTS,
    FieldEdit,
    NeedsReportEvent,
    NeedsReportEventQuerySet,
    NeedsReportVersion,
    NeedsReportVersionParty,
    NeedsReportVersionPartyQuerySet,
    NeedsReportVersionQuerySet,
    NeedsReportVersionTotal,
    NeedsReportVersionTotalQuerySet,
    as_text,
    describe_row,
    office_code,
)
from .measure import (
    Continuation,
    Measure,
    MeasureQuerySet,
    continuation_periods,
    period_order,
    semester_codes,
)
from .partnership import Contact, Participant, Partnership
from .report import (
    LONG_TEXT,
    SHORT_TEXT,
    DeclaredTotal,
    NeedsReport,
    NeedsReportQuerySet,
    NeedsReportScheme,
    ReportPdf,
    ReportPresence,
    SplitAmounts,
    Totals,
    TransitionError,
    UnionParticipant,
    sent_back_q,
)

__all__ = [
    "LONG_TEXT",
    "SHORT_TEXT",
    "SYSTEM_COMMENTS",
    "Contact",
    "Continuation",
    "DeclaredTotal",
    "FieldEdit",
    "Measure",
    "MeasureQuerySet",
    "NeedsReport",
    "NeedsReportEvent",
    "NeedsReportEventQuerySet",
    "NeedsReportQuerySet",
    "NeedsReportScheme",
    "NeedsReportVersion",
    "NeedsReportVersionQuerySet",
    "NeedsReportVersionParty",
    "NeedsReportVersionPartyQuerySet",
    "NeedsReportVersionTotal",
    "NeedsReportVersionTotalQuerySet",
    "Participant",
    "Partnership",
    "ReportPdf",
    "ReportPresence",
    "SplitAmounts",
    "Totals",
    "TransitionError",
    "UnionParticipant",
    "as_text",
    "continuation_periods",
    "describe_row",
    "office_code",
    "period_order",
    "semester_codes",
    "sent_back_q",
]
