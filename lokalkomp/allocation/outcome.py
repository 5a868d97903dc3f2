"""A needs report's outcome once the round is decided: what each measure was granted, why, and by which decision.

Needs shows it on the report's page through its registry (needs/outcomes.py), filled in
registrations.py. Nothing before the round's ordinary decisions are made: the partnerships see their
measures' outcome only once the Statsforvalter has decided (issue 12), so not even the preliminary
or final recommendation's numbers show before. Pool and extra decisions belong to no report and are
left out.

The lines are read generically (the decision's side and recipient, the line's measure and amount),
the justification from the record of the recommendation the decisions were made from. No query of its
own before the round is decided: when, and that record, are read with the report (needs'
`report_annotations`, `access.for_record`). After, at most three whatever the number of measures: the
report's lines and (for someone who is neither the Statsforvalter nor the secretariat) the organisations
the person speaks for, so that a decision links to its page only for those who may open it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from lokalkomp.needs.models import NeedsReport
from lokalkomp.needs.outcomes import DecisionLink, MeasureOutcome, ReportOutcome

from .models import Decision, DecisionLine, RecommendationVersion
from .recommendation_record import RecordedLine, lines_of
from .rules.decision import can_view_decisions, recipient_organisation_ids

__all__ = ["DECIDED_AT", "DECIDED_FROM", "decided_at", "decided_from", "report_outcome"]

ORDINARY = Decision.Kind.ORDINARY
DECIDED_AT = "lk_round_decided_at"  # the report's annotations (needs' `report_annotations`)
DECIDED_FROM = "lk_round_decided_from"


def _first_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(kind=ORDINARY).order_by("decided_at", "pk")


def decided_at() -> Subquery:
    """When the report's round was decided (None: not yet), read with the report."""
    return Subquery(_first_decisions().filter(round_id=OuterRef("round_id")).values("decided_at")[:1])


# The report's own lines of the recommendation version its round was decided from, picked out of the
# record's JSON in the database: a round's record holds every line of the round (600 and more), and a
# report's page needs its own few. `{decided}` is the first ordinary decision's version.
_DECIDED_VERSION = (
    "SELECT d.recommendation_version_id FROM allocation_decision d "
    "WHERE d.round_id = needs_needsreport.round_id AND d.kind = 'ordinary' ORDER BY d.decided_at, d.id LIMIT 1"
)
_OWN_LINES = {
    "postgresql": (
        "(SELECT COALESCE(jsonb_agg(e), '[]'::jsonb) FROM allocation_recommendationversion v "
        "CROSS JOIN LATERAL jsonb_array_elements(v.data->'lines') e "
        "WHERE v.id = ({decided}) AND e->>'report' = needs_needsreport.id::text)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json(j.value)) FROM allocation_recommendationversion v, "
        "json_each(v.data, '$.lines') j "
        "WHERE v.id = ({decided}) AND json_extract(j.value, '$.report') = needs_needsreport.id)"
    ),
}


def decided_from() -> RawSQL:
    """The report's own lines in the record of the recommendation version its round was decided from, read
    with the report (an empty list before the round is decided): the page asks nothing of its own for the
    forum's justifications, and reads only its lines of the round's record."""
    sql = _OWN_LINES[connection.vendor].format(decided=_DECIDED_VERSION)  # constant text, no input in it
    return RawSQL(sql, (), output_field=JSONField())  # noqa: S611


def _decided(report: NeedsReport) -> tuple[dt.datetime, dict[str, Any]] | None:
    """When the round was decided and the report's lines of the record it was decided from: the report's
    annotations, else one query for both."""
    if DECIDED_AT in report.__dict__ and DECIDED_FROM in report.__dict__:
        at, lines = report.__dict__[DECIDED_AT], report.__dict__[DECIDED_FROM]
    else:
        found = (
            NeedsReport.objects.filter(pk=report.pk)
            .annotate(at=decided_at(), lines=decided_from())
            .values_list("at", "lines")
            .first()
        )
        at, lines = found if found else (None, None)
    return None if at is None else (at, {"lines": lines or []})


def report_outcome(user: Any, report: NeedsReport) -> ReportOutcome | None:
    """The report's measures as decided (None until the round's ordinary decisions are made)."""
    decided = _decided(report)
    if decided is None:
        return None
    at, record = decided
    lines = list(
        DecisionLine.objects.filter(
            measure__report_id=report.pk, decision__round_id=report.round_id, decision__kind=ORDINARY
        )
        .order_by("decision__number", "pk")
        .values_list(
            "measure_id", "amount", "decision_id", "decision__number", "decision__side", "decision__recipient_id"
        )
    )
    recorded = {line.measure: line for line in _lines_of(record, report.pk)}
    links, mine = _links(user, report, {(pk, number, recipient) for _m, _a, pk, number, _s, recipient in lines})
    granted: dict[int, dict[str, int]] = {}
    named: dict[int, list[DecisionLink]] = {}
    for measure, amount, pk, _number, side, _recipient in lines:
        if measure is None:
            continue
        sides = granted.setdefault(measure, {})
        sides[side] = sides.get(side, 0) + amount
        if links[pk] not in named.setdefault(measure, []):
            named[measure].append(links[pk])
    measures = {
        pk: _measure(pk, recorded.get(pk), granted.get(pk, {}), named.get(pk, []))
        for pk in [*recorded, *(pk for pk in granted if pk not in recorded)]
    }
    return ReportOutcome(
        decided_on=timezone.localdate(at),
        measures=measures,
        decisions=tuple(dict.fromkeys(links[pk] for _m, _a, pk, *_rest in lines)),
        my_decisions_url=reverse("allocation:my_decisions") if mine else "",
    )


def _lines_of(record: dict[str, Any], report: int) -> list[RecordedLine]:
    """The report's lines in the recommendation's record (`RecommendationVersion.data`)."""
    mine = [line for line in record.get("lines", []) if line.get("report") == report]
    return lines_of(RecommendationVersion(data={"lines": mine}))


def _measure(pk: int, line: RecordedLine | None, sides: dict[str, int], links: list[DecisionLink]) -> MeasureOutcome:
    return MeasureOutcome(
        measure=pk,
        name=line.name if line else "",
        scheme=line.scheme if line else "",
        asked_owner=line.asked_owner if line else 0,
        asked_partner=line.asked_partner if line else 0,
        granted_owner=sides.get(Decision.Side.OWNER, 0),
        granted_partner=sides.get(Decision.Side.PARTNER, 0),
        reason=line.reason if line else "",
        decisions=tuple(links),
    )


def _links(
    user: Any, report: NeedsReport, decisions: set[tuple[int, str, int]]
) -> tuple[dict[int, DecisionLink], bool]:
    """Each decision's number, with its page's address for those who may open it (the decision's own rule),
    and whether the person receives one of them (their list of own decisions is then linked too)."""
    if not decisions:
        return {}, False
    round = report.round
    readers = bool(can_view_decisions(user, round))
    own = set() if readers else recipient_organisation_ids(user)  # the office's own people read them all
    office, year = round.office.slug, round.year
    links = {
        pk: DecisionLink(
            number, reverse("allocation:decision", args=[office, year, pk]) if readers or recipient in own else ""
        )
        for pk, number, recipient in decisions
    }
    return links, any(recipient in own for _pk, _number, recipient in decisions)
