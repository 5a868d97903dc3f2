"""The round's decisions (vedtak): the summary before deciding, «make the decisions», the list and one decision.

Before the round is decided the page shows what the final recommendation will give each recipient,
with a form the Statsforvalter confirms; `decide` makes them through `actions.decide_round`. A
refusal (not final, decided already, a report without a record) is a message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.needs.documents import PdfTimeout

from ..access.decision import decision_round_for, get_decision_for
from ..actions import Planned, decide_round, final_version, plan
from ..decision_documents import decision_letter_pdf, letter_filename
from ..letters import sent_by_hand
from ..models.decision import Decision
from ..rules.decision import can_decide, own_decisions_q

__all__ = ["decide", "decision", "decision_letter", "decisions", "my_decisions"]


def _planned(round: Any) -> tuple[list[Planned], str]:
    """What deciding now would give each recipient, or why it cannot be done."""
    version = final_version(round)
    if version is None:
        return [], _("There is no final recommendation to decide from.")
    try:
        return plan(version), ""
    except ValidationError as error:
        return [], " ".join(error.messages)


@require_GET
@login_required
def decisions(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = decision_round_for(request.user, office, year)
    made = list(
        Decision.objects.with_totals().filter(round=round).select_related("decided_by").order_by("kind", "number")
    )
    ordinary = [d for d in made if d.kind == Decision.Kind.ORDINARY]
    planned, problem = ([], "") if ordinary else _planned(round)
    context = {
        "round": round,
        "made": made,
        "decided": bool(ordinary),
        "planned": planned,
        "planned_total": sum(p.total for p in planned),
        "problem": problem,
        "may_decide": can_decide(request.user, round),
        "decide_url": reverse("allocation:decide", args=[round.office.slug, round.year]),
    }
    return render(request, "allocation/decisions.html", context)


@require_POST
@login_required
def decide(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = decision_round_for(request.user, office, year, write=True)
    back = redirect("allocation:decisions", office=round.office.slug, year=round.year)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the decisions are to be made."))
        return back
    try:
        made = decide_round(round=round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request, ngettext("%(n)s decision was made.", "%(n)s decisions were made.", len(made)) % {"n": len(made)}
    )
    return back


@require_GET
@login_required
def decision(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    found = get_decision_for(request.user, office, year, pk)
    context = {
        "round": found.round,
        "decision": found,
        "lines": list(found.lines.select_related("scheme", "measure")),
        "events": list(found.events.select_related("actor")),
        "list_url": reverse("allocation:decisions", args=[found.round.office.slug, found.round.year]),
        "letter_url": reverse("allocation:decision_letter", args=[found.round.office.slug, found.round.year, found.pk]),
        "by_hand": found.pk in sent_by_hand([found]),
    }
    return render(request, "allocation/decision.html", context)


@require_GET
@login_required
def decision_letter(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """The decision's letter as PDF, in the decision's language form."""
    found = get_decision_for(request.user, office, year, pk)
    try:
        content = decision_letter_pdf(found)
    except PdfTimeout:
        response = HttpResponse(_("The PDF could not be made in time. Try again in a minute."), status=503)
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, letter_filename(found)) or ""
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_decisions(request: HttpRequest) -> HttpResponse:
    """The decisions made to the organisations the person speaks for (member or report contact)."""
    mine = list(
        Decision.objects.with_totals()
        .filter(own_decisions_q(request.user))
        .select_related("round__office")
        .order_by("-round__year", "number")
    )
    return render(request, "allocation/my_decisions.html", {"decisions": mine})
