"""The Statsforvalter's follow-up of the reports on the use of funds: the list, a report, a claim's letter.

Per report it accepts it, asks for more (back to the partnership with a comment, and an e-mail), or
claims unused funds back (a claim with a line per recipient, its letter as a PDF, and a row on the
payment list). A refusal shows the page again with the message and what was typed (422).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.allocation.models.decision import Decision
from lokalkomp.schemes.forms_frames import AmountField
from lokalkomp.schemes.models import Round

from ..access.followup import get_followup_claim_for, get_followup_report_for, get_followup_round_for
from ..claim_letters import claim_letter_filename, claim_letter_pdf
from ..followup import STATES, followup_list, report_decisions, report_state, unused_per_side
from ..followup_announce import announce_returned
from ..models.claims import REASON_MAX, Claim
from ..models.funds import FundsReport, FundsTransitionError

NO_STORE = "private, no-store"  # amounts and account numbers: never kept by a browser or proxy


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What more must the partnership report?"), max_length=REASON_MAX, required=False
    )


class ClaimForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why the funds are claimed back"), max_length=REASON_MAX)

    def __init__(self, *args: Any, decisions: list[Decision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decisions = decisions
        for decision in decisions:
            self.fields[f"amount_{decision.pk}"] = AmountField(label=decision.recipient_name, required=False)

    def lines(self) -> list[tuple[Decision, int]]:
        return [
            (d, amount)
            for d in self.decisions
            if (amount := self.cleaned_data.get(f"amount_{d.pk}")) is not None and amount > 0
        ]


def _round_url(round: Round, name: str, *args: Any) -> str:
    return reverse(f"reporting:{name}", args=[round.office.slug, round.year, *args])


@require_GET
@login_required
def followup_list_view(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    listing = followup_list(round, state=request.GET.get("vis", "due"))
    context = {
        "round": round,
        "listing": listing,
        "states": [(key, label, listing.counts[key]) for key, label in STATES.items()],
        "list_url": _round_url(round, "followup_list"),
        "report_url": _round_url(round, "followup_report", 0)[: -len("0/")],
        "payments_url": reverse("allocation:payments", args=[round.office.slug, round.year]),
    }
    return render(request, "reporting/followup_list.html", context)


def _report_page(
    request: HttpRequest,
    round: Round,
    report: FundsReport,
    *,
    comment_form: CommentForm | None = None,
    claim_form: ClaimForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    decisions = report_decisions(report)
    context = {
        "round": round,
        "report": report,
        "lines": report.line_list(),
        "totals": report.totals,
        "unused": unused_per_side(report),
        "decisions": decisions,
        "comment_form": comment_form or CommentForm(),
        "claim_form": claim_form or ClaimForm(decisions=decisions),
        "error": error,
        "urls": {
            "list": _round_url(round, "followup_list"),
            "accept": _round_url(round, "followup_accept", report.pk),
            "return": _round_url(round, "followup_return", report.pk),
            "claim": _round_url(round, "followup_claim", report.pk),
            "letter": _round_url(round, "followup_claim_letter", 0)[: -len("0/brev.pdf")],
        },
        **report_state(report),
    }
    response = render(request, "reporting/followup_report.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def followup_report_view(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    return _report_page(request, round, get_followup_report_for(request.user, round, pk))


@require_POST
@login_required
def followup_accept(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    report = get_followup_report_for(request.user, round, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _report_page(request, round, report, comment_form=form, status=422)
    try:
        report.accept(by=request.user, comment=_clean(form.cleaned_data["comment"]))
    except (FundsTransitionError, ValidationError) as error:
        return _report_page(request, round, report, comment_form=form, error=_message(error), status=422)
    messages.success(request, _("The report is accepted."))
    return redirect(_round_url(round, "followup_report", report.pk))


@require_POST
@login_required
def followup_return(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    report = get_followup_report_for(request.user, round, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _report_page(request, round, report, comment_form=form, status=422)
    try:
        report.return_for_more(by=request.user, comment=_clean(form.cleaned_data["comment"]))
    except (FundsTransitionError, ValidationError) as error:
        return _report_page(request, round, report, comment_form=form, error=_message(error), status=422)
    announce_returned(report, report.events.order_by("-at", "-pk").first())
    messages.success(request, _("The report is sent back to the partnership, which is told by e-mail."))
    return redirect(_round_url(round, "followup_report", report.pk))


@require_POST
@login_required
def followup_claim(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    report = get_followup_report_for(request.user, round, pk)
    form = ClaimForm(request.POST, decisions=report_decisions(report))
    if not form.is_valid():
        return _report_page(request, round, report, claim_form=form, status=422)
    try:
        claim = Claim.make(
            round, lines=form.lines(), reason=form.cleaned_data["reason"], by=request.user, report=report
        )
    except ValidationError as error:
        return _report_page(request, round, report, claim_form=form, error=_message(error), status=422)
    messages.success(request, _("Claim %(number)s is made; its letter is ready.") % {"number": claim.number})
    return redirect(_round_url(round, "followup_report", report.pk))


@require_GET
@login_required
def followup_claim_letter(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    claim = get_followup_claim_for(request.user, round, pk)
    response = HttpResponse(claim_letter_pdf(claim), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{claim_letter_filename(claim)}"'
    response["Cache-Control"] = NO_STORE
    return response


def _clean(text: str) -> str:
    if "\x00" in text:
        raise ValidationError(_("The text contains a character that cannot be stored (NUL). Remove it."))
    return text.replace("\r\n", "\n").strip()


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
