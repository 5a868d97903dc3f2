"""The Statsforvalter's account form on the report page (needs/accounts.py): who, what and how it is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalkomp.accounts.reauth import require_reauthentication

from ..access import get_participant_account_for
from ..accounts import PaymentDetailsForm, change_payment_details
from ..autosave import ReportLocked, loaded_rows
from ..models import NeedsReport, Participant
from ..rules import can_change_accounts_on_report


def accounts_context(user: Any, report: NeedsReport, refused: PaymentDetailsForm | None = None) -> dict[str, Any]:
    """The report page's account forms, one per participant of the partnership now (for the Statsforvalter only)."""
    if not can_change_accounts_on_report(user, report):
        return {}
    participants = loaded_rows(report, "participant")  # a draft's page has them already; a submitted one reads them
    if participants is None:
        participants = list(
            Participant.objects.filter(partnership_id=report.partnership_id).select_related("organisation")
        )
    forms = [
        refused if refused is not None and refused.participant.pk == p.pk else PaymentDetailsForm(participant=p)
        for p in participants
    ]
    return {"account_forms": forms}


@require_POST
def change_account(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    """Change a participant's account number and payment reference; the password first, as the form asks it."""
    from .reports import report_page  # the page this form is on, shown again with what was typed

    report, row = get_participant_account_for(request.user, pk, participant)
    form = PaymentDetailsForm(request.POST, participant=row)
    if not form.is_valid():
        return report_page(request, report, account_form=form, status=422)
    if form.changes_account():
        require_reauthentication(request)  # allauth asks, then sends this POST again
    try:
        results = change_payment_details(report, row, form, by=request.user)
    except ReportLocked:  # the draft was submitted a moment ago: its record is not changed here
        form.add_error(None, _("The report has been submitted and cannot be changed."))
        return report_page(request, report, account_form=form, status=409)
    failed = next((r for r in results if not r.ok), None)
    if failed is not None:
        form.add_error(None, failed.error)
        return report_page(request, report, account_form=form, status=409)
    saved = any(r.status == "saved" for r in results)
    messages.success(request, _("Saved.") if saved else _("Nothing was changed."))
    return redirect(reverse("needs:report", args=[report.pk]) + f"#account-{row.pk}")
