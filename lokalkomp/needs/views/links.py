"""Saving what a measure serves in a plan: the long-term plan's goals here, and the answer every such
choice gives (the gatherings app's development areas use it too: `measure_for_links`, `links_answer`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..extensions import GOALS, LinkResult
from ..goals import save_goals
from ..models import Measure, NeedsReport
from .measures import _measure_of
from .writing import _editable, locked_as_423

__all__ = ["links_answer", "locked_as_423", "measure_for_links", "save_measure_goals"]


def measure_for_links(request: HttpRequest, pk: int, measure: int) -> tuple[NeedsReport, Measure]:
    """The report and its measure if the user may change it now: 404/403 by access, ReportLocked (423)."""
    report = _editable(request, pk, light=True)
    return report, _measure_of(report, measure)


def links_answer(
    request: HttpRequest, report: NeedsReport, measure: Measure, field: str, result: LinkResult
) -> HttpResponse:
    """htmx: the list's message and its new base; without JavaScript: back to the list, with what happened."""
    element = f"measure-{measure.pk}-{field}"
    if request.headers.get("HX-Request"):
        context = {"id": element, "result": result}
        return render(request, "needs/_measure_links.html#answer", context, status=result.http_status)
    if result.ok:
        messages.success(request, _("Saved."))
    else:
        messages.error(request, result.error)
    return redirect(reverse("needs:measure", args=[report.pk, measure.pk]) + f"#{element}")


@require_POST
@locked_as_423
def save_measure_goals(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    """Which of the long-term plan's goals the measure serves (the list of checkboxes posts them all)."""
    report, the_measure = measure_for_links(request, pk, measure)
    values = request.POST.getlist("choice")
    result = save_goals(report, the_measure, values, base=request.POST.get("base"), by=request.user)
    return links_answer(request, report, the_measure, GOALS, result)
