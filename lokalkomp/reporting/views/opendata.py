"""Open data's pages (public): the offices and their years, a page per office and year; the API's index;
and the export to Udir (the office's Statsforvalter only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..access.opendata import get_public_round, get_udir_round_for
from ..opendata import queries
from ..udir_export import udir_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = list(queries.rounds())
    return render(request, "reporting/opendata_index.html", {"rounds": rounds})


@require_GET
def round_page(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_public_round(office, year)
    rows = [queries.grant_row(line) for line in queries.grant_lines(round)]
    context = {
        "round": round,
        "summary": queries.summary(rows),
        "frames": queries.frame_rows(round),
        "api": reverse("reporting:opendata_api:opendata_api_grants", args=[round.office.slug, round.year]),
        "grants_csv": reverse("reporting:opendata_api:opendata_api_grants_csv", args=[round.office.slug, round.year]),
        "frames_csv": reverse("reporting:opendata_api:opendata_api_frames_csv", args=[round.office.slug, round.year]),
    }
    return render(request, "reporting/opendata_round.html", context)


@require_GET
def api_root(request: HttpRequest) -> JsonResponse:
    """The API's index: where its schema and lists are."""
    name = "reporting:opendata_api:"
    return JsonResponse(
        {
            "openapi": reverse(name + "openapi-json"),
            "offices": reverse(name + "opendata_api_offices"),
            "rounds": reverse(name + "opendata_api_rounds"),
        }
    )


@require_GET
@login_required
def udir_xlsx(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_udir_round_for(request.user, office, year)
    response = HttpResponse(udir_workbook(round), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="udir-{round.office.slug}-{round.year}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
