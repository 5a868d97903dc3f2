"""A claim back followed to its end in a browser: from the report's follow-up page to the claim, a refusal that
keeps what was typed, repaid, then withdrawn; axe in bokmål and nynorsk, and the phone width, on each state."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from lokalkomp.allocation.models import Decision
from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.reporting.models import Claim
from lokalkomp.reporting.tests.test_followup_pages import governor_of

from .conftest import csp_violations
from .test_recommendation_steps_browser import sign_in
from .test_year_walk_browser import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statsforvalter_follows_a_claim_to_repaid_and_withdraws_it(live_server: Any, page: Any) -> None:
    cache.clear()  # sign-in limits and used TOTP codes of earlier tests
    case = decided(amounts=((100_000, 50_000),))
    fill_in(case.report.lines.get(), used_owner=60_000, unused_proposal="return")
    case.report.submit(by=case.owner)
    governor = governor_of(case.round.office)
    owner_decision = Decision.objects.get(round=case.round, side="owner")
    claim = Claim.make(case.round, lines=[(owner_decision, 40_000)], reason="Ubrukt", by=governor, report=case.report)
    refused = csp_violations(page)
    sign_in(page, live_server, governor)
    page.goto(
        live_server.url
        + reverse("reporting:followup_report", args=[case.round.office.slug, case.round.year, case.report.pk])
    )
    page.click(f"#claim-page-{claim.pk}")
    expect(page.locator("#claim-status")).to_have_attribute("data-status", "claimed")
    look(page, "claim-claimed", nynorsk=True)

    page.fill("#claim-withdraw-reason", " ")
    page.click("#claim-withdraw")
    expect(page.locator("#claim-error")).to_be_visible()
    look(page, "claim-refused")

    page.fill("#claim-repaid-on", "2024-05-02")
    page.click("#claim-repaid")
    expect(page.locator("#claim-status")).to_have_attribute("data-status", "repaid")
    claim.refresh_from_db()
    assert (claim.status, str(claim.repaid_on)) == (Claim.Status.REPAID, "2024-05-02")

    page.fill("#claim-withdraw-reason", "Feilberegnet")
    page.click("#claim-withdraw")
    expect(page.locator("#claim-status")).to_have_attribute("data-status", "withdrawn")
    expect(page.locator("#claim-repaid-form")).to_have_count(0)
    look(page, "claim-withdrawn", nynorsk=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert list(claim.events.order_by("pk").values_list("kind", flat=True))[-2:] == ["repaid", "withdrawn"]
    assert refused == []
