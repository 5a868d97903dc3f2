from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from ..access import get_report_for, visible_reports
from ..documents import export_filename, measures_workbook_chunks, record_workbook_chunks
from ..forms import ReopenForm, SendBackForm
from ..models import Measure, ReportPdf
from ..outcomes import outcome_rows
from ..records import diff, record_context, record_of
from ..rules import shows_report_history
from ..tasks import prepare_pdf
from .accounts import accounts_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A needs report as its readers see it: header, measures, totals per scheme, events."""
    return report_page(request, get_report_for(request.user, pk, record=True))


def report_page(
    request: HttpRequest, report: Any, reopen_form: Any = None, status: int = 200, account_form: Any = None
) -> HttpResponse:
    """The report page; a refused reopening (or account change) comes back here with its form, what was typed kept."""
    context = record_context(report)
    return render(
        request,
        "needs/report.html",
        {
            **context,
            "outcome": outcome_rows(request.user, report, context["record"]),  # once the round is decided
            "editable": report.is_editable() and request.user.has_perm("needs.change_needsreport", report),
            "may_reopen": request.user.has_perm("needs.reopen_needsreport", report),
            "shows_history": shows_report_history(request.user, report),
            # a submitted report is sent back with why (required); a late draft is reopened (why is optional)
            "reopen_form": reopen_form or (SendBackForm() if report.status == "submitted" else ReopenForm()),
            "reopening": report.reopening(),
            **accounts_context(request.user, report, account_form),  # the Statsforvalter's account form
        },
        status=status,
    )


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF when it is ready; else a page that says it is being prepared and asks again (htmx)."""
    report = get_report_for(request.user, pk)
    pdf = prepare_pdf(report, get_language(), retry=request.GET.get("retry") == "1")
    if pdf.status == ReportPdf.Status.READY and not request.headers.get("HX-Request"):
        content = ReportPdf.objects.values_list("content", flat=True).get(pk=pdf.pk)
        name = export_filename("behovsmelding", report.round.year, report.partnership.name, extension="pdf")
        response = HttpResponse(bytes(content), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    template = "needs/pdf_pending.html#pdf-status" if request.headers.get("HX-Request") else "needs/pdf_pending.html"
    status = 200 if pdf.status == ReportPdf.Status.READY else 202
    return render(request, template, {"report": report, "pdf": pdf}, status=status)


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The report's measures as Excel, read from its record (the latest version once submitted)."""
    report = get_report_for(request.user, pk)
    response = StreamingHttpResponse(record_workbook_chunks(report, record_of(report)), content_type=XLSX)
    name = export_filename("tiltak", report.round.year, report.partnership.name)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@require_GET
def report_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two submitted versions (?a=1&b=2; by default the last two), field by field."""
    report = get_report_for(request.user, pk)
    versions = list(report.versions.select_related("submitted_by").defer("data").order_by("number"))
    numbers = [v.number for v in versions]
    b = _version_number(request.GET.get("b"), numbers, default=numbers[-1] if numbers else None)
    a = _version_number(request.GET.get("a"), numbers, default=max((n for n in numbers if n < (b or 0)), default=b))
    chosen = {v.number: v for v in report.versions.select_related("submitted_by").filter(number__in={a, b} - {None})}
    changes = diff(chosen[a].data, chosen[b].data) if a is not None and b is not None else []
    context = {"report": report, "versions": versions, "changes": changes}
    context["a"] = chosen[a] if a is not None else None
    context["b"] = chosen[b] if b is not None else None
    return render(request, "needs/versions.html", context)


def _version_number(value: str | None, numbers: list[int], *, default: int | None) -> int | None:
    """A version the report has, else 404; nothing given is the default."""
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) not in numbers:
        raise Http404
    return int(value)


@require_GET
@login_required
def measures_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    """Every measure the user may read (optionally one round's), as Excel made while it is sent.

    The first bytes leave at once and the national export (150 000 measures) takes seconds, so no
    worker is ever killed at gunicorn's timeout halfway through a file.
    """
    measures = Measure.objects.filter(report__in=visible_reports(request.user))
    year = request.GET.get("year", "")
    if re.fullmatch(r"[0-9]{4}", year):
        measures = measures.filter(report__round__year=int(year))
    response = StreamingHttpResponse(measures_workbook_chunks(measures), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export_filename("tiltak", year or "alle")) or ""
    return response
