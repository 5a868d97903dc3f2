"""The office page's reported use against the granted, and the co-financing declared against required."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.reporting.statistics.queries import reported_use

pytestmark = pytest.mark.django_db


def test_a_submitted_report_shows_its_use_and_co_financing(client):
    case = decided(amounts=((100_000, 50_000),))
    line = case.report.lines.get()
    fill_in(line, used_owner=80_000, used_uh=50_000, cofinancing_amount=60_000, unused_proposal="return")
    office = case.round.office
    assert reported_use(office) == []  # a draft is not reported yet
    case.report.submit(by=case.owner)
    [row] = reported_use(office)
    assert (row.granted, row.used, row.declared, row.required, row.reports) == (150_000, 130_000, 60_000, 45_000, 1)
    page = client.get(reverse("reporting:statistics", kwargs={"office": office.slug})).content.decode()
    assert re.search(r'data-granted="150000" data-used="130000" data-declared="60000" data-required="45000"', page)
    assert 'id="chart-used"' in page and 'id="stat-table-used"' in page
    # the charts of two bars a scheme, each with its table: granted beside used, required beside declared
    assert re.search(r'<tr data-first="150000" data-second="130000"><th scope="row">[^<]+</th>', page)
    assert re.search(r'<tr data-first="45000" data-second="60000">', page)
    svg = re.search(r'<svg [^>]*id="chart-used".*?</svg>', page, re.S)
    assert svg and svg.group().count("<rect") == 2  # one pair
    assert "kr 150 000" in svg.group().replace("\xa0", " ") and "kr 130 000" in svg.group().replace("\xa0", " ")
    assert re.search(r'<desc id="chart-used-desc">[^<]*kr.150.000[^<]*kr.130.000', svg.group())


def test_without_reports_the_pair_charts_are_not_drawn(client):
    case = decided(amounts=((100_000, 50_000),))
    page = client.get(reverse("reporting:statistics", kwargs={"office": case.round.office.slug})).content.decode()
    assert 'id="stat-reported-none"' in page and 'id="chart-used"' not in page and 'id="chart-cofinancing"' not in page


@pytest.mark.parametrize(("language", "heading"), [("nb", "Rapporter"), ("nn", "Rapportar"), ("en", "Reports")])
def test_the_reported_use_table_counts_reports_on_the_use_of_funds_not_needs_reports(client, language, heading):
    case = decided(amounts=((100_000, 50_000),))
    fill_in(
        case.report.lines.get(), used_owner=80_000, used_uh=50_000, cofinancing_amount=60_000, unused_proposal="return"
    )
    case.report.submit(by=case.owner)
    client.cookies["django_language"] = language
    page = client.get(reverse("reporting:statistics", kwargs={"office": case.round.office.slug})).content.decode()
    table = re.search(r'<table [^>]*id="stat-table-reported".*?</table>', page, re.S)
    assert table
    heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table.group())
    assert heads[1] == heading
    assert f'data-label="{heading}"' in table.group()
    assert "Behovsmelding" not in table.group()
