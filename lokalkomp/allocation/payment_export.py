"""The payment list of a round, for the page and for the accounting system (Excel and CSV, the same columns).

One row per payment and scheme: a decision with lines of several schemes is paid once, but the
accounting books each scheme on its own line, so its payment is split by scheme and the rows of a
payment sum to it. The accounts are the decision's (the record of the submitted report, or the
directory's on the day of a pool or extra decision), never the live partnership's.

The ordinary decisions come first, then the pool's, then the extra allocation's: the page shows them
apart. Excel is openpyxl's write-only workbook with the cells of `needs/worklist_export.py` (a text
is always a text, money a number with a kroner format); the CSV is UTF-8 with a BOM and semicolons,
as Norwegian Excel opens it, with plain whole kroner and dates as dd.mm.yyyy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lokalkomp.directory.validators import format_account_number, format_org_number
from lokalkomp.needs.worklist_export import _cell
from lokalkomp.schemes.models import Round

from .models.decision import DecisionLine
from .models.payment import Payment

KIND_ORDER = {"ordinary": 0, "pool": 1, "extra": 2, "claim": 3}
KIND_LABELS = {
    "ordinary": gettext_lazy("Ordinary decisions"),
    "pool": gettext_lazy("Pool decisions"),
    "extra": gettext_lazy("Extra allocation"),
    "claim": gettext_lazy("Claims back"),
}


@dataclass(frozen=True)
class PaymentRow:
    payment: int
    kind: str
    kind_label: str
    recipient: str
    org_number: str
    account_number: str
    amount: int
    scheme: str
    reference: str
    decision: str
    decision_pk: int
    status: str
    status_label: str
    paid_on: dt.date | None
    first: bool  # the payment's first row (the page puts its buttons there)

    @property
    def org_number_display(self) -> str:
        return format_org_number(self.org_number)

    @property
    def account_number_display(self) -> str:
        return format_account_number(self.account_number)


def payment_rows(round: Round) -> list[PaymentRow]:
    """The round's payments, one row per scheme, ordinary first, then pool, then extra (two queries)."""
    parts: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    lines = (
        DecisionLine.objects.filter(decision__round=round)
        .values_list("decision_id", "scheme__code", "scheme__short_name")
        .annotate(s=Sum("amount"))
        .order_by("decision_id", "scheme__code")
    )
    for decision, code, name, amount in lines:
        parts[decision].append((code, name, int(amount or 0)))
    payments = sorted(
        Payment.objects.in_round(round).select_related("decision"),
        key=lambda p: (KIND_ORDER.get(p.decision.kind, 9), p.decision.recipient_name.casefold(), p.decision.number),
    )
    rows = []
    for payment in payments:
        decision = payment.decision
        for index, (_code, scheme, amount) in enumerate(parts.get(decision.pk) or [("", "", 0)]):
            rows.append(
                PaymentRow(
                    payment=payment.pk,
                    kind=decision.kind,
                    kind_label=str(KIND_LABELS.get(decision.kind, decision.kind)),
                    recipient=decision.recipient_name,
                    org_number=decision.org_number,
                    account_number=decision.account_number,
                    amount=amount,
                    scheme=scheme,
                    reference=payment.reference,
                    decision=decision.number,
                    decision_pk=decision.pk,
                    status=payment.status,
                    status_label=str(payment.get_status_display()),
                    paid_on=payment.paid_on,
                    first=index == 0,
                )
            )
    return rows + claim_rows(round, {p.decision_id: p.decision for p in payments})


def claim_rows(round: Round, decisions: dict[int, Any]) -> list[PaymentRow]:
    """The round's claims back (allocation/claims.py's registry), a row of negative amount each, no buttons."""
    from .claims import claims_in
    from .models.decision import Decision

    claims = claims_in(round)
    missing = {c.decision for c in claims} - set(decisions)
    decisions = decisions | Decision.objects.in_bulk(missing) if missing else decisions
    rows = []
    for claim in sorted(claims, key=lambda c: (decisions[c.decision].recipient_name.casefold(), c.reference)):
        decision = decisions[claim.decision]
        rows.append(
            PaymentRow(
                payment=0,
                kind="claim",
                kind_label=str(KIND_LABELS["claim"]),
                recipient=decision.recipient_name,
                org_number=decision.org_number,
                account_number=decision.account_number,
                amount=-claim.amount,
                scheme="",
                reference=claim.reference,
                decision=decision.number,
                decision_pk=decision.pk,
                status=claim.status,
                status_label=claim.status_label,
                paid_on=claim.claimed_on,
                first=False,
            )
        )
    return rows


@dataclass
class Totals:
    amount: int = 0
    paid: int = 0
    to_pay: int = 0
    payments: int = 0


def totals(rows: list[PaymentRow]) -> dict[str, Any]:
    """Totals by kind, by scheme and in all, and of what is paid and still to pay."""
    by_kind: dict[str, Totals] = defaultdict(Totals)
    by_scheme: dict[str, int] = defaultdict(int)
    everything = Totals()
    for row in rows:
        for t in (by_kind[row.kind], everything):
            t.amount += row.amount
            t.payments += 1 if row.first else 0
            if row.status == Payment.Status.PAID:
                t.paid += row.amount
            elif row.kind != "claim":
                t.to_pay += row.amount
        by_scheme[row.scheme] += row.amount
    return {"kinds": dict(by_kind), "schemes": sorted(by_scheme.items()), "all": everything}


def header() -> list[str]:
    return [
        _("Recipient"),
        _("Organisation number"),
        _("Account number"),
        _("Amount"),
        _("Scheme"),
        _("Reference (KID or text)"),
        _("Decision"),
        _("Kind"),
        _("Status"),
        _("Paid on"),
    ]


def _values(row: PaymentRow) -> list[Any]:
    return [
        row.recipient,
        row.org_number,
        row.account_number,
        row.amount,
        row.scheme,
        row.reference,
        row.decision,
        row.kind_label,
        row.status_label,
        row.paid_on,
    ]


def payments_workbook(round: Round) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Payments")[:31])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (36, 14, 16, 14, 24, 28, 20, 18, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_cell(sheet, label, bold=True) for label in header()])
    for row in payment_rows(round):
        values = _values(row)
        sheet.append([_cell(sheet, value, money=index == 3) for index, value in enumerate(values)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(value: Any) -> str:
    """A cell of the CSV: a date as dd.mm.yyyy, a number plain, a text on one line that no spreadsheet runs."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\x00", "").replace("\u00a0", " ").replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t"} else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def payments_csv(round: Round) -> Iterator[str]:
    """The CSV, line by line, the BOM first."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield writer.writerow(header())
    for row in payment_rows(round):
        yield writer.writerow([_safe(value) for value in _values(row)])
