"""The organisers' actions on activities (open, close, round two, timer, reset) and the moderation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import get_activity_for, get_gathering_for, get_response_for
from .forms import ActivityForm
from .models import Activity, Response
from .views import back


@require_http_methods(["GET", "POST"])
@login_required
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    form = ActivityForm(request.POST or None, instance=Activity(gathering=gathering))
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.position = min(gathering.activities.count() + 1, 1000)
        activity.save()
        messages.success(request, _("The activity is added."))
        return redirect(gathering.get_absolute_url() + "#activities")
    context = {"form": form, "gathering": gathering}
    return render(request, "gatherings/activity_form.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = get_activity_for(request.user, pk, activity, write=True)
    form = ActivityForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False)
        # Only what the form edits: answers may have raised the version meanwhile (the presenter's poll counts it).
        found.save(update_fields=[*ActivityForm.Meta.fields, "options"])
        found.bump()
        messages.success(request, _("Saved."))
        return redirect(found.gathering.get_absolute_url() + "#activities")
    context = {"form": form, "gathering": found.gathering, "activity": found}
    return render(request, "gatherings/activity_form.html", context, status=422 if form.errors else 200)


def _act(request: HttpRequest, pk: int, activity: int) -> Activity:
    return get_activity_for(request.user, pk, activity, write=True)


@require_POST
@login_required
def activity_open(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    found.open(by=request.user)
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_POST
@login_required
def activity_close(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    found.close(by=request.user)
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_POST
@login_required
def activity_round_two(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    if found.kind != Activity.Kind.STATEMENT_GAME or found.round == 2:
        messages.error(request, _("Only the statement game has a second round, and it starts once."))
    else:
        found.start_round_two(by=request.user)
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_POST
@login_required
def activity_start_timer(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    if found.kind != Activity.Kind.IGP_TIMER:
        messages.error(request, _("Only the I-G-P timer has a timer."))
    else:
        found.start_timer(by=request.user)
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_POST
@login_required
def activity_next_phase(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    found.next_phase(by=request.user)
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_POST
@login_required
def activity_reset(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    found = _act(request, pk, activity)
    found.reset(by=request.user)
    messages.success(request, _("The activity is reset: its responses are deleted."))
    return back(request, found.gathering.get_absolute_url() + "#activities")


@require_GET
@login_required
@never_cache
def moderation(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    """Every response of the activity, on the organiser's own screen (not the projector): approve or hide.

    With htmx it polls itself with `?v=` and gets 204 while nothing changed.
    """
    found = get_activity_for(request.user, pk, activity, write=True)
    if request.headers.get("HX-Request") and request.GET.get("v") == str(found.version):
        return HttpResponse(status=204)
    responses = list(Response.objects.filter(activity=found).order_by("-created", "-pk")[:500])
    for response in responses:
        response.activity = found  # read by Response.display, without a query per row
    context = {
        "gathering": found.gathering,
        "activity": found,
        "pending": [r for r in responses if not r.approved and not r.hidden],
        "shown": [r for r in responses if r.approved and not r.hidden],
        "hidden": [r for r in responses if r.hidden],
    }
    template = "gatherings/moderation.html#queue" if request.headers.get("HX-Request") else "gatherings/moderation.html"
    return render(request, template, context)


@require_POST
@login_required
def response_hide(request: HttpRequest, pk: int, response: int) -> HttpResponse:
    found = get_response_for(request.user, pk, response)
    found.hide(by=request.user)
    return back(request, found.activity.gathering.get_absolute_url())


@require_POST
@login_required
def response_approve(request: HttpRequest, pk: int, response: int) -> HttpResponse:
    found = get_response_for(request.user, pk, response)
    found.approve(by=request.user)
    return back(request, found.activity.gathering.get_absolute_url())
