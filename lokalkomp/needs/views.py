from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lokalkomp.schemes.models import Round

from .access import get_report_for, import_rounds_for, visible_reports
from .documents import export_filename, measures_workbook, render_report_pdf
from .importer import ImportFileError, read_needs_report
from .imports import ImportOutcome, ImportRejected, import_report
from .models import Measure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A needs report as its readers see it: header, measures, totals per scheme, events."""
    report = get_report_for(request.user, pk)
    totals = report.totals_by_scheme()
    declared = {d.scheme: d for d in report.declared_totals.all()}
    return render(
        request,
        "needs/report.html",
        {
            "report": report,
            "totals": [(scheme, t, declared.get(scheme)) for scheme, t in totals.items()],
            "grand_total": report.grand_total(),
            "declared": sorted(report.declared_totals.all(), key=lambda d: d.scheme is None),
            "editable": report.is_editable() and request.user.has_perm("needs.change_needsreport", report),
            "may_reopen": request.user.has_perm("needs.reopen_needsreport", report),
        },
    )


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for(request.user, pk)
    name = export_filename("behovsmelding", report.round.year, report.partnership.name, extension="pdf")
    response = HttpResponse(render_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    report = get_report_for(request.user, pk)
    measures = Measure.objects.filter(report=report)
    name = export_filename("tiltak", report.round.year, report.partnership.name)
    return FileResponse(measures_workbook(measures), as_attachment=True, filename=name, content_type=XLSX)


@require_GET
@login_required
def measures_xlsx(request: HttpRequest) -> FileResponse:
    """Every measure the user may read (optionally one round's), streamed as Excel."""
    measures = Measure.objects.filter(report__in=visible_reports(request.user))
    year = request.GET.get("year", "")
    if year.isdigit():
        measures = measures.filter(report__round__year=int(year))
    return FileResponse(
        measures_workbook(measures),
        as_attachment=True,
        filename=export_filename("tiltak", year or "alle"),
        content_type=XLSX,
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in Word/PDF form (or its text); a draft report is made for review."""
    rounds = import_rounds_for(request.user)
    context = {"rounds": rounds, "chosen": request.POST.get("round", "")}
    if request.method == "GET":
        return render(request, "needs/import.html", context)
    upload = request.FILES.get("file")
    the_round = next((r for r in rounds if str(r.pk) == request.POST.get("round")), None)
    try:
        if the_round is None:
            raise ImportRejected(_("Choose the round the report belongs to."))
        if upload is None:
            raise ImportRejected(_("Choose a file to upload."))
        outcome = _import_upload(request.user, upload.name or "", upload.read(), the_round)
    except (ImportFileError, ImportRejected) as problem:
        return render(request, "needs/import.html", {**context, "error": str(problem)}, status=422)
    messages.success(
        request,
        _("The form was imported as a draft with %(n)s measures. Check it; %(u)s item(s) could not be placed.")
        % {"n": len(outcome.measures), "u": len(outcome.unplaced)},
    )
    return redirect("needs:report", outcome.report.pk)  # type: ignore[union-attr]


def _import_upload(user: Any, filename: str, data: bytes, round: Round) -> ImportOutcome:
    """Import, refusing (and so rolling back) a report the uploader could not then edit or oversee."""
    parsed = read_needs_report(filename, data)
    with transaction.atomic():
        outcome = import_report(parsed, round=round, by=user, filename=filename)
        report = outcome.report
        if not (user.has_perm("needs.change_needsreport", report) or user.has_perm("needs.reopen_needsreport", report)):
            raise ImportRejected(_("The form names a partnership you are not a contact person in."))
    return outcome
