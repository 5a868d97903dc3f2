"""A reader's walk through the demo: start page, round, network and needs report, with axe scans."""

from __future__ import annotations

import pytest
import time_machine

from lokalkomp.demo.build import build
from lokalkomp.needs.models import NeedsReport

from .conftest import axe_violations, login


@pytest.fixture
def demo(transactional_db):
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=True):
        build()
        yield


def test_the_owner_contact_reads_the_seed_report_without_accessibility_violations(demo, live_server, page):
    login(page, live_server, "eier@lokalkomp.test")
    assert page.get_by_role("heading", name="Mine oppgaver").is_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/runder/nordland/2024/")
    assert page.get_by_role("heading", name="Årshjul").is_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/nettverk/nordland/ytre-helgeland/")
    assert axe_violations(page) == []

    report = NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)
    page.goto(live_server.url + report.get_absolute_url())
    totals = page.locator("#totals tfoot").inner_text().replace("\u00a0", " ")
    assert "kr 625 000" in totals
    assert "kr 919 000" in totals
    assert "kr 1 544 000" in totals
    assert page.locator("#measures tbody tr").count() == 8
    assert axe_violations(page) == []


def test_the_language_switch_changes_the_page_to_nynorsk_and_english(demo, live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Norsk (nynorsk)").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nn"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Sign in").is_visible()
