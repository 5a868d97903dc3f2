"""The forum's recommendation workspace (innstilling): one page for the meeting, and the saving of a line.

The page lists every measure the person may see (habilitet) with the amounts asked, the network's
priority and the assessments in brief, and two amounts and a justification to type. The page's
script sums the inputs as they are typed; each change is saved on its own (`line`, `preset`) on the
line's version (`base`): a change made on an older version is refused (409) with the other person's
amounts, so the second person sees the first's change and decides. Asked for JSON (the script), the
answers are JSON with the server's totals as HTML; a plain form post is redirected back to the page.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.directory.amounts import parse_amount

from ...access.recommendation import get_recommendation_for, get_recommendation_line_for
from ...models.recommendation import MAX_AMOUNT, Locked, Recommendation, RecommendationLine, StaleLine
from .workspace_page import build, round_url, totals_only

NO_STORE = "private, no-store"  # amounts before the decision: never kept by a browser or proxy
MAX_TYPED = 40
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")


class BadInput(Exception):
    pass


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _amount(text: str) -> int | None:
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return None
    try:
        if len(text) > MAX_TYPED or "\x00" in text:
            raise ValueError(text[:MAX_TYPED])
        amount = parse_amount(text)
    except ValueError:
        amount = -1
    if not 0 <= amount <= MAX_AMOUNT:
        raise BadInput(
            _("Write a whole number of kroner from 0 to %(max)s, for example 150 000, or leave it empty.")
            % {"max": f"{MAX_AMOUNT:,}".replace(",", " ")}
        )
    return amount


def _base(request: HttpRequest) -> int:
    text = request.POST.get("base", "")
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise BadInput(_("The page is out of date: reload it and try again."))
    return int(text)


def _links(recommendation: Recommendation) -> dict[str, str | None]:
    round = recommendation.round
    what_if = recommendation.pk if recommendation.kind == Recommendation.Kind.WHAT_IF else None
    return {
        "main": round_url(round, "recommendation"),
        "totals": round_url(round, "recommendation_totals", what_if)
        if what_if
        else round_url(round, "recommendation_totals"),
        "versions": round_url(round, "recommendation_versions"),
        "events": round_url(round, "recommendation_events"),
        "preliminary": round_url(round, "recommendation_step", "preliminary"),
        "final": round_url(round, "recommendation_step", "final"),
    }


def _page_url(recommendation: Recommendation) -> str:
    round = recommendation.round
    if recommendation.kind == Recommendation.Kind.WHAT_IF:
        return round_url(round, "recommendation_what_if", recommendation.pk) or "/"
    return round_url(round, "recommendation") or "/"


@require_GET
@login_required
@gzip_page  # 1.7 MB of HTML for 600 lines is ~85 kB compressed, for ~20 ms of CPU (bench/recommendation.py)
def workspace(request: HttpRequest, office: str, year: int, what_if: int | None = None) -> HttpResponse:
    recommendation = get_recommendation_for(request.user, office, year, what_if=what_if)
    page = build(request, recommendation)
    context = {"round": recommendation.round, "page": page, "links": _links(recommendation)}
    response = render(request, "allocation/recommendation.html", context)
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def totals(request: HttpRequest, office: str, year: int, what_if: int | None = None) -> HttpResponse:
    recommendation = get_recommendation_for(request.user, office, year, what_if=what_if)
    response = HttpResponse(_totals_html(request, recommendation))
    response["Cache-Control"] = NO_STORE
    return response


def _totals_html(request: HttpRequest, recommendation: Recommendation) -> str:
    page = totals_only(request, recommendation)
    context = {"round": recommendation.round, "page": page, "links": _links(recommendation)}
    return render_to_string("allocation/recommendation.html#totals", context, request=request)


@require_POST
@login_required
def line(request: HttpRequest, office: str, year: int, line: int) -> HttpResponse:
    found = get_recommendation_line_for(request.user, office, year, line)
    try:
        base = _base(request)
        owner, partner = _amount(request.POST.get("owner", "")), _amount(request.POST.get("partner", ""))
        reason = request.POST.get("reason")
    except BadInput as error:
        return _refused(request, found, str(error), 400)
    return _save(request, found, owner, partner, base=base, reason=reason)


@require_POST
@login_required
def preset(request: HttpRequest, office: str, year: int, line: int, preset: str) -> HttpResponse:
    found = get_recommendation_line_for(request.user, office, year, line)
    try:
        base = _base(request)
        if preset not in RecommendationLine.Preset.values:
            raise BadInput(_("Unknown choice."))
    except BadInput as error:
        return _refused(request, found, str(error), 400)
    owner, partner = found.preset_amounts(preset)
    reason = request.POST.get("reason")
    return _save(request, found, owner, partner, base=base, reason=reason)


def _save(
    request: HttpRequest,
    found: RecommendationLine,
    owner: int | None,
    partner: int | None,
    *,
    base: int,
    reason: str | None,
) -> HttpResponse:
    try:
        found.set(owner, partner, base=base, by=request.user, reason=reason)
    except StaleLine as stale:
        return _refused(request, stale.line, str(stale), 409, stale=True)
    except Locked as locked:
        return _refused(request, found, str(locked), 423)
    except ValidationError as error:
        return _refused(request, found, " ".join(error.messages), 400)
    if not _wants_json(request):
        messages.success(request, _("Saved: %(measure)s.") % {"measure": found.measure.name})
        return redirect(f"{_page_url(found.recommendation)}#line-{found.pk}")
    return _answer(request, found, status=200)


def _line_data(line: RecommendationLine, user: Any) -> dict[str, Any]:
    if line.updated_by_id and line.updated_by_id == user.pk:
        line.updated_by = user  # the person at hand (a line saved unchanged), not read again
    return {
        "line": line.pk,
        "version": line.version,
        "owner": line.owner_amount,
        "partner": line.partner_amount,
        "reason": line.reason,
        "by": str(line.updated_by) if line.updated_by_id else "",
    }


def _answer(request: HttpRequest, line: RecommendationLine, *, status: int, **extra: Any) -> JsonResponse:
    recommendation = line.recommendation
    recommendation.round = line.measure.report.round
    page = totals_only(request, recommendation)
    context = {"round": recommendation.round, "page": page, "links": _links(recommendation)}
    totals = render_to_string("allocation/recommendation.html#totals", context, request=request)
    problems = [p.message for p in page.checks.of_line(line.pk)]
    response = JsonResponse(
        _line_data(line, request.user) | {"totals": totals, "problems": problems} | extra, status=status
    )
    response["Cache-Control"] = NO_STORE
    return response


def _refused(
    request: HttpRequest, line: RecommendationLine, message: str, status: int, *, stale: bool = False
) -> HttpResponse:
    """The line not saved: JSON for the script (with the line as it is now after a 409), else the page again
    with the message and, after bad input, what was typed in the line's row."""
    if stale:
        line.recommendation = Recommendation.objects.get(pk=line.recommendation_id)
    line.recommendation.round = line.measure.report.round
    if _wants_json(request):
        if stale:
            return _answer(request, line, status=status, error=message, stale=True)
        refused = JsonResponse({"error": message, "line": line.pk}, status=status)
        refused["Cache-Control"] = NO_STORE
        return refused
    typed: dict[str, Any] | None = None
    if status == 400:
        typed = {key: request.POST.get(key, "")[:MAX_TYPED] for key in ("owner", "partner")}
        typed |= {"line": line.pk, "reason": request.POST.get("reason", "").replace("\x00", "")[:2000]}
    recommendation = line.recommendation
    page = build(request, recommendation)
    if typed:
        page.keep_typed(typed)
    context = {"round": recommendation.round, "page": page, "links": _links(recommendation), "error": message}
    response = render(request, "allocation/recommendation.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response
