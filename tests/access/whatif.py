"""Who may use the recommendation's what-ifs (list, new, compare, adopt, discard) and the fill by priority (issue 12)."""

from __future__ import annotations

from typing import Any

from .assess import ASSESSORS, SECRETARIAT, both, only, round_kw
from .rules import Rule
from .world import World

# The forum's members and deputies and the secretariat see and change them; everyone else signed in is told no
# (403: the round is public). Each request is rolled back, so one what-if per side serves every action.
EDITORS = both(ASSESSORS, SECRETARIAT)


def _what_if(w: World, side: str) -> int:
    key = f"whatif:{side}"
    if key not in w.extra:
        from lokalkomp.allocation.models import Recommendation

        round = w.cast.round if side == "own" else w.foreign_round
        w.extra[key] = Recommendation.main_of(round).copy("Tilgangsprøve", by=None).pk
    return w.extra[key]  # type: ignore[no-any-return]


def what_if_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"what_if": _what_if(w, side)}


def confirmed(w: World, side: str) -> dict[str, Any]:
    return {"confirm": "on"}


WHATIF_RULES: dict[str, Rule] = {
    "allocation:what_ifs": Rule("get", only(EDITORS, 200), kwargs=round_kw),
    "allocation:what_if_compare": Rule("get", only(EDITORS, 200), kwargs=what_if_kw),
    "allocation:what_if_adopt": Rule("post", only(EDITORS, 302), kwargs=what_if_kw, data=confirmed),
    "allocation:what_if_discard": Rule("post", only(EDITORS, 302), kwargs=what_if_kw, data=confirmed),
    "allocation:recommendation_suggest": Rule("post", only(EDITORS, 302), kwargs=round_kw),
}
