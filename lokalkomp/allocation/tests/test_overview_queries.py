"""The overview, its Excel and the overlap finder cost the same queries for 1 measure as for 30 (and ≤ 15)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .overview_helpers import assess, build_round, submitted, url

MAX_QUERIES = 15


pytestmark = pytest.mark.cast(year=2024)  # three schemes (overview_helpers)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def count(client, path: str) -> int:
    client.get(path)  # the overlap finder's cache filled, as a running server has it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def add_measures(r3, n: int) -> None:
    """n more measures, each assessed by the three members (one of them disqualified from some)."""
    for i in range(n):
        network = r3.cast.network if i % 2 else r3.other_network
        measure = submitted(r3.cast.round, network, f"Tiltak nummer {i}", 10_000 + i, 5_000)
        for who in (r3.anna, r3.bjorn, r3.cato):
            assess(measure, who, "prioritise" if i % 3 else "possible", "met" if i % 2 else "partly", share=i % 4 != 0)


@pytest.mark.parametrize("who", ["governor", "anna", "cato"])
def test_each_page_costs_the_same_queries_for_1_measure_as_for_30(client, cast, who):
    r3 = build_round(cast)
    user = cast.governor if who == "governor" else getattr(r3, who)
    client.force_login(user)
    round = cast.round
    paths = {
        "overview": url(round),
        "filtered": url(round) + "?criterion=c3&score=not_met&who=none&sort=score",
        "excel": url(round, "assessment_overview_xlsx"),
        "measure": url(round, "assessment_overview_measure", r3.b.pk),
        "overlap": url(round, "overlap"),
    }
    few = {name: count(client, path) for name, path in paths.items()}
    add_measures(r3, 30)
    many = {name: count(client, path) for name, path in paths.items()}
    assert few == many
    assert max(many.values()) <= MAX_QUERIES, many
