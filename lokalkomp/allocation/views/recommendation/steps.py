"""The recommendation's steps (draft → preliminary → final, each at a meeting), its versions, their comparison,
the PDF of a version and the list of every change.

The secretariat takes a step with the meeting's record; a final step that is blocked shows what blocks
it and changes nothing, and the form keeps what was typed. The forum's members and deputies read the
versions (each the recommendation as it stood at its meeting), compare two, print one and read the events.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lokalkomp.needs.documents import PdfTimeout
from lokalkomp.schemes.models import Round

from ...access.recommendation_steps import (
    get_main_recommendation_for,
    get_recommendation_version_for,
    hidden_reports,
    step_round_for,
)
from ...models.recommendation import Locked, NotReady, Recommendation, RecommendationEvent
from ...recommendation_documents import filename, recommendation_pdf
from ...recommendation_step_form import StepForm, forum_seats
from ...recommendation_versions import changes, view_of

NO_STORE = "private, no-store"  # amounts before the decision: never kept by a browser or proxy
STEP_TARGETS = (Recommendation.Status.PRELIMINARY, Recommendation.Status.FINAL)
EVENTS_PER_PAGE = 200


def _url(round: Round, name: str, *args: Any) -> str | None:
    """The address of a page of the round's recommendation, or None where that page is not there."""
    try:
        return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
    except NoReverseMatch:
        return None


def _urls(round: Round) -> dict[str, str | None]:
    return {
        "workspace": _url(round, "recommendation"),
        "versions": _url(round, "recommendation_versions"),
        "compare": _url(round, "recommendation_compare_versions"),
        "events": _url(round, "recommendation_events"),
        "preliminary": _url(round, "recommendation_step", "preliminary"),
        "final": _url(round, "recommendation_step", "final"),
    }


# ── Taking a step ──


@require_http_methods(["GET", "POST"])
@login_required
def step(request: HttpRequest, office: str, year: int, to: str) -> HttpResponse:
    """The meeting's record for the next step; POST takes it and shows the new version."""
    if to not in STEP_TARGETS:
        raise Http404
    round = step_round_for(request.user, office, year, step=True)
    recommendation = Recommendation.main_of(round, by=request.user)
    seats = forum_seats(round)
    may = Recommendation.STEPS.get(recommendation.status) == to
    if request.method == "GET" or not may:
        form = StepForm(seats=seats, initial={"meeting_date": timezone.localdate(), "decided_how": "consensus"})
        problems = recommendation.blocking_problems() if may and to == Recommendation.Status.FINAL else []
        status = 200 if request.method == "GET" else 409
        return _step_page(request, recommendation, to, form, seats, problems=problems, status=status)
    form = StepForm(request.POST, seats=seats)
    if not form.is_valid():
        return _step_page(request, recommendation, to, form, seats, status=422)
    try:
        version = recommendation.advance(to=to, by=request.user, **form.step_arguments())
    except NotReady as error:
        return _step_page(request, recommendation, to, form, seats, problems=error.problems, status=422)
    except Locked as error:
        recommendation.refresh_from_db(fields=["status"])
        return _step_page(request, recommendation, to, form, seats, message=str(error), status=409)
    except ValidationError as error:
        return _step_page(request, recommendation, to, form, seats, message=" ".join(error.messages), status=422)
    messages.success(
        request,
        _("The recommendation is now «%(status)s»: version %(n)s, with the meeting's record.")
        % {"status": version.get_status_display(), "n": version.number},
    )
    return redirect(reverse("allocation:recommendation_version", args=[round.office.slug, round.year, version.number]))


def _step_page(
    request: HttpRequest,
    recommendation: Recommendation,
    to: str,
    form: StepForm,
    seats: list[Any],
    *,
    problems: list[str] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    round = recommendation.round
    latest = recommendation.versions.defer("data").order_by("-number").first()
    context = {
        "round": round,
        "recommendation": recommendation,
        "to": to,
        "to_label": Recommendation.Status(to).label,
        "may": Recommendation.STEPS.get(recommendation.status) == to,
        "is_final": recommendation.status == Recommendation.Status.FINAL,
        "latest": latest,
        "latest_pdf": _url(round, "recommendation_pdf", latest.number) if latest else None,
        "form": form,
        "seats": seats,
        "chosen": [str(pk) for pk in (form["present"].value() or [])],
        "voting_seats": sum(1 for seat in seats if seat.votes),
        "problems": problems or [],
        "message": message,
        "urls": _urls(round),
    }
    response = render(request, "allocation/recommendation_step.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


# ── The versions ──


@require_GET
@login_required
def versions(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Every version with its meeting, newest first, and a form to compare two."""
    round, recommendation = get_main_recommendation_for(request.user, office, year)
    listed = (
        list(recommendation.versions.select_related("step", "made_by").defer("data").order_by("-number"))
        if recommendation
        else []
    )
    for v in listed:
        v.url = _url(round, "recommendation_version", v.number)  # type: ignore[attr-defined]
        v.pdf_url = _url(round, "recommendation_pdf", v.number)  # type: ignore[attr-defined]
    context = {"round": round, "recommendation": recommendation, "versions": listed, "urls": _urls(round)}
    return _render(request, "allocation/recommendation_versions.html", context)


@require_GET
@login_required
def version(request: HttpRequest, office: str, year: int, number: int) -> HttpResponse:
    """One version: the lines per scheme and network with the totals against the frames, the justifications and
    the meeting's record."""
    found = get_recommendation_version_for(request.user, office, year, number)
    round = found.recommendation.round
    context = {
        "round": round,
        "version": found,
        "view": view_of(found, hidden_reports=hidden_reports(request.user, round)),
        "pdf_url": _url(round, "recommendation_pdf", found.number),
        "urls": _urls(round),
    }
    return _render(request, "allocation/recommendation_version.html", context)


@require_GET
@login_required
def version_pdf(request: HttpRequest, office: str, year: int, number: int) -> HttpResponse:
    """A version as PDF, in the reader's language."""
    found = get_recommendation_version_for(request.user, office, year, number)
    try:
        content = recommendation_pdf(found, hidden_reports=hidden_reports(request.user, found.recommendation.round))
    except PdfTimeout:
        response = HttpResponse(_("The PDF could not be made in time. Try again in a minute."), status=503)
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename(found)) or ""
    response["Cache-Control"] = NO_STORE
    return response


def _number(value: str | None) -> int | None:
    """A version number from the query string, or None for anything else (empty, text, NUL, huge)."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


@require_GET
@login_required
def compare(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """What changed between two versions (`?a=1&b=2`; by default the last two): old → new per measure."""
    round, recommendation = get_main_recommendation_for(request.user, office, year)
    listed = list(recommendation.versions.order_by("number")) if recommendation else []
    by_number = {v.number: v for v in listed}
    a_asked, b_asked = request.GET.get("a"), request.GET.get("b")
    a, b = by_number.get(_number(a_asked) or 0), by_number.get(_number(b_asked) or 0)
    problem = ""
    if (a_asked is not None and a is None) or (b_asked is not None and b is None):
        problem = _("There is no such version: the last two are compared instead.")
    if a is None or b is None:
        a, b = (listed[-2], listed[-1]) if len(listed) > 1 else (None, None)
    found = (
        changes(a, b, hidden_reports=hidden_reports(request.user, round)) if a and b and a.number != b.number else []
    )
    context = {
        "round": round,
        "versions": listed,
        "a": a,
        "b": b,
        "changes": found,
        "problem": problem,
        "urls": _urls(round),
    }
    return _render(request, "allocation/recommendation_compare.html", context, status=200)


# ── The events ──

FIELD_LABELS = {
    "owner_amount": lambda: _("Owner amount"),
    "partner_amount": lambda: _("UH amount"),
    "reason": lambda: _("Justification"),
}


@require_GET
@login_required
def events(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Every change of the round's recommendation and its what-ifs: who, when, old, new, why, newest first."""
    round, _recommendation = get_main_recommendation_for(request.user, office, year)
    hidden = hidden_reports(request.user, round)
    rows = (
        RecommendationEvent.objects.filter(recommendation__round=round)
        .select_related("actor", "recommendation", "line__measure")
        .order_by("-at", "-pk")
    )
    if hidden:
        rows = rows.exclude(line__measure__report_id__in=hidden)
    page = Paginator(rows, EVENTS_PER_PAGE).get_page(_number(request.GET.get("side")) or 1)
    statuses = dict(Recommendation.Status.choices)
    page.object_list = list(page.object_list)
    for event in page.object_list:
        event.field_label = FIELD_LABELS[event.field]() if event.field in FIELD_LABELS else ""  # type: ignore[attr-defined]
        event.is_amount = event.field in ("owner_amount", "partner_amount")  # type: ignore[attr-defined]
        if event.kind == RecommendationEvent.Kind.STEP:
            event.old, event.new = str(statuses.get(event.old, event.old)), str(statuses.get(event.new, event.new))
    context = {"round": round, "page": page, "urls": _urls(round), "hidden": bool(hidden)}
    return _render(request, "allocation/recommendation_events.html", context)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = NO_STORE
    return response
