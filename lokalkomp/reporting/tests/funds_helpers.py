"""Builders for the tests of the report on the use of funds: a partnership with decided measures, and its report."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from lokalkomp.allocation.models import Decision, DecisionLine
from lokalkomp.testing import add_contact, make_measure, make_report, make_round, make_user

from ..models.funds import FundsReport, FundsReportLine

_seq = itertools.count(1)


@dataclass
class Decided:
    round: Any
    needs_report: Any
    measures: list[Any]
    owner: Any
    partner: Any
    report: FundsReport


def decide(round: Any, measures: list[Any], *, partner: bool = True) -> None:
    """The round's decisions for the measures' partnership, as the allocation writes them (one per side)."""
    partnership = measures[0].report.partnership
    for side, attr in (("owner", "owner_amount"), ("partner", "partner_amount")):
        if side == "partner" and not partner:
            continue
        lead = partnership.participants.select_related("organisation").get(side=side, is_lead=True)
        decision = Decision.objects.create(
            round=round,
            number=f"T-{round.year}-{next(_seq)}",
            recipient=lead.organisation,
            recipient_name=lead.organisation.name,
            side=side,
        )
        for measure in measures:
            DecisionLine.objects.create(
                decision=decision,
                measure=measure,
                scheme=measure.scheme,
                description=measure.name,
                amount=getattr(measure, attr),
            )


def decided(
    *,
    year: int = 2024,
    schemes: tuple[str, ...] = ("dekomp",),
    amounts: tuple[tuple[int, int], ...] = ((100_000, 50_000),),
) -> Decided:
    """A round with a partnership whose measures were decided, its contacts, and its report (a draft)."""
    round = make_round(year=year, schemes=schemes)
    needs_report = make_report(round)
    measures = [make_measure(needs_report, owner, partner) for owner, partner in amounts]
    decide(round, measures)
    owner, partner = make_user(), make_user()
    add_contact(needs_report, owner, "owner")
    add_contact(needs_report, partner, "partner")
    report = FundsReport.open_for(partnership=needs_report.partnership, round=round)
    return Decided(round, needs_report, measures, owner, partner, report)


def fill_in(line: FundsReportLine, **changes: Any) -> None:
    """Answer everything the checks ask for (all used, 30 % co-financing, completed), then the changes."""
    values: dict[str, Any] = {
        "used_owner": line.granted_owner,
        "used_uh": line.granted_uh,
        "used_partner2": line.granted_partner2,
        "cofinancing_amount": line.granted * 30 // 100 + 1,
        "cofinancing_form": "salary",
        "outcome": "completed",
        **{field: "Svar." for field in line.required_fields()},
    }
    values.update(changes)
    FundsReportLine.objects.filter(pk=line.pk).update(**values)
