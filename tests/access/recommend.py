"""Who may use the recommendation workspace: the page, a what-if's page, a line's amounts and presets, the totals
(issue 12). The forum's members and deputies and the secretariat; everyone else signed in is told no (403)."""

from __future__ import annotations

from typing import Any

from .assess import ASSESSORS, SECRETARIAT, _foreign_measure, both, only, round_kw
from .rules import Rule
from .world import World

VIEWERS = both(ASSESSORS, SECRETARIAT)


def _recommendation(w: World, side: str) -> Any:
    from lokalkomp.allocation.models import Recommendation

    round = w.cast.round if side == "own" else w.foreign_round
    if side == "foreign":
        _foreign_measure(w)  # a submitted measure, so the foreign recommendation has a line
    return Recommendation.main_of(round)


def _line(w: World, side: str) -> Any:
    key = f"recommend:line:{side}"
    if key not in w.extra:
        w.extra[key] = _recommendation(w, side).lines.order_by("pk").first()
    return w.extra[key]


def _what_if(w: World, side: str) -> Any:
    key = f"recommend:what_if:{side}"
    if key not in w.extra:
        w.extra[key] = _recommendation(w, side).copy("Hva om", by=None)
    return w.extra[key]


def line_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"line": _line(w, side).pk}


def preset_kw(w: World, side: str) -> dict[str, Any]:
    return line_kw(w, side) | {"preset": "zero"}


def what_if_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"what_if": _what_if(w, side).pk}


def amounts(w: World, side: str) -> dict[str, Any]:
    line = _line(w, side)
    line.refresh_from_db()
    return {"base": line.version, "owner": "1 000", "partner": "0", "reason": "Tilgang"}


def base(w: World, side: str) -> dict[str, Any]:
    line = _line(w, side)
    line.refresh_from_db()
    return {"base": line.version}


RECOMMEND_RULES: dict[str, Rule] = {
    "allocation:recommendation": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
    "allocation:recommendation_what_if": Rule("get", only(VIEWERS, 200), kwargs=what_if_kw),
    "allocation:recommendation_line": Rule("post", only(VIEWERS, 302), kwargs=line_kw, data=amounts),
    "allocation:recommendation_preset": Rule("post", only(VIEWERS, 302), kwargs=preset_kw, data=base),
    "allocation:recommendation_totals": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
}
