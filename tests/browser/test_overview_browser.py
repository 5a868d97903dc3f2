"""The overview and the overlap finder in a browser: axe is clean in bokmål and nynorsk, the language switch works."""

from __future__ import annotations

from typing import Any

import pytest

from lokalkomp.allocation.tests.overview_helpers import build_round, url
from lokalkomp.testing import TEST_TOTP_SECRET, totp_code

from .conftest import axe_violations, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser: Any):  # noqa: F811
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    user.set_password("pw-Secret-123")
    user.save()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "pw-Secret-123")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", totp_code(TEST_TOTP_SECRET))
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def switch(page: Any, language: str) -> None:
    page.locator("header").get_by_role("button", name=language).click(timeout=5000)
    page.wait_for_load_state()


@pytest.mark.parametrize("who", ["governor", "cato"])
def test_the_pages_are_clean_for_axe_in_both_languages(live_server, page, cast, who):
    from django.utils import translation

    with translation.override("nb"):
        r3 = build_round(cast)
    user = cast.governor if who == "governor" else r3.cato
    sign_in(page, live_server, user)
    refused = csp_violations(page)
    for path in (url(cast.round), url(cast.round, "overlap"), url(cast.round, "assessment_overview_measure", r3.b.pk)):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "nb"
        assert axe_violations(page) == [], path
        switch(page, "Norsk (nynorsk)")
        assert page.locator("html").get_attribute("lang") == "nn"
        assert axe_violations(page) == [], path
        switch(page, "Norsk (bokmål)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.set_viewport_size({"width": 1280, "height": 900})
    assert refused == []
