"""Who may keep the office's long-term plan, and who may name what a measure serves in a plan (issues 11, 14).

The long-term plan is kept by the office's Statsforvalter and read by its forum (403 for everyone
else who is signed in: the office is public, as its round is). Naming a measure's goals or
development areas is writing the report: needs' rule, on the three reports of the world.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rules import GOVERNORS, REPORT_SIDES, Rule, on_report, report_kw, statuses
from .world import LOGIN, World

PLAN_FORUM = {"own": {"forum_member"}, "foreign": set()}


def _plan_world(w: World, side: str) -> dict[str, Any]:
    """The side's office with a long-term plan 2023–2026 and a goal."""
    key = f"long-term-plan:{side}"
    if key not in w.extra:
        from lokalkomp.schemes.models import LongTermPlan

        office = w.cast.office if side == "own" else w.foreign_office
        plan = LongTermPlan.make(office=office, first_year=2023, last_year=2026, by=None)
        w.extra[key] = {"office": office, "plan": plan, "goal": plan.add_goal("Lesing og skriving", by=None)}
    return w.extra[key]  # type: ignore[no-any-return]


def plan_kw(*names: str) -> Callable[[World, str], dict[str, Any]]:
    """The side's office (its slug), and `plan` or `goal` as named."""

    def kwargs(w: World, side: str) -> dict[str, Any]:
        p = _plan_world(w, side)
        return {"office": p["office"].slug, **{name: p[name].pk for name in names}}

    return kwargs


def on_plans(ok: int, *, forum_ok: bool = False) -> Callable[[str], dict[str, Any]]:
    """The office's Statsforvalter may (`ok`); its forum reads (`ok` if `forum_ok`, else 403); others 403."""

    def expected(side: str) -> dict[str, Any]:
        table = statuses(403, anonymous=LOGIN) | dict.fromkeys(PLAN_FORUM[side], ok if forum_ok else 403)
        return table | dict.fromkeys(GOVERNORS[side], ok)

    return expected


def _measure(w: World, side: str) -> int:
    return {"own": w.measure, "submitted": w.sibling_measure, "foreign": w.foreign_measure}[side].pk


LINK_RULES: dict[str, Rule] = {
    "schemes:long_term_plans": Rule("get", on_plans(200, forum_ok=True), kwargs=plan_kw()),
    "schemes:add_long_term_plan": Rule(
        "post", on_plans(302), kwargs=plan_kw(), data=lambda w, side: {"first_year": "2027", "last_year": "2030"}
    ),
    "schemes:edit_long_term_plan": Rule("get", on_plans(200), kwargs=plan_kw("plan")),
    "schemes:delete_long_term_plan": Rule("post", on_plans(302), kwargs=plan_kw("plan")),
    "schemes:add_plan_goal": Rule(
        "post", on_plans(302), kwargs=plan_kw("plan"), data=lambda w, side: {"text": "Inkludering"}
    ),
    "schemes:edit_plan_goal": Rule("get", on_plans(200), kwargs=plan_kw("plan", "goal")),
    "schemes:delete_plan_goal": Rule("post", on_plans(302), kwargs=plan_kw("plan", "goal")),
    "schemes:move_plan_goal": Rule(
        "post", on_plans(302), kwargs=lambda w, side: plan_kw("plan", "goal")(w, side) | {"direction": "down"}
    ),
    # What a measure serves: writing the report (an unchanged choice goes back to the measure: 302)
    "needs:save_measure_goals": Rule(
        "post", on_report("write", 302), kwargs=report_kw(measure=_measure), sides=REPORT_SIDES
    ),
    "gatherings:measure_areas": Rule(
        "post", on_report("write", 302), kwargs=report_kw(measure=_measure), sides=REPORT_SIDES
    ),
}
