"""The owner's pages for the report on the use of funds: my reports, the form, autosave, submit, PDF."""

from __future__ import annotations

import dataclasses
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from ..access.funds import get_funds_report_for
from ..followup_announce import latest_return  # followup: the Statsforvalter's «ask for more»
from ..funds_autosave import save_field, shown
from ..funds_documents import Section, funds_pdf, funds_sections
from ..models.funds import FundsReport, FundsReportLine, FundsTransitionError
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
        {
            "report": found,
            "sections": [_as_typed(section) for section in funds_sections(found)],
            "problems": problems,
            "returned": latest_return(found),
        },
    )


def _as_typed(section: Section) -> Section:
    """A section with its amounts as the form's fields show them («1 511 235»), which is also each field's base."""
    money = [
        dataclasses.replace(field, value=shown(field.name, field.value))
        if field.name in FundsReportLine.AMOUNT_FIELDS
        else field
        for field in section.money
    ]
    return dataclasses.replace(section, money=money)


@require_POST
@login_required
def save(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_funds_report_for(request.user, pk, lines=True)
    key = request.POST.get("key", "")
    saved = save_field(
        found,
        key=key,
        raw=request.POST.get(key, ""),
        version=request.POST.get("version", ""),
        base=request.POST.get(f"base:{key}"),
        by=request.user,
    )
    problems = found.problems_from(found.line_list()) if saved.status == 200 else None
    field_id = slugify(key)
    # A saved amount is shown again as the form writes it («1 511 235») once the person has left the field
    # (autosave.js reads #lk-sync); only this field, so no other field's refused text is written over.
    amount = key.rpartition(":")[2] in FundsReportLine.AMOUNT_FIELDS
    sync = json.dumps({"fields": {field_id: saved.shown}}) if saved.status == 200 and amount else ""
    return render(
        request,
        "reporting/funds_saved.html",
        {"saved": saved, "report": found, "problems": problems, "key": key, "id": field_id, "sync": sync},
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
