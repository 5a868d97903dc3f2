"""In the browser: the coordinator orders the list with the keyboard (focus stays in the moved row, the
change is announced) and by dragging; every state of the page passes axe in bokmål and nynorsk, and no
script is refused by the Content-Security-Policy."""

# ruff: noqa: F811  (the browser fixtures are imported from tests/browser/conftest.py and named as parameters)
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from lokalkomp.allocation.models import Compilation
from lokalkomp.allocation.tests.compilation_helpers import DEKOMP, REKOMP, submitted_report, url

from .conftest import axe_violations, csp_violations, server_idle

pytestmark = [pytest.mark.browser, pytest.mark.cast(year=2024)]


@pytest.fixture
def listed(transactional_db, cast):
    cache.clear()
    submitted_report(
        cast,
        [("Lesing", 100_000, 50_000), ("Regning", 80_000, 40_000), ("Skriving", 60_000, 30_000), ("Lek", 10, 20)],
        name="Alfa",
        codes=[DEKOMP, DEKOMP, DEKOMP, REKOMP],
    )
    return cast


def signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def order(cast):
    compilation = Compilation.objects.get(network=cast.network, round=cast.round)
    return [e.measure.name for e in compilation.ordered_entries() if e.measure.scheme.code == DEKOMP]


def row(page, name):
    return page.locator(f"#list-{DEKOMP} tbody tr", has_text=name)


def accessible_in_both_languages(page):
    assert axe_violations(page) == [], page.url
    page.locator("header").get_by_role("button", name="Norsk (nynorsk)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    assert axe_violations(page) == [], f"{page.url} (nn)"
    page.locator("header").get_by_role("button", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")


def test_the_keyboard_moves_a_measure_and_keeps_the_focus_in_its_row(listed, live_server, page):
    cast = listed
    refused = csp_violations(page)
    signed_in(page, live_server, cast.coordinator)
    page.goto(live_server.url + url(cast))
    expect(page.locator("#compilation-list")).to_be_visible()
    accessible_in_both_languages(page)
    entry = row(page, "Regning").get_attribute("data-entry")
    page.locator(f"#move-{entry}-down").focus()
    with page.expect_response(lambda r: "/flytt/ned/" in r.url) as moved:
        page.keyboard.press("Enter")
    assert moved.value.status == 200
    # now last in its list: «Flytt ned» is disabled, so the focus is on the row's «Flytt opp»
    expect(page.locator(f"#move-{entry}-up")).to_be_focused()
    expect(page.locator("#compilation-announce")).to_contain_text("Regning")
    server_idle(page, live_server)
    assert order(cast) == ["Lesing", "Skriving", "Regning"]
    with page.expect_response(lambda r: "/flytt/opp/" in r.url):
        page.keyboard.press("Enter")  # on «Flytt opp», where the focus is
    expect(page.locator(f"#move-{entry}-up")).to_be_focused()
    server_idle(page, live_server)
    assert order(cast) == ["Lesing", "Regning", "Skriving"]
    assert refused == []


def test_a_measure_dragged_to_the_top_is_placed_there(listed, live_server, page):
    cast = listed
    signed_in(page, live_server, cast.coordinator)
    page.goto(live_server.url + url(cast))
    with page.expect_response(lambda r: "/plasser/" in r.url) as placed:
        row(page, "Skriving").drag_to(row(page, "Lesing"), target_position={"x": 20, "y": 2})
    assert placed.value.status == 200
    server_idle(page, live_server)
    assert order(cast) == ["Skriving", "Lesing", "Regning"]
    expect(page.locator(f"#list-{DEKOMP} tbody tr").first).to_contain_text("Skriving")


def test_marking_and_the_delivered_page_are_accessible(listed, live_server, page):
    cast = listed
    signed_in(page, live_server, cast.coordinator)
    page.goto(live_server.url + url(cast))
    entry = page.locator(f"#list-{REKOMP} tbody tr", has_text="Lek").get_attribute("data-entry")
    page.locator(f"#mark-{entry}").click()
    page.check(f"#recommended-{entry}-no")
    with page.expect_response(lambda r: "/anbefaling/" in r.url) as refused:
        page.locator(f"#reason-{entry}").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    assert refused.value.status == 422  # no reason: the message, the form open, what was chosen kept
    expect(page.locator(f"#msg-reason-{entry} .ds-validation-message")).to_be_visible()
    assert axe_violations(page) == []
    page.fill(f"#reason-{entry}", "Ikke kollektivt")
    with page.expect_response(lambda r: "/anbefaling/" in r.url):
        page.locator(f"#reason-{entry}").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(f"#entry-{entry}")).to_contain_text("Ikke kollektivt")
    page.locator("#deliver button[type=submit]").click()
    expect(page.locator("#compilation-versions")).to_contain_text("1")
    accessible_in_both_languages(page)
