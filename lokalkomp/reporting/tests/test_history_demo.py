"""Seed 004's view: Indre Helgeland was granted 3 559 240 + 2 444 482 + 6 022 232 = 12 025 954 in 2021–2023.

The demo decides 2023 from seed 004's measure table (4 157 752) and imports the rest through the history
import (demo/history.py). The first tests check the figures from the demo's own file; the last one also
reads seed 004 (a reference test: it skips, saying why, where the seeds are not beside the checkout).
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from lokalkomp.demo import history
from lokalkomp.demo.build import build
from lokalkomp.reporting.models import HistoryImport, HistoryLine
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SLIDE = {2021: 3_559_240, 2022: 2_444_482, 2023: 6_022_232}


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


@pytest.fixture
def page(_built, db, client) -> str:
    url = reverse("reporting:statistics_network", kwargs={"office": "nordland", "network": "indre-helgeland"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _years(page: str) -> dict[int, int]:
    return {int(y): int(a) for y, a in re.findall(r'data-year="(\d+)" data-amount="(\d+)"', page)}


def test_the_network_page_shows_seed_004s_three_years_and_their_sum(page):
    years = _years(page)
    assert {year: years[year] for year in SLIDE} == SLIDE
    assert sum(SLIDE.values()) == 12_025_954
    assert 'id="network-total" data-amount="' in page
    in_2021_2023 = sum(amount for year, amount in years.items() if 2021 <= year <= 2023)
    assert in_2021_2023 == 12_025_954


def test_2023_lists_the_seeds_measures_and_the_rest_as_a_sum_without_measures(page):
    section = page.split('id="year-2023"', 1)[1].split("</section>", 1)[0]
    amounts = [int(a) for a in re.findall(r'<tr data-amount="(\d+)"', section)]
    sum_only = [int(a) for a in re.findall(r'<tr data-amount="(\d+)" data-sum-only', section)]
    assert sum_only == [1_864_480]
    assert sum(amounts) - 1_864_480 == 4_157_752  # seed 004's measure table, decided in the app
    assert len(amounts) > 10  # the measures, one row each


def test_the_history_came_through_the_import_once(_built, db):
    event = HistoryImport.objects.get(file_name=history.FILE.name)
    assert (event.rows, event.total) == (3, 3_559_240 + 2_444_482 + 1_864_480)
    assert HistoryLine.objects.filter(source=event, unsplit_amount__isnull=False).count() == 3
    assert history.build() == event  # loading the demo again imports nothing more
    assert HistoryImport.objects.filter(file_name=history.FILE.name).count() == 1


def test_the_figures_are_those_of_seed_004(page, shared_dir):
    seed = next((shared_dir / "seeds").glob("004_*.txt")).read_text(encoding="utf-8")
    after = seed.split("Tildelte midler 2021- 2023", 1)[1]
    figures = [int(x.replace(" ", "")) for x in re.findall(r"^(\d{1,3}(?: \d{3})+),-$", after, re.MULTILINE)][:4]
    years = _years(page)
    assert figures == [years[2021], years[2022], years[2023], years[2021] + years[2022] + years[2023]]
