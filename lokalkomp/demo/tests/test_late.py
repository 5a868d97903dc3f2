"""The demo's end of 2023 and 2024: final recommendations, the decisions and the payments, loaded once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from lokalkomp.allocation.models import Recommendation, RecommendationEvent, RecommendationStep, RecommendationVersion
from lokalkomp.allocation.recommendation_record import lines_of
from lokalkomp.demo import indre_helgeland as ih
from lokalkomp.demo import late
from lokalkomp.demo.build import build
from lokalkomp.directory.models import ForumMember
from lokalkomp.schemes.models import Round
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEED_003 = json.loads((Path(late.__file__).parent / "data" / "ytre_helgeland_2024.json").read_text(encoding="utf-8"))
YTRE = "God opplæring for alle"


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo, built once for the module in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


def _round(year: int) -> Round:
    return Round.objects.select_related("office").get(office__slug="nordland", year=year)


@pytest.fixture
def r2024(_built, db) -> Round:
    return _round(2024)


@pytest.fixture
def r2023(_built, db) -> Round:
    return _round(2023)


def _final(round: Round) -> RecommendationVersion:
    main = Recommendation.objects.main().get(round=round)
    assert main.status == Recommendation.Status.FINAL
    return main.versions.get(status=Recommendation.Status.FINAL)


def _recorded(round: Round, partnership: str | None = None) -> list[Any]:
    lines = lines_of(_final(round))
    return [line for line in lines if partnership is None or line.partnership == partnership]


def test_the_2024_round_has_a_final_recommendation_taken_on_18_march_after_a_preliminary_on_13_march(r2024):
    main = Recommendation.objects.main().get(round=r2024)
    steps = list(main.steps.order_by("number"))
    assert [(s.to_status, s.meeting_date) for s in steps] == [
        ("preliminary", dt.date(2024, 3, 13)),
        ("final", dt.date(2024, 3, 18)),
    ]
    assert all(s.decided_how == RecommendationStep.DecidedHow.CONSENSUS for s in steps)
    seats = ForumMember.objects.filter(forum__office=r2024.office)
    assert {seat["seat"] for seat in steps[-1].present} == set(seats.values_list("pk", flat=True))
    assert steps[-1].at.date() == dt.date(2024, 3, 18)
    assert main.blocking_problems() == []


def test_the_2024_final_recommendation_gives_ytre_helgeland_what_seed_003_asks(r2024):
    lines = lines_of(_final(r2024))
    ytre = [line for line in lines if line.partnership == YTRE]
    assert len(ytre) == len(SEED_003["measures"]) == 8
    assert sum(line.owner_amount or 0 for line in ytre) == 625_000
    assert sum(line.partner_amount or 0 for line in ytre) == 919_000
    assert sum(line.total for line in lines) == 2_734_000  # with Indre Helgeland's made-up 1 190 000


def test_an_open_what_if_cuts_every_amount_by_ten_percent(r2024):
    what_if = Recommendation.objects.what_ifs().get(round=r2024, name=late.WHAT_IF)
    assert what_if.status == Recommendation.Status.DRAFT and what_if.is_editable
    lines = list(what_if.lines.select_related("measure"))
    assert len(lines) == 16
    for line in lines:
        assert (line.owner_amount, line.partner_amount) == (
            line.measure.owner_amount * 9 // 10,
            line.measure.partner_amount * 9 // 10,
        )


def test_the_2023_final_recommendation_is_seed_004s_table_to_the_krone(r2023):
    lines = lines_of(_final(r2023))
    table = sorted((owner, partner) for (year, _o, _p, _s, owner, partner, _t) in ih.ROWS if year == 2023)
    assert sorted((line.owner_amount, line.partner_amount) for line in lines) == table
    assert sum(line.total for line in lines) == 4_157_752
    assert ih.GRANTED_BY_YEAR[2023] - 4_157_752 == 1_864_480  # what the table leaves out of the year's grants


def test_alstahaug_and_hinn_are_decided_what_the_final_recommendation_gives_them(r2024):
    from lokalkomp.allocation.models.decision import DecisionLine

    def decided(short: str) -> int:
        lines = DecisionLine.objects.filter(
            decision__round=r2024, decision__kind="ordinary", decision__recipient__short_name=short
        )
        return sum(line.amount for line in lines)

    ytre = _recorded(r2024, YTRE)
    assert decided("Alstahaug") == sum(line.owner_amount or 0 for line in ytre) == 625_000
    assert decided("HINN/SePU") == sum(line.partner_amount or 0 for line in ytre) == 919_000


def test_the_2024_decisions_were_made_on_15_april_with_the_reports_account_numbers(r2024):
    from lokalkomp.allocation.models.decision import Decision

    alstahaug = Decision.objects.get(round=r2024, recipient__short_name="Alstahaug")
    hinn = Decision.objects.get(round=r2024, recipient__short_name="HINN/SePU")
    assert (alstahaug.account_number, hinn.account_number) == ("45162794918", "76940500660")
    assert alstahaug.decided_at.date() == hinn.decided_at.date() == dt.date(2024, 4, 15)


@pytest.mark.parametrize("year", [2023, 2024])
def test_each_years_decisions_and_payments_reconcile_and_are_paid(_built, db, year):
    from lokalkomp.allocation.models.decision import DecisionLine
    from lokalkomp.allocation.models.payment import Payment
    from lokalkomp.allocation.reconciliation import reconcile

    round = _round(year)
    result = reconcile(round)
    assert result.final and result.decided and result.differences == []
    recommended = sum(line.total for line in _recorded(round))
    decided = sum(DecisionLine.objects.filter(decision__round=round).values_list("amount", flat=True))
    payments = Payment.objects.in_round(round)
    assert decided == recommended == payments.total()
    assert not payments.to_pay().exists()
    assert set(payments.values_list("paid_on", flat=True)) == {late.YEARS[year - 2023].decided.date()}


def test_indre_helgelands_2023_decisions_sum_to_seed_004s_table(r2023):
    from lokalkomp.allocation.models.decision import DecisionLine

    amounts = DecisionLine.objects.filter(decision__round=r2023).values_list("amount", flat=True)
    assert sum(amounts) == sum(r[4] + r[5] for r in ih.ROWS if r[0] == 2023) == 4_157_752


def _counts() -> dict[str, Any]:
    counts: dict[str, Any] = {
        "recommendations": list(Recommendation.objects.order_by("pk").values_list("pk", "status")),
        "events": RecommendationEvent.objects.count(),
        "steps": RecommendationStep.objects.count(),
        "versions": RecommendationVersion.objects.count(),
    }
    from lokalkomp.allocation.models.decision import Decision, DecisionEvent
    from lokalkomp.allocation.models.payment import Payment, PaymentEvent

    counts |= {
        "decisions": Decision.objects.count(),
        "decision events": DecisionEvent.objects.count(),
        "payments": list(Payment.objects.order_by("pk").values_list("pk", "status", "paid_on")),
        "payment events": PaymentEvent.objects.count(),
    }
    return counts


def test_loading_the_demo_again_records_nothing_new(_built, db):
    before = _counts()
    assert before["events"] > 0 and before["versions"] == 4
    with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build()
    assert _counts() == before


def test_ytre_helgelands_2024_report_page_shows_each_measures_grant_as_decided(client, r2024) -> None:
    import re

    from lokalkomp.accounts.models import User
    from lokalkomp.allocation.models.decision import DecisionLine
    from lokalkomp.needs.models import NeedsReport

    report = NeedsReport.objects.get(partnership__name=YTRE, round=r2024)
    decided: dict[int, list[int]] = {}
    lines = DecisionLine.objects.filter(measure__report=report, decision__kind="ordinary").select_related("decision")
    for line in lines:
        decided.setdefault(line.measure_id, [0, 0])[line.decision.side == "partner"] += line.amount
    assert len(decided) == 8
    for email in ("eier@lokalkomp.test", late.GOVERNOR):
        client.force_login(User.objects.get(email=email))
        response = client.get(report.get_absolute_url())
        assert response.status_code == 200
        content = response.content.decode()
        rows = re.findall(
            r'<tr id="outcome-([0-9]+)" data-granted-owner="([0-9]+)" data-granted-partner="([0-9]+)"', content
        )
        assert {int(pk): [int(owner), int(partner)] for pk, owner, partner in rows} == decided
        assert 'id="outcome-total" data-granted-owner="625000" data-granted-partner="919000"' in content
