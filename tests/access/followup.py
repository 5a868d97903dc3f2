"""Who may follow up the reports on the use of funds (issue 13): the list, a report, accept, ask for more,
claim back, and a claim's letter.

The Statsforvalter of the round's office (case officer and administrator) follows up; everyone else signed in
is told no (403: the round is public), the anonymous the sign-in page. The report is submitted first (each
request is rolled back), so accepting it, asking for more and claiming back succeed for those who may.
"""

from __future__ import annotations

from typing import Any

from .assess import SECRETARIAT, only, round_kw
from .funds import _funds_report
from .rules import Rule
from .world import World

GOVERNORS = SECRETARIAT  # the cast's Statsforvalter: the case officer and the administrator


def _submitted(w: World, side: str) -> Any:
    key = f"followup:submitted:{side}"
    if key not in w.extra:
        from lokalkomp.reporting.funds_testing import fill_in

        report = _funds_report(w, side)
        for line in report.lines.all():
            fill_in(line)
        report.submit(by=None)
        w.extra[key] = report
    return w.extra[key]


def report_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"pk": _submitted(w, side).pk}


def _decision(w: World, side: str) -> Any:
    from lokalkomp.allocation.models import Decision

    report = _submitted(w, side)
    return (
        Decision.objects.filter(round_id=report.round_id, lines__measure__report__partnership_id=report.partnership_id)
        .order_by("pk")
        .first()
    )


def claim_kw(w: World, side: str) -> dict[str, Any]:
    key = f"followup:claim:{side}"
    if key not in w.extra:
        from lokalkomp.reporting.models import Claim

        report = _submitted(w, side)
        w.extra[key] = Claim.make(
            report.round, lines=[(_decision(w, side), 1)], reason="Ubrukt", by=None, report=report
        )
    return round_kw(w, side) | {"pk": w.extra[key].pk}


FOLLOWUP_RULES: dict[str, Rule] = {
    "reporting:followup_list": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "reporting:followup_report": Rule("get", only(GOVERNORS, 200), kwargs=report_kw),
    "reporting:followup_accept": Rule("post", only(GOVERNORS, 302), kwargs=report_kw),
    "reporting:followup_return": Rule(
        "post", only(GOVERNORS, 302), kwargs=report_kw, data=lambda w, side: {"comment": "Mer om elevstemmen"}
    ),
    "reporting:followup_claim": Rule(
        "post",
        only(GOVERNORS, 302),
        kwargs=report_kw,
        data=lambda w, side: {"reason": "Ubrukt", f"amount_{_decision(w, side).pk}": "1"},
    ),
    "reporting:followup_claim_letter": Rule("get", only(GOVERNORS, 200), kwargs=claim_kw),
}
