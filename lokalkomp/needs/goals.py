"""The long-term plan's goals a measure serves (`Measure.goals`): the choice, its record and its copy.

The goals offered are those of the office's plan that covers the round's year (an office's plans
never overlap). A goal chosen before and no longer in that plan (the period or the plan changed)
is shown, marked, and may be kept or unticked, never chosen anew.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import LongTermPlan, PlanGoal

from .extensions import GOALS, Choice, ChoiceGroup, LinkResult, MeasureLinks, ids_text, save_links
from .models import Measure, NeedsReport

GoalThrough = Measure.goals.through


def plan_for(report: NeedsReport) -> QuerySet[LongTermPlan]:
    """The office's plan that covers the round's year (at most one): its goals are the ones offered."""
    return LongTermPlan.objects.filter(office_id=report.round.office_id).covering(report.round.year)


def offered_goals(report: NeedsReport) -> list[PlanGoal]:
    """The goals of the office's plan for the round's year, in the plan's order (one query)."""
    goals = PlanGoal.objects.filter(plan__in=plan_for(report))
    return list(goals.select_related("plan").order_by("plan__first_year", "position", "pk"))


def _chosen(measure: Measure) -> list[PlanGoal]:
    return list(measure.goals.select_related("plan").order_by("plan__first_year", "position", "pk"))


def goals_links(report: NeedsReport, measure: Measure) -> MeasureLinks | None:
    """The checkbox list of goals on the measure's page (one query); None if there is nothing to choose."""
    chosen, plan = GoalThrough.objects.filter(measure_id=measure.pk), plan_for(report)
    goals = list(
        PlanGoal.objects.filter(Q(plan__in=plan) | Q(pk__in=chosen.values("plangoal_id")))
        .annotate(
            lk_offered=Exists(plan.filter(pk=OuterRef("plan_id"))),
            lk_chosen=Exists(chosen.filter(plangoal_id=OuterRef("pk"))),
        )
        .select_related("plan")
        .order_by("plan__first_year", "position", "pk")
    )
    if not goals:
        return None
    note = _("not in the plan for %(year)s") % {"year": report.round.year}
    groups: dict[str, list[Choice]] = {}
    for goal in goals:
        offered = goal.lk_offered  # type: ignore[attr-defined]
        choice = Choice(goal.pk, goal.text, goal.lk_chosen, note="" if offered else note)  # type: ignore[attr-defined]
        groups.setdefault(goal.plan.label, []).append(choice)
    return MeasureLinks(
        measure=measure.pk,
        field=GOALS,
        legend=_("Which goals of the long-term plan does the measure serve?"),
        help=_("Tick the goals the measure serves. Describe how it is anchored in the plan in the text above."),
        groups=[ChoiceGroup(heading, choices) for heading, choices in groups.items()],
        action=reverse("needs:save_measure_goals", args=[report.pk, measure.pk]),
        base=ids_text(goal.pk for goal in goals if goal.lk_chosen),  # type: ignore[attr-defined]
    )


def save_goals(report: NeedsReport, measure: Measure, values: list[str], *, base: str | None, by: Any) -> LinkResult:
    """Choose the measure's goals among those offered, as a compare-and-set, on the change record."""

    def write(removed: set[int], added: set[int]) -> None:
        GoalThrough.objects.filter(measure_id=measure.pk, plangoal_id__in=removed).delete()
        GoalThrough.objects.bulk_create(
            [GoalThrough(measure_id=measure.pk, plangoal_id=pk) for pk in sorted(added)], ignore_conflicts=True
        )

    return save_links(
        report,
        measure,
        field=GOALS,
        values=values,
        base=base,
        offered={goal.pk: goal.text for goal in offered_goals(report)},
        current=lambda: {goal.pk: goal.text for goal in _chosen(measure)},
        write=write,
        by=by,
    )


def copy_goals(source: Measure, copy: Measure) -> None:
    """The source's goals that are in the plan covering the copy's year (continuing a measure)."""
    offered = {goal.pk for goal in offered_goals(copy.report)}
    kept = [pk for pk in source.goals.values_list("pk", flat=True) if pk in offered]
    GoalThrough.objects.bulk_create(
        [GoalThrough(measure_id=copy.pk, plangoal_id=pk) for pk in kept], ignore_conflicts=True
    )


def goal_rows(measure_ids: list[int]) -> QuerySet[Any]:
    """The measures' goals as the record reads every kind of choice (extensions.RecordExtra.rows)."""
    return GoalThrough.objects.filter(measure_id__in=measure_ids).values_list(
        "measure_id",
        "plangoal_id",
        "plangoal__text",
        "plangoal__plan__title",
        "plangoal__plan__first_year",
        "plangoal__plan__last_year",
        "plangoal__position",
    )


def use_counts(goal_ids: list[int]) -> dict[int, int]:
    """How many measures name each goal (schemes' `goal_uses`: a named goal is not removed)."""
    rows = GoalThrough.objects.filter(plangoal_id__in=goal_ids).values("plangoal_id").annotate(n=Count("pk"))
    return {row["plangoal_id"]: row["n"] for row in rows}
