"""The participants' pages (/delta/): join by code, pick a table, answer the open activity. No account.

A participant is a random token in a signed cookie; the Participant row is made on the first table or
the first accepted answer, so a link preview, a crawler that only looks, or an answer to a closed
activity creates nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .forms import JoinForm, TableForm, answer_form
from .models import Activity, Gathering, Participant, Response, new_token, phone_stage

COOKIE = "lk_delta"
SALT = "lokalkomp.gatherings.participant"
COOKIE_AGE = 3 * 24 * 3600
# A person types one answer in a few seconds; more than this in one second is a script.
ANSWERS_PER_SECOND = 3
# A hall of 300 joins within a minute or two; a script making participants is held back here.
NEW_PER_MINUTE = 600


class NotAdmitted(Exception):
    """The gathering takes no new participant now: it is full, or too many joined in the last minute."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.notice = (
            _("This gathering is full. Ask the presenter.")
            if reason == "full"
            else _("Many are joining right now. Wait a moment and send again.")
        )


def _token(request: HttpRequest) -> str | None:
    token = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=COOKIE_AGE)
    return token if token and len(token) <= 40 else None


def _remember(response: HttpResponse, token: str, request: HttpRequest) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE, token, salt=SALT, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
    )
    return response


def _participant(request: HttpRequest, gathering: Gathering, *, create: bool = False) -> Participant | None:
    token = _token(request)
    if token:
        found = Participant.objects.filter(gathering=gathering, token=token).first()
        if found or not create:
            return found
    if not create:
        return None
    refused = gathering.admit(per_minute=NEW_PER_MINUTE)
    if refused:
        raise NotAdmitted(refused)
    participant, _created = Participant.objects.get_or_create(gathering=gathering, token=token or new_token())
    return participant


def _gathering(code: str) -> Gathering | None:
    return Gathering.objects.with_code(code[:20]).first()


def _unknown(request: HttpRequest) -> HttpResponse:
    form = JoinForm()
    form.errors["kode"] = form.error_class([_("No gathering has that code. Check the code on the screen.")])
    return render(request, "gatherings/join.html", {"form": form}, status=404)


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    """Type the code from the screen."""
    form = JoinForm(request.GET if "kode" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("gatherings:phone", form.cleaned_data["kode"])
    return render(request, "gatherings/join.html", {"form": form}, status=200 if not form.is_bound else 422)


def _stage_context(
    gathering: Gathering, participant: Participant | None, known: Activity | None = None, **extra: Any
) -> dict[str, Any]:
    """What the phone shows: the open activity with its form, the person's own answer in this round, the timer.

    `known`: an activity of the gathering the view has just read; where it is the open one, it is not read again.
    """
    if known is not None and known.state == Activity.State.OPEN:
        activity: Activity | None = known
    else:
        activity = gathering.activities.filter(state=Activity.State.OPEN).first()
    context: dict[str, Any] = {"gathering": gathering, "participant": participant, "activity": activity, **extra}
    if activity is None:
        context["stage"] = "none"
        return context
    now = timezone.now()
    context["stage"] = activity.stage(now)
    context["phase"], context["seconds_left"] = activity.timer_state(now)
    context.setdefault("form", answer_form(activity))
    if participant is not None and activity.one_answer_each:
        mine = {r.round: r for r in Response.objects.filter(activity=activity, participant=participant)}
        for response in mine.values():
            response.activity = activity
        context["mine"], context["first_round"] = mine.get(activity.round), mine.get(1)
    return context


@require_GET
@never_cache
def phone(request: HttpRequest, code: str) -> HttpResponse:
    gathering = _gathering(code)
    if gathering is None:
        return _unknown(request)
    participant = _participant(request, gathering)
    table_form = TableForm(initial={"table": participant.table if participant else None})
    context = _stage_context(gathering, participant, table_form=table_form)
    return render(request, "gatherings/phone.html", context)


@require_GET
@never_cache
def phone_live(request: HttpRequest, code: str) -> HttpResponse:
    """The phone's poll: 204 while the stage (open activity, round, timer phase) is what it shows.

    The stage comes from the shared cache (`phone_stage`): an unchanged poll reads no table.
    """
    stage = phone_stage(code)
    if stage is None:
        return HttpResponse(status=404)
    if request.GET.get("s", "")[:100] == stage:
        return HttpResponse(status=204)
    gathering = _gathering(code)
    if gathering is None:
        return HttpResponse(status=404)
    context = _stage_context(gathering, _participant(request, gathering))
    return render(request, "gatherings/phone.html#stage", context)


@require_POST
def set_table(request: HttpRequest, code: str) -> HttpResponse:
    gathering = _gathering(code)
    if gathering is None:
        return _unknown(request)
    form = TableForm(request.POST)
    if not form.is_valid():
        context = _stage_context(gathering, _participant(request, gathering), table_form=form)
        return render(request, "gatherings/phone.html", context, status=422)
    try:
        participant = _participant(request, gathering, create=True)
    except NotAdmitted as refused:
        return _reply(request, gathering, None, 429, notice=refused.notice)
    assert participant is not None
    Participant.objects.filter(pk=participant.pk).update(table=form.cleaned_data["table"])
    return _remember(redirect("gatherings:phone", gathering.join_code), participant.token, request)


@require_POST
def answer(request: HttpRequest, code: str, activity: int) -> HttpResponse:
    """Stores an answer; the Participant row is made only here, when an answer is accepted."""
    gathering = _gathering(code)
    if gathering is None:
        return _unknown(request)
    found = gathering.activities.filter(pk=activity).first()
    participant = _participant(request, gathering)
    if found is None or not found.takes_answers:
        return _reply(request, gathering, participant, 409, notice=_("This activity is not open for answers now."))
    form = answer_form(found, request.POST)
    if not form.is_valid():
        return _reply(request, gathering, participant, 422, known=found, form=form)
    values = {k: v for k, v in form.cleaned_data.items() if k in ("text", "choice", "value", "position", "name")}
    if "text" in values:
        values["text"] = values["text"].strip()
    if participant is None:
        try:
            with transaction.atomic():
                participant = _participant(request, gathering, create=True)
        except NotAdmitted as refused:
            return _reply(request, gathering, None, 429, notice=refused.notice)
    with transaction.atomic():
        assert participant is not None
        if not participant.count_answer(limit=ANSWERS_PER_SECOND, window=dt.timedelta(seconds=1)):
            notice = _("Too many answers at once. Wait a moment and send again.")
            return _reply(request, gathering, participant, 429, known=found, notice=notice)
        if values.get("name"):
            Participant.objects.filter(pk=participant.pk).update(name=values["name"])
        response = found.answer(participant, **values)
    notice = _("Thank you! Your answer is sent.")
    if not response.approved:
        notice = _("Thank you! Your answer is shown when the presenter has approved it.")
    return _reply(request, gathering, participant, 200, known=found, saved=notice)


def _reply(
    request: HttpRequest, gathering: Gathering, participant: Participant | None, status: int, **extra: Any
) -> HttpResponse:
    """With htmx the stage alone (the page stays where it is); without, the whole page."""
    context = _stage_context(gathering, participant, **extra)
    template = "gatherings/phone.html#stage" if request.headers.get("HX-Request") else "gatherings/phone.html"
    if not request.headers.get("HX-Request"):
        context["table_form"] = TableForm(initial={"table": participant.table if participant else None})
    reply = render(request, template, context, status=status)
    return _remember(reply, participant.token, request) if participant else reply
