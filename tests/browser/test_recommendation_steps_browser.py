"""The secretariat records the preliminary and the final meeting in a browser; every page of the steps and versions
is clean for axe, and a blocked final step shows what blocks it."""

from __future__ import annotations

from typing import Any

import pytest

from lokalkomp.allocation.tests.steps_helpers import make_step_round, set_amounts, set_frame, url
from lokalkomp.testing import TEST_TOTP_SECRET, totp_code

from .conftest import axe_violations, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.cast(year=2024)]


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


def clean(page: Any, where: str) -> None:
    assert axe_violations(page) == [], where
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, where
    page.set_viewport_size({"width": 1280, "height": 900})


def record_meeting(page: Any, live_server: Any, r: Any, to: str, date: str) -> None:
    page.goto(live_server.url + url("recommendation_step", r.round, to))
    clean(page, f"step {to}")
    page.fill("#step-date", date)
    page.check(f"#seat-{r.member_seat.pk}")
    page.check(f"#seat-{r.secretariat_seat.pk}")
    page.check("#decided-consensus")
    page.fill("#step-note", f"Møte om {to}")
    page.click("#step-submit")
    page.wait_for_load_state()


def test_the_secretariat_walks_from_draft_to_final(live_server, page, cast):
    r = make_step_round(cast)
    sign_in(page, live_server, r.secretary)
    refused = csp_violations(page)

    record_meeting(page, live_server, r, "preliminary", "2024-03-13")
    assert page.url.endswith(url("recommendation_version", r.round, 1))
    clean(page, "version 1")

    set_frame(r.round, 300_000)  # below the 420 000 recommended
    record_meeting(page, live_server, r, "final", "2024-03-18")
    assert page.locator("#step-problems").is_visible()
    assert page.locator("#step-note").input_value() == "Møte om final"  # kept
    clean(page, "blocked final")

    set_frame(r.round, 1_000_000)
    set_amounts(r.recommendation, r.a, 150_000, 100_000, reason="Kortere varighet")
    record_meeting(page, live_server, r, "final", "2024-03-18")
    assert page.url.endswith(url("recommendation_version", r.round, 2))
    clean(page, "version 2")

    for name in ("recommendation_versions", "recommendation_compare_versions", "recommendation_events"):
        page.goto(live_server.url + url(name, r.round))
        clean(page, name)
    page.goto(live_server.url + url("recommendation_step", r.round, "final"))
    assert page.locator("#final-pdf").is_visible()
    clean(page, "final step page")
    assert refused == []
