"""Two people at once cannot spend the pool's money twice or mark a payment paid twice (PostgreSQL only).

The first holds its transaction open until the second is seen waiting for its lock (the round's row
for a decision, the payments' rows for a mark); the second then sees what the first did.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lokalkomp.allocation import models as allocation_models

if not hasattr(allocation_models, "Payment"):  # wired in with the decisions' model (models/decision.py, 0006)
    pytest.skip("The payments are not wired in yet: they need the decisions' model.", allow_module_level=True)

from lokalkomp.schemes.tests.test_frames_races import race
from lokalkomp.testing import make_office, make_round

from ..models.decision import Decision
from ..models.payment import Payment, PaymentEvent
from ..pool import decide_pool
from .payment_helpers import make_uh, pool_decision, pool_line

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs two writers at once (PostgreSQL)"),
]


def test_two_pool_decisions_at_once_cannot_spend_the_line_twice():
    round = make_round(make_office(), year=2024)
    scheme = round.schemes.order_by("pk").first()
    pool_line(round, 100_000, scheme)
    first, second = make_uh(), make_uh()

    def decide(uh):
        return lambda: decide_pool(round=round, recipient=uh, scheme=scheme, amount=60_000, description="Pool", by=None)

    results = race(decide(first), decide(second))
    assert isinstance(results["first"], Decision)
    assert isinstance(results["second"], ValidationError)
    assert "kr\xa040\xa0000 igjen" in " ".join(results["second"].messages)
    assert Decision.objects.filter(round=round, kind="pool").count() == 1
    assert Payment.objects.in_round(round).total() == 60_000


def test_marking_the_list_paid_twice_at_once_marks_each_payment_once():
    round = make_round(make_office(), year=2024)
    for _n in range(3):
        pool_decision(round, amount=10_000)
    mark = lambda: Payment.objects.in_round(round).mark_paid(on=dt.date(2024, 4, 15), by=None)  # noqa: E731
    results = race(mark, mark)
    assert (results["first"], results["second"]) == (3, 0)
    assert PaymentEvent.objects.filter(kind="paid").count() == 3
