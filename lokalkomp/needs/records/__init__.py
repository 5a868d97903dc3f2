"""A submitted needs report as a record: what it said on the day, kept as it was.

`serialise(report)` turns a report (and its partnership's participants and contacts, which live on
the partnership and change with next year's draft) into plain JSON data; a `NeedsReportVersion`
stores it when the report is submitted. `ReportRecord` is the one shape the report page, its PDF
and its Excel sheet read: built from a version's data for a submitted report, and from
`serialise(report)` of the live rows for a draft, so the templates never branch on which it is.
`diff(a, b)` lists what changed between two versions, field by field, with labels and values
formatted for people («kr 120 000 → kr 150 000»).

The parts: `data` (report → data), `record` (data → `ReportRecord`) and `changes` (`diff`).
Import from here: `from lokalkomp.needs.records import …`.
"""

from .changes import Change, diff
from .data import SCHEMA, digest, load, loaded, preloaded, serialise
from .record import (
    RecordedContact,
    RecordedContinuation,
    RecordedDeclaredTotal,
    RecordedMeasure,
    RecordedOrganisation,
    RecordedParticipant,
    RecordedReportScheme,
    RecordedScheme,
    RecordedUnionParticipant,
    ReportRecord,
    field_label,
    latest_version,
    record_context,
    record_of,
    record_of_submission,
    version_of,
)

__all__ = [
    "SCHEMA",
    "Change",
    "RecordedContact",
    "RecordedContinuation",
    "RecordedDeclaredTotal",
    "RecordedMeasure",
    "RecordedOrganisation",
    "RecordedParticipant",
    "RecordedReportScheme",
    "RecordedScheme",
    "RecordedUnionParticipant",
    "ReportRecord",
    "diff",
    "digest",
    "field_label",
    "latest_version",
    "load",
    "loaded",
    "preloaded",
    "record_context",
    "record_of",
    "record_of_submission",
    "serialise",
    "version_of",
]
