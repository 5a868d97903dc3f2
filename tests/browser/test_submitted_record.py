"""A submitted report stays as it was while next year's draft changes the partnership; a resend is a new version.

The demo's 2024 report of «God opplæring for alle» is submitted (version 1). The 2027 draft of the
same partnership then gets a new UH account number and a renamed contact. The 2024 page and its
PDF still show what was submitted; the coordinator sends the report back, it is submitted again
with a changed amount, and its version history lists both versions and what changed.
"""

from __future__ import annotations

import io

import pdfplumber
import pytest

from lokalkomp.demo.build import build
from lokalkomp.needs.models import Contact, Measure, NeedsReport, Participant

from .conftest import axe_violations, login

OLD_UH_ACCOUNT, NEW_UH_ACCOUNT = "7694.05.00660", "1503.12.34503"


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    build()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """As conftest's, but axe's injected script may run beside the site's Content-Security-Policy."""
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def pdf_text(page, url: str) -> str:  # type: ignore[no-untyped-def]
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.body())) as document:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in document.pages)


def test_the_submitted_report_keeps_its_record_and_lists_each_version(demo, live_server, page):  # type: ignore[no-untyped-def]
    report = NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)
    url = live_server.url + report.get_absolute_url()
    login(page, live_server, "uh@lokalkomp.test")
    page.goto(url)
    assert OLD_UH_ACCOUNT in page.locator("main").inner_text()
    assert page.locator("#versions tbody tr").count() == 1
    before_pdf = pdf_text(page, live_server.url + page.locator("#download-pdf").get_attribute("href"))
    assert OLD_UH_ACCOUNT in before_pdf

    # Next year's draft edits the partnership the 2024 report was submitted with.
    partnership = report.partnership
    Participant.objects.filter(partnership=partnership, side="partner", is_lead=True).update(
        account_number=NEW_UH_ACCOUNT.replace(".", "")
    )
    Contact.objects.filter(participant__partnership=partnership, email="uh@lokalkomp.test").update(name="Ny UH-kontakt")
    draft = NeedsReport.objects.get(partnership=partnership, round__year=2027)
    page.goto(live_server.url + draft.get_absolute_url())
    assert NEW_UH_ACCOUNT in page.locator("main").inner_text()  # the draft shows the partnership as it is now

    page.goto(url)
    text = page.locator("main").inner_text()
    assert OLD_UH_ACCOUNT in text and NEW_UH_ACCOUNT not in text and "Ny UH-kontakt" not in text
    after_pdf = pdf_text(page, live_server.url + page.locator("#download-pdf").get_attribute("href"))
    assert OLD_UH_ACCOUNT in after_pdf and NEW_UH_ACCOUNT not in after_pdf and "Ny UH-kontakt" not in after_pdf
    assert axe_violations(page) == []

    # The coordinator sends it back; it is corrected and submitted again: version 2.
    page.context.clear_cookies()
    login(page, live_server, "koordinator@lokalkomp.test")
    page.goto(url)
    page.fill("#reopen-comment", "Rett beløpet for tiltak 2")
    page.locator("form[action$='/gjenapne/'] button[type=submit]").click()  # «Send tilbake for endringer»
    page.wait_for_load_state()
    report = NeedsReport.objects.get(pk=report.pk)
    assert report.status == NeedsReport.Status.DRAFT
    Measure.objects.filter(report=report, position=2).update(owner_amount=150_000)
    event = report._transition(NeedsReport.Status.SUBMITTED, by=None, code="submitted", params={"to": report.recipient})
    report.record_version(by=None, event=event)

    page.goto(url)
    assert page.locator("#versions tbody tr").count() == 2
    page.locator("#versions a").first.click()
    page.wait_for_load_state()
    changes = page.locator("#changes").inner_text().replace("\u00a0", " ")
    assert "kr 120 000 → kr 150 000" in changes
    assert "7694.05.00660 → 1503.12.34503" in changes  # the partnership's change is on record in version 2
    assert axe_violations(page) == []
