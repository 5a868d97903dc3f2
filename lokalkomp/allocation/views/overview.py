"""The round's assessment overview (allocation/overview/), its Excel export and one measure's assessments.

With htmx (`HX-Request`) the overview answers with its results partial (the filter form asks for
it) and the measure's page with its table. The round's page links here (`round_panel`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.needs.documents import export_filename
from lokalkomp.needs.views.reports import XLSX
from lokalkomp.schemes import panels as round_page

from ..access.assessment import declaration_gate
from ..access.overview import get_overview_round_for
from ..overview import build
from ..overview.export import overview_workbook
from ..overview.measure import measure_assessments
from ..rules.overview import OVERVIEW_ROLES

NO_STORE = "private, no-store"  # the forum's assessments: never kept by a browser or a proxy


@require_GET
@login_required
def overview(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Every submitted measure with its assessments' numbers, filtered and sorted by the address."""
    round = get_overview_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.get_full_path()):
        return redirect(elsewhere)
    template = "allocation/overview.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    response = render(request, template, {"overview": build(request.user, round, request.GET), "round": round})
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def overview_xlsx(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The overview under the same filters and sort, as Excel."""
    round = get_overview_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.get_full_path()):
        return redirect(elsewhere)
    response = HttpResponse(overview_workbook(build(request.user, round, request.GET)), content_type=XLSX)
    name = export_filename("vurderinger", round.year, round.office.slug)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def overview_measure(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """One measure's assessments side by side (403 for someone disqualified from its partnership)."""
    round = get_overview_round_for(request.user, office, year)
    if elsewhere := declaration_gate(request.user, round, request.get_full_path()):
        return redirect(elsewhere)
    template = "allocation/overview_measure.html"
    if request.headers.get("HX-Request"):
        template += "#assessments"
    context = {"page": measure_assessments(request.user, round, pk), "round": round}
    response = render(request, template, context)
    response["Cache-Control"] = NO_STORE
    return response


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> round_page.RoundPanel:
    """On the round's page, links to the overview and the overlap finder for those who may see them.

    No query: the roles are the request's cached ones (`office_ids_with`), the links are reversed.
    """
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return round_page.RoundPanel()
    if not (user.is_superuser or round.office_id in office_ids_with(user, OVERVIEW_ROLES)):
        return round_page.RoundPanel()
    section = render_to_string("allocation/overview_round_link.html", {"round": round}, request=request)
    return round_page.RoundPanel(section=section)
