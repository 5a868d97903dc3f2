"""The Statsforvalter's follow-up of the reports on the use of funds (oppfølging), read side.

`followup_list(round)` lists every partnership that the round's decisions granted money to, with its
report (if opened) and its state: submitted (awaiting the follow-up), accepted, returned for more,
missing (not submitted: no report, a draft, or returned) and late (missing after the round's
reporting deadline). Grouped per network, with counts; a filter keeps one state. A fixed number of
queries whatever the number of partnerships.

`claims_for_payment_list` is allocation's payment-list registry entry (allocation/claims.py), and
`transfers_into` what accepted reports of the office's previous round transfer into a round
(schemes/allocation read it through their registries).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalkomp.allocation.claims import ClaimLine as PaymentClaimLine
from lokalkomp.allocation.models.decision import Decision
from lokalkomp.needs.models import Partnership
from lokalkomp.schemes.models import Milestone, Round, Transition

from .models.claims import Claim, ClaimLine
from .models.funds import FundsReport, FundsReportLine

SUBMITTED, ACCEPTED, RETURNED, MISSING, LATE = "submitted", "accepted", "returned", "missing", "late"
STATES = {
    "due": _("Due"),
    SUBMITTED: _("Submitted, to follow up"),
    ACCEPTED: _("Accepted"),
    RETURNED: _("Asked for more"),
    MISSING: _("Missing"),
    LATE: _("Late"),
}


@dataclass
class FollowupRow:
    partnership: Partnership
    report: FundsReport | None
    late: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else "none"

    @property
    def states(self) -> set[str]:
        """The filters the row is counted in ('due' always)."""
        found = {"due"}
        if self.status == FundsReport.Status.SUBMITTED:
            found.add(SUBMITTED)
        elif self.status == FundsReport.Status.ACCEPTED:
            found.add(ACCEPTED)
        else:
            found.add(MISSING)
            if self.status == FundsReport.Status.RETURNED:
                found.add(RETURNED)
            if self.late:
                found.add(LATE)
        return found


@dataclass
class NetworkGroup:
    name: str
    rows: list[FollowupRow] = field(default_factory=list)


@dataclass
class FollowupList:
    round: Round
    deadline: dt.date | None
    counts: dict[str, int]
    groups: list[NetworkGroup]
    state: str  # the filter shown ('due': all)


def expected_partnerships(round: Round) -> list[Partnership]:
    """The partnerships with a decided measure in the round (one query)."""
    return list(
        Partnership.objects.filter(reports__measures__decision_lines__decision__round=round)
        .select_related("network")
        .distinct()
        .order_by("network__name", "name", "pk")
    )


def round_deadline(round: Round) -> dt.date | None:
    """The reporting deadline of the round's funds, as `FundsReport.due_on` reads it (one query): the next
    year's «reports due» milestone in the office (seed 004: the 2024 cycle's 17 June for the funds of 2023),
    else the round's own."""
    found = dict(
        Milestone.objects.filter(
            governs=Transition.REPORTS_DUE,
            round__office_id=round.office_id,
            round__year__in=[round.year, round.year + 1],
        )
        .order_by("-starts_on")
        .values_list("round__year", "starts_on")
    )
    return found.get(round.year + 1) or found.get(round.year)


def followup_list(round: Round, *, state: str = "due", today: dt.date | None = None) -> FollowupList:
    """The round's reports to follow up, per network, with the counts of every state (four queries)."""
    state = state if state in STATES else "due"
    deadline = round_deadline(round)
    passed = deadline is not None and (today or timezone.localdate()) > deadline
    reports = {r.partnership_id: r for r in FundsReport.objects.in_round(round).order_by("pk")}
    counts = dict.fromkeys(STATES, 0)
    groups: dict[str, NetworkGroup] = {}
    for partnership in expected_partnerships(round):
        report = reports.get(partnership.pk)
        editable = report is None or report.status in FundsReport.EDITABLE
        row = FollowupRow(partnership, report, late=passed and editable)
        for name in row.states:
            counts[name] += 1
        if state in row.states:
            network = partnership.network.name if partnership.network is not None else ""
            groups.setdefault(network, NetworkGroup(network)).rows.append(row)
    return FollowupList(
        round=round,
        deadline=deadline,
        counts=counts,
        groups=list(groups.values()),
        state=state,
    )


def report_decisions(report: FundsReport) -> list[Decision]:
    """The round's decisions to the report's partnership (one per recipient and side), with totals (one query)."""
    return list(
        Decision.objects.with_totals()
        .filter(round_id=report.round_id, lines__measure__report__partnership_id=report.partnership_id)
        .distinct()
        .order_by("recipient_name", "number")
    )


def unused_per_side(report: FundsReport) -> dict[str, int]:
    """What the report declares unused, by the owner and by the UH (one query)."""
    lines = list(FundsReportLine.objects.filter(report=report))
    return {
        "owner": sum(line.unused_owner for line in lines),
        "partner": sum(line.unused_uh for line in lines),
        "partner2": sum(line.unused_partner2 for line in lines),
    }


def claims_for_payment_list(round: Round) -> list[PaymentClaimLine]:
    """allocation/claims.py's registry: the round's standing claims, a line per recipient (one query)."""
    lines = (
        ClaimLine.objects.filter(claim__round=round)
        .exclude(claim__status=Claim.Status.WITHDRAWN)
        .select_related("claim", "decision")
        .order_by("claim__number", "pk")
    )
    return [
        PaymentClaimLine(
            pk=line.pk,
            decision=line.decision_id,
            recipient=line.decision.recipient_id,
            amount=int(line.amount),
            reference=line.claim.number,
            status=line.claim.status,
            status_label=str(line.claim.get_status_display()),
            claimed_on=timezone.localdate(line.claim.made_at),
        )
        for line in lines
    ]


def transfers_into(round: Round) -> dict[int, int]:
    """Per scheme (pk): the unused funds that accepted reports of the office's previous round transfer here.

    A report's line counts when the partnership proposed a transfer and the Statsforvalter accepted the
    report (accepting it is the consent). A claim back is for the lines proposed paid back (one query).
    """
    lines = FundsReportLine.objects.filter(
        report__round__office_id=round.office_id,
        report__round__year=round.year - 1,
        report__status=FundsReport.Status.ACCEPTED,
        unused_proposal=FundsReportLine.UnusedProposal.TRANSFER,
    ).values_list(
        "scheme_id", "granted_owner", "granted_uh", "granted_partner2", "used_owner", "used_uh", "used_partner2"
    )
    per_scheme: dict[int, int] = defaultdict(int)
    for scheme, g_owner, g_uh, g_partner2, u_owner, u_uh, u_partner2 in lines:
        per_scheme[scheme] += max(0, g_owner + g_uh + g_partner2 - u_owner - u_uh - u_partner2)
    return {scheme: amount for scheme, amount in per_scheme.items() if amount > 0}


def transferred_total(round: Round) -> int:
    return sum(transfers_into(round).values())


def report_state(report: FundsReport) -> dict[str, Any]:
    """The report's follow-up at a glance: its claims and its events (two queries)."""
    return {
        "claims": list(Claim.objects.filter(report=report).with_total().order_by("number")),
        "events": list(report.events.select_related("actor").order_by("at", "pk")),
    }
