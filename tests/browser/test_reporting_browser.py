"""The report on the use of funds and its follow-up in a browser, then the public pages, with axe on each page.

The Ytre Helgeland partnership's contact types its report (each field saved as it is left), submits; the
Statsforvalter opens the follow-up list and asks for more with a comment; the contact sees the comment at the
top of the form, corrects and submits again; the Statsforvalter accepts. Then the round's page (with its
archive link), the public open data (index and the round's page) and the statistics. Each page is scanned by
axe and looked at on a phone (375 px): nothing wider than the screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.text import slugify
from playwright.sync_api import expect

from lokalkomp.needs.models import Partnership
from lokalkomp.reporting.funds_testing import decided
from lokalkomp.reporting.models import FundsReport
from lokalkomp.reporting.tests.test_followup_pages import governor_of
from lokalkomp.testing import make_network

from .conftest import csp_violations, server_idle
from .test_recommendation_steps_browser import sign_in
from .test_year_walk_browser import DESKTOP, look, person, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Ytre Helgeland kompetansenettverk"
PHONE = {"width": 390, "height": 844}
COMMENT = "Skriv mer om elevstemmen i tiltaket."


def see(page: Any, name: str, *, nynorsk: bool = False) -> None:
    """axe and the phone (375 px) as the year's walk looks, then a screenshot at 390 px as well."""
    look(page, name, nynorsk=nynorsk)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    shoot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def the_case() -> Any:
    """A decided partnership (owner 100 000, UH 50 000) in a network, its report a draft, and the Statsforvalter."""
    case = decided(amounts=((100_000, 50_000),))
    network = make_network(case.round.office)
    Partnership.objects.filter(pk=case.report.partnership_id).update(name=NAME, network=network)
    case.network = network
    case.governor = governor_of(case.round.office)
    return case


def answer(page: Any, line: Any, field: str, value: str) -> None:
    """Type (or pick) one field of a line and leave it; wait until the server says it is saved."""
    key = f"line:{line.pk}:{field}"
    box = page.locator(f'[name="{key}"]')
    if field in line.CHOICE_FIELDS:
        box.select_option(value)
    else:
        box.fill(value)
        box.press("Tab")
    expect(page.locator(f"#msg-{slugify(key)}")).to_have_attribute("data-status", "200")


def fill_the_form(page: Any, line: Any, pupil_voice: str) -> None:
    for field, value in (
        ("used_owner", "60 000"),
        ("used_uh", "50000"),
        ("cofinancing_amount", "45 001"),
        ("cofinancing_form", "salary"),
        ("unused_proposal", "return"),
        ("outcome", "completed"),
        ("anchoring", "Forankret i kommunens plan."),
        ("fragmentation", "Færre, lengre tiltak."),
        ("school_based", "Hele personalet deltar."),
        ("pupil_voice", pupil_voice),
    ):
        answer(page, line, field, value)


def follow_up_url(live_server: Any, case: Any, *args: Any) -> str:
    office, year = case.round.office.slug, case.round.year
    name = "reporting:followup_report" if args else "reporting:followup_list"
    return live_server.url + reverse(name, args=[office, year, *args])


def test_a_report_on_the_use_of_funds_is_written_followed_up_and_published(
    live_server: Any, page: Any, browser: Any
) -> None:
    cache.clear()  # sign-in limits and used TOTP codes of earlier tests
    case = the_case()
    report, line = case.report, case.report.lines.get()
    refused = [csp_violations(page)]

    # The contact finds its report, types it in (each field saved), and submits.
    sign_in(page, live_server, case.owner)
    page.goto(live_server.url + reverse("reporting:funds_mine"))
    expect(page.locator(f'tr[data-report="{report.pk}"]')).to_have_attribute("data-status", "draft")
    see(page, "funds-list")
    page.locator(f'tr[data-report="{report.pk}"] a').click()
    page.wait_for_load_state()
    assert page.url == live_server.url + report.get_absolute_url()
    see(page, "funds-form-empty")
    fill_the_form(page, line, "Elevrådet ble spurt.")
    expect(page.locator("#funds-checks")).to_have_attribute("data-problems", "0")
    server_idle(page, live_server)
    line.refresh_from_db()
    assert (line.used_owner, line.used_uh, line.cofinancing_amount, line.outcome) == (
        60_000,
        50_000,
        45_001,
        "completed",
    )
    see(page, "funds-form-filled", nynorsk=True)
    page.click("#funds-submit button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#funds-status")).to_have_attribute("data-status", "submitted")
    see(page, "funds-form-submitted")

    # The Statsforvalter (two-factor) finds it in the follow-up list and asks for more.
    officer = person(browser, live_server, case.governor, refused)
    officer.goto(follow_up_url(live_server, case))
    row = officer.locator(f'tr[data-partnership="{report.partnership_id}"]')
    expect(row).to_have_attribute("data-status", "submitted")
    expect(officer.locator("#followup-count-submitted")).to_have_attribute("data-count", "1")
    see(officer, "followup-list")
    row.locator("a").click()
    officer.wait_for_load_state()
    assert officer.url == follow_up_url(live_server, case, report.pk)
    expect(officer.locator("#followup-unused")).to_have_attribute("data-unused", "40000")
    see(officer, "followup-report-submitted", nynorsk=True)
    officer.fill("#followup-comment", COMMENT)
    officer.click("#followup-return")
    officer.wait_for_load_state()
    expect(officer.locator("#followup-status")).to_have_attribute("data-status", "returned")
    server_idle(officer, live_server)
    report.refresh_from_db()
    assert report.status == FundsReport.Status.RETURNED

    # The contact sees the comment at the top of the form, corrects and submits again.
    page.goto(live_server.url + report.get_absolute_url())
    note = page.locator("#followup-returned")
    expect(note).to_contain_text(COMMENT)
    assert note.evaluate(f"n => n.compareDocumentPosition(document.querySelector('#line-{line.pk}'))") & 4
    see(page, "funds-form-returned", nynorsk=True)
    answer(page, line, "pupil_voice", "Elevrådet og klassene ble spurt, og svarene endret tiltaket.")
    page.click("#funds-submit button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#funds-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator("#followup-returned")).to_have_count(0)
    server_idle(page, live_server)
    report.refresh_from_db()
    assert report.status == FundsReport.Status.SUBMITTED and report.versions.count() == 2

    # The Statsforvalter accepts it; the round's page shows the archive link.
    officer.goto(follow_up_url(live_server, case, report.pk))
    officer.click("#followup-accept")
    officer.wait_for_load_state()
    expect(officer.locator("#followup-status")).to_have_attribute("data-status", "accepted")
    expect(officer.locator('#followup-events li[data-to="returned"]')).to_contain_text(COMMENT)
    see(officer, "followup-report-accepted")
    officer.goto(live_server.url + case.round.get_absolute_url())
    expect(officer.locator("#round-archive-link")).to_be_visible()
    see(officer, "round-with-archive-link")
    officer.click("#round-archive-link")  # the archive page: none made yet, then one asked for (the worker makes it)
    officer.wait_for_load_state()
    expect(officer.locator("#archive-state")).to_have_attribute("data-state", "none")
    see(officer, "archive-none", nynorsk=True)
    officer.click("#archive-make")
    officer.wait_for_load_state()
    expect(officer.locator("#archive-state")).to_have_attribute("data-state", "queued")
    see(officer, "archive-queued")
    server_idle(officer, live_server)
    report.refresh_from_db()
    assert report.status == FundsReport.Status.ACCEPTED
    officer.context.close()

    # Anyone: the open data and the statistics (no sign-in).
    public = browser.new_context(locale="nb-NO", viewport=DESKTOP).new_page()
    refused.append(csp_violations(public))
    public.goto(live_server.url + reverse("reporting:opendata"))
    round_link = public.locator(
        f'#opendata-rounds a[href="{reverse("reporting:opendata_round", args=[case.round.office.slug, case.round.year])}"]'
    )
    expect(round_link).to_have_count(1)
    see(public, "opendata-index")
    round_link.click()
    public.wait_for_load_state()
    expect(public.locator("#opendata-total")).to_have_attribute("data-total", "150000")
    see(public, "opendata-round", nynorsk=True)
    public.goto(live_server.url + reverse("reporting:statistics", args=[case.round.office.slug]))
    expect(public.locator("#stat-total")).to_have_attribute("data-amount", "150000")
    see(public, "statistics")
    public.goto(
        live_server.url + reverse("reporting:statistics_network", args=[case.round.office.slug, case.network.slug])
    )
    expect(public.locator("#network-total")).to_have_attribute("data-amount", "150000")
    see(public, "statistics-network")
    public.context.close()
    assert refused == [[], [], []]
