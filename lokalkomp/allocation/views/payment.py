"""The round's payment list (utbetalinger) with its reconciliation, its exports, and the pool's and the extra
allocation's decisions.

The Statsforvalter marks a payment paid on a date, or the whole list at once, and makes the pool's
decisions (from the pool's frame line) and the extra allocation's (from what the frames have left
and new money); the forum's secretary reads the list and the reconciliation. A refusal shows the
page again with the message and what was typed (422); nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lokalkomp.schemes.models import Round

from ..access.payment import get_payment_for, get_payment_round_for
from ..models.decision import Decision
from ..models.frame_line import FrameLine
from ..models.payment import Payment
from ..payment_export import KIND_LABELS, payment_rows, payments_csv, payments_workbook, totals
from ..payment_forms import (
    AllPaidForm,
    ExtraDecisionForm,
    FrameLineForm,
    PoolDecisionForm,
    StatusForm,
    partner_institutions,
    recipients_of,
)
from ..pool import decide_extra, decide_pool, frame_lines, scheme_money
from ..reconciliation import reconcile
from ..rules.payment import can_manage_payments, can_view_payments

NO_STORE = "private, no-store"  # account numbers: never kept by a browser or proxy
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(round: Round, name: str, *args: Any) -> str | None:
    try:
        return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
    except NoReverseMatch:
        return None


def _urls(round: Round) -> dict[str, str | None]:
    return {
        name: _url(round, name)
        for name in ("payments", "payments_xlsx", "payments_csv", "payments_all_paid", "pool_decision")
        + ("extra_decision", "frame_line", "decisions")
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NO_STORE
    return response


# ── The list ──


@require_GET
@login_required
def payments(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_payment_round_for(request.user, office, year)
    return _payments_page(request, round)


def _payments_page(
    request: HttpRequest,
    round: Round,
    *,
    status_form: StatusForm | None = None,
    status_for: int | None = None,
    all_form: AllPaidForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = payment_rows(round)
    summary = totals(rows)
    sections = [
        {"kind": kind, "label": label, "rows": [r for r in rows if r.kind == kind]}
        for kind, label in KIND_LABELS.items()
    ]
    for section in sections:
        section["totals"] = summary["kinds"].get(section["kind"])
    decision_url = _url(round, "decision", 0)
    context = {
        "round": round,
        "sections": [s for s in sections if s["rows"] or s["kind"] == "ordinary"],
        "totals": summary,
        "reconciliation": reconcile(round),
        "may_manage": can_manage_payments(request.user, round),
        "today": timezone.localdate(),
        "status_form": status_form,
        "status_for": status_for,
        "all_form": all_form,
        "to_pay": sum(1 for r in rows if r.first and r.status == Payment.Status.TO_PAY),
        "urls": _urls(round),
        "decision_url": decision_url[: -len("0/")] if decision_url else None,
    }
    return _no_store(render(request, "allocation/payments.html", context, status=status))


def _back(round: Round, anchor: str = "") -> HttpResponse:
    return redirect((_url(round, "payments") or "/") + anchor)


@require_POST
@login_required
def payment_status(request: HttpRequest, office: str, year: int, pk: int) -> HttpResponse:
    """Mark one payment paid on a date, or take the mark back with why."""
    round = get_payment_round_for(request.user, office, year, write=True)
    payment = get_payment_for(request.user, round, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["status"] == Payment.Status.PAID:
                changed = payment.mark_paid(on=data["paid_on"], by=request.user)
            else:
                changed = payment.mark_unpaid(by=request.user, reason=data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            decision = payment.decision
            if changed:
                messages.success(
                    request,
                    _("%(number)s (%(name)s) is now «%(status)s».")
                    % {
                        "number": decision.number,
                        "name": decision.recipient_name,
                        "status": payment.get_status_display(),
                    },
                )
            return _back(round, f"#payment-{payment.pk}")
    return _payments_page(request, round, status_form=form, status_for=payment.pk, status=422)


@require_POST
@login_required
def payments_all_paid(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Mark every payment of the round still to pay as paid on one date."""
    round = get_payment_round_for(request.user, office, year, write=True)
    form = AllPaidForm(request.POST)
    if form.is_valid():
        try:
            count = Payment.objects.in_round(round).mark_paid(on=form.cleaned_data["paid_on"], by=request.user)
        except ValidationError as error:
            form.add_error("paid_on", error)
        else:
            messages.success(request, _("%(n)s payments marked paid.") % {"n": count})
            return _back(round)
    return _payments_page(request, round, all_form=form, status=422)


# ── The exports ──


@require_GET
@login_required
def payments_xlsx(request: HttpRequest, office: str, year: int) -> HttpResponse:
    round = get_payment_round_for(request.user, office, year)
    response = HttpResponse(payments_workbook(round), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="utbetalinger-{round.office.slug}-{round.year}.xlsx"'
    return _no_store(response)


@require_GET
@login_required
def payments_csv_view(request: HttpRequest, office: str, year: int) -> StreamingHttpResponse:
    round = get_payment_round_for(request.user, office, year)
    response = StreamingHttpResponse(payments_csv(round), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utbetalinger-{round.office.slug}-{round.year}.csv"'
    response["Cache-Control"] = NO_STORE
    return response


# ── The pool's and the extra allocation's decisions ──


@dataclass(frozen=True)
class Beside:
    """A kind of decision made beside the recommendation: its form, the function that decides, and its page."""

    form: Callable[[Round, Any], PoolDecisionForm | ExtraDecisionForm]
    decide: Callable[..., Decision]
    fields: tuple[str, ...]  # the form's fields the function takes, by the same names
    anchor: str  # where on the payment list its decisions are
    template: str


BESIDE = {
    "pool": Beside(
        form=lambda round, data: PoolDecisionForm(data, round=round, recipients=partner_institutions()),
        decide=decide_pool,
        fields=("recipient", "scheme", "amount", "description", "conditions", "reference"),
        anchor="#payments-pool",
        template="allocation/pool_decision.html",
    ),
    "extra": Beside(
        form=lambda round, data: ExtraDecisionForm(data, round=round, recipients=recipients_of(round)),
        decide=decide_extra,
        fields=("recipient", "scheme", "measure", "amount", "reason", "reference"),
        anchor="#payments-extra",
        template="allocation/extra_decision.html",
    ),
}


@require_http_methods(["GET", "POST"])
@login_required
def pool_decision(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """A decision to a UH for the pool's long-term support, from the pool's frame line (Trøndelag, seed 002)."""
    return _decision_beside(request, office, year, "pool")


@require_http_methods(["GET", "POST"])
@login_required
def extra_decision(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """An extra allocation's decision, from unused or new money; the decisions made before are not touched."""
    return _decision_beside(request, office, year, "extra")


def _decision_beside(request: HttpRequest, office: str, year: int, kind: str) -> HttpResponse:
    """The form of a pool or extra decision, and the decision made from it (its letter goes by e-mail)."""
    round = get_payment_round_for(request.user, office, year, write=True)
    beside = BESIDE[kind]
    form = beside.form(round, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = beside.decide(
                round=round, by=request.user, **{name: form.cleaned_data[name] for name in beside.fields}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision %(number)s is made.") % {"number": decision.number})
            return _back(round, beside.anchor)
    return _decision_page(request, round, kind, form)


def _decision_page(
    request: HttpRequest,
    round: Round,
    kind: str,
    form: PoolDecisionForm | ExtraDecisionForm,
    *,
    line_form: FrameLineForm | None = None,
) -> HttpResponse:
    made = (
        Decision.objects.filter(round=round, kind=kind)
        .with_totals()
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
    )
    context = {
        "round": round,
        "kind": kind,
        "form": form,
        "line_form": line_form or FrameLineForm(round=round, initial={"kind": kind}),
        "money": scheme_money(round, kind),
        "lines": frame_lines(round, kind),
        "made": made,
        "urls": _urls(round),
    }
    status = 422 if form.is_bound or (line_form is not None and line_form.is_bound) else 200
    return _no_store(render(request, BESIDE[kind].template, context, status=status))


@require_POST
@login_required
def frame_line(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """Set the pool's frame line or the new money of a scheme (each change an event)."""
    round = get_payment_round_for(request.user, office, year, write=True)
    line_form = FrameLineForm(request.POST, round=round)
    kind = "extra" if request.POST.get("kind") == FrameLine.Kind.EXTRA else "pool"
    if line_form.is_valid():
        data = line_form.cleaned_data
        try:
            FrameLine.put(
                round=round,
                scheme=data["scheme"],
                kind=data["kind"],
                amount=data["amount"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            line_form.add_error(None, error)
        else:
            messages.success(request, _("The frame line is saved."))
            return redirect(_url(round, "pool_decision" if kind == "pool" else "extra_decision") or "/")
    return _decision_page(request, round, kind, BESIDE[kind].form(round, None), line_form=line_form)


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> Any:
    """On the round's page, the link to the payments for those who may see them (no query: cached roles)."""
    from django.template.loader import render_to_string

    from lokalkomp.schemes import panels as round_page

    if not can_view_payments(request.user, round):
        return round_page.RoundPanel()
    context = {"round": round, "may_manage": can_manage_payments(request.user, round)}
    return round_page.RoundPanel(
        section=render_to_string("allocation/payment_round_link.html", context, request=request)
    )
