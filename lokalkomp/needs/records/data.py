"""A report as plain JSON data: what a submitted version stores, and what a draft's record is read from.

`serialise(report)` reads the relations that `load`, `loaded` or `preloaded` fetch, in a fixed
number of queries. The field lists are the models' own (`Measure.ANSWER_FIELDS`, …).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from ..extensions import preload_links, recorded_links
from ..models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportScheme,
    Participant,
    UnionParticipant,
)

SCHEMA = 1
"""The shape of `data`; raise it (and read the old shape too) when the shape changes.

A measure that names goals of the long-term plan, or areas of a municipal plan, also has `goals`
and `links` (see extensions.py); one that names none has neither, so it reads as before them."""


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
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("scheme", "second_partner").prefetch_related("continuations"),
        ),
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
    measures = _grouped(
        Measure.objects.filter(report_id__in=ids).select_related("scheme", "second_partner"), "report_id"
    )
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
    preload_links([m for rows in measures.values() for m in rows])
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
    measures = list(report.measures.all())
    links = recorded_links(measures)  # the plans' goals and areas each measure serves, as text
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
        "measures": [_measure(m, links.get(m.pk, {})) for m in measures],
        "units": report.unit_counts(),
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
            {"id": c.pk, "user": c.user_id, **{name: getattr(c, name) for name in Contact.DETAIL_FIELDS}}
            for c in p.contacts.all()
        ],
    }


def _measure(m: Measure, links: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m.pk,
        "position": m.position,
        "scheme": _scheme(m.scheme),
        **{name: getattr(m, name) for name in Measure.ANSWER_FIELDS},
        "semesters": list(m.semesters or []),
        "continued_from": m.continued_from_id,
        "continuations": [
            {"period": c.period, **{name: getattr(c, name) for name in Continuation.ESTIMATE_FIELDS}}
            for c in m.continuations.all()
        ],
        **links,  # "goals": [{"id", "text", "plan"}], "links": {key: [...]} (extensions.py)
        **_second_partner(m),
    }


def _second_partner(m: Measure) -> dict[str, Any]:
    """Partner 2 as the register has it on the day: the record keeps its name, numbers and account.

    Only a measure with a partner 2 (or a part for one) has the keys, so the records of every other measure
    read exactly as before partner 2 existed (and keep their digest).
    """
    if m.second_partner_id is None:  # no query for the usual measure without one
        return {"second_partner_amount": m.second_partner_amount} if m.second_partner_amount else {}
    org = m.second_partner
    assert org is not None
    return {
        "second_partner": {
            "organisation_id": org.pk,
            "organisation": org.name,
            "short_name": org.short_name,
            "org_number": org.org_number,
            "kind": org.kind,
            "account_number": org.account_number,
        },
        "second_partner_amount": m.second_partner_amount,
    }
