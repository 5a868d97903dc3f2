"""Reconciliation: the decisions equal the final recommendation, which is within the frames; the payments equal
the decisions; the pool's and the extra allocation's decisions are counted apart. A planted difference is found."""

from __future__ import annotations

import pytest
from django.utils import translation

from lokalkomp.allocation import models as allocation_models

if not hasattr(allocation_models, "Payment"):  # wired in with the decisions' model (models/decision.py, 0006)
    pytest.skip("The payments are not wired in yet: they need the decisions' model.", allow_module_level=True)

from ..models.decision import Decision, DecisionLine
from ..models.payment import Payment
from ..recommendation_record import lines_of
from ..reconciliation import frame_differences, reconcile
from .overview_helpers import in_english, text
from .payment_helpers import decided_round, make_owner, pool_decision, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    with translation.override("en"):
        yield in_english(client)


@pytest.fixture
def r(cast):
    return decided_round(cast)


def test_a_decided_round_reconciles(r):
    result = reconcile(r.round)
    assert result.ok, result.differences
    assert (result.final, result.decided) == (True, True)
    assert result.recommended == result.ordinary == result.payments == r.recommended == 420_000
    assert (result.pool, result.extra, result.paid) == (0, 0, 0)


def test_a_final_round_without_decisions_checks_the_frames_only(cast):
    undecided = decided_round(cast, decide=False)
    result = reconcile(undecided.round)
    assert result.ok and result.final and not result.decided
    assert result.ordinary == 0 and result.recommended == 420_000


def test_a_payment_that_differs_from_its_decision_is_found(client, r):
    decision = r.decisions[0]
    Payment.objects.filter(decision=decision).update(amount=decision.payment.amount + 1)  # planted
    result = reconcile(r.round)
    (difference,) = result.differences
    assert (difference.check, difference.what, difference.delta) == ("payment", decision.recipient_name, 1)
    client.force_login(r.governor)
    page = text(client.get(url("payments", r.round)))
    assert 'id="reconciliation-differences"' in page and "1 difference" in page
    assert difference.message.replace("\xa0", " ") in page


def test_an_ordinary_decision_beyond_the_recommendation_is_found_per_measure_and_in_total(r):
    owner = make_owner("Planted kommune")
    planted = Decision.objects.create(
        round=r.round,
        number=f"{r.round.year}-PLANTED-1",
        kind="ordinary",
        recipient=owner,
        recipient_name=owner.name,
        side="owner",
    )
    DecisionLine.objects.create(
        decision=planted, measure=r.steps.a, scheme=r.steps.a.scheme, description="x", amount=1_000
    )
    result = reconcile(r.round)
    recommendation = result.of("recommendation")
    assert [(d.what, d.expected, d.actual) for d in recommendation] == [
        ("Lesing (owner)", 200_000, 201_000),
        ("In total", 420_000, 421_000),
    ]
    missing, unpaid = result.of("payment")
    assert missing.what == planted.number and "has no payment" in missing.message
    assert (unpaid.what, unpaid.expected, unpaid.actual) == ("Planted kommune", 1_000, 0)


def test_a_recommendation_over_a_frame_or_a_networks_share_is_found(r):
    version = r.steps.recommendation.versions.get(status="final")
    recorded = lines_of(version)
    frames = [
        {
            "scheme": {"code": recorded[0].scheme_code, "short_name": "Dekomp"},
            "amount": 400_000,
            "networks": [{"pk": recorded[0].network_pk, "name": "Ytre Helgeland", "amount": 300_000}],
        }
    ]
    differences = frame_differences(frames, recorded)
    assert [(d.check, d.what, d.expected, d.actual) for d in differences] == [
        ("frame", "Dekomp", 400_000, 420_000),
        ("network", "Dekomp, Ytre Helgeland", 300_000, 420_000),
    ]


def test_pool_decisions_are_counted_apart_and_change_no_ordinary_decision(r):
    before = list(DecisionLine.objects.filter(decision__kind="ordinary").values_list("pk", "amount"))
    pool_decision(r.round, amount=150_000)
    result = reconcile(r.round)
    assert result.ok, result.differences
    assert (result.ordinary, result.pool, result.payments) == (420_000, 150_000, 570_000)
    assert list(DecisionLine.objects.filter(decision__kind="ordinary").values_list("pk", "amount")) == before


def test_a_pool_over_its_frame_line_is_found(r):
    from ..models.frame_line import FrameLine

    decision = pool_decision(r.round, amount=150_000)
    line = FrameLine.objects.get(round=r.round, kind="pool")
    FrameLine.put(round=r.round, scheme=line.scheme, kind="pool", amount=100_000, by=None, reason="Kutt")
    (difference,) = reconcile(r.round).differences
    assert (difference.check, difference.actual) == ("pool", 50_000)
    assert decision.payment.amount == 150_000
