"""A compilation as data: what a delivered version stores, and the one shape its pages and documents read.

`record_data` writes what the network delivers, copied from the submitted reports' records (their
latest `NeedsReportVersion`, read through `lokalkomp.needs.records`): per scheme, the measures in the
network's order with their report and partnership, owners and UH, amounts and the network's mark.
`CompilationRecord.from_data` reads it back; `live_record` gives the same shape from the live list
(the draft), so that the templates never branch on which one they show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime

from lokalkomp.needs.models import NeedsReport, NeedsReportVersion, Participant, SplitAmounts, Totals
from lokalkomp.needs.records import RecordedMeasure, ReportRecord, load, serialise
from lokalkomp.schemes.models import Use
from lokalkomp.schemes.panels import NeedsAnalysisNote, needs_analysis_notes

if TYPE_CHECKING:
    from ..models import Compilation, CompilationEntry

SCHEMA = 1
"""The shape of `CompilationVersion.data`; raise it (and read the old shape too) when the shape changes."""


@dataclass(frozen=True)
class CompiledMeasure(SplitAmounts):
    """One measure in the network's list, as delivered (or as the draft shows it now)."""

    measure_id: int | None
    report_id: int | None
    report_version: int | None
    partnership: str
    name: str
    owners: tuple[str, ...]
    partners: tuple[str, ...]
    owner_amount: int
    partner_amount: int
    purpose: str
    recommended: bool
    reason: str
    priority: int | None  # its place in the scheme's list; None for a measure not part of the delivery
    entry_id: int | None = None  # the live row (the draft's controls); None in a record
    included: bool = True  # False: its report has been sent back (greyed, not delivered)

    @property
    def purpose_display(self) -> str:
        return str(dict(Use.choices).get(self.purpose, self.purpose)) if self.purpose else ""


@dataclass(frozen=True)
class CompiledScheme:
    code: str
    short_name: str
    name: str
    entries: list[CompiledMeasure]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def included(self) -> list[CompiledMeasure]:
        return [e for e in self.entries if e.included]

    @property
    def totals(self) -> Totals:
        """Owner, UH and total of the measures delivered (computed, never stored)."""
        return sum((e.totals for e in self.included), Totals())

    @property
    def recommended_totals(self) -> Totals:
        return sum((e.totals for e in self.included if e.recommended), Totals())


@dataclass(frozen=True)
class CompilationRecord:
    """What a compilation says: a delivered version's data, or the draft's live list, in one shape."""

    network: str
    office: str
    year: int | None
    comment: str
    schemes: list[CompiledScheme]
    number: int | None = None
    delivered_at: dt.datetime | None = None
    delivered_by: str = ""
    excluded: list[CompiledMeasure] = field(default_factory=list)
    # What the network's gatherings picked for the needs analysis (schemes.panels.needs_analysis_notes).
    notes: list[NeedsAnalysisNote] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CompilationRecord:
        at = data.get("delivered_at")
        return cls(
            network=data.get("network", ""),
            office=data.get("office", ""),
            year=data.get("year"),
            comment=data.get("comment", ""),
            schemes=[
                CompiledScheme(
                    s.get("code", ""),
                    s.get("short_name", ""),
                    s.get("name", ""),
                    [_read_measure(m) for m in s.get("entries", [])],
                )
                for s in data.get("schemes", [])
            ],
            number=data.get("number"),
            delivered_at=parse_datetime(at) if isinstance(at, str) else None,
            delivered_by=data.get("delivered_by", ""),
            notes=[
                NeedsAnalysisNote(
                    str(n.get("gathering", "")),
                    str(n.get("question", "")),
                    str(n.get("text", "")),
                    str(n.get("detail", "")),
                )
                for n in data.get("gatherings", [])
                if isinstance(n, dict)
            ],
        )

    @property
    def is_record(self) -> bool:
        return self.number is not None

    @property
    def totals(self) -> Totals:
        return sum((s.totals for s in self.schemes), Totals())

    @property
    def recommended_totals(self) -> Totals:
        return sum((s.recommended_totals for s in self.schemes), Totals())

    @property
    def measure_count(self) -> int:
        return sum(len(s.included) for s in self.schemes)

    @property
    def report_ids(self) -> set[int]:
        return {e.report_id for s in self.schemes for e in s.included if e.report_id is not None}


def _read_measure(data: dict[str, Any]) -> CompiledMeasure:
    return CompiledMeasure(
        measure_id=data.get("measure"),
        report_id=data.get("report"),
        report_version=data.get("report_version"),
        partnership=data.get("partnership", ""),
        name=data.get("name", ""),
        owners=tuple(data.get("owners", [])),
        partners=tuple(data.get("partners", [])),
        owner_amount=data.get("owner_amount") or 0,
        partner_amount=data.get("partner_amount") or 0,
        purpose=data.get("purpose", ""),
        recommended=bool(data.get("recommended", True)),
        reason=data.get("reason", ""),
        priority=data.get("priority"),
    )


def _scheme_key(scheme: Any) -> tuple[Any, str]:
    return (scheme.valid_from, scheme.code)


def _grouped(entries: Iterable[CompilationEntry]) -> list[tuple[Any, list[CompilationEntry]]]:
    """The entries by their measure's scheme, the schemes in their usual order, the entries in the network's."""
    groups: dict[int, tuple[Any, list[CompilationEntry]]] = {}
    for entry in entries:
        scheme = entry.measure.scheme
        groups.setdefault(scheme.pk, (scheme, []))[1].append(entry)
    return sorted(groups.values(), key=lambda group: _scheme_key(group[0]))


def _names(participants: Iterable[Any], side: str) -> tuple[str, ...]:
    return tuple(str(p.organisation) for p in participants if p.side == side)


def live_record(compilation: Compilation, entries: list[CompilationEntry]) -> CompilationRecord:
    """The draft's list as it is now, from the live rows (`Compilation.ordered_entries`): no query of its own.

    A submitted report's rows are locked, so the names and amounts are those its record holds.
    """
    schemes = []
    for scheme, group in _grouped(entries):
        measures, priority = [], 0
        for entry in group:
            included = entry.is_included
            priority += included
            measures.append(_live_measure(entry, priority if included else None, included))
        schemes.append(CompiledScheme(scheme.code, scheme.short_name, scheme.name, measures))
    return CompilationRecord(
        network=compilation.network.name,
        office=str(compilation.round.office),
        year=compilation.round.year,
        comment=compilation.comment,
        schemes=schemes,
        notes=analysis_notes(compilation),
    )


def analysis_notes(compilation: Compilation) -> list[NeedsAnalysisNote]:
    """What the later apps beside allocation (gatherings) bring to the network's compilation of the round."""
    return [note for source in needs_analysis_notes for note in source(compilation.network, compilation.round)]


def _live_measure(entry: CompilationEntry, priority: int | None, included: bool) -> CompiledMeasure:
    measure = entry.measure
    partnership = measure.report.partnership
    participants = list(partnership.participants.all())
    return CompiledMeasure(
        measure_id=measure.pk,
        report_id=measure.report_id,
        report_version=None,
        partnership=partnership.name,
        name=measure.name,
        owners=_names(participants, Participant.Side.OWNER),
        partners=_names(participants, Participant.Side.PARTNER),
        owner_amount=measure.owner_amount,
        partner_amount=measure.partner_amount,
        purpose=measure.purpose,
        recommended=entry.recommended,
        reason=entry.reason,
        priority=priority,
        entry_id=entry.pk,
        included=included,
    )


def report_records(report_ids: set[int]) -> dict[int, ReportRecord]:
    """Each report's record: its latest submitted version (a report submitted before versions were kept:
    its live rows, which submission locked)."""
    latest: dict[int, NeedsReportVersion] = {}
    for version in NeedsReportVersion.objects.filter(report_id__in=report_ids).order_by("report_id", "number"):
        latest[version.report_id] = version
    records = {pk: ReportRecord.from_data(v.data, v) for pk, v in latest.items()}
    for pk in report_ids - set(records):
        records[pk] = ReportRecord.from_data(serialise(load(pk)))
    return records


def record_data(
    compilation: Compilation, entries: list[CompilationEntry], *, by: Any, at: dt.datetime, number: int
) -> dict[str, Any]:
    """What the network delivers: the included entries (of submitted reports), copied from the reports' records."""
    records = report_records({e.measure.report_id for e in entries})
    schemes = []
    for scheme, group in _grouped(e for e in entries if e.measure.report.status == NeedsReport.Status.SUBMITTED):
        rows = []
        for priority, entry in enumerate(group, start=1):
            record = records[entry.measure.report_id]
            recorded = next((m for m in record.measures if m.pk == entry.measure_id), None)
            rows.append(_recorded_entry(entry, record, recorded, priority))
        schemes.append({"code": scheme.code, "short_name": scheme.short_name, "name": scheme.name, "entries": rows})
    return {
        "schema": SCHEMA,
        "number": number,
        "office": str(compilation.round.office),
        "network": compilation.network.name,
        "year": compilation.round.year,
        "comment": compilation.comment,
        "delivered_at": at.isoformat(),
        "delivered_by": str(by) if getattr(by, "pk", None) else "",
        "schemes": schemes,
        "gatherings": [asdict(note) for note in analysis_notes(compilation)],
    }


def _recorded_entry(
    entry: CompilationEntry, record: ReportRecord, recorded: RecordedMeasure | None, priority: int
) -> dict[str, Any]:
    measure = entry.measure
    source: Any = recorded if recorded is not None else measure  # a measure is in its report's record
    return {
        "measure": measure.pk,
        "report": measure.report_id,
        "report_version": record.version.number if record.version else None,
        "partnership": record.partnership,
        "name": source.name,
        "owners": [str(p.organisation) for p in record.of_side(Participant.Side.OWNER)],
        "partners": [str(p.organisation) for p in record.of_side(Participant.Side.PARTNER)],
        "owner_amount": source.owner_amount,
        "partner_amount": source.partner_amount,
        "purpose": source.purpose,
        "recommended": entry.recommended,
        "reason": entry.reason,
        "priority": priority,
    }
