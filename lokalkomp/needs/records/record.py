"""`ReportRecord`: what a report says, in the one shape its page, PDF and Excel sheet read.

Built from a version's data for a submitted report, and from `serialise(report)` of the live rows
for a draft, so the templates never branch on which it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils.text import capfirst

from lokalkomp.directory.validators import format_account_number, format_org_number
from lokalkomp.schemes.models import Use

from ..extensions import RecordedLinks, read_links
from ..models import Contact, Continuation, Measure, NeedsReport, Participant, SplitAmounts, Totals
from .data import serialise

if TYPE_CHECKING:
    from ..models import NeedsReportEvent, NeedsReportVersion


def field_label(model: type[Model], name: str) -> str:
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


@dataclass(frozen=True)
class RecordedScheme:
    code: str
    short_name: str
    name: str

    def __str__(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class RecordedOrganisation:
    pk: int | None
    name: str
    short_name: str
    org_number: str
    kind: str
    account_number: str

    def __str__(self) -> str:
        return self.name

    @property
    def org_number_display(self) -> str:
        return format_org_number(self.org_number)

    @property
    def account_number_display(self) -> str:
        return format_account_number(self.account_number)


@dataclass(frozen=True)
class RecordedContact:
    pk: int | None
    user_id: int | None
    name: str
    function: str
    phone: str
    email: str


@dataclass(frozen=True)
class RecordedParticipant:
    organisation: RecordedOrganisation
    side: str
    is_lead: bool
    account_number: str
    payment_reference: str
    contacts: list[RecordedContact]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_side_display()})"

    def get_side_display(self) -> str:
        return str(dict(Participant.Side.choices).get(self.side, self.side))

    @property
    def account_number_display(self) -> str:
        return format_account_number(self.account_number)


@dataclass(frozen=True)
class RecordedReportScheme:
    scheme: RecordedScheme
    co_financing_amount: int | None
    co_financing_form: str


@dataclass(frozen=True)
class RecordedContinuation:
    period: str
    owner_amount: int | None
    owner_reason: str
    partner_amount: int | None
    partner_reason: str


@dataclass(frozen=True)
class RecordedMeasure(SplitAmounts):
    pk: int | None
    position: int
    scheme: RecordedScheme
    name: str
    owner_amount: int
    partner_amount: int
    purpose: str
    needs_coordinator: bool | None
    semesters: list[str]
    texts: dict[str, str]
    continuations: list[RecordedContinuation]
    links: list[RecordedLinks] = field(default_factory=list)  # the plans' goals and areas it serves
    second_partner: RecordedOrganisation | None = None  # «partner 2», from the register on the day
    second_partner_amount: int = 0

    @property
    def first_partner_amount(self) -> int:
        """The UH amount less partner 2's part (as `Measure.first_partner_amount`)."""
        return max(self.partner_amount - self.second_partner_amount, 0)

    def __getattr__(self, name: str) -> str:
        # The narratives (description, anchoring, …) read like the model's fields.
        texts = self.__dict__.get("texts", {})
        if name in Measure.NARRATIVE_FIELDS:
            return str(texts.get(name, ""))
        raise AttributeError(name)

    @property
    def purpose_display(self) -> str:
        return str(dict(Use.choices).get(self.purpose, self.purpose)) if self.purpose else ""

    @property
    def narratives(self) -> list[tuple[str, str]]:
        """The measure's texts in the order of the form, with their labels (as `Measure.narratives`)."""
        return [(field_label(Measure, name), self.texts.get(name, "")) for name in Measure.NARRATIVE_FIELDS]


@dataclass(frozen=True)
class RecordedUnionParticipant:
    role: str
    name: str


@dataclass(frozen=True)
class RecordedDeclaredTotal:
    scheme: RecordedScheme | None
    owner_amount: int
    partner_amount: int
    total_amount: int


@dataclass(frozen=True)
class ReportRecord:
    """What a report says: a submitted version's data, or a draft's live rows, in one shape."""

    partnership: str
    network: str
    participants: list[RecordedParticipant]
    schemes: list[RecordedReportScheme]
    measures: list[RecordedMeasure]
    union_discussed: bool | None
    union_participants: list[RecordedUnionParticipant]
    declared_totals: list[RecordedDeclaredTotal]
    unplaced_text: str
    units: dict[str, int | None] = field(default_factory=dict)
    version: NeedsReportVersion | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any], version: NeedsReportVersion | None = None) -> ReportRecord:
        return cls(
            partnership=data.get("partnership", ""),
            network=data.get("network", ""),
            participants=[_read_participant(p) for p in data.get("participants", [])],
            schemes=[
                RecordedReportScheme(_read_scheme(s), s.get("co_financing_amount"), s.get("co_financing_form", ""))
                for s in data.get("schemes", [])
            ],
            measures=[_read_measure(m) for m in data.get("measures", [])],
            union_discussed=data.get("union_discussed"),
            union_participants=[
                RecordedUnionParticipant(u.get("role", ""), u.get("name", ""))
                for u in data.get("union_participants", [])
            ],
            declared_totals=[
                RecordedDeclaredTotal(
                    _read_scheme(d["scheme"]) if d.get("scheme") else None,
                    d.get("owner_amount", 0),
                    d.get("partner_amount", 0),
                    d.get("total_amount", 0),
                )
                for d in data.get("declared_totals", [])
            ],
            unplaced_text=data.get("unplaced_text", ""),
            units=dict(data.get("units", {})),
            version=version,
        )

    def __getattr__(self, name: str) -> int | None:
        # The unit counts read like the report's fields: record.public_schools.
        if name in NeedsReport.UNIT_FIELDS:
            return self.__dict__.get("units", {}).get(name)
        raise AttributeError(name)

    @property
    def is_record(self) -> bool:
        """Whether this is a submitted version (else the draft's data as it is now)."""
        return self.version is not None

    def totals_by_scheme(self) -> dict[RecordedScheme, Totals]:
        result: dict[RecordedScheme, Totals] = {rs.scheme: Totals() for rs in self.schemes}
        for measure in self.measures:
            result[measure.scheme] = result.get(measure.scheme, Totals()) + measure.totals
        return result

    def grand_total(self) -> Totals:
        return sum(self.totals_by_scheme().values(), Totals())

    def of_side(self, side: str) -> list[RecordedParticipant]:
        return [p for p in self.participants if p.side == side]

    def lead(self, side: str) -> RecordedParticipant | None:
        """The organisation the side's grant is paid to, else the first of that side."""
        of_side = self.of_side(side)
        return next((p for p in of_side if p.is_lead), of_side[0] if of_side else None)

    def contacts(self) -> list[RecordedContact]:
        return [c for p in self.participants for c in p.contacts]


def _read_scheme(data: dict[str, Any]) -> RecordedScheme:
    return RecordedScheme(data.get("code", ""), data.get("short_name", ""), data.get("name", ""))


def _read_participant(data: dict[str, Any]) -> RecordedParticipant:
    return RecordedParticipant(
        organisation=RecordedOrganisation(
            data.get("organisation_id"),
            data.get("organisation", ""),
            data.get("short_name", ""),
            data.get("org_number", ""),
            data.get("kind", ""),
            data.get("organisation_account_number", ""),
        ),
        side=data.get("side", ""),
        is_lead=bool(data.get("is_lead")),
        account_number=data.get("account_number", ""),
        payment_reference=data.get("payment_reference", ""),
        contacts=[
            RecordedContact(c.get("id"), c.get("user"), *(c.get(name, "") for name in Contact.DETAIL_FIELDS))
            for c in data.get("contacts", [])
        ],
    )


def _read_measure(data: dict[str, Any]) -> RecordedMeasure:
    return RecordedMeasure(
        pk=data.get("id"),
        position=data.get("position", 0),
        scheme=_read_scheme(data.get("scheme", {})),
        name=data.get("name", ""),
        owner_amount=data.get("owner_amount") or 0,
        partner_amount=data.get("partner_amount") or 0,
        purpose=data.get("purpose", ""),
        needs_coordinator=data.get("needs_coordinator"),
        semesters=list(data.get("semesters") or []),
        texts={name: data.get(name, "") for name in Measure.NARRATIVE_FIELDS},
        continuations=[
            RecordedContinuation(c.get("period", ""), *(c.get(name) for name in Continuation.ESTIMATE_FIELDS))
            for c in data.get("continuations", [])
        ],
        links=read_links(data),
        second_partner=_read_second_partner(data.get("second_partner")),
        second_partner_amount=data.get("second_partner_amount") or 0,
    )


def _read_second_partner(data: dict[str, Any] | None) -> RecordedOrganisation | None:
    if not data:
        return None
    return RecordedOrganisation(
        data.get("organisation_id"),
        data.get("organisation", ""),
        data.get("short_name", ""),
        data.get("org_number", ""),
        data.get("kind", ""),
        data.get("account_number", ""),
    )


def record_of(report: NeedsReport, versions: list[NeedsReportVersion] | None = None) -> ReportRecord:
    """What the report's page, PDF and Excel show: the latest version once submitted, else the live draft.

    A draft reads the report's prefetched relations (see `load`, `access.with_relations`). A
    submitted report without a version (submitted before versions were kept) shows its live rows.
    """
    version = None
    if report.status == NeedsReport.Status.SUBMITTED:
        version = max(versions, key=lambda v: v.number) if versions else latest_version(report)
    if version is not None:
        return ReportRecord.from_data(version.data, version)
    return ReportRecord.from_data(serialise(report))


def version_of(event: NeedsReportEvent | None) -> NeedsReportVersion | None:
    """The version a submission event made (None for a submission from before versions were kept)."""
    if event is None:
        return None
    try:
        return event.version  # type: ignore[attr-defined, no-any-return]
    except ObjectDoesNotExist:
        return None


def record_of_submission(report: NeedsReport, event: NeedsReportEvent | None) -> ReportRecord | None:
    """What was submitted by that submission, whatever happened since (a reopen, edits to the draft).

    A submission from before versions were kept has no record: the report's own, if it is still
    submitted (the migration gives those a version), else None, since its live rows say something else now.
    """
    version = version_of(event)
    if version is not None:
        return ReportRecord.from_data(version.data, version)
    if report.status == NeedsReport.Status.SUBMITTED and event is not None and event == report.last_submission:
        return record_of(report)
    return None


def latest_version(report: NeedsReport) -> NeedsReportVersion | None:
    """The latest submitted version (uses prefetched versions when present)."""
    versions = list(report.versions.all())
    return max(versions, key=lambda v: v.number) if versions else None


def _prefetched(obj: Any, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def record_context(report: NeedsReport) -> dict[str, Any]:
    """What `needs/report.html#report-body` reads, from the record: the page, the preview and the receipt."""
    # Versions are few (one per submission) and the latest is shown: read them whole in one query.
    versions = (
        sorted(report.versions.all(), key=lambda v: v.number)
        if _prefetched(report, "versions")
        else list(report.versions.select_related("submitted_by").order_by("number"))
    )
    record = record_of(report, versions)
    declared = {d.scheme: d for d in record.declared_totals}
    return {
        "report": report,
        "record": record,
        "versions": versions,
        "totals": [(scheme, t, declared.get(scheme)) for scheme, t in record.totals_by_scheme().items()],
        "grand_total": record.grand_total(),
        "declared": sorted(record.declared_totals, key=lambda d: d.scheme is None),
    }
