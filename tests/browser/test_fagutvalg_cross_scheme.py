"""The demo's cross-scheme case and its fagutvalg member, in the browser, with axe on every page.

- Indre Helgeland's coordinator goes from the network's overview to the report's measures across
  schemes: the coordinator, funded with kr 70 000 in each of the three 2024 schemes, is one row of
  kr 210 000.
- The fagutvalg's member signs in with the TOTP code; the header's «Vurdering» leads to 2024 (the
  newest round with submitted measures, not 2027), where every measure waits for their assessment.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET
from lokalkomp.demo import middle
from lokalkomp.demo.build import build
from lokalkomp.needs.models import NeedsReport
from lokalkomp.testing import totp_code

from .conftest import axe_violations, login


def _nb(text: str) -> str:
    with translation.override("nb"):
        return str(translation.gettext(text))


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    cache.clear()  # sign-in limits and used TOTP codes of earlier tests
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=True):
        build()
        yield NeedsReport.objects.get(partnership__name=middle.IH_PARTNERSHIP, round__year=2024)


def _scan_in_both_languages(page: Any) -> None:
    """axe on the page in bokmål, then (the header's switch) in nynorsk, and back to bokmål."""
    assert axe_violations(page) == []
    for language, label in (("nn", "Norsk (nynorsk)"), ("nb", "Norsk (bokmål)")):
        page.locator("header").get_by_role("button", name=label).click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert axe_violations(page) == [], language


def _person(browser: Any, live_server: Any, email: str) -> Any:
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    login(page, live_server, email)
    if "/konto/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", totp_code(DEMO_TOTP_SECRET))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    expect(page.locator("header")).to_contain_text(_nb("Sign out"))
    return page


def test_the_coordinator_sees_the_coordinator_funded_in_three_schemes_as_one_row(demo, live_server, browser):
    page = _person(browser, live_server, "koordinator-ih@lokalkomp.test")
    page.goto(live_server.url + reverse("needs:network_overview", args=["nordland", "indre-helgeland", 2024]))
    assert axe_violations(page) == []
    page.locator(f'a[href="{reverse("needs:cross_scheme", args=[demo.pk])}"]').first.click()
    page.wait_for_load_state()
    row = page.locator("#cross-scheme tbody tr", has_text="Koordinator")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_count(3 * 3 + 3)  # three schemes and all of them, each owner / UH / total
    expect(row.locator("td").last).to_have_text("kr 210 000")
    expect(page.locator("#cross-scheme-grand-total")).to_have_text("kr 1 190 000")
    _scan_in_both_languages(page)
    page.context.close()


def test_the_fagutvalg_member_is_led_to_the_2024_assessment_by_the_header(demo, live_server, browser):
    page = _person(browser, live_server, "fagutvalg@lokalkomp.test")
    page.locator("header").get_by_role("link", name=_nb("Assessment")).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/runder/nordland/2024/vurdering/")
    expect(page.locator('[data-status="not_started"]')).to_have_count(16)
    _scan_in_both_languages(page)
    first = demo.measures.order_by("position").first()
    page.locator(f"#measure-{first.pk} a").first.click()
    expect(page.locator("#assess-form")).to_be_visible()
    _scan_in_both_languages(page)
    page.context.close()
