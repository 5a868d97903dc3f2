"""The recommendation's lines (set, presets, events, turns, locks) and the rules it is held to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lokalkomp.needs.models import NeedsReport, NeedsReportScheme
from lokalkomp.schemes.models import Scheme

from ..models import Recommendation, RecommendationEvent
from ..models.recommendation import MAX_AMOUNT, Locked, NotReady, StaleLine
from ..recommendation_checks import blocking_problems, check
from .recommendation_helpers import RecommendationRound, make_recommendation_round, set_as_asked, submitted
from .whatif_helpers import divide

pytestmark = [pytest.mark.django_db, pytest.mark.cast(year=2024)]


@pytest.fixture
def r(cast: Any) -> RecommendationRound:
    return make_recommendation_round(cast, count=4, frame=1_000_000, assessed=False)


def all_as_asked(r: RecommendationRound) -> None:
    for measure in r.measures:
        set_as_asked(r.recommendation, measure)


def rules_of(recommendation: Recommendation) -> list[str]:
    return [p.rule for p in check(recommendation).blocking]


# ── The line ──


def test_setting_amounts_stores_them_bumps_the_version_and_writes_an_event_per_amount(r: RecommendationRound) -> None:
    line = r.line(r.measures[0])
    assert line.set(90_000, 40_000, base=1, by=r.member, reason="Litt mindre") is True
    line.refresh_from_db()
    assert (line.owner_amount, line.partner_amount, line.reason, line.version) == (90_000, 40_000, "Litt mindre", 2)
    events = {e.field: e for e in RecommendationEvent.objects.filter(line=line)}
    assert (events["owner_amount"].old, events["owner_amount"].new) == ("", "90000")
    assert events["owner_amount"].reason == "Litt mindre"
    assert events["owner_amount"].actor == r.member
    assert (events["reason"].old, events["reason"].new) == ("", "Litt mindre")


def test_setting_the_same_amounts_again_changes_nothing(r: RecommendationRound) -> None:
    line = r.line(r.measures[0])
    line.set(1, 2, base=1, by=r.member)
    assert line.set(1, 2, base=2, by=r.member) is False
    assert line.version == 2


def test_the_presets_give_as_asked_nothing_and_ten_per_cent_less(r: RecommendationRound) -> None:
    line = r.line(r.measures[1])  # asks 101 000 + 50 000
    assert line.preset_amounts("as_asked") == (101_000, 50_000)
    assert line.preset_amounts("zero") == (0, 0)
    assert line.preset_amounts("minus_10") == (90_900, 45_000)
    with pytest.raises(ValidationError):
        line.preset_amounts("half")


def test_a_change_made_on_an_old_version_is_refused_with_the_other_persons_amounts(r: RecommendationRound) -> None:
    mine, theirs = r.line(r.measures[0]), r.line(r.measures[0])
    theirs.set(10, 20, base=1, by=r.deputy)
    with pytest.raises(StaleLine) as refused:
        mine.set(30, 40, base=1, by=r.member)
    assert (refused.value.line.owner_amount, refused.value.line.partner_amount) == (10, 20)
    assert refused.value.line.version == 2
    mine.refresh_from_db()
    assert (mine.owner_amount, mine.partner_amount) == (10, 20)


def test_a_final_recommendation_is_locked(r: RecommendationRound) -> None:
    Recommendation.objects.filter(pk=r.recommendation.pk).update(status="final")
    line = r.line(r.measures[0])
    with pytest.raises(Locked):
        line.set(1, 1, base=1, by=r.member)


@pytest.mark.parametrize("amount", [-1, MAX_AMOUNT + 1, 10**30])
def test_an_amount_out_of_range_is_refused(r: RecommendationRound, amount: int) -> None:
    with pytest.raises(ValidationError):
        r.line(r.measures[0]).set(amount, 0, base=1, by=r.member)


def test_a_nul_byte_in_the_justification_is_refused(r: RecommendationRound) -> None:
    line = r.line(r.measures[0])
    with pytest.raises(ValidationError):
        line.set(1, 1, base=1, by=r.member, reason="a\x00b")
    line.refresh_from_db()
    assert line.owner_amount is None


# ── The checks ──


def test_a_recommendation_as_asked_within_the_frame_has_no_problem(r: RecommendationRound) -> None:
    all_as_asked(r)
    checks = check(r.recommendation)
    assert checks.blocking == []
    total = checks.totals[0]
    assert (total.frame, total.total, total.remaining) == (1_000_000, 606_000, 394_000)
    assert blocking_problems(r.recommendation) == []


def test_an_undecided_line_blocks_the_final_step(r: RecommendationRound) -> None:
    set_as_asked(r.recommendation, r.measures[0])
    assert rules_of(r.recommendation) == ["undecided"] * 3


def test_a_frame_exceeded_blocks_the_final_step_and_says_by_how_much(r: RecommendationRound) -> None:
    r.round.round_schemes.get(scheme=r.scheme).set_frame(500_000, by=None)
    all_as_asked(r)
    checks = check(r.recommendation)
    assert [p.rule for p in checks.blocking] == ["frame"]
    assert "106" in checks.blocking[0].message and checks.exceeded[0].remaining == -106_000
    meeting = {"by": r.secretariat, "meeting_date": dt.date(2024, 3, 18), "present": [], "decided_how": "consensus"}
    r.recommendation.advance(to="preliminary", **meeting)
    with pytest.raises(NotReady) as refused:
        r.recommendation.advance(to="final", **meeting)
    assert refused.value.problems == [checks.blocking[0].message]
    assert Recommendation.objects.get(pk=r.recommendation.pk).status == "preliminary"


def test_a_networks_share_exceeded_blocks_even_within_the_whole_frame(r: RecommendationRound) -> None:
    divide(r.round, {r.networks[0]: 1, r.networks[1]: 3})  # 250 000 and 750 000 of 1 000 000
    all_as_asked(r)  # network 0: 150 000 + 152 000 = 302 000
    checks = check(r.recommendation)
    assert [p.rule for p in checks.blocking] == ["share"]
    shares = {t.network_pk: t for t in checks.totals if t.network_pk}
    assert shares[r.networks[0].pk].frame == 250_000 and shares[r.networks[0].pk].exceeded
    assert not shares[r.networks[1].pk].exceeded


def test_rekomps_cap_for_basic_competence_is_held_against_the_frame(cast: Any) -> None:
    rekomp = Scheme.objects.get(code="rekomp")
    r = make_recommendation_round(cast, count=0, frame=1_000_000, assessed=False, scheme=rekomp)
    basic = submitted(r.round, r.networks[0], "Grunnkompetanse", 300_000, 10_000, rekomp, purpose="basic_competence")
    r.recommendation.sync()
    set_as_asked(r.recommendation, basic)
    problems = check(r.recommendation).blocking
    assert [p.rule for p in problems] == ["cap"]
    assert "30" in problems[0].message


def test_dekomps_co_financing_is_compared_with_what_the_report_declared(cast: Any) -> None:
    dekomp = Scheme.objects.get(code="dekomp")
    r = make_recommendation_round(cast, count=0, frame=1_000_000, assessed=False, scheme=dekomp)
    measure = submitted(r.round, r.networks[0], "Lesing", 100_000, 100_000, dekomp)
    NeedsReportScheme.objects.filter(report=measure.report, scheme=dekomp).update(co_financing_amount=50_000)
    r.recommendation.sync()
    set_as_asked(r.recommendation, measure)
    warnings = check(r.recommendation).warnings
    assert [p.rule for p in warnings] == ["co_financing"]
    assert "60" in warnings[0].message and "50" in warnings[0].message  # 30 % of 200 000 against 50 000
    NeedsReportScheme.objects.filter(report=measure.report, scheme=dekomp).update(co_financing_amount=60_000)
    assert check(r.recommendation).warnings == []


def test_a_forbidden_use_blocks_the_final_step(r: RecommendationRound) -> None:
    all_as_asked(r)
    type(r.measures[0]).objects.filter(pk=r.measures[0].pk).update(purpose="further_education")
    assert rules_of(r.recommendation) == ["use"]


def test_an_amount_other_than_asked_needs_a_justification_in_the_main_recommendation(r: RecommendationRound) -> None:
    all_as_asked(r)
    line = r.line(r.measures[0])
    line.set(0, 0, base=line.version, by=r.member)
    assert rules_of(r.recommendation) == ["justification"]
    line.set(0, 0, base=line.version, by=r.member, reason="Ikke i tråd med planen")
    assert rules_of(r.recommendation) == []


def test_a_what_if_may_leave_out_the_justification(r: RecommendationRound) -> None:
    all_as_asked(r)
    what_if = r.recommendation.copy("Kutt", by=r.member)
    line = r.line(r.measures[0], what_if)
    line.set(0, 0, base=line.version, by=r.member)
    assert rules_of(what_if) == []
    assert [p.rule for p in check(what_if).warnings] == ["justification"]


def test_a_line_of_a_report_sent_back_cannot_keep_its_money(r: RecommendationRound) -> None:
    all_as_asked(r)
    NeedsReport.objects.filter(pk=r.measures[0].report_id).update(status=NeedsReport.Status.DRAFT)
    assert rules_of(r.recommendation) == ["sent_back"]
    line = r.line(r.measures[0])
    line.set(0, 0, base=line.version, by=r.member, reason="Sendt tilbake")
    assert rules_of(r.recommendation) == []
