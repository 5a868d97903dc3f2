"""«Into the needs analysis ★»: the organisers pick the responses and group answers that matter.

What they pick is shown beside the network's needs reports (the network's page) and on the round's
page, «from the gathering on 5 October» (panels.py). The compilation of a network's needs analysis
(issue 11) does not exist yet; when it does, it reads the same picks (`picked_for`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .access import get_gathering_for, get_group_answer_for, get_response_for
from .models import Activity, GroupAnswer, Response
from .results import MAX_STATEMENTS
from .views import back


def picked_responses(gatherings: Any) -> QuerySet[Response]:
    return (
        Response.objects.picked()
        .filter(activity__gathering__in=gatherings)
        .select_related("activity")
        .order_by("activity__gathering_id", "activity__position", "activity_id", "table", "pk")
    )


def picked_answers(gatherings: Any) -> QuerySet[GroupAnswer]:
    return (
        GroupAnswer.objects.filter(group__task__gathering__in=gatherings, picked_at__isnull=False)
        .exclude(text="")
        .select_related("group__task")
        .order_by("group__task__gathering_id", "group__task__position", "group__name", "key", "pk")
    )


def answer_title(answer: GroupAnswer) -> str:
    """The question the answer is to, as the task asked it."""
    titles = {q["key"]: q["title"] for q in answer.group.task.question_list}
    return str(titles.get(answer.key, answer.key))


@require_GET
@login_required
def pick_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every response the room saw and every group answer, each with a pick (or unpick) button."""
    gathering = get_gathering_for(request.user, pk, write=True)
    activities = [a for a in gathering.activities.all() if a.kind != Activity.Kind.IGP_TIMER]
    by_activity: dict[int, list[Response]] = {a.pk: [] for a in activities}
    shown = Response.objects.filter(activity__in=activities).shown().exclude(text="", position="", choice=None)
    for response in shown.order_by("activity_id", "table", "created", "pk"):
        rows = by_activity[response.activity_id]
        if len(rows) < MAX_STATEMENTS:
            rows.append(response)
    for activity in activities:
        for response in by_activity[activity.pk]:
            response.activity = activity  # read by display(), without a query per row
    answers = list(
        GroupAnswer.objects.filter(group__task__gathering=gathering)
        .exclude(text="")
        .select_related("group__task")
        .order_by("group__task__position", "group__name", "key", "pk")
    )
    context = {
        "gathering": gathering,
        "activities": [(a, by_activity[a.pk]) for a in activities],
        "answers": [(answer, answer_title(answer)) for answer in answers],
    }
    return render(request, "gatherings/pick.html", context)


def _to_pick_page(request: HttpRequest, pk: int, anchor: str) -> HttpResponse:
    return back(request, reverse("gatherings:pick", args=[pk]) + "#" + anchor)


@require_POST
@login_required
def response_pick(request: HttpRequest, pk: int, response: int) -> HttpResponse:
    found = get_response_for(request.user, pk, response)
    found.pick(by=request.user)
    return _to_pick_page(request, pk, f"response-{found.pk}")


@require_POST
@login_required
def response_unpick(request: HttpRequest, pk: int, response: int) -> HttpResponse:
    found = get_response_for(request.user, pk, response)
    found.unpick()
    return _to_pick_page(request, pk, f"response-{found.pk}")


@require_POST
@login_required
def answer_pick(request: HttpRequest, pk: int, answer: int) -> HttpResponse:
    found = get_group_answer_for(request.user, pk, answer)
    found.pick(by=request.user)
    return _to_pick_page(request, pk, f"answer-{found.pk}")


@require_POST
@login_required
def answer_unpick(request: HttpRequest, pk: int, answer: int) -> HttpResponse:
    found = get_group_answer_for(request.user, pk, answer)
    found.unpick()
    return _to_pick_page(request, pk, f"answer-{found.pk}")
