from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import get_report_for


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
            "declared": list(report.declared_totals.all()),
        },
    )
