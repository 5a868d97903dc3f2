"""The Word import in the browser: upload a filled-in form, get a draft report to review.

Only rounds open for needs reports are offered; the upload's size is checked before it is read
(and a Word file's unpacked size before python-docx reads it, in importer/text.py); a report the
uploader could not then edit or oversee is refused and rolled back, and no message names a report
the uploader may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from lokalkomp.accounts.reauth import needs_reauthentication
from lokalkomp.directory.validators import format_account_number
from lokalkomp.schemes.models import Round, Transition

from ..access import import_rounds_for
from ..importer import ImportFileError, read_needs_report
from ..importer.text import check_upload_size
from ..imports import ImportOutcome, ImportRejected, ReportExistsError, import_report
from ..models import Participant
from ..models.report import UNPLACED_TEXT
from ..rules import can_change_account


def open_import_rounds(user: Any) -> list[Round]:
    """The rounds the user may import a form into: theirs, and open for needs reports."""
    return [r for r in import_rounds_for(user) if r.is_open_for(Transition.NEEDS_REPORTS)]


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in Word/PDF form (or its text); a draft report is made for review."""
    rounds = open_import_rounds(request.user)
    context = {
        "rounds": rounds,
        "chosen": request.POST.get("round", "") if request.method == "POST" else "",
        "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
        "unplaced_max": UNPLACED_TEXT,
        "reauthentication_minutes": max(settings.ACCOUNT_REAUTHENTICATION_TIMEOUT // 60, 1),
    }
    if request.method == "GET":
        return render(request, "needs/import.html", context)
    try:
        outcome = _import_posted(request, rounds)
    except (ImportFileError, ImportRejected) as problem:
        return render(request, "needs/import.html", {**context, "error": str(problem)}, status=422)
    _tell(request, outcome)
    _tell_withheld(request, outcome)
    return redirect("needs:report", outcome.report.pk)  # type: ignore[union-attr]


def _import_posted(request: HttpRequest, rounds: list[Round]) -> ImportOutcome:
    # Refuse a too large upload by its declared length, before Django reads the body into files.
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isascii() and declared.isdigit():
        check_upload_size(max(int(declared) - 64 * 1024, 0))  # the form's other fields and boundaries
    the_round = next((r for r in rounds if str(r.pk) == request.POST.get("round")), None)
    if the_round is None:
        raise ImportRejected(_("Choose a round that is open for needs reports."))
    upload = request.FILES.get("file")
    if upload is None:
        raise ImportRejected(_("Choose a file to upload."))
    check_upload_size(upload.size or 0)
    return _import_upload(request, upload.name or "", upload.read(), the_round)


def _account_rule(request: HttpRequest) -> Callable[[Participant], str]:
    """The form's rule for an account number: that side's contacts or the Statsforvalter, after a recent sign-in.

    The upload cannot wait for the password (allauth cannot replay a file), so an account number the
    person may not fill in now is left empty, and the report page says where to fill it in.
    """

    def may_set(participant: Participant) -> str:
        if not can_change_account(request.user, participant):
            return "side"
        return "reauthenticate" if needs_reauthentication(request) else ""

    return may_set


def _import_upload(request: HttpRequest, filename: str, data: bytes, round: Round) -> ImportOutcome:
    """Import, refusing (and so rolling back) a report the uploader could not then edit or oversee."""
    user: Any = request.user
    parsed = read_needs_report(filename, data)
    try:
        with transaction.atomic():
            outcome = import_report(
                parsed, round=round, by=user, filename=filename, may_set_account=_account_rule(request)
            )
            report = outcome.report
            if not (
                user.has_perm("needs.change_needsreport", report) or user.has_perm("needs.reopen_needsreport", report)
            ):
                raise ImportRejected(_("The form names a partnership you are not a contact person in."))
    except ReportExistsError as exists:
        if user.has_perm("needs.view_needsreport", exists.report):
            raise ImportRejected(
                _("%(reason)s It is report no. %(id)s.") % {"reason": exists, "id": exists.report.pk}
            ) from exists
        raise
    return outcome


def _tell(request: HttpRequest, outcome: ImportOutcome) -> None:
    """Success only when everything found a place; otherwise a warning that says what to check."""
    measures = ngettext(
        "The form was imported as a draft with %(n)s measure.",
        "The form was imported as a draft with %(n)s measures.",
        len(outcome.measures),
    ) % {"n": len(outcome.measures)}
    if not outcome.unplaced and not outcome.warnings and not outcome.withheld_accounts:
        messages.success(request, measures + " " + _("Check it before you submit it."))
        return
    parts = [measures]
    if outcome.unplaced:
        parts.append(
            ngettext(
                "%(n)s line could not be placed in a field; it is listed on the report.",
                "%(n)s lines could not be placed in a field; they are listed on the report.",
                len(outcome.unplaced),
            )
            % {"n": len(outcome.unplaced)}
        )
    parts.extend(outcome.warnings)
    messages.warning(request, " ".join(parts))


def _tell_withheld(request: HttpRequest, outcome: ImportOutcome) -> None:
    """Each account number on the form that was not filled in: why, and where to fill it in (with the password)."""
    report = outcome.report
    if report is None or not outcome.withheld_accounts:
        return
    writes = request.user.has_perm("needs.change_needsreport", report)
    for withheld in outcome.withheld_accounts:
        participant = withheld.participant
        values = {
            "account": format_account_number(withheld.account_number),
            "organisation": f"{participant.organisation} ({participant.get_side_display()})",
        }
        if withheld.reason != "reauthenticate":
            messages.warning(
                request,
                _(
                    "The account number %(account)s for %(organisation)s was not filled in from the form: only "
                    "that side's contact persons, or the Statsforvalter, may set it. They fill it in the form."
                )
                % values,
            )
            continue
        if writes:  # a contact person: the field in the form, which asks for the password before it saves
            url = reverse("needs:edit_section", args=[report.pk, "partnership"]) + f"#participant-{participant.pk}"
        else:  # the Statsforvalter: the account form on the report page, which asks for it too
            url = reverse("needs:report", args=[report.pk]) + f"#account-{participant.pk}"
        reason = _(
            "The account number %(account)s for %(organisation)s was not filled in from the form, because you "
            "have not confirmed your password in the last few minutes."
        )
        messages.warning(
            request,
            format_html(
                '{} <a class="ds-link" href="{}" id="fill-account-{}">{}</a>',
                reason % values,
                url,
                participant.pk,
                _("Fill it in (you will be asked for your password)"),
            ),
        )
