"""The round's calendar: month by month, Monday first, deadlines marked in words."""

import re

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.demo.build import build
from lokalkomp.testing import make_round

from .helpers import body


@pytest.fixture
def demo(db):
    with time_machine.travel("2023-12-01 10:00 +01:00", tick=False):
        build()
        yield


def calendar(client, year=2024):
    return client.get(reverse("schemes:calendar", args=["nordland", year]))


def cell(html, iso):
    """The table cell of one day."""
    match = re.search(rf'<td class="([^"]*)"[^>]*>\s*<time class="lk-cal-n" datetime="{iso}">.*?</td>', html, re.S)
    assert match, f"no cell for {iso}"
    return match


def test_the_demo_2024_round_marks_the_needs_report_deadline_on_15_december_2023(client, demo):
    response = calendar(client)
    assert response.status_code == 200
    day = cell(body(response), "2023-12-15")
    assert "lk-cal-deadline" in day.group(1)
    assert "<strong>Frist:</strong>" in day.group(0)  # said in words, not colour only
    assert "Partnerskap leverer behovsmelding til kompetansenettverket" in day.group(0)


def test_the_calendar_runs_from_the_first_month_to_the_last_with_norwegian_names(client, demo):
    html = body(calendar(client))
    captions = re.findall(r'<caption class="ds-heading" data-size="sm">([^<]+)</caption>', html)
    assert captions[0] == "September 2023"
    assert captions[3] == "Desember 2023"
    assert captions[-1] == "Juni 2024"
    assert len(captions) == 10
    headers = re.findall(r'<span class="ds-sr-only">(\w+)</span></th>', html)[:7]
    assert headers == ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]


def test_a_meeting_over_two_days_is_on_each_day(client, demo):
    html = body(calendar(client))
    for iso in ("2024-03-13", "2024-03-14"):
        assert "Foreløpig innstillingsmøte samarbeidsforum" in cell(html, iso).group(0)
    assert "Foreløpig innstillingsmøte" not in cell(html, "2024-03-15").group(0)


def test_week_numbers_head_the_rows(client, demo):
    html = body(calendar(client))
    assert re.search(r'<th scope="row" class="lk-cal-week">43</th>', html)


def test_today_is_marked(client, demo):
    with time_machine.travel("2024-01-10 12:00 +01:00", tick=False):
        html = body(calendar(client))
    assert 'aria-current="date"' in cell(html, "2024-01-10").group(0)


def test_the_calendar_is_public_and_reads_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert calendar(client).status_code == 200


def test_a_round_without_milestones_says_so(client, demo):
    response = calendar(client, 2023)
    assert response.status_code == 200
    assert "lk-cal" not in body(response)


def test_an_unknown_round_is_404(client, db):
    make_round(year=2027)
    assert calendar(client, 2027).status_code == 404
    assert calendar(client, 2099).status_code == 404
