"""«Granted per year» (seed 004's «Tildelte midler») read from the decisions, and the reconciliation of every
decided round (reconciliation.py's `granted_per_year` and `reconcile_every_round`)."""

from __future__ import annotations

import pytest

from lokalkomp.testing import make_office

from ..reconciliation import granted_per_year, reconcile_every_round
from .payment_helpers import decided_round, pool_decision

pytestmark = pytest.mark.cast(year=2024)


def test_granted_per_year_sums_every_decision_of_the_office_by_round_year(cast):
    r = decided_round(cast)
    assert granted_per_year(r.round.office) == {2024: r.recommended} == {2024: 420_000}
    pool_decision(r.round, amount=50_000, by=cast.governor)
    assert granted_per_year(r.round.office) == {2024: 470_000}  # the pool's decision is granted too


def test_granted_per_year_of_a_network_leaves_out_the_pools_decision_and_other_offices(cast):
    r = decided_round(cast)
    pool_decision(r.round, amount=50_000, by=cast.governor)
    assert granted_per_year(r.round.office, network=cast.network) == {2024: 420_000}
    assert granted_per_year(make_office("et-annet-kontor")) == {}


def test_an_undecided_round_has_nothing_granted_and_is_not_reconciled_as_decided(cast):
    r = decided_round(cast, decide=False)
    assert granted_per_year(r.round.office) == {}
    assert reconcile_every_round(office=r.round.office) == {}


def test_every_decided_round_is_reconciled_oldest_first(cast):
    r = decided_round(cast)
    results = reconcile_every_round()
    assert list(results) == [r.round]
    assert results[r.round].ok and results[r.round].ordinary == 420_000
