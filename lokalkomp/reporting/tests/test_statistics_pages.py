"""The public statistics pages: the figures from decisions and history, the charts' text alternative, queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lokalkomp.reporting.statistics import history_import
from lokalkomp.reporting.statistics.charts import bar_chart
from lokalkomp.reporting.tests.test_history_import import csv_file, decide
from lokalkomp.testing import make_cast, make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast(year=2024)


def _import(cast: Any, *rows: str) -> None:
    upload = csv_file(*rows)
    cells = history_import.read_cells(upload, upload.name or "")
    history_import.save(cells=cells, network=cast.network, file_name="h.csv", by=None)


def _office_url(cast: Any) -> str:
    return reverse("reporting:statistics", kwargs={"office": cast.office.slug})


def _network_url(cast: Any) -> str:
    return reverse("reporting:statistics_network", kwargs={"office": cast.office.slug, "network": cast.network.slug})


def _amounts(page: str, table: str) -> list[int]:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return [int(x) for x in re.findall(r'<tr data-amount="(\d+)"', body)]


def test_the_office_page_adds_the_decisions_and_the_history(client, cast):
    measure = make_measure(cast.report, owner=300_000, partner=200_000, purpose="implementation")
    decide(measure, side="owner", amount=300_000, n=1)
    decide(measure, side="partner", amount=200_000, n=2)
    _import(cast, ";;;;Årets sum;2021;;1 000 000", "Rana;10 000;Nord u;20 000;Tiltak;2022;dekomp;")
    response = client.get(_office_url(cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="stat-total" data-amount="1530000"' in page
    assert _amounts(page, "stat-table-years") == [1_000_000, 30_000, 500_000]
    assert sorted(_amounts(page, "stat-table-split")) == [220_000, 310_000, 1_000_000]
    assert _amounts(page, "stat-table-networks") == [1_530_000]
    assert 'data-count="1" data-amount="500000"' in page  # one decided measure for its purpose


def test_the_network_page_lists_the_measures_per_year(client, cast):
    measure = make_measure(cast.report, owner=300_000, partner=0, name="Lesing i alle fag")
    decide(measure, side="owner", amount=300_000)
    _import(cast, ";;;;Årets sum uten tiltak;2023;;700 000")
    page = client.get(_network_url(cast)).content.decode()
    assert 'id="network-total" data-amount="1000000"' in page
    assert 'data-year="2023" data-amount="700000"' in page and 'data-year="2024" data-amount="300000"' in page
    assert "Lesing i alle fag" in page and "Årets sum uten tiltak" in page
    assert page.count("data-sum-only") == 1


def test_a_chart_has_its_text_alternative():
    svg = str(bar_chart(chart_id="c", title="Tildelt per år", items=[("2021", 3_559_240), ("<b>", 1)]))
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Tildelt per år</title>' in svg
    assert "2021: kr\u00a03\u00a0559\u00a0240" in svg
    assert "<b>" not in svg  # labels are escaped


def test_every_chart_on_the_page_has_a_table_beside_it(client, cast):
    _import(cast, "Rana;10 000;Nord u;20 000;Tiltak;2022;dekomp;")
    page = client.get(_office_url(cast)).content.decode()
    charts = re.findall(r'<svg [^>]*id="chart-([a-z-]+)"', page)
    assert charts and all(f'id="stat-table-{key}"' in page for key in charts)


def test_the_pages_are_public_and_unknown_places_are_404(client, cast):
    assert client.get(_office_url(cast)).status_code == 200
    assert client.get(_network_url(cast)).status_code == 200
    assert client.get(reverse("reporting:statistics", kwargs={"office": "ingen"})).status_code == 404
    missing = reverse("reporting:statistics_network", kwargs={"office": cast.office.slug, "network": "ingen"})
    assert client.get(missing).status_code == 404
    assert client.post(_office_url(cast)).status_code == 405


def test_the_pages_stay_within_their_queries_whatever_the_data(client, cast, django_assert_max_num_queries):
    for i in range(30):
        measure = make_measure(cast.report, owner=1000 + i, partner=0)
        decide(measure, amount=1000 + i, n=i)
    _import(cast, *[f"Eier {i};{i} 000;UH {i};0;Tiltak {i};2022;dekomp;" for i in range(1, 60)])
    with django_assert_max_num_queries(15):
        assert client.get(_office_url(cast)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(_network_url(cast)).status_code == 200
