"""A measure's own page: its form, a new measure from its first save, carry over, move and remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalkomp.schemes.models import Use

from .. import actions
from ..access import get_report_for
from ..autosave import SaveResult, save_fields, second_partner_choices
from ..forms import CopyMeasureForm
from ..models import Measure, NeedsReport, TransitionError
from .writing import _back_to, _editable, _save_posted, locked_as_423, section_context


def _measure_of(report: NeedsReport, pk: int) -> Measure:
    """A measure of this report, from the prefetched ones; 404 for any other."""
    found = next((m for m in report.measures.all() if m.pk == pk), None)
    if found is None:
        raise Http404
    return found


@require_GET
def measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = get_report_for(request.user, pk, light=True)
    the_measure = _measure_of(report, measure)
    context = section_context(
        request,
        report,
        "measures",
        measure=the_measure,
        purpose_choices=purposes(the_measure),
        second_partners=partner2_choices(report, the_measure),
    )
    return render(request, "needs/edit_measure.html", context)


@require_POST
@locked_as_423
def save_measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = _editable(request, pk)
    _measure_of(report, measure)
    results = _save_posted(request, report)
    if all(r.ok for r in results):  # redirect after POST
        return _back_to(request, reverse("needs:measure", args=[report.pk, measure]))
    report = get_report_for(request.user, pk)
    the_measure = _measure_of(report, measure)
    context = section_context(
        request,
        report,
        "measures",
        measure=the_measure,
        results={r.key: r for r in results},
        purpose_choices=purposes(the_measure),
        second_partners=partner2_choices(report, the_measure),
    )
    return render(request, "needs/edit_measure.html", context, status=422)


@require_http_methods(["GET", "POST"])
@locked_as_423
def add_measure(request: HttpRequest, pk: int) -> HttpResponse:
    """A blank measure form; the measure is created by its first save, so an empty one never blocks submission."""
    report = _editable(request, pk, light=request.method == "GET")
    if request.method == "GET":
        if not report.report_schemes.all():
            messages.error(request, _("Choose the scheme(s) the report covers first."))
            return redirect("needs:edit_section", report.pk, "partnership")
        return render(request, "needs/edit_measure_new.html", new_measure_context(request, report))
    try:
        new, results = create_measure(report, request.POST, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("needs:edit_section", report.pk, "partnership")
    if new is None:
        context = new_measure_context(request, report, posted=request.POST, results=results)
        return render(request, "needs/edit_measure_new.html", context, status=422)
    messages.success(request, _("The measure was created. The rest of its form is below."))
    return redirect(reverse("needs:measure", args=[report.pk, new.pk]) + f"#measure-{new.pk}-purpose")


@require_POST
@locked_as_423
def copy_measure(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry a measure over from the partnership's report of an earlier year (videreføring)."""
    report = _editable(request, pk)
    form = CopyMeasureForm(request.POST, report=report)
    if not form.is_valid():
        messages.error(request, _("Choose a measure from an earlier report."))
        return redirect("needs:edit_section", report.pk, "measures")
    try:
        new = actions.copy_measure(report, form.cleaned_data["source"], by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("needs:edit_section", report.pk, "partnership")
    messages.success(request, _("The measure was carried over. Check the amounts and the texts."))
    source = form.cleaned_data["source"]
    if actions.second_partner_dropped(source, new):
        messages.warning(
            request,
            _(
                "Partner 2 (%(org)s) was not carried over: %(scheme)s does not allow it as partner 2, or it is a "
                "partner of the partnership already. Choose partner 2 again if the measure has one."
            )
            % {"org": source.second_partner, "scheme": new.scheme.short_name},
        )
    return redirect("needs:measure", report.pk, new.pk)


@require_POST
@locked_as_423
def delete_measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = _editable(request, pk)
    the_measure = get_object_or_404(report.measures.all(), pk=measure)
    actions.remove_measure(report, the_measure, by=request.user)
    messages.success(request, _("The measure «%(name)s» was removed.") % {"name": the_measure.name or "–"})
    return redirect(reverse("needs:edit_section", args=[report.pk, "measures"]) + "#measure-list")


@require_POST
@locked_as_423
def move_measure(request: HttpRequest, pk: int, measure: int, direction: str) -> HttpResponse:
    report = _editable(request, pk)
    if direction not in {"up", "down"}:
        raise Http404
    actions.move_measure(report, get_object_or_404(report.measures.all(), pk=measure), up=direction == "up")
    return redirect(reverse("needs:edit_section", args=[report.pk, "measures"]) + f"#move-{measure}-{direction}")


NEW_MEASURE_FIELDS = ("name", "scheme", "owner_amount", "partner_amount")


def partner2_choices(report: NeedsReport, measure: Measure) -> list[tuple[str, str]]:
    """The organisations the measure may name as partner 2, keys as the select's values (text)."""
    return [(str(pk), name) for pk, name in second_partner_choices(report, measure)]


def purposes(measure: Measure) -> list[tuple[str, str]]:
    """The uses of funds the measure's scheme allows (and the one chosen, if it is not, marked as such)."""
    scheme = measure.scheme
    allowed = [(code, str(label)) for code, label in Use.choices if scheme.allows_use(code)]
    if measure.purpose and measure.purpose not in {code for code, _label in allowed}:
        allowed.append(
            (
                measure.purpose,
                _("%(use)s (not allowed in %(scheme)s)")
                % {"use": measure.get_purpose_display(), "scheme": scheme.short_name},
            )
        )
    return allowed


def new_measure_context(
    request: HttpRequest,
    report: NeedsReport,
    *,
    posted: QueryDict | None = None,
    results: list[SaveResult] | None = None,
) -> dict[str, Any]:
    """The blank form of a new measure: nothing exists until it is saved."""
    context = section_context(request, report, "measures")
    errors = {r.key.rsplit(":", 1)[-1]: r.error for r in results or [] if not r.ok and r.error}
    schemes = [(rs.scheme_id, rs.scheme.short_name) for rs in report.report_schemes.all()]
    context.update(
        {
            "measure_number": len(report.measures.all()) + 1,
            "new_schemes": schemes if len(schemes) > 1 else [],
            "new_values": {name: posted.get(f"new:{name}", "") if posted else "" for name in NEW_MEASURE_FIELDS},
            "new_errors": errors,
        }
    )
    return context


def create_measure(report: NeedsReport, posted: QueryDict, *, by: Any) -> tuple[Measure | None, list[SaveResult]]:
    """Create a measure from its first save, with what was typed; nothing is created if a value is refused."""
    name = posted.get("new:name", "").strip()
    if not name:
        return None, [SaveResult("new:name", "invalid", error=_("Give the measure a name before you save it."))]
    with transaction.atomic():
        measure = actions.add_measure(report, by=by)
        fields = [f for f in NEW_MEASURE_FIELDS if posted.get(f"new:{f}", "").strip()]
        results = save_fields(
            report, [(f"measure:{measure.pk}:{f}", posted.getlist(f"new:{f}"), None) for f in fields], by=by
        )
        if not all(r.ok for r in results):
            transaction.set_rollback(True)
            return None, results
    return measure, results
