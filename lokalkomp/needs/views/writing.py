"""Writing a needs report on the web: sections, autosave, measures, checklist (submission: submission.py)."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.accounts.reauth import needs_reauthentication, reauthenticate_url, require_reauthentication
from lokalkomp.needs.rules import can_change_account, can_edit_report, can_reopen_report, can_start_report
from lokalkomp.schemes.models import Round, Scheme
from lokalkomp.templatetags.nor import semester

from .. import actions
from ..access import (
    get_reopenable_report_for,
    get_report_for,
    partnerships_of,
    visible_reports,
)
from ..autosave import (
    ReportLocked,
    SaveResult,
    UnknownField,
    clean_value,
    loaded_rows,
    parse_key,
    posted_fields,
    posted_value,
    save_field,
    save_fields,
)
from ..checks import problems
from ..extensions import links_for
from ..forms import ContactForm, CopyMeasureForm, ParticipantForm, ReopenForm, SendBackForm, UnionParticipantForm
from ..models import FieldEdit, NeedsReport, Participant, Partnership, TransitionError, semester_codes
from .coediting import sync_json

LOCKED = 423
logger = logging.getLogger(__name__)


SECTIONS = {
    "partnership": _("Partnership and contacts"),
    "measures": _("Measures"),
    "union": _("Co-determination"),
    "units": _("Units"),
    "check": _("Check and submit"),
}


def semesters_of(report: NeedsReport) -> list[tuple[str, str]]:
    """The semesters a measure of this round can run, with their labels."""
    return [(code, semester(code)) for code in semester_codes(report.round.year)]


def steps_for(found: list[Any], section: str = "") -> list[dict[str, Any]]:
    """The progress indicator: each section with the number of problems left in it."""
    return [
        {
            "code": code,
            "label": label,
            "problems": sum(1 for p in found if p.section == code),
            "current": code == section,
        }
        for code, label in SECTIONS.items()
    ]


def section_context(request: HttpRequest, report: NeedsReport, section: str, **extra: Any) -> dict[str, Any]:
    found = problems(report)
    editable = bool(can_edit_report(request.user, report)) and report.is_editable()
    steps = steps_for(found, section)
    context: dict[str, Any] = {
        "report": report,
        "section": section,
        "steps": steps,
        "problems": found,
        "editable": editable,
        "totals": report.totals_by_scheme(),
        "grand_total": report.grand_total(),
        "may_reopen": bool(can_reopen_report(request.user, report)),
        "reopening": report.reopening(),  # why it was sent back, shown above the form until it is submitted again
        "results": {},
        "semesters": semesters_of(report),
        "deadline": report.round.deadline("needs_reports"),
    }
    if section == "partnership":
        context.setdefault("participant_form", ParticipantForm(report=report, prefix="participant"))
        context.setdefault("contact_form", ContactForm(report=report, prefix="contact"))
        context["round_schemes"] = list(Scheme.objects.filter(round_schemes__round=report.round).order_by("valid_from"))
        context["chosen_schemes"] = {rs.scheme_id for rs in report.report_schemes.all()}
    if section == "measures":
        context["copy_form"] = CopyMeasureForm(report=report)
    if section == "union":
        context.setdefault("union_form", UnionParticipantForm(report=report, prefix="union"))
    context.update(extra)
    if "measure" in extra:
        context["measure_number"] = list(report.measures.all()).index(extra["measure"]) + 1
        context["continuations"] = list(extra["measure"].continuations.all())
        context["scheme_choices"] = [(rs.scheme_id, rs.scheme.short_name) for rs in report.report_schemes.all()]
        context["measure_links"] = links_for(report, extra["measure"])  # the plans' goals and areas it serves
    return context


def _editable(request: HttpRequest, pk: int, *, light: bool = False, saving: bool = False) -> NeedsReport:
    """The report if the user may change it now; 404/403 by access, ReportLocked (423) after the deadline."""
    report = get_report_for(request.user, pk, write=True, light=light, saving=saving)
    if not report.is_editable():
        raise ReportLocked(report=report)
    return report


def locked_as_423(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that changes a report answers 423 (or goes back to the report) when it has become locked.

    Locked before the view began (`_editable`) or while its save waited (submitted in between).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, pk, *args, **kwargs)
        except ReportLocked as locked:
            return _locked(request, locked.report or get_report_for(request.user, pk, light=True))

    return wrapped


def _locked(request: HttpRequest, report: NeedsReport) -> HttpResponse:
    """423 (Locked) for htmx, else back to the report with why: submitted, or the deadline has passed."""
    if request.headers.get("HX-Request"):
        return render(
            request,
            "needs/edit_base.html#locked",
            {"report": report, "id": request.POST.get("key", "").replace(":", "-")},
            status=LOCKED,
        )
    messages.error(request, _("The report is locked: it has been submitted or the deadline has passed."))
    return redirect(report)


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
    from .uploads import open_import_rounds  # the Word import, linked from here

    may_import = bool(open_rounds) or bool(open_import_rounds(request.user))  # a contact may import into open rounds
    return render(
        request, "needs/my_reports.html", {"reports": reports, "startable": startable, "may_import": may_import}
    )


@require_POST
@login_required
def start(request: HttpRequest, partnership: int, round: int) -> HttpResponse:
    the_partnership = get_object_or_404(Partnership, pk=partnership)
    if not can_start_report(request.user, the_partnership):
        if visible_reports(request.user).filter(partnership=the_partnership).exists():
            raise PermissionDenied(_("Only the partnership's contact persons may start its needs report."))
        raise Http404
    the_round = get_object_or_404(Round, pk=round, office_id=the_partnership.office_id)
    # Not a round behind us: one of a past year, or one whose deadline for needs reports has passed.
    if the_round.year < timezone.localdate().year or not the_round.is_open_for("needs_reports"):
        raise PermissionDenied(_("This round does not take new needs reports."))
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
@locked_as_423
def save_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Save every field of a section at once (the path without JavaScript); typed values survive errors."""
    if section not in SECTIONS:
        raise Http404
    report = _editable(request, pk)
    results = _save_posted(request, report)
    failed = any(not r.ok for r in results)
    if not failed:  # redirect after POST: a reload does not post again, and the person is back in their field
        return _back_to(request, reverse("needs:edit_section", args=[report.pk, section]))
    report = get_report_for(request.user, pk)  # what is stored now, with the results laid over it
    context = section_context(request, report, section, results={r.key: r for r in results})
    return render(request, f"needs/edit_{section}.html", context, status=422)


def _back_to(request: HttpRequest, url: str, anchor: str = "lk-save") -> HttpResponse:
    """Redirect to `url#field`: the field the person was in when they pressed «Lagre» (sent by place.js)."""
    focus = request.POST.get("focus", "")
    return redirect(f"{url}#{focus if re.fullmatch(r'[A-Za-z][A-Za-z0-9_-]{0,80}', focus) else anchor}")


def _save_posted(request: HttpRequest, report: NeedsReport) -> list[SaveResult]:
    """Save every field key in the POST (with its base), and tell the person how it went."""
    posted = posted_fields(request.POST)  # with checkbox groups that have none checked
    _guard_accounts(request, report, [(key, ",".join(values)) for key, values, _base in posted])
    try:
        results = save_fields(report, posted, by=request.user)  # all or nothing
    except UnknownField as error:
        raise Http404 from error
    failed = sum(1 for r in results if r.status in {"invalid", "conflict"})
    if failed:
        messages.error(
            request,
            _("Nothing was saved: %(n)s field(s) need a change. See the messages by the fields.") % {"n": failed},
        )
    else:
        messages.success(request, _("Saved."))
    return results


@require_POST
@locked_as_423
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one field (htmx). Answers with the field's message and, for amounts, new totals."""
    if not request.user.is_authenticated:
        return render(
            request,
            "needs/edit_base.html#session-expired",
            {"id": request.POST.get("key", "").replace(":", "-")},
            status=401,
        )
    report = _editable(request, pk, saving=True)
    key = request.POST.get("key", "")
    _guard_accounts(request, report, [(key, request.POST.get(key, ""))], ask_first=False)
    if key.endswith(":account_number") and needs_reauthentication(request):
        url = reauthenticate_url(reverse("needs:edit_section", args=[report.pk, "partnership"]))
        return render(
            request, "needs/edit_base.html#reauthenticate", {"id": key.replace(":", "-"), "url": url}, status=401
        )
    try:
        raw = posted_value(request.POST.getlist(key), key)
        result = save_field(report, key, raw, request.POST.get(f"base:{key}"), by=request.user)
    except UnknownField as error:
        raise Http404 from error
    except ValidationError as error:  # no value or several for one field: a malformed request, not a typo
        result = SaveResult(key, "refused", error=" ".join(error.messages))
    context = {
        "report": report,
        "result": result,
        "id": key.replace(":", "-"),
        "key": key,
        "error": result.error if result.status in {"invalid", "refused"} else "",
        "saved": result.ok,
        "conflict": result if result.status == "conflict" else None,
        "with_totals": "amount" in key,
    }
    if result.status == "saved":
        _as_saved(report, key, raw)
    context["steps"] = steps_for(problems(report))
    if context["with_totals"]:
        context["totals"] = report.totals_by_scheme()
        # The amounts as stored now: a co-author's show up beside the sums. The continuations' amounts
        # (not in any sum) come with the next presence poll, which saves an autosave a query.
        context["sync"] = sync_json(report, continuations=False)
    status = {"invalid": 422, "conflict": 409, "refused": 400}.get(result.status, 200)
    return render(request, "needs/edit_base.html#saved", context, status=status)


def _as_saved(report: NeedsReport, key: str, raw: str) -> None:
    """Lay the value just saved over the report already loaded, so the checklist and totals need no reload.

    The report was read a few milliseconds before the save, in the same request; reading it again
    (8 queries) only to count the checklist's problems was a third of an autosave's queries.
    Continuations are not loaded for a save (the checklist does not read them); nothing to lay over.
    """
    kind, pk, field_name, editable = parse_key(key)
    value = clean_value(kind, field_name, raw, editable.model)
    # Only rows loaded with the report: the checklist reads no contact, and an autosave loads no union rows.
    row = next((r for r in loaded_rows(report, kind) or [] if r.pk == pk), None)
    if row is None:
        return
    if field_name == "scheme":  # a foreign key: the scheme object too, from the report's own schemes
        row.scheme = next((rs.scheme for rs in report.report_schemes.all() if rs.scheme_id == value), None)
    setattr(row, editable.model._meta.get_field(field_name).attname, value)  # type: ignore[union-attr]


def _guard_accounts(
    request: HttpRequest, report: NeedsReport, posted: list[tuple[str, str]], *, ask_first: bool = True
) -> None:
    """Account numbers the POST would change: only that side's contacts (or the Statsforvalter), after a fresh sign-in.

    Every path that writes one calls this (autosave, a section's or a measure's save, adding a
    participant). A form posts its account numbers unchanged too: only a change counts.
    """
    typed = {}
    for key, raw in posted:
        if key.endswith(":account_number"):
            with contextlib.suppress(UnknownField):
                typed[parse_key(key)[1]] = raw
    if not typed:
        return
    changed = []
    for participant in Participant.objects.filter(partnership_id=report.partnership_id, pk__in=typed):
        try:
            value = clean_value("participant", "account_number", typed[participant.pk], Participant)
        except ValidationError:
            value = typed[participant.pk]  # refused by the save itself; the right to try is still checked
        if value != participant.account_number or not ask_first:
            changed.append(participant)
    _check_account_change(request, changed, ask_first=ask_first)


def _check_account_change(request: HttpRequest, participants: list[Participant], *, ask_first: bool = True) -> None:
    """403 for the other side's account; then allauth asks for the password (and replays the request)."""
    for participant in participants:
        if not can_change_account(request.user, participant):
            raise PermissionDenied(
                _("Only the owner's contact persons, or the Statsforvalter, may change the owner's account number.")
                if participant.side == Participant.Side.OWNER
                else _(
                    "Only the university/college's contact persons, or the Statsforvalter, "
                    "may change the university/college's account number."
                )
            )
    if participants and ask_first:
        require_reauthentication(request)


@require_POST
@locked_as_423
def add_row(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add an owner/UH, a contact person or a union participant; the typed values survive errors."""
    forms = {"participant": ParticipantForm, "contact": ContactForm, "union": UnionParticipantForm}
    if kind not in forms:
        raise Http404
    report = _editable(request, pk)
    form = forms[kind](request.POST, report=report, prefix=kind)
    section = "union" if kind == "union" else "partnership"
    if not form.is_valid():
        context = section_context(request, report, section, **{f"{kind}_form": form})
        return render(request, f"needs/edit_{section}.html", context, status=422)
    if kind == "participant" and form.cleaned_data["account_number"]:
        _check_account_change(request, [Participant(partnership=report.partnership, side=form.cleaned_data["side"])])
    with transaction.atomic():
        row = form.save(by=request.user)
        FieldEdit.record_row(report, kind, row, added=True, by=request.user, source=FieldEdit.Source.FORM)
    messages.success(request, _("Added."))
    return redirect(reverse("needs:edit_section", args=[report.pk, section]) + f"#{kind}-{row.pk}")


@require_POST
@locked_as_423
def remove_row(request: HttpRequest, pk: int, kind: str, row: int) -> HttpResponse:
    if kind not in {"participant", "contact", "union"}:
        raise Http404
    report = _editable(request, pk)
    section = actions.remove_row(report, kind, row, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("needs:edit_section", report.pk, section)


@require_POST
@locked_as_423
def set_schemes(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable(request, pk)
    try:
        chosen = [int(s) for s in request.POST.getlist("schemes") if re.fullmatch(r"[0-9]{1,18}", s)]
        actions.set_schemes(report, chosen, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("needs:edit_section", report.pk, "partnership")


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the report for changes: a submitted one is sent back, saying why (required); a late draft is
    opened after the deadline (why is optional). Then back to the page it was asked from (`next`)."""
    report = get_reopenable_report_for(request.user, pk)
    form = (SendBackForm if report.status == NeedsReport.Status.SUBMITTED else ReopenForm)(request.POST)
    if not form.is_valid():
        from .reports import report_page

        return report_page(request, report, reopen_form=form, status=422)
    try:
        actions.reopen_report(report, by=request.user, comment=form.cleaned_data["comment"])
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report is open for changes again."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(report)
