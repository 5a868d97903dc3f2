"""Who may use the round's payment list, its exports, the status of a payment, and the pool's and the extra
allocation's decisions (issue 12).

The Statsforvalter of the round's office sees and changes them; everyone else signed in is told no (403: the
round itself is public). The forum's secretary reads the list (the cast has none: the allocation tests cover
it). Each side has a pool decision with its payment, made through the model (lokalkomp/allocation/pool.py).
"""

from __future__ import annotations

from typing import Any

from .assess import SECRETARIAT, only, round_kw
from .rules import Rule
from .world import World

GOVERNORS = SECRETARIAT  # the cast's Statsforvalter: the case officer and the administrator


def _round(w: World, side: str) -> Any:
    return w.cast.round if side == "own" else w.foreign_round


def _payment(w: World, side: str) -> Any:
    key = f"payments:{side}"
    if key not in w.extra:
        from lokalkomp.allocation.tests.payment_helpers import pool_decision

        w.extra[key] = pool_decision(_round(w, side)).payment
    return w.extra[key]


def payment_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"pk": _payment(w, side).pk}


def _scheme_pk(w: World, side: str) -> int:
    return _round(w, side).round_schemes.order_by("pk").first().scheme_id


PAYMENT_RULES: dict[str, Rule] = {
    "allocation:payments": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "allocation:payments_xlsx": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "allocation:payments_csv": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "allocation:payment_status": Rule(
        "post",
        only(GOVERNORS, 302),
        kwargs=payment_kw,
        data=lambda w, side: {"status": "paid", "paid_on": "2024-04-15"},
    ),
    "allocation:payments_all_paid": Rule(
        "post", only(GOVERNORS, 302), kwargs=round_kw, data=lambda w, side: {"paid_on": "2024-04-15"}
    ),
    "allocation:pool_decision": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "allocation:extra_decision": Rule("get", only(GOVERNORS, 200), kwargs=round_kw),
    "allocation:frame_line": Rule(
        "post",
        only(GOVERNORS, 302),
        kwargs=round_kw,
        data=lambda w, side: {"kind": "pool", "scheme": _scheme_pk(w, side), "amount": "100 000"},
    ),
}
