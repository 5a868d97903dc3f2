"""Who may use the recommendation's steps, versions, comparison, PDF and events (issue 12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .assess import ASSESSORS, SECRETARIAT, both, only, round_kw
from .rules import Rule
from .world import World

# The forum's members and deputies and the secretariat read; only the secretariat takes a step. The
# cast's office has no forum seats, so a step is recorded with no one ticked (consensus).
VIEWERS = both(ASSESSORS, SECRETARIAT)


def _version(w: World, side: str) -> int:
    """A preliminary version of the side's round (made once, outside the rolled-back requests)."""
    key = f"steps:version:{side}"
    if key not in w.extra:
        from lokalkomp.allocation.models import Recommendation

        round = w.cast.round if side == "own" else w.foreign_round
        recommendation = Recommendation.main_of(round)
        if not recommendation.versions.exists():
            recommendation.advance(
                to="preliminary", by=None, meeting_date=dt.date(2024, 3, 13), present=[], decided_how="consensus"
            )
        w.extra[key] = recommendation.versions.get().number
    return w.extra[key]  # type: ignore[no-any-return]


def step_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"to": "preliminary"}


def version_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"number": _version(w, side)}


def step_form(w: World, side: str) -> dict[str, Any]:
    return {"meeting_date": "2024-03-13", "decided_how": "consensus", "note": ""}


STEPS_RULES: dict[str, Rule] = {
    "allocation:recommendation_step": Rule("post", only(SECRETARIAT, 302), kwargs=step_kw, data=step_form),
    "allocation:recommendation_versions": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
    "allocation:recommendation_version": Rule("get", only(VIEWERS, 200), kwargs=version_kw),
    "allocation:recommendation_pdf": Rule("get", only(VIEWERS, 200), kwargs=version_kw),
    "allocation:recommendation_compare_versions": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
    "allocation:recommendation_events": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
}
