"""Payments: one per decision for its total, marked paid one by one or all at once, each change an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lokalkomp.allocation import models as allocation_models

if not hasattr(allocation_models, "Payment"):  # wired in with the decisions' model (models/decision.py, 0006)
    pytest.skip("The payments are not wired in yet: they need the decisions' model.", allow_module_level=True)

from ..models.payment import Payment, PaymentEvent
from .overview_helpers import in_english, text
from .payment_helpers import decided_round, url

pytestmark = pytest.mark.cast(year=2024)

APRIL_15 = dt.date(2024, 4, 15)


@pytest.fixture(autouse=True)
def english(client):
    with translation.override("en"):
        yield in_english(client)


@pytest.fixture
def r(cast):
    return decided_round(cast)


def test_each_decision_has_one_payment_of_its_total(r):
    for decision in r.decisions:
        payment = Payment.objects.get(decision=decision)
        assert payment.amount == sum(line.amount for line in decision.lines.all())
        assert payment.status == Payment.Status.TO_PAY and payment.paid_on is None
        assert payment.reference == (decision.payment_reference or decision.number)
        assert list(payment.events.values_list("kind", flat=True)) == ["opened"]
    assert Payment.objects.in_round(r.round).total() == r.recommended


def test_opening_a_payment_twice_gives_the_same_payment(r):
    decision = r.decisions[0]
    again = Payment.open_for(decision, by=r.governor)
    assert again == decision.payment
    assert Payment.objects.filter(decision=decision).count() == 1
    assert PaymentEvent.objects.filter(payment=again).count() == 1


def test_marking_a_payment_paid_keeps_the_date_and_an_event(r):
    payment = r.decisions[0].payment
    assert payment.mark_paid(on=APRIL_15, by=r.governor) is True
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (Payment.Status.PAID, APRIL_15)
    event = payment.events.get(kind="paid")
    assert (event.old, event.new, event.actor) == ("to_pay", "paid 2024-04-15", r.governor)
    assert payment.mark_paid(on=APRIL_15, by=r.governor) is False
    assert payment.events.filter(kind="paid").count() == 1


def test_a_paid_date_can_be_corrected_with_an_event(r):
    payment = r.decisions[0].payment
    payment.mark_paid(on=APRIL_15, by=r.governor)
    payment.mark_paid(on=dt.date(2024, 4, 16), by=r.governor)
    event = payment.events.filter(kind="paid").last()
    assert (event.old, event.new) == ("paid 2024-04-15", "paid 2024-04-16")


def test_taking_a_mark_back_needs_a_reason_and_is_an_event(r):
    payment = r.decisions[0].payment
    payment.mark_paid(on=APRIL_15, by=r.governor)
    with pytest.raises(ValidationError):
        payment.mark_unpaid(by=r.governor, reason="  ")
    assert payment.mark_unpaid(by=r.governor, reason="Feil konto") is True
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (Payment.Status.TO_PAY, None)
    event = payment.events.get(kind="unpaid")
    assert (event.old, event.new, event.reason) == ("paid 2024-04-15", "to_pay", "Feil konto")


def test_a_payment_date_that_is_not_a_date_or_far_ahead_is_refused(r):
    payment = r.decisions[0].payment
    for bad in ("2024-04-15", dt.date(1999, 12, 31), dt.date.today() + dt.timedelta(days=400)):
        with pytest.raises(ValidationError):
            payment.mark_paid(on=bad, by=r.governor)  # type: ignore[arg-type]
    assert not payment.events.filter(kind="paid").exists()


def test_the_whole_list_is_marked_paid_with_an_event_each(r):
    first = r.decisions[0].payment
    first.mark_paid(on=dt.date(2024, 4, 10), by=r.governor)
    count = Payment.objects.in_round(r.round).mark_paid(on=APRIL_15, by=r.governor)
    assert count == len(r.decisions) - 1
    assert not Payment.objects.in_round(r.round).to_pay().exists()
    first.refresh_from_db()
    assert first.paid_on == dt.date(2024, 4, 10)  # the one paid before keeps its date
    assert PaymentEvent.objects.filter(kind="paid").count() == len(r.decisions)


# ── The page ──


def test_the_statsforvalter_sees_the_list_with_accounts_and_buttons(client, r):
    client.force_login(r.governor)
    response = client.get(url("payments", r.round))
    page = text(response)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    for decision in r.decisions:
        assert decision.number in page and decision.recipient_name in page
    assert 'id="all-paid-form"' in page and "Mark paid" in page
    assert 'id="reconciliation-ok"' in page and "Reconciled" in page


def test_the_forum_secretary_reads_the_list_without_buttons(client, r):
    client.force_login(r.secretary)
    response = client.get(url("payments", r.round))
    page = text(response)
    assert response.status_code == 200
    assert r.decisions[0].number in page
    assert 'id="all-paid-form"' not in page and "Mark paid" not in page
    assert client.post(url("payments_all_paid", r.round), {"paid_on": "2024-04-15"}).status_code == 403
    status_url = url("payment_status", r.round, r.decisions[0].payment.pk)
    assert client.post(status_url, {"status": "paid", "paid_on": "2024-04-15"}).status_code == 403
    assert not Payment.objects.paid().exists()


@pytest.mark.parametrize("who", ["forum_member", "owner_contact", "outsider", "other_office_governor"])
def test_others_may_not_see_the_payments(client, r, who):
    client.force_login(getattr(r.cast, who))
    assert client.get(url("payments", r.round)).status_code == 403
    assert client.get(url("payments_csv", r.round)).status_code == 403


def test_a_stranger_is_sent_to_sign_in_and_an_unknown_round_is_404(client, r):
    assert client.get(url("payments", r.round)).status_code == 302
    client.force_login(r.governor)
    assert client.get(reverse("allocation:payments", args=[r.round.office.slug, 1999])).status_code == 404
    other = decided_round_payment_elsewhere(r)
    assert (
        client.post(url("payment_status", r.round, other), {"status": "paid", "paid_on": "2024-04-15"}).status_code
        == 404
    )
    assert client.post(url("payment_status", r.round, 2**63), {"status": "paid"}).status_code == 404


def decided_round_payment_elsewhere(r):
    from lokalkomp.testing import make_round

    from .payment_helpers import pool_decision

    return pool_decision(make_round(r.round.office, year=2025)).payment.pk


def test_the_wrong_method_is_405(client, r):
    client.force_login(r.governor)
    payment = r.decisions[0].payment
    assert client.post(url("payments", r.round)).status_code == 405
    assert client.post(url("payments_xlsx", r.round)).status_code == 405
    assert client.get(url("payment_status", r.round, payment.pk)).status_code == 405
    assert client.get(url("payments_all_paid", r.round)).status_code == 405
    assert client.put(url("pool_decision", r.round)).status_code == 405


def test_marking_one_paid_on_the_page(client, r):
    client.force_login(r.governor)
    payment = r.decisions[0].payment
    response = client.post(url("payment_status", r.round, payment.pk), {"status": "paid", "paid_on": "15.04.2024"})
    assert response.status_code == 302 and response["Location"].endswith(f"#payment-{payment.pk}")
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == ("paid", APRIL_15)
    assert payment.events.get(kind="paid").actor == r.governor
    page = text(client.get(url("payments", r.round)))
    assert "Take back" in page and "15.04.2024" in page


def test_marking_all_paid_on_the_page(client, r):
    client.force_login(r.governor)
    response = client.post(url("payments_all_paid", r.round), {"paid_on": "2024-04-15"})
    assert response.status_code == 302
    assert Payment.objects.in_round(r.round).paid().count() == len(r.decisions)
    assert f"{len(r.decisions)} payments marked paid." in text(client.get(url("payments", r.round)))


@pytest.mark.parametrize(
    "data",
    [
        {"status": "paid", "paid_on": "31.02.2024"},
        {"status": "paid", "paid_on": "2024-02-31"},
        {"status": "paid", "paid_on": "15.04\x00.2024"},
        {"status": "paid", "paid_on": "9" * 5000},
        {"status": "paid", "paid_on": ""},
        {"status": "betalt", "paid_on": "2024-04-15"},
        {"status": "to_pay", "reason": "feil\x00"},
        {"status": "to_pay", "reason": ""},
    ],
)
def test_bad_input_gives_a_message_and_changes_nothing(client, r, data):
    client.force_login(r.governor)
    payment = r.decisions[0].payment
    response = client.post(url("payment_status", r.round, payment.pk), data)
    assert response.status_code == 422
    assert f'id="status-errors-{payment.pk}"' in text(response)
    payment.refresh_from_db()
    assert payment.status == "to_pay"
    assert payment.events.count() == 1


def test_a_bad_date_for_the_whole_list_keeps_what_was_typed(client, r):
    client.force_login(r.governor)
    response = client.post(url("payments_all_paid", r.round), {"paid_on": "31.02.2024"})
    page = text(response)
    assert response.status_code == 422
    assert 'id="all-paid-errors"' in page and 'value="31.02.2024"' in page
    assert not Payment.objects.paid().exists()


def test_the_page_takes_a_bounded_number_of_queries(client, r, django_assert_max_num_queries):
    client.force_login(r.governor)
    client.get(url("payments", r.round))
    with django_assert_max_num_queries(30):
        assert client.get(url("payments", r.round)).status_code == 200


def test_the_rounds_page_links_to_the_payments_for_those_who_see_them(client, r):
    round_url = reverse("schemes:round", args=[r.round.office.slug, r.round.year])
    client.force_login(r.governor)
    page = text(client.get(round_url))
    assert 'id="round-payments-link"' in page and 'id="round-pool-link"' in page
    client.force_login(r.secretary)
    page = text(client.get(round_url))
    assert 'id="round-payments-link"' in page and 'id="round-pool-link"' not in page
    client.force_login(r.cast.forum_member)
    assert 'id="round-payments-link"' not in text(client.get(round_url))
