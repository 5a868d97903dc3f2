"""The overview's filters and sort: by network, scheme, purpose, criterion and score; garbage is left out, never a 500."""

from __future__ import annotations

import pytest

from lokalkomp.allocation.overview import build

from .overview_helpers import build_round, in_english, text, url

pytestmark = pytest.mark.cast(year=2024)  # three schemes (overview_helpers)


@pytest.fixture
def r3(cast):
    return build_round(cast)


def names(user, r3, **params) -> list[str]:
    return [row.name for row in build(user, r3.cast.round, params).rows]


def test_it_filters_by_network_scheme_and_purpose(r3):
    governor = r3.cast.governor
    assert sorted(names(governor, r3, network=str(r3.cast.network.pk))) == ["Lesing", "Skriving"]
    assert names(governor, r3, network=str(r3.other_network.pk)) == ["Regning"]
    assert names(governor, r3, network="0") == []  # no partnership without a network
    assert names(governor, r3, scheme=str(r3.c.scheme_id)) == ["Regning"]
    assert names(governor, r3, purpose="planning") == ["Skriving"]
    assert names(governor, r3, purpose="none") == ["Regning"]


def test_it_filters_by_a_criterions_score_and_who_gave_it(r3):
    governor = r3.cast.governor
    # Criterion 3 of A: Anna met, Bjørn not met (Cato's met is not counted). B: Anna not met, Bjørn and Cato met.
    assert sorted(names(governor, r3, criterion="c3", score="not_met")) == ["Lesing", "Skriving"]
    assert names(governor, r3, criterion="c3", score="met", who="all") == []
    assert names(governor, r3, criterion="c1", score="partly", who="none") == ["Skriving"]
    assert names(governor, r3, criterion="c1", score="not_met", who="none") == ["Lesing"]
    # A member does not see Bjørn's draft of B: to Anna, B's criterion 1 was met by no one.
    assert names(r3.anna, r3, criterion="c1", score="met", who="none") == []
    assert names(r3.anna, r3, criterion="c1", score="met", who="all") == []  # Anna not met, Cato met
    # No criterion: every criterion together. C has no scores at all and never matches a score filter.
    assert sorted(names(governor, r3, score="met", who="any")) == ["Lesing", "Skriving"]
    assert names(governor, r3, score="partly", who="all") == []


def test_a_disqualified_viewer_finds_nothing_of_the_measure_through_a_score_filter(r3):
    for score in ("met", "partly", "not_met"):
        for who in ("any", "all", "none"):
            assert "Lesing" not in names(r3.cato, r3, score=score, who=who)


def test_shared_only_leaves_out_the_drafts(r3):
    overview = build(r3.cast.governor, r3.cast.round, {"shared": "1"})
    skriving = next(row for row in overview.rows if row.name == "Skriving")
    assert (skriving.assessments, skriving.drafts, skriving.prioritise) == (2, 0, 1)


def test_it_sorts_by_amount_votes_score_name_and_priority(r3):
    governor = r3.cast.governor
    assert names(governor, r3, sort="amount") == ["Lesing", "Skriving", "Regning"]
    assert names(governor, r3, sort="votes") == ["Skriving", "Lesing", "Regning"]  # 2, 1, 0 «prioritise»
    assert names(governor, r3, sort="score") == ["Lesing", "Skriving", "Regning"]  # 70, 67, none
    assert names(governor, r3, sort="name") == ["Lesing", "Regning", "Skriving"]

    # By the network's priority: the networks by name, then the measures; nothing delivered yet.
    def by_partnership(*measures):
        return [m.name for m in sorted(measures, key=lambda m: m.report.partnership.name)]

    networks = sorted([(r3.cast.network.name, by_partnership(r3.a, r3.b)), (r3.other_network.name, ["Regning"])])
    assert names(governor, r3) == [name for _network, group in networks for name in group]


@pytest.mark.parametrize(
    "query",
    [
        "network=abc&scheme=99999999999999999999&purpose=<script>&sort=drop+table",
        "criterion=c99&score=maybe&who=some&shared=2",
        "network=%00&sort=%00amount",
        "network=1e3&scheme=²",
        "page=-1&network=" + "9" * 5000,
    ],
)
def test_garbage_in_the_address_is_left_out_with_a_message(client, r3, query):
    client.force_login(r3.cast.governor)
    response = in_english(client).get(url(r3.cast.round) + "?" + query)
    assert response.status_code == 200
    page = text(response)
    assert 'id="ignored-filters"' in page
    assert "<script>" not in page.split('id="results"')[1]
    assert all(f'id="measure-{m.pk}"' in page for m in (r3.a, r3.b, r3.c))  # nothing filtered away by garbage


def test_a_criterion_without_a_score_says_what_is_missing(client, r3):
    client.force_login(r3.cast.governor)
    page = text(in_english(client).get(url(r3.cast.round) + "?criterion=c3"))
    assert "Choose a score too" in page and f'id="measure-{r3.c.pk}"' in page


def test_the_filter_form_keeps_the_choices_and_the_excel_link_carries_them(client, r3):
    client.force_login(r3.cast.governor)
    page = text(client.get(url(r3.cast.round) + "?purpose=planning&sort=amount"))
    assert '<option value="planning" selected>' in page and '<option value="amount" selected>' in page
    assert url(r3.cast.round, "assessment_overview_xlsx") + "?purpose=planning&amp;sort=amount" in page


def test_with_htmx_the_filter_answers_with_the_results_alone(client, r3):
    client.force_login(r3.cast.governor)
    response = client.get(url(r3.cast.round) + "?purpose=planning", HTTP_HX_REQUEST="true")
    page = text(response)
    assert page.lstrip().startswith('<section aria-labelledby="results-heading" id="results">')
    assert f'id="measure-{r3.b.pk}"' in page and f'id="measure-{r3.a.pk}"' not in page


def test_the_rows_come_a_page_at_a_time_or_all_on_one_page(client, r3, monkeypatch):
    from lokalkomp.allocation.overview import queries as build_module

    monkeypatch.setattr(build_module, "PER_PAGE", 2)
    client.force_login(r3.cast.governor)
    measures = (r3.a, r3.b, r3.c)

    def shown(query: str) -> int:
        page = text(in_english(client).get(url(r3.cast.round) + query))
        return sum(f'id="measure-{m.pk}"' in page for m in measures)

    first = text(client.get(url(r3.cast.round) + "?sort=amount"))
    assert "sort=amount&amp;side=2" in first and 'id="all-on-one-page"' in first
    assert shown("?sort=amount") == 2 and shown("?sort=amount&side=2") == 1
    assert shown("?per=alle") == 3
    assert shown("?side=999") == 1  # past the end: the last page
    page = text(in_english(client).get(url(r3.cast.round) + "?side=abc"))
    assert "The page number in the address is not a page" in page and shown("?side=-1") == 2
    response = client.get(url(r3.cast.round, "assessment_overview_xlsx") + "?side=2")
    assert response.status_code == 200  # the Excel has every row whatever the page
