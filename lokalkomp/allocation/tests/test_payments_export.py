"""The payment list in Excel and CSV: the same columns as the page, one row per payment and scheme, sums to the krone."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from lokalkomp.allocation import models as allocation_models

if not hasattr(allocation_models, "Payment"):  # wired in with the decisions' model (models/decision.py, 0006)
    pytest.skip("The payments are not wired in yet: they need the decisions' model.", allow_module_level=True)

from ..models.decision import Decision, DecisionLine
from ..models.payment import Payment
from ..payment_export import header, payment_rows
from .overview_helpers import in_english
from .payment_helpers import account_number, decided_round, make_uh, org_number, pool_decision, url

pytestmark = pytest.mark.cast(year=2024)

HEADER = [
    "Recipient",
    "Organisation number",
    "Account number",
    "Amount",
    "Scheme",
    "Reference (KID or text)",
    "Decision",
    "Kind",
    "Status",
    "Paid on",
]


@pytest.fixture(autouse=True)
def english(client):
    with translation.override("en"):
        yield in_english(client)


@pytest.fixture
def r(cast):
    return decided_round(cast)


def workbook_rows(client, round):
    response = client.get(url("payments_xlsx", round))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def csv_rows(client, round):
    response = client.get(url("payments_csv", round))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def two_scheme_decision(round):
    """A decision with lines in two schemes, made directly (as the decision helper's records are)."""
    first, second = list(round.schemes.order_by("code")[:2])
    uh = make_uh("Nord universitet")
    decision = Decision.objects.create(
        round=round,
        number=f"{round.year}-TEST-900",
        kind="extra",
        recipient=uh,
        recipient_name=uh.name,
        org_number=uh.org_number,
        account_number=uh.account_number,
        payment_reference="KID 1234",
        side="partner",
    )
    DecisionLine.objects.create(decision=decision, scheme=first, description="A", amount=70_000)
    DecisionLine.objects.create(decision=decision, scheme=second, description="B", amount=30_000)
    DecisionLine.objects.create(decision=decision, scheme=second, description="C", amount=5_000)
    Payment.open_for(decision, by=None)
    return decision, first, second


def test_the_excel_has_the_pages_columns_and_sums_to_the_decisions(client, r):
    client.force_login(r.governor)
    rows = workbook_rows(client, r.round)
    assert rows[0] == HEADER == header()
    body = rows[1:]
    assert len(body) == len(r.decisions)
    assert sum(row[3] for row in body) == r.recommended
    by_number = {row[6]: row for row in body}
    for decision in r.decisions:
        row = by_number[decision.number]
        assert row[0] == decision.recipient_name
        assert row[2] == (decision.account_number or None)  # a text, its leading digits kept
        assert row[3] == decision.payment.amount
        assert (row[8], row[9]) == ("To pay", None)


def test_the_csv_has_the_same_columns_and_sums_and_opens_in_norwegian_excel(client, r):
    client.force_login(r.governor)
    Payment.objects.in_round(r.round).mark_paid(on=dt.date(2024, 4, 15), by=r.governor)
    rows = csv_rows(client, r.round)
    assert rows[0] == HEADER
    assert sum(int(row[3]) for row in rows[1:]) == r.recommended
    assert {(row[8], row[9]) for row in rows[1:]} == {("Paid", "15.04.2024")}
    assert {row[6] for row in rows[1:]} == {d.number for d in r.decisions}


def test_a_decision_of_several_schemes_has_a_row_per_scheme_that_sum_to_its_payment(client, r):
    decision, first, second = two_scheme_decision(r.round)
    rows = [row for row in payment_rows(r.round) if row.decision == decision.number]
    assert [(row.scheme, row.amount) for row in rows] == [(first.short_name, 70_000), (second.short_name, 35_000)]
    assert sum(row.amount for row in rows) == decision.payment.amount == 105_000
    client.force_login(r.governor)
    excel = [row for row in workbook_rows(client, r.round)[1:] if row[6] == decision.number]
    assert [(row[4], row[3], row[5]) for row in excel] == [
        (first.short_name, 70_000, "KID 1234"),
        (second.short_name, 35_000, "KID 1234"),
    ]
    text = [row for row in csv_rows(client, r.round)[1:] if row[6] == decision.number]
    assert [(row[4], row[3]) for row in text] == [(first.short_name, "70000"), (second.short_name, "35000")]


def test_the_pool_and_the_extra_allocation_come_after_the_ordinary_decisions(client, r):
    two_scheme_decision(r.round)
    pool_decision(r.round, amount=40_000)
    kinds = [row.kind for row in payment_rows(r.round)]
    assert kinds == sorted(kinds, key=["ordinary", "pool", "extra"].index)
    assert kinds.count("pool") == 1 and kinds.count("extra") == 2


def test_a_name_that_looks_like_a_formula_stays_text(client, r):
    uh = make_uh('=HYPERLINK("http://x")')
    pool_decision(r.round, recipient=uh)
    client.force_login(r.governor)
    quoted = [row[0] for row in csv_rows(client, r.round)[1:] if row[0].startswith("'")]
    assert quoted == ['\'=HYPERLINK("http://x")']
    book = load_workbook(io.BytesIO(client.get(url("payments_xlsx", r.round)).content))
    cells = [row[0] for row in book.active.iter_rows(min_row=2) if str(row[0].value).startswith("=")]
    assert [c.data_type for c in cells] == ["s"]


def test_the_register_numbers_are_valid():
    from lokalkomp.directory.validators import clean_account_number, clean_org_number

    for n in range(1, 30):
        assert clean_org_number(org_number(n)) == org_number(n)
        assert clean_account_number(account_number(n)) == account_number(n)
