"""The national data taken through the rest of the year (national_year.py): every past round decided, paid and
reconciled to the krone, the newest left to its reports; the statistic «granted per year» read from the decisions.

A small set (three years at a hundredth of the partnerships: two past years, 20 rounds), built once for the
module in a transaction rolled back after its last test, as test_late.py does with the demo.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from lokalkomp.allocation.models import (
    Compilation,
    CompilationEvent,
    Decision,
    DecisionEvent,
    DecisionLine,
    Payment,
    PaymentEvent,
    Recommendation,
    RecommendationEvent,
    RecommendationLine,
    RecommendationStep,
    RecommendationVersion,
)
from lokalkomp.allocation.recommendation_record import lines_of
from lokalkomp.allocation.reconciliation import final_version, granted_per_year, reconcile, reconcile_every_round
from lokalkomp.demo import national, national_year
from lokalkomp.directory.models import ForumMember, Network, Office
from lokalkomp.needs.models import Measure
from lokalkomp.notifications.models import Notification
from lokalkomp.schemes.models import Round, SchemeCap
from lokalkomp.testing import rolled_back_afterwards

SMALL = {"years": 3, "scale": 0.01, "last_year": 2027, "seed": 1}
PAST = (2025, 2026)
TODAY = "2026-12-02 12:00 +01:00"  # the 2027 round's reports are being written


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False):
            national.generate(**SMALL, log=lambda _line: None)  # type: ignore[arg-type]
            finished = national_year.run(through="payments", log=lambda _line: None)
        yield finished


@pytest.fixture
def finished(_built, db) -> national_year.Finished:
    return _built


def _past() -> list[Round]:
    return list(Round.objects.filter(year__in=PAST).select_related("office").order_by("year", "office__slug"))


def test_every_round_but_the_newest_years_is_taken_through_and_the_newest_is_left_to_its_reports(finished):
    assert finished.rounds == len(_past()) == 20 and finished.years == {2025: 10, 2026: 10}
    assert finished.decisions == Decision.objects.count() > 0
    assert finished.paid == Payment.objects.paid().count() == Payment.objects.count()
    newest = Round.objects.filter(year=2027)
    assert newest.count() == 10
    for model in (Compilation, Recommendation, Decision):
        assert not model.objects.filter(round__in=newest).exists()


def test_every_decided_round_reconciles_to_the_krone(finished):
    results = reconcile_every_round()
    assert [r.pk for r in results] == [r.pk for r in _past()]
    for round, result in results.items():
        assert result.ok, (round, result.differences)
        assert result.final and result.decided
        assert result.recommended == result.ordinary == result.payments == result.paid > 0
        assert (result.pool, result.extra) == (0, 0)


def test_the_decisions_of_each_office_and_year_sum_to_its_final_recommendation(finished):
    recommended: dict[tuple[int, int], int] = defaultdict(int)
    for round in _past():
        version = final_version(round)
        assert version is not None
        recommended[(round.office_id, round.year)] = sum(line.total for line in lines_of(version))
    for office in Office.objects.all():
        assert granted_per_year(office) == {year: recommended[(office.pk, year)] for year in PAST}
    national_total = {year: sum(granted_per_year(o).get(year, 0) for o in Office.objects.all()) for year in PAST}
    assert national_total == {year: sum(v for (_o, y), v in recommended.items() if y == year) for year in PAST}


def test_granted_per_year_of_a_network_is_the_decisions_for_its_partnerships_measures(finished):
    office = Office.objects.order_by("slug").first()
    networks = list(Network.objects.filter(office=office))
    per_network = [granted_per_year(office, network=network) for network in networks]
    for year in PAST:
        assert sum(n.get(year, 0) for n in per_network) == granted_per_year(office)[year]
    network = networks[0]
    lines = DecisionLine.objects.filter(measure__report__partnership__network=network)
    expected = {
        year: int(total)
        for year, total in lines.values_list("decision__round__year").annotate(total=Sum("amount")).order_by()
    }
    assert granted_per_year(office, network=network) == expected


def test_each_recipients_payments_equal_its_decisions(finished):
    decided: dict[int, int] = defaultdict(int)
    for recipient, amount in DecisionLine.objects.values_list("decision__recipient_id", "amount"):
        decided[recipient] += amount
    paid: dict[int, int] = defaultdict(int)
    for recipient, amount in Payment.objects.paid().values_list("decision__recipient_id", "amount"):
        paid[recipient] += amount
    assert decided == paid and len(decided) > 20
    assert not Decision.objects.filter(payment__isnull=True).exists()


def test_the_final_recommendation_holds_the_frames_and_justifies_every_amount_not_as_asked(finished):
    limited = 0
    for round in _past():
        main = Recommendation.objects.main().get(round=round)
        assert main.status == Recommendation.Status.FINAL and main.blocking_problems() == []
        version = final_version(round)
        assert version is not None
        lines = lines_of(version)
        assert len(lines) == Measure.objects.filter(report__round=round).count()
        for line in lines:
            if (line.owner_amount, line.partner_amount) != (line.asked_owner, line.asked_partner):
                assert line.reason.strip()
                limited += 1
        for rs in round.round_schemes.select_related("scheme"):
            assert sum(line.total for line in lines if line.scheme_code == rs.scheme.code) <= (rs.budget or 0)
    assert limited > 0  # the frames are smaller than what is asked: the suggestion gave some measures 0
    # each justification is an event of its own, as the forum's typing it would be
    reasons = RecommendationEvent.objects.filter(field="reason", new=national_year.FRAME_REASON)
    assert reasons.count() == RecommendationLine.objects.filter(reason=national_year.FRAME_REASON).count() > 0


def test_the_regional_schemes_cap_holds_in_every_round_that_runs_it(finished):
    cap = SchemeCap.objects.select_related("scheme").get(scheme__code="rekomp")
    rounds = [r for r in _past() if r.round_schemes.filter(scheme=cap.scheme).exists()]
    assert len(rounds) == 10  # rekomp runs until 2025
    for round in rounds:
        capped = set(
            Measure.objects.filter(report__round=round, scheme=cap.scheme, purpose__in=cap.uses).values_list(
                "pk", flat=True
            )
        )
        version = final_version(round)
        assert version is not None
        given = sum(line.total for line in lines_of(version) if line.measure in capped)
        frame = round.round_schemes.get(scheme=cap.scheme).budget or 0
        assert given * 100 <= frame * cap.percent


def test_each_step_is_on_record_on_its_day_with_its_events(finished):
    round = Round.objects.select_related("office").filter(year=2025).order_by("office__slug").first()
    assert round is not None
    compilations = Compilation.objects.filter(round=round)
    assert compilations.exists() and not compilations.exclude(status=Compilation.Status.DELIVERED).exists()
    assert CompilationEvent.objects.filter(compilation__round=round, kind="delivered").count() == compilations.count()
    assert {v.delivered_at.date() for c in compilations for v in c.versions.all()} == {dt.date(2025, 1, 10)}
    main = Recommendation.objects.main().get(round=round)
    steps = list(main.steps.order_by("number"))
    assert [(s.to_status, s.meeting_date) for s in steps] == [
        ("preliminary", dt.date(2025, 3, 13)),
        ("final", dt.date(2025, 3, 18)),
    ]
    seats = set(ForumMember.objects.filter(forum__office=round.office).values_list("pk", flat=True))
    assert all({seat["seat"] for seat in s.present} == seats for s in steps)
    assert all(s.decided_how == RecommendationStep.DecidedHow.CONSENSUS for s in steps)
    assert main.events.filter(kind=RecommendationEvent.Kind.SUGGESTED).exists()
    decisions = Decision.objects.filter(round=round)
    assert {d.decided_at.date() for d in decisions} == {dt.date(2025, 4, 15)}
    assert DecisionEvent.objects.filter(decision__round=round, kind="decided").count() == decisions.count()
    payments = Payment.objects.in_round(round)
    assert set(payments.values_list("paid_on", flat=True)) == {dt.date(2025, 4, 15)}
    assert PaymentEvent.objects.filter(payment__in=payments, kind="paid").count() == payments.count()


def test_the_years_e_mails_are_history_sent_on_their_day_not_waiting_for_a_worker(finished):
    assert not Notification.objects.queued().exists()
    letters = Notification.objects.filter(kind="decision_letter")
    assert letters.count() == Decision.objects.count()
    assert DecisionEvent.objects.filter(kind="letter_sent").count() == letters.count()
    assert {n.sent_at.date() for n in letters if n.sent_at} <= {dt.date(2025, 4, 15), dt.date(2026, 4, 15)}


def _record() -> dict[str, Any]:
    return {
        "compilation events": CompilationEvent.objects.count(),
        "recommendation events": RecommendationEvent.objects.count(),
        "versions": RecommendationVersion.objects.count(),
        "decision events": DecisionEvent.objects.count(),
        "payments": list(Payment.objects.order_by("pk").values_list("pk", "status", "paid_on")),
        "payment events": PaymentEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_running_it_again_passes_over_every_decided_round_and_records_nothing(finished):
    before = _record()
    with time_machine.travel(TODAY, tick=False):
        again = national_year.run(through="payments", log=lambda _line: None)
    assert (again.rounds, again.skipped, again.decisions, again.paid) == (20, 20, 0, 0)
    assert _record() == before


def test_a_round_taken_to_its_recommendation_is_decided_on_a_later_run(finished):
    # The newest round (its submitted reports only; its days still to come), the one with the most submitted.
    submitted = Count("needs_reports", filter=Q(needs_reports__status="submitted"))
    round = Round.objects.filter(year=2027).annotate(n=submitted).order_by("-n", "pk").first()
    assert round is not None and round.n > 0  # type: ignore[attr-defined]
    with time_machine.travel(TODAY, tick=False):
        first = national_year.run(through="recommendation", rounds=[round], log=lambda _line: None)
        assert first.compilations > 0 and first.decisions == 0
        assert Recommendation.objects.main().get(round=round).status == Recommendation.Status.FINAL
        then = national_year.run(through="payments", rounds=[round], log=lambda _line: None)
    assert then.decisions == Decision.objects.filter(round=round).count() > 0
    assert then.paid == 0 and Payment.objects.in_round(round).to_pay().count() == then.decisions  # 15.04.2027
    result = reconcile(round)
    assert result.ok and result.decided and result.recommended == result.ordinary == result.payments


def test_generate_national_replaces_the_data_with_clear_and_decides_the_past_rounds_by_default(finished):
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command(
            "generate_national", "--years", "2", "--scale", "0.01", "--last-year", "2027", "--clear", stdout=out
        )
    assert Round.objects.count() == 20
    results = reconcile_every_round()
    assert sorted({round.year for round in results}) == [2026] and len(results) == 10
    assert all(result.ok and result.paid == result.ordinary > 0 for result in results.values())
