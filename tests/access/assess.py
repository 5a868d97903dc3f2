"""Who may use each page of the forum's assessment and the declarations of ties (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rules import Rule, same_for_both, statuses
from .world import LOGIN, World

# The own side is the cast's round: its other partnership's submitted report is the one assessed; the
# cast's forum member has declared (make_cast). The foreign side is the other office's round, with a
# submitted report of its own (placed here); that office has no forum member, only its Statsforvalter.


def round_kw(w: World, side: str) -> dict[str, Any]:
    round = w.cast.round if side == "own" else w.foreign_round
    return {"office": round.office.slug, "year": round.year}


def _foreign_measure(w: World) -> Any:
    if "assess:foreign" not in w.extra:
        from lokalkomp.allocation.tests.assess_helpers import submitted_measure

        w.extra["assess:foreign"] = submitted_measure(w.foreign_round, name="Fremmed innsendt")
    return w.extra["assess:foreign"]


def measure_kw(w: World, side: str) -> dict[str, Any]:
    measure = w.sibling_measure if side == "own" else _foreign_measure(w)
    return round_kw(w, side) | {"pk": measure.pk}


def complete_form(w: World, side: str) -> dict[str, Any]:
    """Every criterion scored and a recommendation: a form that can be shared."""
    from lokalkomp.allocation import criteria

    measure = w.sibling_measure if side == "own" else _foreign_measure(w)
    round = w.cast.round if side == "own" else w.foreign_round
    data: dict[str, Any] = {"version": 0, "recommendation": "prioritise", "comment": ""}
    for criterion in criteria.for_scheme(measure.scheme, round):
        data[f"score-{criterion.pk}"] = "met"
    return data


ASSESSORS = {"own": {"forum_member"}, "foreign": set()}
SECRETARIAT = {"own": {"governor", "governor_admin"}, "foreign": {"other_office_governor"}}


def only(groups: dict[str, set[str]], ok: Any) -> Callable[[str], dict[str, Any]]:
    """Those named may (`ok`); everyone else signed in is told no (403: the round itself is public)."""
    return lambda side: statuses(403, anonymous=LOGIN) | dict.fromkeys(groups[side], ok)


def both(*groups: dict[str, set[str]]) -> dict[str, set[str]]:
    return {side: set().union(*(g[side] for g in groups)) for side in ("own", "foreign")}


# /vurdering/ leads to the person's one round (302), or lists none (200).
ONE_ROUND = {"forum_member", "governor", "governor_admin", "other_office_governor"}

ASSESS_RULES: dict[str, Rule] = {
    "allocation:my_assessment": Rule(
        "get", same_for_both(statuses(200, anonymous=LOGIN) | dict.fromkeys(ONE_ROUND, 302)), sides=("own",)
    ),
    "allocation:assessments": Rule("get", only(both(ASSESSORS, SECRETARIAT), 200), kwargs=round_kw),
    "allocation:assessment_setup": Rule(
        "post", only(SECRETARIAT, 302), kwargs=round_kw, data=lambda w, side: {"central_questions": "on"}
    ),
    "allocation:assess": Rule("get", only(ASSESSORS, 200), kwargs=measure_kw),
    "allocation:assess_save": Rule("post", only(ASSESSORS, 302), kwargs=measure_kw, data=complete_form),
    "allocation:assess_share": Rule("post", only(ASSESSORS, 302), kwargs=measure_kw, data=complete_form),
    "allocation:declaration": Rule("get", only(ASSESSORS, 200), kwargs=round_kw),
    "allocation:declarations": Rule("get", only(SECRETARIAT, 200), kwargs=round_kw),
    "allocation:declarations_csv": Rule("get", only(SECRETARIAT, 200), kwargs=round_kw),
}
