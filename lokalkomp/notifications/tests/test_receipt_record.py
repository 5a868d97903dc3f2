"""The receipt and «report arrived» say what was submitted (the version), however late the worker sends them,
and the receipt's PDF is the one kept for that version, made within a time limit or left out with a link."""

from __future__ import annotations

import pytest
import time_machine

from lokalkomp.needs.actions import submit_report
from lokalkomp.needs.models import Measure, NeedsReport, NeedsReportVersion, ReportPdf
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import complete

from .conftest import BEFORE, DEADLINE

SITE = "https://lokalkomp.example.no"
pytestmark = pytest.mark.cast(deadline=DEADLINE)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture
def submitted(cast, before_deadline, mail_server, django_capture_on_commit_callbacks, settings):
    """The report submitted by the owner's contact; its mails are queued, not yet sent."""
    settings.SITE_URL = SITE
    complete(cast.report)  # one measure: owner kr 100 000, UH kr 50 000
    with django_capture_on_commit_callbacks(execute=True):
        return submit_report(NeedsReport.objects.get(pk=cast.report.pk), by=cast.owner_contact)


def reopen_and_change_the_amount(cast):
    NeedsReport.objects.get(pk=cast.report.pk).reopen(by=cast.coordinator)
    Measure.objects.filter(report=cast.report).update(owner_amount=900_000, name="Endret etterpå")


def test_a_receipt_sent_after_a_reopening_and_a_changed_amount_shows_the_submitted_amounts(cast, submitted, mailoutbox):
    reopen_and_change_the_amount(cast)
    run_queued_tasks()
    receipt = {m.to[0]: m for m in mailoutbox}["owner_contact@cast.test"]
    for body in (plain(receipt.body), plain(receipt.alternatives[0][0])):
        assert "kr 100 000" in body and "kr 150 000" in body
        assert "kr 900 000" not in body and "kr 950 000" not in body


def test_report_arrived_sent_after_a_reopening_shows_the_submitted_amounts(cast, submitted, mailoutbox):
    reopen_and_change_the_amount(cast)
    run_queued_tasks()
    news = {m.to[0]: m for m in mailoutbox}["coordinator@cast.test"]
    for body in (plain(news.body), plain(news.alternatives[0][0])):
        assert "kr 150 000" in body and "kr 950 000" not in body
    assert "Tiltak: 1" in plain(news.body)


def test_the_receipt_attaches_the_pdf_kept_for_its_version(cast, submitted, mailoutbox):
    version = NeedsReportVersion.objects.get(event=submitted)
    kept = b"%PDF-1.7 the kept one"
    ReportPdf.objects.create(
        report=cast.report, version=version, digest=_version_key(version), language="nb", status="ready", content=kept
    )
    run_queued_tasks()
    receipt = {m.to[0]: m for m in mailoutbox}["owner_contact@cast.test"]
    assert [content for _name, content, _type in receipt.attachments] == [kept]


def test_a_pdf_made_for_a_receipt_is_kept_for_the_version_and_printed_from_it(cast, submitted, mailoutbox):
    reopen_and_change_the_amount(cast)
    run_queued_tasks()
    version = NeedsReportVersion.objects.get(event=submitted)
    pdf = ReportPdf.objects.get(version=version, language="nb")
    attached = {m.to[0]: m for m in mailoutbox}["owner_contact@cast.test"].attachments[0][1]
    assert pdf.status == ReportPdf.Status.READY and bytes(pdf.content) == attached
    assert ReportPdf.objects.filter(version=version).count() == 1, "made once, for both contacts"


def test_a_receipt_whose_pdf_is_not_ready_in_time_goes_without_it_and_says_where_to_download_it(
    cast, submitted, mailoutbox, settings
):
    settings.RECEIPT_PDF_TIME_LIMIT = 0  # no time at all: the PDF cannot be made while the mail waits
    with time_machine.travel(BEFORE, tick=True):  # a limit is a clock that runs (frozen time never times out)
        run_queued_tasks()
    receipt = {m.to[0]: m for m in mailoutbox}["owner_contact@cast.test"]
    assert receipt.attachments == []
    link = f"{SITE}/behovsmeldinger/{cast.report.pk}/pdf/"
    assert link in receipt.body and f'href="{link}"' in receipt.alternatives[0][0]
    assert "er vedlagt som PDF" not in receipt.body and "kunne ikke legges ved" in receipt.body
    version = NeedsReportVersion.objects.get(event=submitted)
    # The worker made it meanwhile, with its own (longer) limit, so that the link gives it.
    assert ReportPdf.objects.get(version=version, language="nb").status == ReportPdf.Status.READY


def _version_key(version: NeedsReportVersion) -> str:
    from lokalkomp.needs.records import digest

    return digest({"version": version.number, "data": None})
