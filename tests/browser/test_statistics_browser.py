"""The history import and the statistics pages in a browser: upload, check, save, then the charts; axe on each page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lokalkomp.reporting.models import HistoryLine
from lokalkomp.testing import make_cast

from .conftest import axe_violations, csp_violations
from .test_recommendation_steps_browser import sign_in

CSV = (
    "Eier;Beløp eier;UH;Beløp UH;Beskrivelse;År;Ordning;Sum uten tiltaksliste\n"
    ";;;;Årets sum;2021;;3 559 240\n"
    "Rana;20 000;Nord u;100 000,-;Tverrfaglig nettverk;2022;dekomp;\n"
)


def clean(page: Any, where: str) -> None:
    assert axe_violations(page) == [], where
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, where
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_the_statsforvalter_imports_history_and_the_pages_show_it(page, live_server, tmp_path: Path):
    cast = make_cast(year=2024)
    refused = csp_violations(page)
    sign_in(page, live_server, cast.governor)
    page.goto(f"{live_server.url}/statistikk/{cast.office.slug}/historikk/")
    clean(page, "history import")
    file = tmp_path / "historikk.csv"
    file.write_text(CSV, encoding="utf-8")
    page.select_option("#history-network", str(cast.network.pk))
    page.set_input_files("#history-file", str(file))
    page.click("#history-check")
    page.wait_for_load_state()
    assert page.locator("#history-preview").get_attribute("data-total") == str(3_559_240 + 120_000)
    clean(page, "history preview")
    assert HistoryLine.objects.count() == 0
    page.click("#history-save")
    page.wait_for_load_state()
    assert HistoryLine.objects.count() == 2
    clean(page, "history saved")
    page.goto(f"{live_server.url}/statistikk/{cast.office.slug}/")
    assert page.locator("#stat-total").get_attribute("data-amount") == str(3_679_240)
    assert page.locator("svg#chart-years title").text_content()
    assert page.get_by_role("img", name=page.locator("svg#chart-years title").text_content()).count() == 1
    clean(page, "office statistics")
    page.goto(f"{live_server.url}/statistikk/{cast.office.slug}/nettverk/{cast.network.slug}/")
    assert page.locator("#network-total").get_attribute("data-amount") == str(3_679_240)
    clean(page, "network statistics")
    assert refused == []
