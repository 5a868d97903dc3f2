"""A claim back (krav om tilbakebetaling) followed to its end: its page, marked repaid (on a date), withdrawn (with why).

The round's Statsforvalter sees the claim's lines, its letter, the report it follows up and its events. A
refusal shows the page again with the message and what was typed (422); a change goes back to the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.allocation.compilation_forms import PlainText
from lokalkomp.allocation.payment_forms import DATE_MESSAGE, PaidOnField
from lokalkomp.schemes.models import Round
from lokalkomp.templatetags.nor import format_kroner

from ..access.followup import get_followup_claim_for, get_followup_round_for
from ..models.claims import REASON_MAX, Claim, ClaimEvent

NO_STORE = "private, no-store"  # amounts and account numbers: never kept by a browser or proxy


class RepaidForm(forms.Form):
    repaid_on = PaidOnField(
        label=gettext_lazy("Repaid on"),
        error_messages={"invalid": DATE_MESSAGE, "required": gettext_lazy("Write the date it was repaid.")},
    )


class WithdrawForm(forms.Form):
    # Not required here: the model says what is missing (`Claim.withdraw`), in the user's language.
    reason = PlainText(label=gettext_lazy("Why the claim is withdrawn"), max_length=REASON_MAX, required=False)


def _round_url(round: Round, name: str, *args: Any) -> str:
    return reverse(f"reporting:{name}", args=[round.office.slug, round.year, *args])


def _shown(value: str) -> str:
    """An event's old or new value («repaid 2024-05-02», «claimed 40000») as people read it."""
    labels = dict(Claim.Status.choices)
    words = []
    for word in value.split():
        if word in labels:
            words.append(str(labels[word]))
        elif word.isdigit():
            words.append(format_kroner(int(word)))
        else:
            try:
                words.append(dt.date.fromisoformat(word).strftime("%d.%m.%Y"))
            except ValueError:
                words.append(word)
    return " ".join(words)


def _claim_page(
    request: HttpRequest,
    round: Round,
    claim: Claim,
    *,
    repaid_form: RepaidForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    lines = list(claim.lines.all())  # prefetched with their decisions
    events: list[ClaimEvent] = list(claim.events.select_related("actor").order_by("at", "pk"))
    report = claim.report
    context = {
        "round": round,
        "claim": claim,
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "events": [(event, _shown(event.old), _shown(event.new)) for event in events],
        "repaid_form": repaid_form
        or RepaidForm(initial={"repaid_on": (claim.repaid_on or timezone.localdate()).isoformat()}),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "error": error,
        "withdrawn": claim.status == Claim.Status.WITHDRAWN,
        "urls": {
            "list": _round_url(round, "followup_list"),
            "report": _round_url(round, "followup_report", report.pk) if report else "",
            "letter": _round_url(round, "followup_claim_letter", claim.pk),
            "repaid": _round_url(round, "followup_claim_repaid", claim.pk),
            "withdraw": _round_url(round, "followup_claim_withdraw", claim.pk),
            "payments": reverse("allocation:payments", args=[round.office.slug, round.year]),
        },
    }
    response = render(request, "reporting/followup_claim.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
@login_required
def followup_claim_detail(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    return _claim_page(request, round, get_followup_claim_for(request.user, round, pk))


@require_POST
@login_required
def followup_claim_repaid(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    claim = get_followup_claim_for(request.user, round, pk)
    form = RepaidForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, round, claim, repaid_form=form, status=422)
    try:
        changed = claim.mark_repaid(on=form.cleaned_data["repaid_on"], by=request.user)
    except ValidationError as error:
        return _claim_page(request, round, claim, repaid_form=form, error=" ".join(error.messages), status=422)
    if changed:
        messages.success(request, _("Claim %(number)s is marked repaid.") % {"number": claim.number})
    else:
        messages.info(request, _("Claim %(number)s was already marked repaid on that date.") % {"number": claim.number})
    return redirect(_round_url(round, "followup_claim_detail", claim.pk))


@require_POST
@login_required
def followup_claim_withdraw(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    round = get_followup_round_for(request.user, office, year)
    claim = get_followup_claim_for(request.user, round, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, round, claim, withdraw_form=form, status=422)
    try:
        changed = claim.withdraw(by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _claim_page(request, round, claim, withdraw_form=form, error=" ".join(error.messages), status=422)
    if changed:
        messages.success(
            request,
            _("Claim %(number)s is withdrawn: it no longer counts on the payment list.") % {"number": claim.number},
        )
    else:
        messages.info(request, _("Claim %(number)s was already withdrawn.") % {"number": claim.number})
    return redirect(_round_url(round, "followup_claim_detail", claim.pk))
