"""Who may use the partnership's report on the use of funds (rapportering, issue 13): the list, the form,
its autosave, submit and PDF.

The partnership's contact persons (owner and UH side) write their report; everyone else signed in gets 404
(the report is not theirs to know of), the anonymous the sign-in page. The own side's report is the cast's
partnership's (its measure decided through the allocation's records); the foreign side's is another office's.
`rapportering/` lists the signed-in person's own reports (none for most).
"""

from __future__ import annotations

from typing import Any

from .rules import LOGIN, OWN_ONLY, SIGNED_IN, Rule, same_for_both, statuses
from .world import World

WRITERS = {"own": {"owner_contact", "partner_contact"}, "foreign": set()}


def _funds_report(w: World, side: str) -> Any:
    key = f"funds:{side}"
    if key not in w.extra:
        from lokalkomp.reporting.funds_testing import decide
        from lokalkomp.reporting.models import FundsReport

        round, measure = (w.cast.round, w.measure) if side == "own" else (w.foreign_round, w.foreign_measure)
        decide(round, [measure])
        w.extra[key] = FundsReport.open_for(partnership=measure.report.partnership, round=round)
    return w.extra[key]


def funds_kw(w: World, side: str) -> dict[str, Any]:
    return {"pk": _funds_report(w, side).pk}


def _save_data(w: World, side: str) -> dict[str, Any]:
    report = _funds_report(w, side)
    report.refresh_from_db()
    key = f"line:{report.lines.get().pk}:used_owner"
    return {"key": key, key: "50", "version": str(report.version)}


def writers(ok: int) -> Any:
    return lambda side: statuses(404, anonymous=LOGIN, **dict.fromkeys(WRITERS[side], ok))


FUNDS_RULES: dict[str, Rule] = {
    "reporting:funds_mine": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
    "reporting:funds_report": Rule("get", writers(200), kwargs=funds_kw),
    "reporting:funds_save": Rule("post", writers(200), kwargs=funds_kw, data=_save_data),
    "reporting:funds_submit": Rule("post", writers(302), kwargs=funds_kw),
    "reporting:funds_pdf": Rule("get", writers(200), kwargs=funds_kw),
}
