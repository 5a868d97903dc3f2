"""The demo reconciles: Nordland's decided rounds (2023 and 2024) to the krone, and «granted per year» read from the
decisions equals each year's final recommendation; Indre Helgeland's 2023 is seed 004's table.

The demo is built once for the module (as test_late.py does), in a transaction rolled back after its last test.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from lokalkomp.allocation.models import Payment
from lokalkomp.allocation.recommendation_record import lines_of
from lokalkomp.allocation.reconciliation import final_version, granted_per_year, reconcile_every_round
from lokalkomp.demo import indre_helgeland as ih
from lokalkomp.demo.build import build
from lokalkomp.directory.models import Network, Office
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


@pytest.fixture
def nordland(_built, db) -> Office:
    return Office.objects.get(slug="nordland")


def test_nordlands_decided_rounds_are_2023_and_2024_and_both_reconcile_to_the_krone(nordland):
    results = reconcile_every_round(office=nordland)
    assert [round.year for round in results] == [2023, 2024]
    for round, result in results.items():
        assert result.ok, (round, result.differences)
        assert result.final and result.decided
        assert result.recommended == result.ordinary == result.payments == result.paid > 0
        assert not Payment.objects.in_round(round).to_pay().exists()
    assert reconcile_every_round().keys() == results.keys()  # the demo decides no other office's round


def test_granted_per_year_is_each_years_final_recommendation(nordland):
    recommended = {}
    for round in reconcile_every_round(office=nordland):
        version = final_version(round)
        assert version is not None
        recommended[round.year] = sum(line.total for line in lines_of(version))
    assert granted_per_year(nordland) == recommended
    assert recommended[2024] == 2_734_000  # seed 003's Ytre Helgeland and the demo's Indre Helgeland (test_late)


def test_indre_helgelands_granted_2023_is_seed_004s_table_and_less_than_its_slide(nordland):
    indre = Network.objects.get(office=nordland, slug="indre-helgeland")
    granted = granted_per_year(nordland, network=indre)
    table = sum(owner + partner for (year, _o, _p, _s, owner, partner, _t) in ih.ROWS if year == 2023)
    assert granted[2023] == table == 4_157_752
    # The slide «Tildelte midler 2021–2023» says more for 2023: the table does not list every grant (late.py).
    assert granted[2023] < ih.GRANTED_BY_YEAR[2023]
    ytre = Network.objects.get(office=nordland, slug="ytre-helgeland")
    assert granted_per_year(nordland, network=ytre).get(2023, 0) + granted[2023] == granted_per_year(nordland)[2023]
