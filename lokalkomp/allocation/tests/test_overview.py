"""The assessment overview's numbers on a hand-made round, seen by the secretariat, a member and a disqualified member."""

from __future__ import annotations

import pytest

from lokalkomp.allocation.models import Assessment
from lokalkomp.allocation.overview import build

from .overview_helpers import build_round, in_english, row, text, url

pytestmark = pytest.mark.cast(year=2024)  # three schemes (overview_helpers)


@pytest.fixture
def r3(cast):
    return build_round(cast)


def rows_of(user, r3, **params):
    overview = build(user, r3.cast.round, params)
    return overview, {row.name: row for row in overview.rows}


def tallies(row) -> list[tuple[int, int, int]]:
    return [(t.met, t.partly, t.not_met) for t in row.tallies]


def test_the_secretariat_counts_every_assessment_but_those_written_by_a_disqualified_member(r3):
    overview, rows = rows_of(r3.cast.governor, r3)
    assert overview.secretariat and [c.number for c in overview.criteria] == [1, 2, 3, 4, 5]
    lesing, skriving, regning = rows["Lesing"], rows["Skriving"], rows["Regning"]
    # A: Anna and Bjørn; Cato's «prioritise» is his own partnership's and counts for no one.
    assert (lesing.assessments, lesing.prioritise, lesing.possible, lesing.do_not_fund) == (2, 1, 1, 0)
    assert tallies(lesing) == [(1, 1, 0), (1, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 0)]
    assert lesing.score == round(100 * (4 * 3 + 2) / 20)  # 4 criteria 2+1, one 2+0: 14 of 20 points
    prioritise = str(Assessment.Recommendation.PRIORITISE.label)
    assert [(a.assessor, a.recommendation, a.shared) for a in lesing.by_disqualified] == [
        ("Cato Vurderer", prioritise, True)
    ]
    # B: all three, Bjørn's draft too (the secretariat sees every assessment).
    assert (skriving.assessments, skriving.drafts, skriving.prioritise, skriving.do_not_fund) == (3, 1, 2, 1)
    assert tallies(skriving) == [(2, 0, 1)] * 5 and skriving.by_disqualified == []
    assert (regning.assessments, regning.score, tallies(regning)) == (0, None, [(0, 0, 0)] * 5)
    assert overview.left_out == 1 and overview.disqualified == 0


def test_a_member_counts_their_own_and_the_shared_assessments_and_nothing_of_a_disqualified_author(r3):
    overview, rows = rows_of(r3.anna, r3)
    assert not overview.secretariat and overview.left_out == 0
    lesing, skriving = rows["Lesing"], rows["Skriving"]
    assert (lesing.assessments, lesing.prioritise, lesing.possible) == (2, 1, 1)  # not Cato's
    assert lesing.by_disqualified == []
    # B: her own and Cato's shared one; Bjørn's draft is his alone.
    assert (skriving.assessments, skriving.drafts, skriving.prioritise, skriving.do_not_fund) == (2, 0, 1, 1)
    assert tallies(skriving) == [(1, 0, 1)] * 5


def test_a_disqualified_member_sees_the_measure_marked_with_no_numbers(r3):
    overview, rows = rows_of(r3.cato, r3)
    lesing = rows["Lesing"]
    assert lesing.disqualified and overview.disqualified == 1
    assert (lesing.assessments, lesing.votes, lesing.score, lesing.by_disqualified) == (0, {}, None, [])
    assert tallies(lesing) == [(0, 0, 0)] * 5
    assert lesing.assess_url == "" and lesing.text_url == ""
    assert rows["Skriving"].assessments == 2 and not rows["Skriving"].disqualified  # Anna's and his own


def test_the_page_shows_the_numbers_per_criterion_as_text_and_bar(client, r3):
    client.force_login(r3.cast.governor)
    response = in_english(client).get(url(r3.cast.round))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    line = row(text(response), r3.a)
    assert "Lesing" in line and "kr 300 000" in line and "owner kr 200 000" in line and "UH kr 100 000" in line
    assert "1 met, 0 partly met, 1 not met" in line  # criterion 3, for screen readers
    assert "1 · 0 · 1" in line and 'class="lk-scorebar lk-m5 lk-p0"' in line
    assert "<strong>1</strong> · 1 · 0" in line  # prioritise · possible · do not fund
    assert "1 written by a disqualified member" in line and "Cato Vurderer: Prioritise" in line
    assert f"/behovsmeldinger/{r3.a.report_id}/#measure-{r3.a.pk}" in line  # one click to the full text
    assert url(r3.cast.round, "assessment_overview_measure", r3.a.pk) in line
    assert "not delivered" in line  # the network has not delivered its compilation


def test_a_disqualified_member_gets_no_scores_votes_or_links_in_the_page_or_the_partial(client, r3):
    client.force_login(r3.cato)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = in_english(client).get(url(r3.cast.round), **headers)
        assert response.status_code == 200
        page = text(response)
        line = row(page, r3.a)
        assert "Disqualified" in line and "data-disqualified" in line
        assert "lk-scorebar" not in line and "<strong>" not in line.replace('<strong class="lk-disqualified">', "")
        assert "/vurdering/tiltak/" not in line and "/behovsmeldinger/" not in line and "/oversikt/tiltak/" not in line
        assert "Anna" not in page and "Bjørn" not in page  # names are the secretariat's
    assert "<html" not in text(client.get(url(r3.cast.round), HTTP_HX_REQUEST="true"))  # the partial alone


def test_a_member_sees_a_link_to_assess_each_measure_they_may_assess(client, r3):
    client.force_login(r3.anna)
    page = text(client.get(url(r3.cast.round)))
    assert url(r3.cast.round, "assess", r3.a.pk) in row(page, r3.a)
    assert "Cato" not in page  # the disqualified author is not named to a member


def test_the_network_priority_is_the_place_in_the_latest_delivered_compilation(client, r3):
    from lokalkomp.allocation.models import Compilation

    compilation = Compilation.of(r3.cast.round, r3.cast.network)
    compilation.sync()
    compilation.refresh_from_db()
    skriving = compilation.entries.get(measure=r3.b)
    compilation.place(skriving, 1, expected_version=compilation.version, by=None)
    compilation.refresh_from_db()
    compilation.mark(
        compilation.entries.get(measure=r3.a),
        recommended=False,
        reason="Dekkes av et annet tiltak",
        expected_version=compilation.version,
        by=None,
    )
    compilation.refresh_from_db()
    compilation.deliver(by=r3.cast.coordinator, expected_version=compilation.version)
    _overview, rows = rows_of(r3.cast.governor, r3)
    assert (rows["Skriving"].priority, rows["Skriving"].recommended, rows["Skriving"].compiled) == (1, True, True)
    assert (rows["Lesing"].priority, rows["Lesing"].recommended) == (2, False)
    assert not rows["Regning"].compiled
    client.force_login(r3.cast.governor)
    page = text(in_english(client).get(url(r3.cast.round)))
    assert "not recommended" in row(page, r3.a) and ">2 <span" in row(page, r3.a)
    assert ">1</td>" in row(page, r3.b) and "not delivered" in row(page, r3.c)


def test_an_empty_round_says_so(client, cast):
    client.force_login(cast.governor)
    response = in_english(client).get(url(cast.round))
    assert response.status_code == 200 and 'id="no-rows"' in text(response)
