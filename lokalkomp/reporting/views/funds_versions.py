"""A report on the use of funds' submitted versions, and what changed between two of them (?a=1&b=2).

By default the latest two, or, while the report is back with the partnership, the latest against the draft
as it stands (?b=utkast). The partnership's contact persons see it, as they see the report, and so does the
Statsforvalter who follows it up; anyone else gets 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from lokalkomp.schemes.models import Scheme

from ..access.funds import ID_MAX, get_funds_report_for
from ..funds_compare import compare
from ..models.funds import FundsReport, FundsReportVersion
from ..rules.followup import can_follow_up

DRAFT = "utkast"  # ?b=utkast: the report as it stands, while the partnership changes it
ONLY_CHANGED = "endret"  # ?vis=endret: only the fields that changed (any other value: every field)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a submitted version, or the draft (`version` None)."""

    choice: str
    version: FundsReportVersion | None
    data: dict[str, Any]


@require_GET
@login_required
def funds_versions(request: HttpRequest, pk: int) -> HttpResponse:
    report, writes = _report_for(request.user, pk)
    versions = list(report.versions.select_related("submitted_by").defer("data").order_by("number"))
    choices = [str(v.number) for v in versions] + ([DRAFT] if versions and report.is_editable else [])
    b = _choice(request.GET.get("b"), choices, default=choices[-1] if choices else None)
    earlier = choices[: choices.index(b)] if b is not None else []
    a = _choice(request.GET.get("a"), choices, default=earlier[-1] if earlier else b)
    sides = _sides(report, {c for c in (a, b) if c is not None})
    side_a, side_b = (sides[a], sides[b]) if a is not None and b is not None else (None, None)
    measures = []
    if side_a is not None and side_b is not None and a != b:
        names = dict(Scheme.objects.filter(code__in=_scheme_codes(side_a, side_b)).values_list("code", "short_name"))
        measures = compare(side_a.data, side_b.data, schemes=names)
    context = {
        "report": report,
        "versions": versions,
        "draft": DRAFT if DRAFT in choices else None,
        "only_changed_value": ONLY_CHANGED,
        "a": side_a,
        "b": side_b,
        "measures": measures,
        "changed": sum(m.changed for m in measures),
        "only_changed": request.GET.get("vis") == ONLY_CHANGED,
        "report_url": report.get_absolute_url() if writes else None,
        "followup_url": _followup_url(request.user, report),
    }
    return render(request, "reporting/funds_versions.html", context)


def _report_for(user: Any, pk: int) -> tuple[FundsReport, bool]:
    """The report and whether the user writes it: its writers (as on the report's page) and the Statsforvalter
    who follows it up see it; anyone else gets 404."""
    try:
        return get_funds_report_for(user, pk), True
    except Http404:
        if not 0 < pk < ID_MAX:
            raise
    found = FundsReport.objects.select_related("partnership", "round", "round__office").filter(pk=pk).first()
    if found is None or not can_follow_up(user, found.round):
        raise Http404
    return found, False


def _choice(value: str | None, choices: list[str], *, default: str | None) -> str | None:
    """A version the report has (or the draft, while there is one), else 404; nothing given is the default."""
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,9}|" + DRAFT, value) or value not in choices:
        raise Http404
    return value


def _sides(report: FundsReport, chosen: set[str]) -> dict[str, Side]:
    """The chosen versions with their data (one query), and the draft's data if it is chosen."""
    numbers = {int(c) for c in chosen if c != DRAFT}
    sides = {
        str(v.number): Side(str(v.number), v, v.data)
        for v in report.versions.select_related("submitted_by").filter(number__in=numbers)
    }
    if DRAFT in chosen:
        sides[DRAFT] = Side(DRAFT, None, report.snapshot())
    return sides


def _scheme_codes(*sides: Side) -> set[str]:
    return {str(line.get("scheme")) for side in sides for line in side.data.get("lines", [])}


def _followup_url(user: Any, report: FundsReport) -> str | None:
    if not can_follow_up(user, report.round):
        return None
    return reverse("reporting:followup_report", args=[report.round.office.slug, report.round.year, report.pk])
