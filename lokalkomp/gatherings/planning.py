"""The municipality's plan: the owner's people make and write it; the county's organisers read it."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalkomp.accounts.models import User

from .access import get_plan_for, plan_owner_choices, visible_plans
from .models import PlanArea, PlanEvent, TaskGroup
from .models.plans import PLAN_FIELDS
from .rules import can_add_plan, can_edit_plan
from .taskforms import PlanAreaForm, PlanForm


def _person(request: HttpRequest) -> User:
    """The signed-in person, in views behind login_required."""
    return cast(User, request.user)


@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = visible_plans(request.user).select_related("owner").order_by("owner__name", "-first_year", "pk")
    return render(request, "gatherings/plan_list.html", {"plans": plans, "may_add": can_add_plan(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    if not can_add_plan(request.user):
        raise PermissionDenied(_("A plan is written by the owner's own people."))
    form = PlanForm(request.POST or None, owners=plan_owner_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                plan = form.save()
                PlanEvent.objects.create(plan=plan, actor=_person(request), kind=PlanEvent.Kind.CREATED)
        except IntegrityError:  # the same plan made in another tab a moment ago
            form.add_error("first_year", _("The owner already has a plan for this period."))
        else:
            messages.success(request, _("The plan is made."))
            return redirect(plan)
    return render(request, "gatherings/plan_form.html", {"form": form}, status=422 if form.errors else 200)


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk)
    groups = TaskGroup.objects.filter(owner=plan.owner, task__level="municipal").select_related("task__gathering")
    context = {
        "plan": plan,
        "areas": list(plan.areas.all()),
        "events": list(plan.events.select_related("actor")[:50]),
        "may_edit": can_edit_plan(request.user, plan),
        "area_form": PlanAreaForm(instance=PlanArea(plan=plan)),
        "groups": list(groups.order_by("-task__gathering__date", "pk")[:20]),
    }
    return render(request, "gatherings/plan.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name in PLAN_FIELDS or name.endswith("_year")]
        with transaction.atomic():
            form.save()
            if changed:
                detail = ", ".join(str(form.fields[name].label) for name in changed)[:300]
                PlanEvent.objects.create(plan=plan, actor=_person(request), kind=PlanEvent.Kind.EDITED, detail=detail)
        messages.success(request, _("Saved."))
        return redirect(plan)
    return render(
        request, "gatherings/plan_form.html", {"form": form, "plan": plan}, status=422 if form.errors else 200
    )


@require_POST
@login_required
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, write=True)
    form = PlanAreaForm(request.POST, instance=PlanArea(plan=plan))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(plan.get_absolute_url() + "#areas")
    area = form.save(commit=False)
    area.position = min(plan.areas.count() + 1, 1000)
    with transaction.atomic():
        area.save()
        PlanEvent.objects.create(plan=plan, actor=_person(request), kind=PlanEvent.Kind.AREA_ADDED, detail=area.title)
    return redirect(plan.get_absolute_url() + "#areas")


@require_POST
@login_required
def area_delete(request: HttpRequest, pk: int, area: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, write=True)
    found = get_object_or_404(plan.areas.all(), pk=area)
    with transaction.atomic():
        found.delete()
        PlanEvent.objects.create(
            plan=plan, actor=_person(request), kind=PlanEvent.Kind.AREA_REMOVED, detail=found.title
        )
    return redirect(plan.get_absolute_url() + "#areas")


@require_POST
@login_required
def plan_from_group(request: HttpRequest, pk: int, group: int) -> HttpResponse:
    """Fills the plan's empty elements from a municipal-level group's answers (the group of this owner)."""
    plan = get_plan_for(request.user, pk, write=True)
    found = TaskGroup.objects.select_related("task__gathering").filter(pk=group, owner=plan.owner).first()
    if found is None or found.task.level != "municipal":
        raise Http404
    with transaction.atomic():
        filled = plan.take_from_group(found, by=request.user)
    if filled:
        messages.success(request, _("Filled in from the group's answers: %(n)s elements.") % {"n": len(filled)})
    else:
        messages.info(request, _("Nothing to fill in: the plan's elements are written, or the group left them empty."))
    return redirect(plan)
