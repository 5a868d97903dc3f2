"""Submitting a needs report: the preview before «Send inn», the submission, and the receipt after it."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.schemes.models import Milestone, Transition

from .. import actions
from ..access import get_editable_report_for, get_report_for
from ..checks import problems
from ..models import NeedsReport, TransitionError
from ..records import record_context, record_of_submission

logger = logging.getLogger(__name__)

# The steps of the round that follow a submission; the needs-report deadline itself is behind it.
NEXT_STEPS = (Transition.NETWORK_COMPILATION, Transition.RECOMMENDATION, Transition.DECISION)


def next_steps(report: NeedsReport, after: dt.date) -> list[Milestone]:
    """The round's deadlines after the submission day: the network's compilation (if there is a network),
    the forum's recommendation and the Statsforvalter's decision, in date order."""
    steps = set(NEXT_STEPS) - ({Transition.NETWORK_COMPILATION} if report.partnership.network_id is None else set())
    return [m for m in report.round.milestones.all() if m.governs in steps and m.last_day >= after]


@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole report as it will be submitted, read-only, with «Send inn» at the bottom."""
    report = get_editable_report_for(request.user, pk)
    if not report.is_editable():
        messages.error(request, _("The report is locked: it has been submitted or the deadline has passed."))
        return redirect(report)
    context = record_context(report) | {"problems": problems(report), "expanded": True}
    return render(request, "needs/preview.html", context)


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
    return redirect("needs:receipt", report.pk)


@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of the latest submission: reference, when, by whom, to whom, and what happens next."""
    report = get_report_for(request.user, pk)
    event = report.last_submission
    if event is None:
        raise Http404
    submitted_on = timezone.localdate(event.at)
    record = record_of_submission(report, event)  # what this submission said, not the draft reopened since
    context = {
        "report": report,
        "event": event,
        "reference": event.reference,
        "record": record,
        "grand_total": record.grand_total() if record else None,
        "steps": next_steps(report, submitted_on),
        "changed_since": report.status != NeedsReport.Status.SUBMITTED,
    }
    return render(request, "needs/receipt.html", context)
