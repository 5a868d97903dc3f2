"""The pool's decisions (Trøndelag, seed 002) and the extra allocation (seed 004): new decisions with their numbers
and payments, from their own money, that never touch the ordinary decisions."""

from __future__ import annotations

import pytest
from django.utils import translation

from lokalkomp.allocation import models as allocation_models

if not hasattr(allocation_models, "Payment"):  # wired in with the decisions' model (models/decision.py, 0006)
    pytest.skip("The payments are not wired in yet: they need the decisions' model.", allow_module_level=True)

from ..models.decision import Decision, DecisionLine
from ..models.frame_line import FrameLine, FrameLineEvent
from ..models.payment import Payment
from ..reconciliation import reconcile
from .overview_helpers import in_english, text
from .payment_helpers import decided_round, make_owner, make_uh, pool_line, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    with translation.override("en"):
        yield in_english(client)


@pytest.fixture
def r(cast):
    return decided_round(cast)


@pytest.fixture
def governor(client, r):
    client.force_login(r.governor)
    return client


def scheme_of(r):
    return r.round.schemes.order_by("pk").first()


def ordinary(r):
    lines = DecisionLine.objects.filter(decision__kind="ordinary").order_by("pk").values_list("pk", "amount")
    payments = Payment.objects.filter(decision__kind="ordinary").order_by("pk").values_list("pk", "amount", "status")
    return list(lines), list(payments)


def pool_form(r, recipient, **changes):
    data = {
        "recipient": recipient.pk,
        "scheme": scheme_of(r).pk,
        "amount": "150 000",
        "description": "Langsiktig partnerskap: analyse og planlegging",
        "reference": "",
        "conditions": "",
    }
    return data | changes


def extra_form(r, recipient, **changes):
    data = {"recipient": recipient.pk, "scheme": scheme_of(r).pk, "amount": "100 000", "reason": "Ubrukte midler"}
    return data | changes


def test_setting_the_pools_frame_line_is_an_event(governor, r):
    response = governor.post(
        url("frame_line", r.round),
        {"kind": "pool", "scheme": scheme_of(r).pk, "amount": "kr 500 000", "reason": "Pool"},
    )
    assert response.status_code == 302 and response["Location"] == url("pool_decision", r.round)
    line = FrameLine.objects.get(round=r.round, kind="pool")
    assert (line.scheme, line.amount) == (scheme_of(r), 500_000)
    event = FrameLineEvent.objects.get(line=line)
    assert (event.old, event.new, event.reason, event.actor) == (None, 500_000, "Pool", r.governor)
    governor.post(url("frame_line", r.round), {"kind": "pool", "scheme": scheme_of(r).pk, "amount": "400000"})
    assert list(line.events.values_list("old", "new")) == [(None, 500_000), (500_000, 400_000)]


def test_the_statsforvalter_makes_a_pool_decision_to_a_uh_from_the_directory(governor, r):
    before = ordinary(r)
    pool_line(r.round, 500_000)
    uh = make_uh("NTNU")
    page = text(governor.get(url("pool_decision", r.round)))
    assert "NTNU" in page and 'id="pool-form"' in page
    response = governor.post(url("pool_decision", r.round), pool_form(r, uh, reference="KID 42"))
    assert response.status_code == 302 and response["Location"].endswith("#payments-pool")
    decision = Decision.objects.get(kind="pool")
    assert (decision.recipient, decision.side, decision.recommendation_version) == (uh, "partner", None)
    assert (decision.org_number, decision.account_number) == (uh.org_number, uh.account_number)
    assert decision.decided_by == r.governor and decision.number not in {d.number for d in r.decisions}
    assert decision.number == f"{r.round.year}-{r.round.office.slug.upper()}-P001"
    (line,) = decision.lines.all()
    assert (line.measure, line.scheme, line.amount) == (None, scheme_of(r), 150_000)
    assert (decision.payment.amount, decision.payment.reference) == (150_000, "KID 42")
    assert decision.events.filter(kind="decided").exists()
    assert ordinary(r) == before
    result = reconcile(r.round)
    assert result.ok and (result.ordinary, result.pool) == (420_000, 150_000)
    payments = text(governor.get(url("payments", r.round)))
    assert 'id="payments-pool"' in payments and "NTNU" in payments


def test_a_pool_decision_over_the_pools_line_is_refused_and_keeps_what_was_typed(governor, r):
    pool_line(r.round, 100_000)
    response = governor.post(url("pool_decision", r.round), pool_form(r, make_uh()))
    page = text(response)
    assert response.status_code == 422
    assert "has kr 100 000 left; the decision is kr 150 000" in page
    assert 'value="150 000"' in page and "Langsiktig partnerskap: analyse og planlegging" in page
    assert not Decision.objects.filter(kind="pool").exists()


def test_the_pool_pays_only_universities_and_fagskoler(governor, r):
    pool_line(r.round, 500_000)
    response = governor.post(url("pool_decision", r.round), pool_form(r, make_owner()))
    assert response.status_code == 422 and "Choose one of the list." in text(response)
    assert not Decision.objects.filter(kind="pool").exists()


def test_an_extra_allocation_grants_what_the_frame_left_without_touching_earlier_decisions(governor, r):
    before = ordinary(r)
    owner = r.steps.a.report.partnership.participants.get(side="owner").organisation
    page = text(governor.get(url("extra_decision", r.round)))
    assert "kr 580 000" in page  # the frame of 1 000 000 less the 420 000 decided
    response = governor.post(url("extra_decision", r.round), extra_form(r, owner, measure=r.steps.a.pk))
    assert response.status_code == 302 and response["Location"].endswith("#payments-extra")
    decision = Decision.objects.get(kind="extra")
    assert (decision.recipient, decision.side, decision.note) == (owner, "owner", "Ubrukte midler")
    assert decision.number == f"{r.round.year}-{r.round.office.slug.upper()}-T001"
    (line,) = decision.lines.all()
    assert (line.measure, line.amount) == (r.steps.a, 100_000)
    assert decision.payment.amount == 100_000
    assert ordinary(r) == before
    result = reconcile(r.round)
    assert result.ok and (result.ordinary, result.extra) == (420_000, 100_000)


def test_an_extra_allocation_beyond_the_money_left_needs_new_money(governor, r):
    response = governor.post(url("extra_decision", r.round), extra_form(r, make_uh(), amount="600 000"))
    assert response.status_code == 422 and "has kr 580 000 left" in text(response)
    governor.post(url("frame_line", r.round), {"kind": "extra", "scheme": scheme_of(r).pk, "amount": "50 000"})
    response = governor.post(url("extra_decision", r.round), extra_form(r, make_uh(), amount="600 000"))
    assert response.status_code == 302
    assert Decision.objects.get(kind="extra").payment.amount == 600_000


def test_an_extra_allocation_for_a_measure_of_another_scheme_is_refused(governor, r):
    other = r.round.schemes.exclude(pk=scheme_of(r).pk).order_by("pk").first()
    response = governor.post(
        url("extra_decision", r.round), extra_form(r, make_uh(), scheme=other.pk, measure=r.steps.a.pk)
    )
    assert response.status_code == 422 and "another scheme" in text(response)


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "9" * 50},
        {"amount": "1" * 20},
        {"amount": "0"},
        {"amount": "12,5"},
        {"description": "Pool\x00"},
        {"description": "x" * 501},
        {"description": ""},
        {"scheme": "99999999999999999999999"},
        {"scheme": "abc"},
        {"recipient": str(2**63)},
        {"reference": "K" * 201},
    ],
)
def test_bad_input_to_a_pool_decision_gives_a_message_not_an_error(governor, r, changes):
    pool_line(r.round, 500_000)
    response = governor.post(url("pool_decision", r.round), pool_form(r, make_uh()) | changes)
    assert response.status_code == 422
    assert 'id="pool-errors"' in text(response)
    assert not Decision.objects.filter(kind="pool").exists()


@pytest.mark.parametrize("changes", [{"amount": "1" * 30}, {"kind": "annet"}, {"reason": "\x00"}, {"scheme": ""}])
def test_bad_input_to_a_frame_line_gives_a_message(governor, r, changes):
    data = {"kind": "pool", "scheme": scheme_of(r).pk, "amount": "100 000"} | changes
    response = governor.post(url("frame_line", r.round), data)
    assert response.status_code == 422 and 'id="frame-line-errors"' in text(response)
    assert not FrameLine.objects.exists()


@pytest.mark.parametrize("name", ["pool_decision", "extra_decision"])
def test_only_the_statsforvalter_decides_from_the_pool_or_extra_money(client, r, name):
    client.force_login(r.secretary)
    assert client.get(url(name, r.round)).status_code == 403
    for who in ("forum_member", "owner_contact", "other_office_governor"):
        client.force_login(getattr(r.cast, who))
        assert client.get(url(name, r.round)).status_code == 403
    client.logout()
    assert client.get(url(name, r.round)).status_code == 302


def test_the_secretary_may_not_set_a_frame_line_and_get_is_405(client, r):
    client.force_login(r.secretary)
    data = {"kind": "pool", "scheme": scheme_of(r).pk, "amount": "100 000"}
    assert client.post(url("frame_line", r.round), data).status_code == 403
    client.force_login(r.governor)
    assert client.get(url("frame_line", r.round)).status_code == 405
    assert not FrameLine.objects.exists()
