"""The organisers' pages: the list of gatherings, a gathering with its agenda, and its forms."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import get_gathering_for, may_run, organiser_scope, visible_gatherings
from .audience import invitees
from .forms import AgendaItemForm, GatheringForm
from .models import Gathering, GatheringEvent, PublishFailed
from .rules import can_add_gathering, can_run_gathering

INVITED_SHOWN = 100  # the page names the first hundred; the count says how many there are


def back(request: HttpRequest, default: str) -> HttpResponse:
    """To the page the form came from (`next`, on this site only), else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_GET
@login_required
def gathering_list(request: HttpRequest) -> HttpResponse:
    """The gatherings the user may see, by office and round."""
    gatherings = (
        visible_gatherings(request.user)
        .select_related("office", "round", "network")
        .order_by("office__name", "-round__year", "-date", "pk")
    )
    groups = [(key, list(items)) for key, items in groupby(gatherings, key=lambda g: g.round)]
    return render(request, "gatherings/list.html", {"groups": groups, "may_add": can_add_gathering(request.user)})


def _form(request: HttpRequest, instance: Gathering | None = None) -> GatheringForm:
    scope = organiser_scope(request.user)
    return GatheringForm(request.POST or None, instance=instance, **scope)


def _save(request: HttpRequest, form: GatheringForm) -> Gathering | None:
    """The gathering from a valid form, if the user may run it (the form's choices are not the check)."""
    gathering: Gathering = form.save(commit=False)
    gathering.office_id = gathering.round.office_id
    if not can_run_gathering(request.user, gathering):
        form.add_error(None, _("You may not organise gatherings for this office or network."))
        return None
    if gathering.pk is None:
        gathering.created_by = request.user  # type: ignore[assignment]
    gathering.save()
    return gathering


@require_http_methods(["GET", "POST"])
@login_required
def gathering_new(request: HttpRequest) -> HttpResponse:
    if not can_add_gathering(request.user):
        raise PermissionDenied(_("Only the Statsforvalter and network coordinators organise gatherings."))
    form = _form(request)
    if request.method == "POST" and form.is_valid() and (gathering := _save(request, form)):
        messages.success(request, _("The gathering is created. Add its agenda and activities."))
        return redirect(gathering)
    return render(request, "gatherings/form.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def gathering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    form = _form(request, gathering)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("Saved."))
        return redirect(gathering)
    return render(
        request, "gatherings/form.html", {"form": form, "gathering": gathering}, status=422 if form.errors else 200
    )


@require_GET
@login_required
def gathering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Gathering.objects.select_related("office", "network", "round", "forum").prefetch_related(
        "agenda",
        "activities",
        "tasks",
        Prefetch("events", queryset=GatheringEvent.objects.select_related("actor", "activity")),
    )
    gathering = get_gathering_for(request.user, pk, queryset=queryset)
    context: dict[str, Any] = {
        "gathering": gathering,
        "may_run": may_run(request.user, gathering),
        "agenda_form": AgendaItemForm(),
    }
    people = invitees(gathering)
    context["invited_count"] = people.count()
    if context["may_run"]:
        context["invited"] = list(people.only("email", "first_name", "last_name")[:INVITED_SHOWN])
    return render(request, "gatherings/detail.html", context)


@require_POST
@login_required
def gathering_publish(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    try:
        gathering.publish(by=request.user)
    except PublishFailed as failed:
        messages.error(request, str(failed))
        return redirect(gathering)
    messages.success(
        request, _("Published: participants can join with the code %(code)s.") % {"code": gathering.join_code}
    )
    return redirect(gathering)


@require_POST
@login_required
def gathering_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    gathering.unpublish(by=request.user)
    messages.success(request, _("Back to draft: the code no longer lets anyone join."))
    return redirect(gathering)


@require_POST
@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        context = {"gathering": gathering, "may_run": True, "agenda_form": form}
        return render(request, "gatherings/detail.html", context, status=422)
    item = form.save(commit=False)
    item.gathering = gathering
    item.position = min(gathering.agenda.count() + 1, 1000)
    item.save()
    return redirect(gathering.get_absolute_url() + "#agenda")


@require_POST
@login_required
def agenda_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    gathering = get_gathering_for(request.user, pk, write=True)
    get_object_or_404(gathering.agenda.all(), pk=item).delete()
    return redirect(gathering.get_absolute_url() + "#agenda")
