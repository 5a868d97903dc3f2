"""The demo's middle of 2024: both networks delivered by 10 January, the forum declared and assessed every measure."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from lokalkomp.accounts.models import User
from lokalkomp.allocation.conflicts import disqualified_partnership_ids
from lokalkomp.allocation.models import Assessment, Compilation, CompilationEvent, CompilationVersion, Declaration
from lokalkomp.demo import middle
from lokalkomp.demo.build import build
from lokalkomp.needs.checks import problems
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import Round, Transition
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
DEADLINE = dt.date(2024, 1, 10)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the tests' own (conftest.py)
YTRE, INDRE = "God opplæring for alle", middle.IH_PARTNERSHIP


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo, built once for the module in a transaction rolled back after its last test (as setUpTestData)."""
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


@pytest.fixture
def demo(_built, db):
    return Round.objects.select_related("office").get(office__slug="nordland", year=2024)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _measures(partnership: str) -> list[Measure]:
    return list(
        Measure.objects.filter(report__partnership__name=partnership, report__round__year=2024).order_by("position")
    )


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def _row(page: str, measure: Measure) -> str:
    return page.split(f'id="measure-{measure.pk}"')[1].split("</tr>")[0]


def test_indre_helgeland_has_a_submitted_2024_report_that_passed_the_checklist_before_15_december(demo):
    report = NeedsReport.objects.get(partnership__name=INDRE, round=demo)
    assert report.status == NeedsReport.Status.SUBMITTED
    assert report.partnership.network.slug == "indre-helgeland"
    assert list(report.versions.values_list("number", flat=True)) == [1]
    assert report.measures.count() == 8  # five, and the coordinator in each of the three schemes
    assert set(report.measures.values_list("scheme__code", flat=True)) == {"rekomp", "dekomp", "kompetanseloftet"}
    assert demo.deadline(Transition.NEEDS_REPORTS).last_day == dt.date(2023, 12, 15)
    assert problems(report, middle.SUBMITTED_AT) == []
    assert [(e.from_status, e.to_status) for e in report.events.order_by("pk")] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


@pytest.mark.parametrize(
    ("slug", "coordinator", "count"),
    [("ytre-helgeland", "koordinator@lokalkomp.test", 8), ("indre-helgeland", "koordinator-ih@lokalkomp.test", 8)],
)
def test_each_network_delivered_its_compilation_before_10_january_as_version_1(demo, slug, coordinator, count):
    compilation = Compilation.objects.get(round=demo, network__slug=slug)
    (version,) = compilation.versions.all()
    assert version.number == 1
    assert version.delivered_by == _user(coordinator)
    assert version.delivered_at.astimezone(middle.OSLO).date() < DEADLINE
    assert demo.deadline(Transition.NETWORK_COMPILATION).last_day == DEADLINE
    assert compilation.status == Compilation.Status.DELIVERED
    assert compilation.comment
    entries = compilation.ordered_entries()
    assert len(entries) == count
    (refused,) = [e for e in entries if not e.recommended]
    assert refused.reason
    kinds = set(compilation.events.values_list("kind", flat=True))
    assert {CompilationEvent.Kind.ORDERED, CompilationEvent.Kind.MARKED, CompilationEvent.Kind.DELIVERED} <= kinds


def test_ytre_helgeland_delivered_its_measures_in_the_networks_order(demo):
    compilation = Compilation.objects.get(round=demo, network__slug="ytre-helgeland")
    positions = [e.measure.position for e in compilation.ordered_entries()]
    assert positions == middle.COMPILATIONS[0].order["dekomp"]
    refused = next(e for e in compilation.ordered_entries() if not e.recommended)
    assert refused.measure.name == "Magisk måned"


@pytest.mark.parametrize(
    ("partnership", "assessors"),
    [
        (YTRE, {"forum@lokalkomp.test", "vara@lokalkomp.test"}),
        (INDRE, {"forum@lokalkomp.test", "vara@lokalkomp.test", "forum-uh@lokalkomp.test"}),
    ],
)
def test_every_measure_has_a_shared_assessment_by_each_qualified_member(demo, partnership, assessors):
    for measure in _measures(partnership):
        assessments = list(Assessment.objects.filter(measure=measure).select_related("assessor"))
        assert {a.assessor.email for a in assessments} == assessors, measure.name
        assert all(a.shared and a.recommendation for a in assessments)
        assert all(a.scores.exclude(score="").count() == 5 for a in assessments)


def test_the_three_assessors_and_the_fagutvalg_member_declared_no_other_ties_for_the_round(demo):
    declared = Declaration.objects.filter(round=demo).select_related("person")
    assert sorted(d.person.email for d in declared) == sorted((*middle.ASSESSORS, middle.FAGUTVALG))
    assert all(d.no_other_ties for d in declared)


def test_the_hinn_member_is_disqualified_from_ytre_helgeland_by_her_forum_seat(demo):
    ytre = NeedsReport.objects.get(partnership__name=YTRE, round=demo).partnership
    assert disqualified_partnership_ids(_user("forum-uh@lokalkomp.test"), demo) == {ytre.pk}
    assert disqualified_partnership_ids(_user("forum@lokalkomp.test"), demo) == set()
    assert disqualified_partnership_ids(_user("vara@lokalkomp.test"), demo) == set()


def test_the_hinn_member_is_refused_on_ytre_helgelands_assessment_form_and_may_open_indre_helgelands(client, demo):
    client.force_login(_user("forum-uh@lokalkomp.test"))
    refused = client.get(reverse("allocation:assess", args=["nordland", 2024, _measures(YTRE)[0].pk]))
    assert refused.status_code == 403
    allowed = client.get(reverse("allocation:assess", args=["nordland", 2024, _measures(INDRE)[0].pk]))
    assert allowed.status_code == 200


def test_the_hinn_members_work_list_marks_ytre_helgeland_disqualified(client, demo):
    client.force_login(_user("forum-uh@lokalkomp.test"))
    page = _text(_in_english(client).get(reverse("allocation:assessments", args=["nordland", 2024])))
    for measure in _measures(YTRE):
        assert 'data-status="disqualified"' in _row(page, measure)
    for measure in _measures(INDRE):
        assert 'data-status="shared"' in _row(page, measure)


def _expected(key: tuple[str, int], assessors: tuple[str, ...]) -> tuple[int, int]:
    """The overview's score (met 2, partly 1, not met 0, as a share of the most) and «prioritise» votes."""
    given = [middle.scores_for(key, a) for a in assessors]
    points = sum({"met": 2, "partly": 1, "not_met": 0}[s] for scores in given for s in scores)
    votes = sum(middle.recommendation_for(scores) == "prioritise" for scores in given)
    return round(100 * points / (2 * 5 * len(assessors))), votes


def test_the_overview_shows_the_forum_members_every_measures_scores(client, demo, django_assert_max_num_queries):
    client.force_login(_user("forum@lokalkomp.test"))
    with django_assert_max_num_queries(15):
        response = _in_english(client).get(reverse("allocation:assessment_overview", args=["nordland", 2024]))
    assert response.status_code == 200
    page = _text(response)
    assert "16 of 16 measures." in page
    for partnership, slug, assessors in (
        (YTRE, "ytre-helgeland", middle.ASSESSORS[:2]),
        (INDRE, "indre-helgeland", middle.ASSESSORS),
    ):
        for measure in _measures(partnership):
            row = _row(page, measure)
            score, votes = _expected((slug, measure.position), assessors)
            assert "Disqualified" not in row
            assert row.rstrip().endswith(f">{score}</td>"), measure.name  # the last column: the score
            assert f"<strong>{votes}</strong>" in row, measure.name


def test_the_overview_shows_the_hinn_member_no_numbers_of_ytre_helgeland(client, demo):
    client.force_login(_user("forum-uh@lokalkomp.test"))
    page = _text(_in_english(client).get(reverse("allocation:assessment_overview", args=["nordland", 2024])))
    for measure in _measures(YTRE):
        row = _row(page, measure)
        assert "Disqualified" in row and "lk-bar" not in row


def test_loading_the_demo_again_changes_nothing(demo):
    def rows() -> dict[str, object]:
        return {
            "versions": list(CompilationVersion.objects.order_by("pk").values_list("pk", "number", "delivered_at")),
            "events": CompilationEvent.objects.count(),
            "assessments": list(Assessment.objects.order_by("pk").values_list("pk", "version", "shared_at")),
            "declarations": Declaration.objects.count(),
            "reports": list(NeedsReport.objects.order_by("pk").values_list("pk", "status", "version")),
            "report versions": list(NeedsReport.objects.values_list("versions__pk", flat=True).order_by("pk")),
        }

    before = rows()
    with time_machine.travel(TODAY, tick=False):
        build()
    assert rows() == before


def test_the_steps_are_the_years_and_no_other():
    assert middle.STEPS == ("submitted", "compiled", "declared", "assessed")
    with pytest.raises(ValueError, match="upto"):
        middle.build(upto="decided")
