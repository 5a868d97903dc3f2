"""The workspace page and the saving of a line: who may, what a bad input or a stale line gives, the queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..models import Recommendation, RecommendationEvent
from .overview_helpers import in_english, text
from .recommendation_helpers import RecommendationRound, make_recommendation_round, set_as_asked, url

pytestmark = [pytest.mark.django_db, pytest.mark.cast(year=2024)]
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def r(cast: Any) -> RecommendationRound:
    return make_recommendation_round(cast, count=4, frame=1_000_000)


def line_url(r: RecommendationRound, line: Any, preset: str = "") -> str:
    return (
        url(r.round, "recommendation_preset", line.pk, preset)
        if preset
        else url(r.round, "recommendation_line", line.pk)
    )


def test_the_forum_sees_every_measure_grouped_by_network_in_the_networks_order(
    client: Any, r: RecommendationRound
) -> None:
    client.force_login(r.member)
    response = client.get(url(r.round))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = text(response)
    for measure in r.measures:
        assert f'id="line-{r.line(measure).pk}"' in page
    # network 0 holds measures 1 and 3 (priorities 1, 2), before network 1's in name order
    assert page.index("Tiltak 1") < page.index("Tiltak 3")
    assert "kr 1 000 000" in page


@pytest.mark.parametrize("who", ["member", "deputy", "secretariat"])
def test_the_forum_and_the_secretariat_may_open_it(client: Any, r: RecommendationRound, who: str) -> None:
    client.force_login(getattr(r, who))
    assert client.get(url(r.round)).status_code == 200
    assert client.get(url(r.round, "recommendation_totals")).status_code == 200


def test_someone_outside_the_forum_is_told_no_and_a_stranger_round_is_not_found(
    client: Any, r: RecommendationRound
) -> None:
    client.force_login(r.outsider)
    assert client.get(url(r.round)).status_code == 403
    line = r.line(r.measures[1])
    assert client.post(line_url(r, line), {"base": 1, "owner": "1", "partner": "1"}).status_code == 403
    client.force_login(r.member)
    assert client.get(f"/runder/{r.round.office.slug}/1999/innstilling/").status_code == 404
    assert client.get(url(r.round, "recommendation_what_if", 999_999)).status_code == 404
    assert client.post(url(r.round, "recommendation_line", 999_999), {"base": 1}).status_code == 404


def test_the_page_and_a_line_answer_only_their_methods(client: Any, r: RecommendationRound) -> None:
    client.force_login(r.member)
    line = r.line(r.measures[1])
    assert client.post(url(r.round)).status_code == 405
    assert client.get(line_url(r, line)).status_code == 405
    assert client.get(line_url(r, line, "zero")).status_code == 405


def test_saving_a_line_stores_the_amounts_and_answers_with_the_version_and_totals(
    client: Any, r: RecommendationRound
) -> None:
    client.force_login(r.member)
    line = r.line(r.measures[1])
    answer = client.post(
        line_url(r, line), {"base": 1, "owner": "kr 90 000", "partner": "40 000", "reason": "Kutt"}, **JSON
    )
    assert answer.status_code == 200
    data = answer.json()
    assert (data["version"], data["owner"], data["partner"]) == (2, 90_000, 40_000)
    assert 'id="totals"' in data["totals"] and "130" in data["totals"]
    line.refresh_from_db()
    assert (line.owner_amount, line.partner_amount, line.reason, line.updated_by) == (90_000, 40_000, "Kutt", r.member)


def test_a_preset_sets_the_amounts_and_a_plain_post_comes_back_to_the_page(client: Any, r: RecommendationRound) -> None:
    client.force_login(r.member)
    line = r.line(r.measures[1])
    answer = client.post(line_url(r, line, "minus_10"), {"base": 1})
    assert answer.status_code == 302 and answer["Location"].endswith(f"#line-{line.pk}")
    line.refresh_from_db()
    assert (line.owner_amount, line.partner_amount) == (90_900, 45_000)


@pytest.mark.parametrize(
    "data",
    [
        {"base": 1, "owner": "tusen", "partner": "1"},
        {"base": 1, "owner": "9" * 60, "partner": "1"},
        {"base": 1, "owner": "1\x00", "partner": "1"},
        {"base": 1, "owner": "-5", "partner": "1"},
        {"base": "x", "owner": "1", "partner": "1"},
        {"owner": "1", "partner": "1"},
        {"base": 1, "owner": "1", "partner": "1", "reason": "a\x00b"},
        {"base": 1, "owner": "1", "partner": "1", "reason": "x" * 3000},
    ],
)
def test_bad_input_is_refused_in_norwegian_and_changes_nothing(client: Any, r: RecommendationRound, data: Any) -> None:
    client.force_login(r.member)
    line = r.line(r.measures[1])
    answer = client.post(line_url(r, line), data, **JSON)
    assert answer.status_code == 400
    assert answer.json()["error"]
    page = client.post(line_url(r, line), data)
    assert page.status_code == 400 and 'id="line-error"' in text(page)
    line.refresh_from_db()
    assert line.owner_amount is None and line.version == 1


def test_an_unknown_preset_is_refused(client: Any, r: RecommendationRound) -> None:
    client.force_login(r.member)
    answer = client.post(line_url(r, r.line(r.measures[1]), "half"), {"base": 1}, **JSON)
    assert answer.status_code == 400


def test_the_second_person_gets_the_first_persons_amounts_and_may_save_again(
    client: Any, r: RecommendationRound
) -> None:
    line = r.line(r.measures[1])
    client.force_login(r.deputy)
    assert client.post(line_url(r, line), {"base": 1, "owner": "10", "partner": "20"}, **JSON).status_code == 200
    client.force_login(r.member)
    stale = client.post(line_url(r, line), {"base": 1, "owner": "30", "partner": "40"}, **JSON)
    assert stale.status_code == 409
    data = stale.json()
    assert data["stale"] and (data["owner"], data["partner"], data["version"]) == (10, 20, 2)
    again = client.post(line_url(r, line), {"base": data["version"], "owner": "30", "partner": "40"}, **JSON)
    assert again.status_code == 200
    olds = list(
        RecommendationEvent.objects.filter(line=line, field="owner_amount").order_by("pk").values_list("old", "new")
    )
    assert olds == [("", "10"), ("10", "30")]


def test_a_final_recommendation_is_shown_but_not_changed(client: Any, r: RecommendationRound) -> None:
    Recommendation.objects.filter(pk=r.recommendation.pk).update(status="final")
    client.force_login(in_english(client) and r.member)
    page = client.get(url(r.round))
    assert page.status_code == 200 and 'id="locked"' in text(page)
    answer = client.post(line_url(r, r.line(r.measures[1])), {"base": 1, "owner": "1", "partner": "1"}, **JSON)
    assert answer.status_code == 423


def test_a_frame_exceeded_is_shown_at_once_and_says_final_is_blocked(client: Any, r: RecommendationRound) -> None:
    r.round.round_schemes.get(scheme=r.scheme).set_frame(100_000, by=None)
    client.force_login(r.member)
    in_english(client)
    line = r.line(r.measures[1])
    data = client.post(line_url(r, line, "as_asked"), {"base": 1}, **JSON).json()
    assert "lk-exceeded" in data["totals"] and "Frame exceeded" in data["totals"]
    page = text(client.get(url(r.round)))
    assert "The final recommendation is blocked until every frame holds." in page


def test_a_disqualified_member_neither_sees_nor_saves_the_partnerships_lines(
    client: Any, r: RecommendationRound
) -> None:
    client.force_login(r.disqualified)
    in_english(client)
    mine, theirs = r.line(r.measures[0]), r.line(r.measures[1])
    page = text(client.get(url(r.round)))
    assert f'id="line-{theirs.pk}"' in page
    assert f'id="line-{mine.pk}"' not in page and r.measures[0].name + "<" not in page
    assert 'id="hidden-lines"' in page
    assert client.post(line_url(r, mine), {"base": 1, "owner": "1", "partner": "1"}, **JSON).status_code == 403
    assert client.post(line_url(r, mine, "zero"), {"base": 1}, **JSON).status_code == 403
    mine.refresh_from_db()
    assert mine.owner_amount is None


def test_a_what_if_is_served_by_the_same_page_with_its_name_and_a_way_back(client: Any, r: RecommendationRound) -> None:
    what_if = r.recommendation.copy("Stramt budsjett", by=r.member)
    client.force_login(r.member)
    page = client.get(url(r.round, "recommendation_what_if", what_if.pk))
    assert page.status_code == 200
    assert "Stramt budsjett" in text(page) and 'id="back-to-main"' in text(page)
    line = what_if.lines.get(measure=r.measures[1])
    assert client.post(line_url(r, line, "zero"), {"base": line.version}, **JSON).status_code == 200
    assert r.line(r.measures[1]).owner_amount is None  # the main recommendation is not changed


@pytest.mark.parametrize("count", [6, 60])
def test_the_page_takes_a_bounded_number_of_queries(client: Any, cast: Any, count: int) -> None:
    r = make_recommendation_round(cast, count=count, assessed=count < 10)
    client.force_login(r.member)
    client.get(url(r.round))  # the first visit starts nothing new, but warms the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(r.round)).status_code == 200
    assert len(queries) <= 15, "\n".join(q["sql"][:150] for q in queries.captured_queries)


@pytest.mark.parametrize("count", [6, 60])
def test_one_edit_from_the_page_takes_a_bounded_number_of_queries(client: Any, cast: Any, count: int) -> None:
    r = make_recommendation_round(cast, count=count, assessed=count < 10)
    client.force_login(r.member)
    line = set_as_asked(r.recommendation, r.measures[1])
    data = {"owner": "1000", "partner": str(line.partner_amount), "base": line.version}  # one amount changed
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(line_url(r, line), data, **JSON)
    assert answer.status_code == 200
    assert answer.json()["version"] == line.version + 1 and 'id="totals-table"' in answer.json()["totals"]
    assert len(queries) <= 15, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_saving_a_line_takes_a_few_queries(client: Any, r: RecommendationRound) -> None:
    line = r.line(r.measures[1])
    with CaptureQueriesContext(connection) as queries:
        line.set(1, 2, base=1, by=r.member)
    assert len(queries) <= 8, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_the_round_page_the_worklist_and_the_overview_link_to_the_workspace(
    client: Any, r: RecommendationRound
) -> None:
    client.force_login(r.member)
    for path in (r.round.get_absolute_url(), url(r.round, "assessments"), url(r.round, "assessment_overview")):
        page = text(client.get(path))
        assert url(r.round) in page, path
    client.force_login(r.outsider)
    assert url(r.round) not in text(client.get(r.round.get_absolute_url()))
