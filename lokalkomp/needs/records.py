"""A submitted needs report as a record: what it said on the day, kept as it was.

`serialise(report)` turns a report (and its partnership's participants and contacts, which live on
the partnership and change with next year's draft) into plain JSON data; a `NeedsReportVersion`
stores it when the report is submitted. `ReportRecord` is the one shape the report page, its PDF
and its Excel sheet read: built from a version's data for a submitted report, and from
`serialise(report)` of the live rows for a draft, so the templates never branch on which it is.
`diff(a, b)` lists what changed between two versions, field by field, with labels and values
formatted for people («kr 120 000 → kr 150 000»).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Organisation
from lokalkomp.directory.validators import format_account_number, format_org_number
from lokalkomp.schemes.models import Use
from lokalkomp.templatetags.nor import format_kroner, semester

from .models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    Totals,
    UnionParticipant,
)

if TYPE_CHECKING:
    from .models import NeedsReportEvent, NeedsReportVersion

SCHEMA = 1
"""The shape of `data`; raise it (and read the old shape too) when the shape changes."""

UNIT_FIELDS = ("municipal_kindergartens", "private_kindergartens", "public_schools", "private_schools", "pp_services")
MEASURE_FIELDS = (
    "name",
    "owner_amount",
    "partner_amount",
    "purpose",
    "needs_coordinator",
    "semesters",
    *Measure.NARRATIVE_FIELDS,
)
CONTINUATION_FIELDS = ("owner_amount", "owner_reason", "partner_amount", "partner_reason")
CONTACT_FIELDS = ("name", "function", "phone", "email")


# --- Serialising a report -------------------------------------------------------------------------


def load(report_pk: int) -> NeedsReport:
    """The report with everything `serialise` reads, in a fixed number of queries."""
    return loaded(NeedsReport.objects.all()).get(pk=report_pk)


def loaded(reports: QuerySet[NeedsReport]) -> QuerySet[NeedsReport]:
    """The reports with everything `serialise` reads prefetched: a fixed number of queries for any number."""
    participants = Participant.objects.select_related("organisation").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("pk"))
    )
    return reports.select_related("partnership__network").prefetch_related(
        Prefetch("partnership__participants", queryset=participants),
        Prefetch("report_schemes", queryset=NeedsReportScheme.objects.select_related("scheme")),
        Prefetch("measures", queryset=Measure.objects.select_related("scheme").prefetch_related("continuations")),
        Prefetch("declared_totals", queryset=DeclaredTotal.objects.select_related("scheme")),
        "union_participants",
    )


def preloaded(pks: Iterable[int]) -> list[NeedsReport]:
    """The reports with everything `serialise` reads, as `loaded` gives them, for thousands at a time.

    The same rows in the same orders (each model's own), fetched in eight queries and attached to
    their parents by hand: `prefetch_related` builds a queryset per parent, which for the national
    data (20 000 reports) costs minutes.
    """
    reports = list(NeedsReport.objects.filter(pk__in=list(pks)).select_related("partnership__network").order_by("pk"))
    ids = [r.pk for r in reports]
    partnerships = {r.partnership_id for r in reports}
    participants = _grouped(
        Participant.objects.filter(partnership_id__in=partnerships).select_related("organisation"), "partnership_id"
    )
    contacts = _grouped(
        Contact.objects.filter(participant__partnership_id__in=partnerships).order_by("pk"), "participant_id"
    )
    for rows in participants.values():
        for participant in rows:
            _attach(participant, "contacts", contacts.get(participant.pk, []))
    measures = _grouped(Measure.objects.filter(report_id__in=ids).select_related("scheme"), "report_id")
    continuations = _grouped(Continuation.objects.filter(measure__report_id__in=ids), "measure_id")
    related = {
        "report_schemes": _grouped(
            NeedsReportScheme.objects.filter(report_id__in=ids).select_related("scheme"), "report_id"
        ),
        "measures": measures,
        "declared_totals": _grouped(
            DeclaredTotal.objects.filter(report_id__in=ids).select_related("scheme"), "report_id"
        ),
        "union_participants": _grouped(UnionParticipant.objects.filter(report_id__in=ids), "report_id"),
    }
    for report in reports:
        _attach(report.partnership, "participants", participants.get(report.partnership_id, []))
        for name, by_report in related.items():
            _attach(report, name, by_report.get(report.pk, []))
        for measure in measures.get(report.pk, []):
            _attach(measure, "continuations", continuations.get(measure.pk, []))
    return reports


def _grouped(rows: QuerySet[Any], key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


def _attach(instance: Model, name: str, rows: list[Any]) -> None:
    """What `prefetch_related(name)` leaves: `instance.<name>.all()` answers from memory."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = rows


def serialise(report: NeedsReport) -> dict[str, Any]:
    """Everything the report says, as JSON-able data. Reads the prefetched relations of `load`."""
    partnership = report.partnership
    return {
        "schema": SCHEMA,
        "partnership": partnership.name,
        "network": partnership.network.name if partnership.network else "",
        "participants": [_participant(p) for p in partnership.participants.all()],
        "schemes": [
            {
                **_scheme(rs.scheme),
                "co_financing_amount": rs.co_financing_amount,
                "co_financing_form": rs.co_financing_form,
            }
            for rs in report.report_schemes.all()
        ],
        "measures": [_measure(m) for m in report.measures.all()],
        "units": {name: getattr(report, name) for name in UNIT_FIELDS},
        "union_discussed": report.union_discussed,
        "union_participants": [{"id": u.pk, "role": u.role, "name": u.name} for u in report.union_participants.all()],
        "declared_totals": [
            {
                "scheme": _scheme(d.scheme) if d.scheme else None,
                "owner_amount": d.owner_amount,
                "partner_amount": d.partner_amount,
                "total_amount": d.total_amount,
            }
            for d in report.declared_totals.all()
        ],
        "unplaced_text": report.unplaced_text,
    }


def digest(data: dict[str, Any]) -> str:
    """A fingerprint of a report's data: the same data, the same digest."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _scheme(scheme: Any) -> dict[str, Any]:
    return {"code": scheme.code, "short_name": scheme.short_name, "name": scheme.name}


def _participant(p: Participant) -> dict[str, Any]:
    org = p.organisation
    return {
        "organisation_id": org.pk,
        "organisation": org.name,
        "short_name": org.short_name,
        "org_number": org.org_number,
        "kind": org.kind,
        "organisation_account_number": org.account_number,
        "side": p.side,
        "is_lead": p.is_lead,
        "account_number": p.account_number,
        "payment_reference": p.payment_reference,
        "contacts": [
            {"id": c.pk, "user": c.user_id, **{name: getattr(c, name) for name in CONTACT_FIELDS}}
            for c in p.contacts.all()
        ],
    }


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "position": m.position,
        "scheme": _scheme(m.scheme),
        **{name: getattr(m, name) for name in MEASURE_FIELDS},
        "semesters": list(m.semesters or []),
        "continued_from": m.continued_from_id,
        "continuations": [
            {"period": c.period, **{name: getattr(c, name) for name in CONTINUATION_FIELDS}}
            for c in m.continuations.all()
        ],
    }


# --- The read-model --------------------------------------------------------------------------------


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
class RecordedMeasure:
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

    def __getattr__(self, name: str) -> str:
        # The narratives (description, anchoring, …) read like the model's fields.
        texts = self.__dict__.get("texts", {})
        if name in Measure.NARRATIVE_FIELDS:
            return str(texts.get(name, ""))
        raise AttributeError(name)

    @property
    def totals(self) -> Totals:
        return Totals(self.owner_amount, self.partner_amount)

    @property
    def total_amount(self) -> int:
        return self.owner_amount + self.partner_amount

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
        if name in UNIT_FIELDS:
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
            RecordedContact(c.get("id"), c.get("user"), *(c.get(name, "") for name in CONTACT_FIELDS))
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
            RecordedContinuation(c.get("period", ""), *(c.get(name) for name in CONTINUATION_FIELDS))
            for c in data.get("continuations", [])
        ],
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


# --- What changed between two versions ----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One changed field: where it is (a measure, a participant …), its label, the old and the new value."""

    where: str
    label: str
    old: str
    new: str


def field_label(model: type[Model], name: str) -> str:
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


def _yes_no(value: Any) -> str:
    return _("Yes") if value is True else _("No") if value is False else "–"


def _plain(value: Any) -> str:
    return "–" if value in (None, "", []) else str(value)


def _kroner(value: Any) -> str:
    return "–" if value is None else format_kroner(value)


def _semesters(value: Any) -> str:
    return ", ".join(semester(code) for code in value or []) or "–"


def _purpose(value: Any) -> str:
    return str(dict(Use.choices).get(value, value)) if value else "–"


def _co_financing_form(value: Any) -> str:
    return str(dict(NeedsReportScheme.CoFinancingForm.choices).get(value, value)) if value else "–"


def _side(value: Any) -> str:
    return str(dict(Participant.Side.choices).get(value, value)) if value else "–"


def _kind(value: Any) -> str:
    return str(dict(Organisation.Kind.choices).get(value, value)) if value else "–"


Formatter = Callable[[Any], str]
MEASURE_FORMATS: dict[str, Formatter] = {
    "owner_amount": _kroner,
    "partner_amount": _kroner,
    "purpose": _purpose,
    "needs_coordinator": _yes_no,
    "semesters": _semesters,
}
CONTINUATION_FORMATS: dict[str, Formatter] = {"owner_amount": _kroner, "partner_amount": _kroner}


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Every field that differs from version data `a` to version data `b`, in the order of the form."""
    changes: list[Change] = []
    changes += _diff_participants(a.get("participants", []), b.get("participants", []))
    changes += _diff_schemes(a.get("schemes", []), b.get("schemes", []))
    changes += _diff_measures(a.get("measures", []), b.get("measures", []))
    where = _("Co-determination and units")
    changes += _fields(
        where,
        {"union_discussed": a.get("union_discussed")},
        {"union_discussed": b.get("union_discussed")},
        [("union_discussed", field_label(NeedsReport, "union_discussed"), _yes_no)],
    )
    old_union = [f"{u['role']}: {u['name']}" for u in a.get("union_participants", [])]
    new_union = [f"{u['role']}: {u['name']}" for u in b.get("union_participants", [])]
    if old_union != new_union:
        label = capfirst(str(UnionParticipant._meta.verbose_name_plural))
        changes.append(Change(where, label, "; ".join(old_union) or "–", "; ".join(new_union) or "–"))
    changes += _fields(
        where, a.get("units", {}), b.get("units", {}), [(n, field_label(NeedsReport, n), _plain) for n in UNIT_FIELDS]
    )
    changes += _diff_declared(a.get("declared_totals", []), b.get("declared_totals", []))
    return changes


def _fields(
    where: str, old: dict[str, Any], new: dict[str, Any], fields: Iterable[tuple[str, str, Formatter]]
) -> list[Change]:
    return [
        Change(where, label, fmt(old.get(name)), fmt(new.get(name)))
        for name, label, fmt in fields
        if old.get(name) != new.get(name)
    ]


def _matched(
    old: list[dict[str, Any]], new: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> Iterable[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Pairs of (old, new) rows with the same key, in the new order, then the removed ones."""
    before = {key(row): row for row in old}
    seen = set()
    for row in new:
        seen.add(key(row))
        yield before.get(key(row)), row
    for row in old:
        if key(row) not in seen:
            yield row, None


def _added_or_removed(where: str, old: Any, new: Any, name: str) -> Change:
    if old is None:
        return Change(where, _("Added"), "–", name)
    return Change(where, _("Removed"), name, "–")


def _diff_participants(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        ("organisation", field_label(Organisation, "name"), _plain),
        ("org_number", field_label(Organisation, "org_number"), lambda v: format_org_number(v) or "–"),
        ("kind", field_label(Organisation, "kind"), _kind),
        ("side", field_label(Participant, "side"), _side),
        ("is_lead", field_label(Participant, "is_lead"), _yes_no),
        ("account_number", field_label(Participant, "account_number"), lambda v: format_account_number(v) or "–"),
        ("payment_reference", field_label(Participant, "payment_reference"), _plain),
    ]
    for before, after in _matched(old, new, lambda p: p.get("organisation_id") or p.get("org_number")):
        row = after or before or {}
        where = f"{row.get('organisation', '')} ({_side(row.get('side'))})"
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("organisation", "")))
            continue
        changes += _fields(where, before, after, fields)
        changes += _diff_contacts(where, before.get("contacts", []), after.get("contacts", []))
    return changes


def _diff_contacts(where: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields = [(name, field_label(Contact, name), _plain) for name in CONTACT_FIELDS]
    for before, after in _matched(old, new, lambda c: c.get("id") or c.get("email") or c.get("name")):
        row = after or before or {}
        place = f"{where}, {_('contact person')} {row.get('name', '')}"
        if before is None or after is None:
            changes.append(_added_or_removed(place, before, after, _contact_text(row)))
            continue
        changes += _fields(place, before, after, fields)
    return changes


def _contact_text(contact: dict[str, Any]) -> str:
    return ", ".join(v for v in (contact.get(name, "") for name in CONTACT_FIELDS) if v) or "–"


def _diff_schemes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        ("co_financing_amount", field_label(NeedsReportScheme, "co_financing_amount"), _kroner),
        ("co_financing_form", field_label(NeedsReportScheme, "co_financing_form"), _co_financing_form),
    ]
    for before, after in _matched(old, new, lambda s: s.get("code")):
        row = after or before or {}
        where = f"{_('Scheme')} {row.get('short_name', '')}"
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("short_name", "")))
            continue
        changes += _fields(where, before, after, fields)
    return changes


def _diff_measures(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, str, Formatter]] = [
        (name, field_label(Measure, name), MEASURE_FORMATS.get(name, _plain)) for name in MEASURE_FIELDS
    ]
    for before, after in _matched(old, new, lambda m: m.get("id")):
        row = after or before or {}
        where = _("Measure %(n)s: %(name)s") % {"n": row.get("position", ""), "name": row.get("name", "")}
        if before is None or after is None:
            changes.append(_added_or_removed(where, before, after, row.get("name", "")))
            continue
        if before.get("position") != after.get("position"):
            changes.append(
                Change(where, field_label(Measure, "position"), _plain(before["position"]), _plain(after["position"]))
            )
        old_scheme, new_scheme = before.get("scheme", {}), after.get("scheme", {})
        if old_scheme.get("code") != new_scheme.get("code"):
            changes.append(
                Change(
                    where,
                    field_label(Measure, "scheme"),
                    _plain(old_scheme.get("short_name")),
                    _plain(new_scheme.get("short_name")),
                )
            )
        changes += _fields(where, before, after, fields)
        changes += _diff_continuations(where, before.get("continuations", []), after.get("continuations", []))
    return changes


def _diff_continuations(where: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    for before, after in _matched(old, new, lambda c: c.get("period")):
        row = after or before or {}
        place = f"{where}, {semester(row.get('period', ''))}"
        fields = [
            (name, field_label(Continuation, name), CONTINUATION_FORMATS.get(name, _plain))
            for name in CONTINUATION_FIELDS
        ]
        changes += _fields(place, before or {}, after or {}, fields)
    return changes


def _diff_declared(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes: list[Change] = []
    fields = [
        (name, field_label(DeclaredTotal, name), _kroner) for name in ("owner_amount", "partner_amount", "total_amount")
    ]
    for before, after in _matched(old, new, lambda d: (d.get("scheme") or {}).get("code", "sum")):
        row = after or before or {}
        scheme = (row.get("scheme") or {}).get("short_name") or _("Sum")
        where = f"{_('The totals table as the form states it')}: {scheme}"
        changes += _fields(where, before or {}, after or {}, fields)
    return changes


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
