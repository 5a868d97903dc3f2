"""A forum member types amounts in the workspace and sees the totals move at once; a frame exceeded is shown at
once; the amounts are saved; the page is clean for axe and usable on a phone (the table scrolls in its wrapper)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from lokalkomp.allocation.tests.recommendation_helpers import make_recommendation_round, url

from .conftest import axe_violations, csp_violations
from .test_recommendation_steps_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.cast(year=2024)]


def saved(page: Any, line: int, version: str) -> None:
    """Wait until the row's form carries the line's new version (the server's answer has come)."""
    expect(page.locator(f"#form-{line} input[name=base]")).to_have_value(version)


def test_a_member_types_amounts_and_sees_the_totals_move(live_server: Any, page: Any, cast: Any, tmp_path: Any) -> None:
    r = make_recommendation_round(cast, count=4, frame=300_000)
    sign_in(page, live_server, r.member)
    refused = csp_violations(page)
    page.goto(live_server.url + url(r.round))
    assert axe_violations(page) == []
    first = r.line(r.measures[0])
    total = page.locator(f'#totals-table tr[data-frame="{r.scheme.pk}-all"] [data-total]')
    assert total.inner_text().replace("\xa0", " ") == "kr 0"

    page.fill(f"#owner-{first.pk}", "200 000")
    assert total.inner_text().replace("\xa0", " ") == "kr 200 000"  # before any save
    page.fill(f"#partner-{first.pk}", "150000")
    assert total.inner_text().replace("\xa0", " ") == "kr 350 000"
    status = page.locator("#frame-status")
    assert "sperret" in status.inner_text()  # «Endelig innstilling er sperret til alle rammer holder.»
    page.press(f"#partner-{first.pk}", "Tab")  # leaving the field saves it
    saved(page, first.pk, "3")
    first.refresh_from_db()
    assert (first.owner_amount, first.partner_amount) == (200_000, 150_000)
    assert page.locator("#totals-table tr.lk-exceeded").count() == 1

    second = r.line(r.measures[1])
    page.click(f"#line-{second.pk} button[data-preset=as_asked]")
    saved(page, second.pk, "2")
    assert page.input_value(f"#owner-{second.pk}").replace("\xa0", " ") == "101 000"
    page.screenshot(path=str(tmp_path / "workspace-1280.png"), full_page=True)
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "workspace-390.png"), full_page=False)
    assert refused == []
