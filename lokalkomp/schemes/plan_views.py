"""An office's long-term plans and their goals: one page to read them, and a view for each change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import get_long_term_plan_for, get_plan_goal_for, get_plan_office_for
from .long_term_plans import LongTermPlan, PlanGoal, uses_of
from .plan_forms import LongTermPlanForm, PlanGoalForm
from .rules import can_edit_long_term_plans


def _posted(request: HttpRequest) -> Any:
    """The posted data of a page that also shows its form (GET): even an empty POST is a bound form."""
    return request.POST if request.method == "POST" else None


def _plans_url(office: str, anchor: str = "") -> str:
    return reverse("schemes:long_term_plans", args=[office]) + (f"#{anchor}" if anchor else "")


def _render_plans(request: HttpRequest, office: Any, status: int = 200, **context: Any) -> HttpResponse:
    """The office's plans, newest first, each with its goals and how many measures name each goal."""
    plans = list(
        LongTermPlan.objects.filter(office=office).prefetch_related(
            Prefetch("goals", queryset=PlanGoal.objects.order_by("position", "pk"))
        )
    )
    for plan in plans:
        plan.office = office
    uses = uses_of(goal.pk for plan in plans for goal in plan.goals.all())
    may_edit = bool(can_edit_long_term_plans(request.user, office))
    context.setdefault("plan_form", LongTermPlanForm(office=office) if may_edit else None)
    goal_forms = context.pop("goal_forms", {})
    context.update(
        office=office,
        may_edit=may_edit,
        plans=[
            {
                "plan": plan,
                "goals": [(goal, uses.get(goal.pk, 0)) for goal in plan.goals.all()],
                "named": sum(uses.get(goal.pk, 0) for goal in plan.goals.all()),
                "goal_form": goal_forms.get(plan.pk) or (PlanGoalForm(plan=plan) if may_edit else None),
            }
            for plan in plans
        ],
    )
    return render(request, "schemes/long_term_plans.html", context, status=status)


@require_GET
@login_required
def long_term_plans(request: HttpRequest, office: str) -> HttpResponse:
    """The office's long-term plans and their goals: kept by its Statsforvalter, read by its forum."""
    return _render_plans(request, get_plan_office_for(request.user, office))


@require_POST
@login_required
def add_long_term_plan(request: HttpRequest, office: str) -> HttpResponse:
    found = get_plan_office_for(request.user, office, write=True)
    form = LongTermPlanForm(request.POST, office=found)
    if not form.is_valid():
        return _render_plans(request, found, status=422, plan_form=form)
    try:
        plan = LongTermPlan.make(office=found, by=request.user, **form.cleaned_data)
    except ValidationError as error:  # a plan for the period was made in another tab a moment ago
        form.add_error("first_year", error)
        return _render_plans(request, found, status=422, plan_form=form)
    messages.success(request, _("The plan %(period)s was added. Add its goals below.") % {"period": plan.period})
    return redirect(_plans_url(office, f"plan-{plan.pk}"))


@require_http_methods(["GET", "POST"])
@login_required
def edit_long_term_plan(request: HttpRequest, office: str, plan: int) -> HttpResponse:
    found = get_long_term_plan_for(request.user, office, plan)
    form = LongTermPlanForm(_posted(request), office=found.office, plan=found)
    if request.method == "POST" and form.is_valid():
        try:
            found.change(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("first_year", error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(_plans_url(office, f"plan-{found.pk}"))
    status = 422 if form.errors else 200
    return render(request, "schemes/long_term_plan_form.html", {"form": form, "plan": found}, status=status)


@require_POST
@login_required
def delete_long_term_plan(request: HttpRequest, office: str, plan: int) -> HttpResponse:
    found = get_long_term_plan_for(request.user, office, plan)
    try:
        found.remove(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plans_url(office, f"plan-{found.pk}"))
    messages.success(request, _("The plan %(period)s was removed.") % {"period": found.period})
    return redirect(_plans_url(office))


@require_POST
@login_required
def add_plan_goal(request: HttpRequest, office: str, plan: int) -> HttpResponse:
    found = get_long_term_plan_for(request.user, office, plan)
    form = PlanGoalForm(request.POST, plan=found)
    if form.is_valid():
        try:
            goal = found.add_goal(form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The goal was added."))
            return redirect(_plans_url(office, f"goal-{goal.pk}"))
    return _render_plans(request, found.office, status=422, goal_forms={found.pk: form})


@require_http_methods(["GET", "POST"])
@login_required
def edit_plan_goal(request: HttpRequest, office: str, plan: int, goal: int) -> HttpResponse:
    found = get_plan_goal_for(request.user, office, plan, goal)
    form = PlanGoalForm(_posted(request), plan=found.plan, goal=found)
    if request.method == "POST" and form.is_valid():
        found.change_text(form.cleaned_data["text"], by=request.user)
        messages.success(request, _("The goal was saved."))
        return redirect(_plans_url(office, f"goal-{found.pk}"))
    context = {"form": form, "goal": found, "plan": found.plan, "uses": uses_of([found.pk]).get(found.pk, 0)}
    return render(request, "schemes/plan_goal_form.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def delete_plan_goal(request: HttpRequest, office: str, plan: int, goal: int) -> HttpResponse:
    found = get_plan_goal_for(request.user, office, plan, goal)
    try:
        found.remove(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_plans_url(office, f"goal-{found.pk}"))
    messages.success(request, _("The goal «%(text)s» was removed.") % {"text": found.text})
    return redirect(_plans_url(office, f"plan-{found.plan.pk}"))


@require_POST
@login_required
def move_plan_goal(request: HttpRequest, office: str, plan: int, goal: int, direction: str) -> HttpResponse:
    if direction not in {"up", "down"}:
        raise Http404
    found = get_plan_goal_for(request.user, office, plan, goal)
    found.move(up=direction == "up", by=request.user)
    return redirect(_plans_url(office, f"move-{found.pk}-{direction}"))
