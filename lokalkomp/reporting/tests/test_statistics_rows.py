"""The long tables and charts of the statistics pages: every row in the table, at most 20 bars in a chart."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalkomp.reporting.statistics.rows import CHART_BARS, largest
from lokalkomp.reporting.tests.test_statistics_pages import _amounts, _import, _network_url, _office_url
from lokalkomp.templatetags.nor import format_kroner
from lokalkomp.testing import make_cast

pytestmark = pytest.mark.django_db


def test_a_short_list_is_drawn_as_it_is_and_a_long_one_keeps_the_largest_and_adds_up_the_rest():
    short = [("a", 1), ("b", 3)]
    assert largest(short) == short
    items = [(f"Eier {n}", n * 1000) for n in range(1, 31)]
    drawn = largest(items)
    assert len(drawn) == CHART_BARS == 20
    assert drawn[:19] == [(f"Eier {n}", n * 1000) for n in range(30, 11, -1)]
    assert drawn[19] == (_("The %(count)s others") % {"count": 11}, sum(n * 1000 for n in range(1, 12)))
    assert sum(amount for _name, amount in drawn) == sum(amount for _name, amount in items)


def test_an_office_with_30_owners_has_20_bars_and_all_30_in_the_table(client):
    cast = make_cast(year=2024)
    _import(cast, *(f"Eier {n};{n * 1000};Nord u;0;Tiltak {n};2022;dekomp;" for n in range(1, 31)))
    page = client.get(_office_url(cast)).content.decode()
    chart = page.split('id="chart-owners"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<rect") == 20
    assert format_kroner(sum(n * 1000 for n in range(1, 12))) in chart  # the rest, added up
    assert sorted(_amounts(page, "stat-table-owners")) == [n * 1000 for n in range(1, 31)]
    names = re.findall(r'<th scope="row">(Eier \d+)</th>', page.split('id="stat-table-owners"', 1)[1])
    assert len(set(names)) == 30


def test_the_network_page_lists_every_measure_with_its_texts_escaped(client):
    cast = make_cast(year=2024)
    _import(cast, "<b>Eier</b>;10 000;Nord & Sør;20 000;Tiltak <i>1</i>;2022;dekomp;", ";;;;Årets sum;2021;;5 000")
    response = client.get(_network_url(cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<b>Eier</b>" not in page and "&lt;b&gt;Eier&lt;/b&gt;" in page
    assert "Tiltak &lt;i&gt;1&lt;/i&gt;" in page and "Nord &amp; Sør" in page
    assert _amounts(page, "year-2022-measures") == [30_000]
    assert _amounts(page, "year-2021-measures") == [5_000]
    assert "data-sum-only" in page.split('id="year-2021-measures"', 1)[1].split("</table>", 1)[0]
    assert reverse("reporting:statistics", kwargs={"office": cast.office.slug}) in page
