"""Who may use the round's decisions (vedtak): the list and «make the decisions», and one decision (issue 12).

The office's Statsforvalter sees the list and decides; everyone else signed in is told no (403: the round
itself is public). The forum's secretariat reads (the cast has no secretary: the allocation tests cover it).
The decision is the pool decision the payments' rules make, to a new UH no one in the cast speaks for.
`/mine-vedtak/` lists the signed-in person's own decisions (none for most). Deciding a round without a final recommendation is refused with a message (302 back to the list).
"""

from __future__ import annotations

from typing import Any

from .assess import SECRETARIAT, only, round_kw
from .payments import _payment
from .rules import OWN_ONLY, SIGNED_IN, Rule, same_for_both
from .world import World


def decision_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"pk": _payment(w, side).decision_id}


DECISION_RULES: dict[str, Rule] = {
    "allocation:decisions": Rule("get", only(SECRETARIAT, 200), kwargs=round_kw),
    "allocation:decide": Rule("post", only(SECRETARIAT, 302), kwargs=round_kw, data=lambda w, side: {"confirm": "yes"}),
    "allocation:decision": Rule("get", only(SECRETARIAT, 200), kwargs=decision_kw),
    "allocation:decision_letter": Rule("get", only(SECRETARIAT, 200), kwargs=decision_kw),
    "allocation:my_decisions": Rule("get", same_for_both(SIGNED_IN), sides=OWN_ONLY),
}
