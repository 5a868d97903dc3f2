"""The owner's pages for the report on the use of funds: my reports, the form, autosave, submit, PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..access.funds import get_funds_report_for
from ..followup_announce import latest_return  # followup: the Statsforvalter's «ask for more»
from ..funds_autosave import save_field
from ..funds_documents import funds_pdf, funds_sections
from ..models.funds import FundsReport, FundsTransitionError
from ..rules.funds import writable_funds_reports_q


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    reports = (
        FundsReport.objects.filter(writable_funds_reports_q(request.user))
        .select_related("partnership", "round", "round__office")
        .with_deadlines()
        .distinct()
    )
    return render(request, "reporting/funds_mine.html", {"reports": list(reports)})


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_funds_report_for(request.user, pk, lines=True)
    problems = found.problems_from(found.line_list())
    return render(
        request,
        "reporting/funds_report.html",
        {"report": found, "sections": funds_sections(found), "problems": problems, "returned": latest_return(found)},
    )


@require_POST
@login_required
def save(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_funds_report_for(request.user, pk, lines=True)
    key = request.POST.get("key", "")
    saved = save_field(found, key=key, raw=request.POST.get(key, ""), version=request.POST.get("version", ""))
    problems = found.problems_from(found.line_list()) if saved.status == 200 else None
    return render(
        request,
        "reporting/funds_saved.html",
        {"saved": saved, "report": found, "problems": problems, "key": key},
        status=saved.status,
    )


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_funds_report_for(request.user, pk)
    try:
        found.submit(by=request.user)
    except FundsTransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _submitted_message())
    return redirect(found)


@require_GET
@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_funds_report_for(request.user, pk, lines=True)
    response = HttpResponse(funds_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{found.round.year}-{found.pk}.pdf"'
    return response


def _submitted_message() -> str:
    from django.utils.translation import gettext

    return gettext("The report is submitted to the Statsforvalter.")
