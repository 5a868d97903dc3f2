"""The report on the use of funds in a browser when two people write it: a field someone else changed says
«Ikke lagret» with both values, «Behold min» saves what was typed, «Bruk den lagrede» takes theirs; amounts are
shown with a space between thousands and a refused one stays in its field, also after a reload (autosave.js)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.cache import cache
from django.utils.text import slugify
from playwright.sync_api import expect

from lokalkomp.reporting.access.funds import get_funds_report_for
from lokalkomp.reporting.funds_autosave import save_field
from lokalkomp.reporting.funds_testing import decided
from lokalkomp.reporting.models import FundsReportLine

from .conftest import axe_violations, csp_violations, server_idle
from .test_recommendation_steps_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def is_save_of(key: str) -> Any:
    def check(response: Any) -> bool:
        if response.request.method != "POST" or "/lagre" not in response.url:
            return False
        return parse_qs(response.request.post_data or "").get("key") == [key]

    return check


def stored(line: Any, field: str) -> Any:
    return FundsReportLine.objects.values_list(field, flat=True).get(pk=line.pk)


def open_form(page: Any, live_server: Any) -> tuple[Any, Any]:
    cache.clear()  # sign-in limits of earlier tests
    case = decided(amounts=((1_500_000, 500_000),))
    sign_in(page, live_server, case.owner)
    page.goto(live_server.url + case.report.get_absolute_url())
    return case, case.report.lines.get()


def theirs_saved(case: Any, line: Any, field: str, value: str, base: str) -> None:
    """The UH's contact saves the field as their own page would (between the owner's page load and save)."""
    report = get_funds_report_for(case.partner, case.report.pk, lines=True)
    assert (
        save_field(report, key=f"line:{line.pk}:{field}", raw=value, version="1", base=base, by=case.partner).status
        == 200
    )


def test_a_field_someone_else_changed_says_not_saved_with_both_values_and_keep_mine_saves_it(
    live_server: Any, page: Any
) -> None:
    refused = csp_violations(page)
    case, line = open_form(page, live_server)
    key = f"line:{line.pk}:used_owner"
    field, message = page.locator(f"#{slugify(key)}"), page.locator(f"#msg-{slugify(key)}")
    server_idle(page, live_server)
    theirs_saved(case, line, "used_owner", "900 000", base="0")

    with page.expect_response(is_save_of(key)) as response:
        field.fill("800000")
        field.press("Tab")
    assert response.value.status == 409
    expect(message.locator(".lk-not-saved")).to_contain_text("Ikke lagret.")
    expect(message).to_contain_text(f"{case.partner} lagret dette ")  # who saved the other value, and when
    expect(message.locator("#theirs-" + slugify(key))).to_have_text("900 000")
    expect(message.locator("#mine-" + slugify(key))).to_have_text("800000")
    expect(field).to_have_value("800000")
    assert stored(line, "used_owner") == 900_000
    assert axe_violations(page) == [], "the conflict"

    with page.expect_response(is_save_of(key)) as response:
        message.get_by_role("button", name="Behold min").click()
    assert response.value.status == 200
    expect(message.locator(".lk-saved")).to_be_visible()
    expect(field).to_have_value("800 000")  # shown as the form writes amounts once saved
    assert stored(line, "used_owner") == 800_000
    stored_key = f"lokalkomp:unsaved:funds-{case.report.pk}:{key}"
    assert page.evaluate("k => localStorage.getItem(k)", stored_key) is None
    assert refused == []


def test_use_theirs_puts_the_others_text_in_the_field_and_the_next_save_starts_from_it(
    live_server: Any, page: Any
) -> None:
    case, line = open_form(page, live_server)
    key = f"line:{line.pk}:anchoring"
    field, message = page.locator(f"#{slugify(key)}"), page.locator(f"#msg-{slugify(key)}")
    server_idle(page, live_server)
    theirs_saved(case, line, "anchoring", "Forankret i planen.\nOg i budsjettet.", base="")

    with page.expect_response(is_save_of(key)) as response:
        field.fill("Min tekst")
        field.press("Tab")
    assert response.value.status == 409
    message.get_by_role("button", name="Bruk den lagrede").click()
    expect(field).to_have_value("Forankret i planen.\nOg i budsjettet.")
    expect(message.locator(".lk-not-saved")).to_have_count(0)
    assert stored(line, "anchoring") == "Forankret i planen.\nOg i budsjettet."

    with page.expect_response(is_save_of(key)) as response:
        field.fill("Forankret i planen.\nOg i budsjettet. Og i rådet.")
        field.press("Tab")
    assert response.value.status == 200
    assert stored(line, "anchoring") == "Forankret i planen.\nOg i budsjettet. Og i rådet."


def test_a_conflict_on_a_choice_use_theirs_selects_their_option(live_server: Any, page: Any) -> None:
    case, line = open_form(page, live_server)
    key = f"line:{line.pk}:outcome"
    field, message = page.locator(f"#{slugify(key)}"), page.locator(f"#msg-{slugify(key)}")
    server_idle(page, live_server)
    theirs_saved(case, line, "outcome", "completed", base="")

    with page.expect_response(is_save_of(key)) as response:
        field.select_option("stopped")
    assert response.value.status == 409
    expect(message.locator("#theirs-" + slugify(key))).to_have_text("Gjennomført")
    message.get_by_role("button", name="Bruk den lagrede").click()
    expect(field).to_have_value("completed")
    assert stored(line, "outcome") == "completed"


def test_amounts_are_shown_in_groups_of_three_and_a_refused_one_stays_in_its_field(live_server: Any, page: Any) -> None:
    case, line = open_form(page, live_server)
    key = f"line:{line.pk}:used_uh"
    field, message = page.locator(f"#{slugify(key)}"), page.locator(f"#msg-{slugify(key)}")

    with page.expect_response(is_save_of(key)) as response:
        field.fill("1234567")
        field.press("Tab")
    assert response.value.status == 200
    expect(field).to_have_value("1 234 567")
    assert stored(line, "used_uh") == 1_234_567

    with page.expect_response(is_save_of(key)) as response:
        field.fill("12 5")
        field.press("Tab")
    assert response.value.status == 422
    expect(message).to_contain_text("Skriv et beløp i hele kroner, f.eks. 150 000.")
    expect(field).to_have_value("12 5")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert stored(line, "used_uh") == 1_234_567

    # A reload puts back what was typed (kept in this browser) and says again why it is not saved.
    with page.expect_response(is_save_of(key)) as response:
        page.reload()
    assert response.value.status == 422
    expect(page.locator(f"#{slugify(key)}")).to_have_value("12 5")
    expect(page.locator(f"#msg-{slugify(key)}")).to_contain_text("Skriv et beløp i hele kroner")
    assert axe_violations(page) == [], "a refused amount"
