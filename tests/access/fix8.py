"""Who may use the Statsforvalter's account form on the report page (issue 8: only that side's contacts,
in the form, or the Statsforvalter, here, may change a side's account)."""

from __future__ import annotations

from typing import Any

from .rules import GOVERNORS, REPORT_SIDES, Rule, on_report, report_kw, report_of
from .world import World

VALID_ACCOUNT = "12345678903"


def _lead_owner(w: World, side: str) -> int:
    return report_of(w, side).partnership.participants.get(side="owner", is_lead=True).pk  # type: ignore[no-any-return]


def _governors(side: str) -> dict[str, Any]:
    """The office's Statsforvalter may (302 back to the page); the report's other readers 403, strangers 404."""
    governors = GOVERNORS["foreign" if side == "foreign" else "own"]
    return {p: 302 if p in governors else status for p, status in on_report("read", 403)(side).items()}


FIX8_RULES: dict[str, Rule] = {
    "needs:change_account": Rule(
        "post",
        _governors,
        kwargs=report_kw(participant=_lead_owner),
        data=lambda w, side: {"account_number": VALID_ACCOUNT, "payment_reference": "Fjordløftet"},
        sides=REPORT_SIDES,
    ),
}
