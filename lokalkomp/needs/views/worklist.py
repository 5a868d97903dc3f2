"""The Statsforvalter's work list of a round (needs/worklist.py), and its export to Excel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ..access import get_worklist_for
from ..documents import export_filename
from ..worklist import build, filter_form
from ..worklist_export import worklist_workbook
from .reports import XLSX


@require_GET
@login_required
def worklist(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The round's status counts, its partnerships without a report and its reports, filtered by the address."""
    round = get_worklist_for(request.user, office, year)
    context = {
        "worklist": build(round, request.GET),
        "may_remind": request.user.has_perm("needs.remind_partnership", round),
    }
    return render(request, "needs/worklist.html", context)


@require_GET
@login_required
def worklist_xlsx(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The work list's reports under the same filters (and those without a report) as Excel."""
    round = get_worklist_for(request.user, office, year)
    form, schemes = filter_form(round, request.GET)
    response = HttpResponse(worklist_workbook(round, form.filters(), schemes), content_type=XLSX)
    name = export_filename("arbeidsliste", round.year, round.office.slug)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
