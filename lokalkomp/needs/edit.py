"""Writing a needs report on the web: sections, autosave, measures, checklist, submission."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.accounts.reauth import needs_reauthentication, reauthenticate_url
from lokalkomp.accounts.rules import can_start_report
from lokalkomp.schemes.models import Round

from . import actions
from .access import (
    get_editable_report_for,
    get_reopenable_report_for,
    get_report_for,
    partnerships_of,
    visible_reports,
    with_relations,
)
from .checks import problems
from .editing import SaveResult, UnknownField, parse_key, save_field
from .forms import ContactForm, CopyMeasureForm, ParticipantForm, UnionParticipantForm
from .models import Measure, NeedsReport, Partnership, TransitionError
from .sections import SECTIONS, section_context, steps_for

LOCKED = 423
logger = logging.getLogger(__name__)


@require_GET
@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """The partnerships the user writes for, their reports, and the rounds open for a new one."""
    partnerships = list(partnerships_of(request.user).select_related("network", "office"))
    reports = NeedsReport.objects.filter(partnership__in=partnerships).select_related("round__office", "partnership")
    open_rounds = [
        r
        for r in Round.objects.current()
        .filter(office__in={p.office_id for p in partnerships})
        .prefetch_related("milestones")
        if r.is_open_for("needs_reports")
    ]
    have = {(r.partnership_id, r.round_id) for r in reports}
    startable = [
        (p, r) for p in partnerships for r in open_rounds if r.office_id == p.office_id and (p.pk, r.pk) not in have
    ]
    return render(request, "needs/my_reports.html", {"reports": reports, "startable": startable})


@require_POST
@login_required
def start(request: HttpRequest, partnership: int, round: int) -> HttpResponse:
    the_partnership = get_object_or_404(Partnership, pk=partnership)
    if not can_start_report(request.user, the_partnership):
        if visible_reports(request.user).filter(partnership=the_partnership).exists():
            raise PermissionDenied(_("Only the partnership's contact persons may start its needs report."))
        raise Http404
    the_round = get_object_or_404(Round, pk=round, office_id=the_partnership.office_id)
    try:
        report = actions.start_report(the_partnership, the_round, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("needs:mine")
    return redirect("needs:edit_section", report.pk, "partnership")


@require_GET
def edit_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404
    report = get_report_for(request.user, pk, light=True)
    return render(request, f"needs/edit_{section}.html", section_context(request, report, section))


@require_POST
def save_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Save every field of a section at once (the path without JavaScript); typed values survive errors."""
    if section not in SECTIONS:
        raise Http404
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    results = _save_posted(request, report)
    failed = any(not r.ok for r in results)
    report = get_report_for(request.user, pk)  # what is stored now, with the results laid over it
    context = section_context(request, report, section, results={r.key: r for r in results})
    return render(request, f"needs/edit_{section}.html", context, status=422 if failed else 200)


def _save_posted(request: HttpRequest, report: NeedsReport) -> list[SaveResult]:
    """Save every field key in the POST (with its base), and tell the person how it went."""
    results = []
    for key in request.POST:
        try:
            parse_key(key)
        except UnknownField:
            continue
        raw = ",".join(request.POST.getlist(key))
        try:
            results.append(save_field(report, key, raw, request.POST.get(f"base:{key}"), by=request.user))
        except UnknownField as error:
            raise Http404 from error
    failed = sum(1 for r in results if not r.ok)
    if failed:
        messages.error(request, _("%(n)s field(s) were not saved. See the messages by the fields.") % {"n": failed})
    else:
        messages.success(request, _("Saved."))
    return results


@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one field (htmx). Answers with the field's message and, for amounts, new totals."""
    if not request.user.is_authenticated:
        return render(
            request, "needs/_session_expired.html", {"id": request.POST.get("key", "").replace(":", "-")}, status=401
        )
    report = _editable(request, pk, light=True)
    if isinstance(report, HttpResponse):
        return report
    key = request.POST.get("key", "")
    if key.endswith(":account_number") and needs_reauthentication(request):
        url = reauthenticate_url(reverse("needs:edit_section", args=[report.pk, "partnership"]))
        return render(request, "needs/_reauthenticate.html", {"id": key.replace(":", "-"), "url": url}, status=401)
    try:
        result = save_field(
            report, key, ",".join(request.POST.getlist(key)), request.POST.get(f"base:{key}"), by=request.user
        )
    except UnknownField as error:
        raise Http404 from error
    context = {
        "report": report,
        "result": result,
        "id": key.replace(":", "-"),
        "key": key,
        "error": result.error if result.status == "invalid" else "",
        "saved": result.ok,
        "conflict": result if result.status == "conflict" else None,
        "with_totals": "amount" in key,
    }
    fresh = _fresh(report)
    context["steps"] = steps_for(problems(fresh))
    if context["with_totals"]:
        context["totals"] = fresh.totals_by_scheme()
    status = {"invalid": 422, "conflict": 409}.get(result.status, 200)
    return render(request, "needs/_saved.html", context, status=status)


def _fresh(report: NeedsReport) -> NeedsReport:
    """The report as stored after a save, with what the checklist and the totals read."""
    return with_relations(light=True).get(pk=report.pk)


def _measure_of(report: NeedsReport, pk: int) -> Measure:
    """A measure of this report, from the prefetched ones; 404 for any other."""
    found = next((m for m in report.measures.all() if m.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _editable(request: HttpRequest, pk: int, *, light: bool = False) -> NeedsReport | HttpResponse:
    """The report if the user may change it now; 404/403 by access, 423 (Locked) after the deadline."""
    report = get_report_for(request.user, pk, write=True, light=light)
    if not report.is_editable():
        if request.headers.get("HX-Request"):
            return render(
                request,
                "needs/_locked.html",
                {"report": report, "id": request.POST.get("key", "").replace(":", "-")},
                status=LOCKED,
            )
        messages.error(request, _("The report is locked: it has been submitted or the deadline has passed."))
        return redirect(report)
    return report


@require_GET
def measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = get_report_for(request.user, pk, light=True)
    the_measure = _measure_of(report, measure)
    return render(request, "needs/edit_measure.html", section_context(request, report, "measures", measure=the_measure))


@require_POST
def save_measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    _measure_of(report, measure)
    results = _save_posted(request, report)
    failed = any(not r.ok for r in results)
    report = get_report_for(request.user, pk)
    the_measure = _measure_of(report, measure)
    context = section_context(request, report, "measures", measure=the_measure, results={r.key: r for r in results})
    return render(request, "needs/edit_measure.html", context, status=422 if failed else 200)


@require_POST
def add_measure(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    try:
        new = actions.add_measure(report, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("needs:edit_section", report.pk, "partnership")
    return redirect("needs:measure", report.pk, new.pk)


@require_POST
def copy_measure(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry a measure over from the partnership's report of an earlier year (videreføring)."""
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
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
    return redirect("needs:measure", report.pk, new.pk)


@require_POST
def delete_measure(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    the_measure = get_object_or_404(report.measures.all(), pk=measure)
    actions.remove_measure(report, the_measure, by=request.user)
    messages.success(request, _("The measure «%(name)s» was removed.") % {"name": the_measure.name or "–"})
    return redirect("needs:edit_section", report.pk, "measures")


@require_POST
def move_measure(request: HttpRequest, pk: int, measure: int, direction: str) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    if direction not in {"up", "down"}:
        raise Http404
    actions.move_measure(report, get_object_or_404(report.measures.all(), pk=measure), up=direction == "up")
    return redirect("needs:edit_section", report.pk, "measures")


@require_POST
def add_row(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add an owner/UH, a contact person or a union participant; the typed values survive errors."""
    forms = {"participant": ParticipantForm, "contact": ContactForm, "union": UnionParticipantForm}
    if kind not in forms:
        raise Http404
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    form = forms[kind](request.POST, report=report, prefix=kind)
    section = "union" if kind == "union" else "partnership"
    if not form.is_valid():
        context = section_context(request, report, section, **{f"{kind}_form": form})
        return render(request, f"needs/edit_{section}.html", context, status=422)
    with transaction.atomic():
        form.save(by=request.user)
    messages.success(request, _("Added."))
    return redirect("needs:edit_section", report.pk, section)


@require_POST
def remove_row(request: HttpRequest, pk: int, kind: str, row: int) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    section = actions.remove_row(report, kind, row, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("needs:edit_section", report.pk, section)


@require_POST
def set_schemes(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    if isinstance(report, HttpResponse):
        return report
    try:
        actions.set_schemes(report, [int(s) for s in request.POST.getlist("schemes") if s.isdigit()], by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("needs:edit_section", report.pk, "partnership")


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_editable_report_for(request.user, pk)
    try:
        actions.submit_report(report, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("needs:edit_section", report.pk, "check")
    except DatabaseError:
        # The transaction rolled back whole: nothing was submitted and nothing is half-done.
        logger.exception("Submitting needs report %s failed", report.pk)
        messages.error(
            request,
            _(
                "The report could not be submitted: the connection to the database was lost. "
                "Nothing was changed; try again."
            ),
        )
        return redirect("needs:edit_section", report.pk, "check")
    messages.success(
        request,
        _("The needs report was submitted to %(to)s. A receipt has been sent by e-mail.") % {"to": report.recipient},
    )
    return redirect(report)


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_reopenable_report_for(request.user, pk)
    try:
        actions.reopen_report(report, by=request.user, comment=request.POST.get("comment", "").strip())
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report is open for changes again."))
    return redirect(report)
