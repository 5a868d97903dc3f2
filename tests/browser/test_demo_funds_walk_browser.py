"""Issue 13's walk on the demo itself: Ytre Helgeland's partnership («God opplæring for alle», eier@lokalkomp.test)
reports on the use of its 2024 decision in the browser, field by field; the Statsforvalter (statsforvalter@, with
its two-factor code) asks for more; the partnership adds it and submits again; the Statsforvalter accepts; the
public statistics page counts the report. axe and the phone width on every page of the walk."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from lokalkomp.accounts.models import User
from lokalkomp.accounts.twofactor import totp_secret_of
from lokalkomp.demo.build import build
from lokalkomp.reporting.models import FundsReport
from lokalkomp.reporting.statistics.queries import reported_use
from lokalkomp.testing import totp_code

from .conftest import csp_violations, server_idle
from .test_reporting_browser import answer, see
from .test_year_walk_browser import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Beskriv hvordan elevrådet ble tatt med i evalueringen."


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=True):
        build()
        yield


@pytest.fixture
def opened() -> Any:
    """The pages the test opens in contexts of its own, closed after it (the browser and the live server outlive the
    test: a page left open would go on asking the server while the next test's data is set up and emptied)."""
    pages: list[Any] = []
    yield pages
    for page in pages:
        page.context.close()


def new_page(browser: Any, opened: list[Any]) -> Any:
    page = browser.new_context(locale="nb-NO", viewport=DESKTOP).new_page()
    opened.append(page)
    return page


def signed_in(browser: Any, live_server: Any, email: str, refused: list[Any], opened: list[Any]) -> Any:
    """The demo person's own browser: password «demo», and the code of its own authenticator where it has one."""
    page = new_page(browser, opened)
    refused.append(csp_violations(page))
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        secret = totp_secret_of(User.objects.get(email=email))
        assert secret
        page.fill("input[name=code]", totp_code(secret))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    expect(page.locator("header")).to_contain_text("Logg ut")
    return page


def report_everything(page: Any, report: FundsReport) -> None:
    """Every line as the partnership would: all used, the scheme's co-financing as salary, completed."""
    for line in report.line_list():
        answers = [
            ("used_owner", str(line.granted_owner)),
            ("used_uh", str(line.granted_uh)),
            *([("used_partner2", str(line.granted_partner2))] if line.has_partner2 else []),
            ("cofinancing_amount", str(line.granted * 30 // 100 + 1)),
            ("cofinancing_form", "salary"),
            ("outcome", "completed"),
            *((field, "Svar fra partnerskapet.") for field in line.required_fields()),
        ]
        for field, value in answers:
            if value != "0":  # a zero is what the field holds already: leaving it unchanged saves nothing
                answer(page, line, field, value)


def test_ytre_helgeland_reports_its_2024_decision_and_the_statsforvalter_follows_it_up(
    demo: Any, live_server: Any, browser: Any, opened: list[Any]
) -> None:
    cache.clear()
    report = FundsReport.objects.get(round__year=2024, partnership__name="God opplæring for alle")
    assert report.status == FundsReport.Status.DRAFT
    granted = sum(line.granted for line in report.line_list())
    assert granted == 1_544_000  # seed 003's 625 000 + 919 000, as decided in the demo
    refused: list[Any] = []

    owner = signed_in(browser, live_server, "eier@lokalkomp.test", refused, opened)
    owner.goto(live_server.url + reverse("reporting:funds_mine"))
    owner.locator(f'tr[data-report="{report.pk}"] a').click()
    owner.wait_for_load_state()
    see(owner, "demo-funds-form")
    report_everything(owner, report)
    expect(owner.locator("#funds-checks")).to_have_attribute("data-problems", "0")
    owner.click("#funds-submit button[type=submit]")
    owner.wait_for_load_state()
    expect(owner.locator("#funds-status")).to_have_attribute("data-status", "submitted")
    server_idle(owner, live_server)

    office, year = report.round.office.slug, report.round.year
    governor = signed_in(browser, live_server, "statsforvalter@lokalkomp.test", refused, opened)
    governor.goto(live_server.url + reverse("reporting:followup_report", args=[office, year, report.pk]))
    expect(governor.locator("#followup-status")).to_have_attribute("data-status", "submitted")
    expect(governor.locator("#followup-unused")).to_have_attribute("data-unused", "0")
    see(governor, "demo-followup-submitted", nynorsk=True)
    governor.fill("#followup-comment", COMMENT)
    governor.click("#followup-return")
    governor.wait_for_load_state()
    expect(governor.locator("#followup-status")).to_have_attribute("data-status", "returned")
    server_idle(governor, live_server)

    owner.goto(live_server.url + report.get_absolute_url())
    expect(owner.locator("#followup-returned")).to_contain_text(COMMENT)
    first = report.line_list()[0]
    answer(owner, first, "pupil_voice", "Elevrådet var med i evalueringen og la fram sine svar for personalet.")
    owner.click("#funds-submit button[type=submit]")
    owner.wait_for_load_state()
    expect(owner.locator("#funds-status")).to_have_attribute("data-status", "submitted")
    server_idle(owner, live_server)

    governor.goto(live_server.url + reverse("reporting:followup_report", args=[office, year, report.pk]))
    governor.click("#followup-accept")
    governor.wait_for_load_state()
    expect(governor.locator("#followup-status")).to_have_attribute("data-status", "accepted")
    see(governor, "demo-followup-accepted")
    governor.goto(live_server.url + reverse("reporting:funds_versions", args=[report.pk]))
    expect(governor.locator("body")).to_contain_text("Elevrådet var med i evalueringen")
    see(governor, "demo-funds-versions")
    server_idle(governor, live_server)
    report.refresh_from_db()
    assert report.status == FundsReport.Status.ACCEPTED and report.versions.count() == 2

    public = new_page(browser, opened)
    refused.append(csp_violations(public))
    public.goto(live_server.url + reverse("reporting:statistics", args=[office]))
    rows = reported_use(report.round.office)
    assert sum(r.granted for r in rows) == sum(
        line.granted
        for done in FundsReport.objects.filter(round__office=report.round.office, status__in=["submitted", "accepted"])
        for line in done.line_list()
    )
    for row in rows:
        expect(public.locator(f'#stat-table-reported tr[data-scheme="{row.scheme}"]')).to_have_attribute(
            "data-granted", str(row.granted)
        )
    expect(public.locator("#chart-used")).to_be_visible()
    see(public, "demo-statistics")
    assert all(found == [] for found in refused)
