"""Issue 8's browser test with the edits made as a person makes them: in the form of next year's draft.

The demo's 2024 report of «God opplæring for alle» is submitted. Its UH contact opens the partnership's
2027 draft and changes the UH account number and her own name there, and saves. The 2024 page and PDF
say what they said before, word for word; the draft's change history lists each edit, old → new.
(tests/browser/test_submitted_record.py makes the same edits in the database and then walks the resend.)
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
import time_machine

from lokalkomp.demo.build import build
from lokalkomp.needs.models import Contact, NeedsReport, Participant

from .conftest import axe_violations, login

UH = "uh@lokalkomp.test"
NEW_UH_ACCOUNT = "1503.12.34503"
NEW_NAME = "Ny UH-kontakt"


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=True):  # before the 2027 deadline (15.12.2026)
        build()
        yield


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


def test_edits_in_next_years_draft_form_leave_the_submitted_report_as_it_was(demo, live_server, page):  # type: ignore[no-untyped-def]
    submitted = NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)
    draft = NeedsReport.objects.get(partnership=submitted.partnership, round__year=2027)
    uh = Participant.objects.get(partnership=submitted.partnership, side="partner", is_lead=True)
    contact = Contact.objects.get(participant__partnership=submitted.partnership, email=UH)
    old_account, old_name = uh.account_number_display, contact.name
    login(page, live_server, UH)
    page.goto(live_server.url + submitted.get_absolute_url())
    before = page.locator("main").inner_text()
    before_pdf = pdf_text(page, live_server.url + page.locator("#download-pdf").get_attribute("href"))
    assert old_account in before and old_account in before_pdf

    page.goto(f"{live_server.url}/behovsmeldinger/{draft.pk}/skjema/partnership/")
    page.fill(f"#participant-{uh.pk}-account_number", NEW_UH_ACCOUNT)
    page.fill(f"#contact-{contact.pk}-name", NEW_NAME)
    page.locator("#lk-save button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Participant.objects.get(pk=uh.pk).account_number_display == NEW_UH_ACCOUNT
    assert Contact.objects.get(pk=contact.pk).name == NEW_NAME

    page.goto(live_server.url + submitted.get_absolute_url())
    assert page.locator("main").inner_text() == before
    after_pdf = pdf_text(page, live_server.url + page.locator("#download-pdf").get_attribute("href"))
    assert after_pdf == before_pdf
    assert NEW_UH_ACCOUNT not in after_pdf and NEW_NAME not in after_pdf
    assert axe_violations(page) == []

    page.goto(live_server.url + draft.get_absolute_url())
    history = [row.replace("\u00a0", " ") for row in page.locator("#change-history tbody tr").all_inner_texts()]
    account_rows = [row for row in history if old_account in row and NEW_UH_ACCOUNT in row]
    name_rows = [row for row in history if old_name in row and NEW_NAME in row]
    assert account_rows and name_rows, history
    assert all("skjemaet" in row for row in account_rows + name_rows)
    assert axe_violations(page) == []
