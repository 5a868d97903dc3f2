"""A large report's PDF is made by the worker within a time limit and kept; the page polls until it is ready."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from lokalkomp.demo.build import build
from lokalkomp.needs.importer import parse_needs_report
from lokalkomp.needs.imports import ReportExistsError, import_report
from lokalkomp.needs.models import Contact, NeedsReport, ReportPdf
from lokalkomp.needs.tasks import INLINE_MAX_MEASURES
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import make_measure


@pytest.fixture
def large(cast):
    for n in range(INLINE_MAX_MEASURES + 1):
        make_measure(cast.report, 10_000 * n, 5_000, name=f"Tiltak nummer {n + 1}")
    return cast


def url(cast):
    return reverse("needs:pdf", args=[cast.report.pk])


def test_a_large_report_is_prepared_by_the_worker_and_the_page_polls_every_two_seconds(
    client, large, django_capture_on_commit_callbacks
):
    client.force_login(large.owner_contact)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url(large))
    assert waiting.status_code == 202 and waiting["Content-Type"].startswith("text/html")
    page = waiting.content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url(large)}"' in page
    assert "PDF-en lages" in page
    assert ReportPdf.objects.get(report=large.report).status == ReportPdf.Status.PENDING
    assert run_queued_tasks() == 1
    assert ReportPdf.objects.get(report=large.report).status == ReportPdf.Status.READY
    ready = client.get(url(large), headers={"HX-Request": "true"})
    assert ready.status_code == 200 and 'id="open-pdf"' in ready.content.decode()
    assert "hx-trigger" not in ready.content.decode()  # the polling stops
    pdf = client.get(url(large))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert ReportPdf.objects.filter(report=large.report).count() == 1  # kept, not made again


def test_a_pdf_that_takes_longer_than_the_limit_fails_and_may_be_tried_again(
    client, large, settings, django_capture_on_commit_callbacks
):
    settings.PDF_TIME_LIMIT = 0.01
    client.force_login(large.owner_contact)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url(large))
    run_queued_tasks()
    pdf = ReportPdf.objects.get(report=large.report)
    assert pdf.status == ReportPdf.Status.FAILED and "0.01 s" in pdf.error
    page = client.get(url(large)).content.decode()
    assert "PDF-en kunne ikke lages" in page and "?retry=1" in page
    settings.PDF_TIME_LIMIT = 120
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url(large), {"retry": "1"})
    assert run_queued_tasks() == 1
    assert ReportPdf.objects.get(report=large.report).status == ReportPdf.Status.READY


def test_a_small_report_is_rendered_at_once_and_tagged_for_accessibility_in_the_readers_language(client, cast):
    make_measure(cast.report, 100, 200, name="Lite tiltak")
    client.force_login(cast.owner_contact)
    response = client.get(reverse("needs:pdf", args=[cast.report.pk]))
    assert response["Content-Type"] == "application/pdf"
    catalog = PDFDocument(PDFParser(io.BytesIO(response.content))).catalog
    assert resolve1(catalog["Lang"]) == b"nb"
    assert "StructTreeRoot" in catalog and resolve1(catalog["MarkInfo"])["Marked"] is True
    assert b"pdfuaid" in resolve1(catalog["Metadata"]).get_data()


def test_a_draft_gets_a_new_pdf_once_it_changes_and_keeps_only_the_latest(client, cast):
    measure = make_measure(cast.report, 100, 200, name="Første navn")
    client.force_login(cast.owner_contact)
    client.get(reverse("needs:pdf", args=[cast.report.pk]))
    first = ReportPdf.objects.get(report=cast.report).digest
    type(measure).objects.filter(pk=measure.pk).update(name="Andre navn")
    client.get(reverse("needs:pdf", args=[cast.report.pk]))
    assert list(ReportPdf.objects.filter(report=cast.report).values_list("digest", flat=True)) != [first]
    assert ReportPdf.objects.filter(report=cast.report).count() == 1


def test_an_import_cannot_change_a_submitted_report(db, seed_003_text):
    build()
    report = NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)
    before = (report.versions.get().data, Contact.objects.count(), report.measures.count())
    with pytest.raises(ReportExistsError, match="sendt inn"):
        import_report(parse_needs_report(seed_003_text), round=report.round, by=None)
    report = NeedsReport.objects.get(pk=report.pk)
    assert (report.versions.get().data, Contact.objects.count(), report.measures.count()) == before
    assert report.status == NeedsReport.Status.SUBMITTED
