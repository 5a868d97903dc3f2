"""The demo's follow-up of Nordland's 2023 reports: one accepted, one asked for more, one with a claim back, and
the 2023 payment list with the claim still reconciles. Built once for the module, rolled back afterwards."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from lokalkomp.allocation.payment_export import payment_rows
from lokalkomp.allocation.reconciliation import reconcile
from lokalkomp.demo.build import build
from lokalkomp.demo.reporting_followup import build as build_followup
from lokalkomp.reporting.followup import followup_list
from lokalkomp.reporting.models import Claim, ClaimEvent, FundsReport
from lokalkomp.schemes.models import Round
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
def round(_built, db) -> Round:
    return Round.objects.prefetch_related("milestones").get(office__slug="nordland", year=2023)


def test_one_accepted_one_asked_for_more_one_with_a_claim(round):
    reports = list(FundsReport.objects.in_round(round).order_by("partnership__name"))
    assert len(reports) >= 3
    assert [r.status for r in reports[:3]] == ["accepted", "returned", "accepted"]
    assert reports[1].events.filter(to_status="returned").exclude(comment="").exists()
    claim = Claim.objects.get(round=round)
    assert claim.report_id == reports[2].pk and claim.total > 0
    assert claim.total == sum(line.unused_owner for line in reports[2].lines.all())
    assert ClaimEvent.objects.filter(claim=claim, kind="made").count() == 1
    counts = followup_list(round).counts
    assert counts["accepted"] == 2 and counts["returned"] == 1


def test_the_2023_payment_list_with_the_claim_reconciles(round):
    claim = Claim.objects.get(round=round)
    rows = payment_rows(round)
    assert [r.amount for r in rows if r.kind == "claim"] == [-claim.total]
    result = reconcile(round)
    assert result.ok, result.differences


def test_building_again_changes_nothing(round):
    before = (Claim.objects.count(), ClaimEvent.objects.count(), list(FundsReport.objects.values_list("status")))
    build_followup()
    assert (
        Claim.objects.count(),
        ClaimEvent.objects.count(),
        list(FundsReport.objects.values_list("status")),
    ) == before
