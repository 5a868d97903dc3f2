"""Decisions (vedtak): one per recipient from the final recommendation, with the accounts as submitted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lokalkomp.needs.models import Participant

from ..actions import decide_round
from ..models import Decision, DecisionEvent, DecisionLine
from .steps_helpers import make_step_round, take

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture
def r(cast):
    return make_step_round(cast)


def decided_final(r):
    take(r, "preliminary")
    take(r, "final")
    return decide_round(round=r.round, by=r.cast.governor)


def test_each_recipient_gets_one_decision_with_the_final_amounts_to_the_krone(r):
    decisions = decided_final(r)
    lines = DecisionLine.objects.filter(decision__round=r.round)
    total = sum(line.amount for line in lines)
    assert total == 200_000 + 100_000 + 80_000 + 40_000
    by_measure_side = {(line.measure_id, line.decision.side): line.amount for line in lines}
    assert by_measure_side[(r.a.pk, "owner")] == 200_000
    assert by_measure_side[(r.a.pk, "partner")] == 100_000
    assert by_measure_side[(r.b.pk, "owner")] == 80_000
    assert by_measure_side[(r.b.pk, "partner")] == 40_000
    assert len({(d.recipient_id, d.side) for d in decisions}) == len(decisions)
    assert sum(d.total for d in Decision.objects.in_round(r.round).with_totals()) == total
    numbers = sorted(d.number for d in decisions)
    assert numbers[0].endswith("-001") and numbers[0].startswith("2024-")
    assert DecisionEvent.objects.filter(decision__round=r.round, kind="decided").count() == len(decisions)


def test_the_account_is_the_submitted_one_even_after_the_partnership_changes_it(r):
    take(r, "preliminary")
    take(r, "final")
    lead = Participant.objects.filter(partnership=r.a.report.partnership, side="owner").order_by("-is_lead").first()
    assert lead is not None
    submitted_account = lead.account_number
    Participant.objects.filter(pk=lead.pk).update(account_number="99998877665")
    decide_round(round=r.round, by=r.cast.governor)
    decision = Decision.objects.get(recipient=lead.organisation, side="owner")
    assert decision.account_number == submitted_account != "99998877665"


def test_deciding_is_refused_without_a_final_recommendation(r):
    take(r, "preliminary")
    with pytest.raises(ValidationError, match="endelig innstilling"):
        decide_round(round=r.round, by=r.cast.governor)
    assert not Decision.objects.exists()


def test_deciding_twice_is_refused(r):
    decided_final(r)
    count = Decision.objects.count()
    with pytest.raises(ValidationError):
        decide_round(round=r.round, by=r.cast.governor)
    assert Decision.objects.count() == count


def test_each_decision_opens_its_payment_for_its_total(r):
    from ..models.payment import Payment

    decisions = decided_final(r)
    for decision in decisions:
        assert Payment.objects.get(decision=decision).amount == decision.total
