"""Group tasks: the organisers add a task from a template and its groups; each group writes through its link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .access import get_gathering_for, get_group_by_link, get_task_for, may_run
from .models import Gathering, GroupAnswer, GroupTask, TaskGroup
from .taskforms import GroupForm, TaskForm, answers_of, group_answer_form


def _owners(gathering: Gathering) -> Any:
    """The owners a group may stand for: the members of the office's networks (of its network, for one)."""
    from lokalkomp.directory.models import Organisation

    members = Q(networks__office_id=gathering.office_id)
    if gathering.network_id:
        members = Q(networks=gathering.network_id)
    return Organisation.objects.owners().filter(members).distinct().order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    form = TaskForm(request.POST or None, initial={"level": GroupTask.Level.COUNTY})
    if request.method == "POST" and form.is_valid():
        task = GroupTask.from_template(gathering, form.cleaned_data["level"], form.cleaned_data["title"].strip())
        messages.success(request, _("The group task is added. Add its groups: each gets its own link."))
        return redirect(task)
    context = {"form": form, "gathering": gathering}
    return render(request, "gatherings/task_form.html", context, status=422 if form.errors else 200)


def _task_context(request: HttpRequest, task: GroupTask, **extra: Any) -> dict[str, Any]:
    groups = list(
        task.groups.select_related("owner").prefetch_related(
            Prefetch("answers", queryset=GroupAnswer.objects.select_related("picked_by"))
        )
    )
    questions = task.question_list
    rows = []
    for group in groups:
        answers = group.answers_by_key()
        rows.append((group, [(q, answers.get(q["key"])) for q in questions]))
    context = {
        "gathering": task.gathering,
        "task": task,
        "questions": questions,
        "rows": rows,
        "may_run": may_run(request.user, task.gathering),
        "group_form": GroupForm(instance=TaskGroup(task=task), owners=_owners(task.gathering)),
        "site_url": request.build_absolute_uri("/").rstrip("/"),
    }
    return context | extra


@require_http_methods(["GET"])
@login_required
def task_detail(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    """The task's questions, its groups with their links, and every group's answers."""
    found = get_task_for(request.user, pk, task)
    return render(request, "gatherings/task.html", _task_context(request, found))


@require_POST
@login_required
def group_add(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    found = get_task_for(request.user, pk, task, write=True)
    form = GroupForm(request.POST, instance=TaskGroup(task=found), owners=_owners(found.gathering))
    if not form.is_valid():
        return render(request, "gatherings/task.html", _task_context(request, found, group_form=form), status=422)
    form.save()
    return redirect(found.get_absolute_url() + "#groups")


@require_POST
@login_required
def task_close(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    found = get_task_for(request.user, pk, task, write=True)
    GroupTask.objects.filter(pk=found.pk).update(is_open=False)
    messages.success(request, _("Closed: the groups' links show their answers but take no more."))
    return redirect(found)


@require_POST
@login_required
def task_open(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    found = get_task_for(request.user, pk, task, write=True)
    GroupTask.objects.filter(pk=found.pk).update(is_open=True)
    messages.success(request, _("Open: the groups may write their answers."))
    return redirect(found)


# ── The group's own page (no account: the link is the key) ──


def _group_page(request: HttpRequest, group: TaskGroup, form: Any, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"group": group, "task": group.task, "gathering": group.task.gathering, "form": form, **extra}
    response = render(request, "gatherings/group.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the address is the key: it must not leave in a Referer
    return response


def _initial(group: TaskGroup) -> dict[str, Any]:
    answers = group.answers_by_key()
    initial: dict[str, Any] = {f"q_{key}": answer.text for key, answer in answers.items()}
    return initial | {"revision": group.revision}


@require_http_methods(["GET", "POST"])
@never_cache
def group_page(request: HttpRequest, token: str) -> HttpResponse:
    """The group writes its answers, during the gathering or after it, while the task is open."""
    group = get_group_by_link(token)
    if request.method == "GET":
        return _group_page(request, group, group_answer_form(group.task, initial=_initial(group)))
    if not group.task.is_open:
        form = group_answer_form(group.task, initial=_initial(group))
        return _group_page(request, group, form, 409, notice=_("The task is closed: answers can no longer change."))
    form = group_answer_form(group.task, request.POST)
    if not form.is_valid():
        return _group_page(request, group, form, 422)
    if not group.write(answers_of(form), seen_revision=form.cleaned_data["revision"]):
        notice = _(
            "Someone else in your group saved in the meantime. Your text is still in the fields, and what "
            "they saved is shown under each one: combine them, and save again."
        )
        group.refresh_from_db(fields=["revision"])
        mine = {f"q_{key}": text for key, text in answers_of(form).items()}
        fresh = group_answer_form(group.task, initial=mine | {"revision": group.revision})
        theirs = {f"q_{key}": answer.text for key, answer in group.answers_by_key().items()}
        return _group_page(request, group, fresh, 409, notice=notice, theirs=theirs)
    messages.success(request, _("Saved. Your group can come back to this page to go on writing."))
    return redirect(group.get_absolute_url())
