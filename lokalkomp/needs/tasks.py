"""A report's PDF, made once per version and language and kept: small ones at once, large ones by the worker.

Why the split: the seed report (8 measures, about 19 pages) renders in about a second, so a
person who clicks «PDF» gets the file straight away; the largest report of the national data
(56 measures, 113 pages) takes seconds and a long text minutes, which must not hold a web
process. Reports above `INLINE_MAX_MEASURES` measures or `INLINE_MAX_CHARACTERS` characters of
text go to the worker, which renders in a child process killed after `PDF_TIME_LIMIT` seconds;
the page says the PDF is being prepared and asks again every 2 seconds (htmx) until it is ready.
The bytes are kept in `ReportPdf`, keyed by report, version (or the draft's data) and language.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task

from .documents import PdfTimeout, html_to_pdf, html_to_pdf_within, report_pdf_html
from .models import NeedsReport, NeedsReportVersion, ReportPdf
from .records import ReportRecord, digest, latest_version, load, serialise

logger = logging.getLogger(__name__)

INLINE_MAX_MEASURES = 12
INLINE_MAX_CHARACTERS = 60_000
# A pending PDF with no answer after this long lost its task (a worker killed before it started): ask again.
REQUEUE_AFTER = dt.timedelta(minutes=5)


def time_limit() -> float:
    return float(getattr(settings, "PDF_TIME_LIMIT", 120))


def prepare_pdf(report: NeedsReport, language: str, *, retry: bool = False) -> ReportPdf:
    """The report's PDF in the language: ready, or being prepared (queued for the worker, or made now if small)."""
    version, data = _source(report)
    key = digest({"version": version.number if version else None, "data": None if version else data})
    pdf = _get_or_create(report, version, key, language)
    if pdf.status == ReportPdf.Status.READY:
        return pdf
    stale = pdf.status == ReportPdf.Status.PENDING and pdf.requested_at < timezone.now() - REQUEUE_AFTER
    if pdf.status == ReportPdf.Status.FAILED and not retry:
        return pdf
    if pdf.status == ReportPdf.Status.FAILED or stale:
        ReportPdf.objects.filter(pk=pdf.pk).update(
            status=ReportPdf.Status.PENDING, requested_at=timezone.now(), error=""
        )
        pdf.refresh_from_db()
    elif not getattr(pdf, "created", False):
        return pdf  # pending, its task is on the queue
    if is_small(ReportRecord.from_data(data)):
        return _render_now(pdf, report, version)
    transaction.on_commit(partial(render_pdf.enqueue, pdf.pk))
    return pdf


def version_pdf(version: NeedsReportVersion, language: str, *, seconds: float | None = None) -> bytes | None:
    """The bytes of a submitted version's PDF in the language: the kept one, else made now within `seconds`.

    For an e-mail that carries what was submitted (the receipt): never the live draft, never without
    a time limit. None when it cannot be made in time (or failed before): the worker is asked to make
    it with its own, longer, limit, so that it is there to download when the person asks.
    """
    seconds = time_limit() if seconds is None else seconds
    report = version.report
    key = digest({"version": version.number, "data": None})
    pdf = _get_or_create(report, version, key, language)
    if pdf.status == ReportPdf.Status.READY:
        return bytes(ReportPdf.objects.values_list("content", flat=True).get(pk=pdf.pk))
    if pdf.status == ReportPdf.Status.FAILED:
        return None  # it failed within the worker's limit before: do not try again on every send
    try:
        with translation.override(language):
            html = report_pdf_html(report, version)
        content = html_to_pdf_within(html, seconds)
    except PdfTimeout as error:
        logger.warning("PDF of version %s of report %s for an e-mail: %s", version.pk, report.pk, error)
        if getattr(pdf, "created", False):
            transaction.on_commit(partial(render_pdf.enqueue, pdf.pk))
        return None
    _finish(pdf.pk, status=ReportPdf.Status.READY, content=content)
    return content


def is_small(record: ReportRecord) -> bool:
    """Whether the report renders quickly enough to wait for in the request."""
    characters = sum(len(text) for m in record.measures for text in m.texts.values())
    characters += len(record.unplaced_text)  # an import keeps an over-long text whole there, and the PDF prints it
    return len(record.measures) <= INLINE_MAX_MEASURES and characters <= INLINE_MAX_CHARACTERS


def _source(report: NeedsReport) -> tuple[NeedsReportVersion | None, dict]:
    """The version a submitted report prints and its data, or a draft's live data."""
    version = latest_version(report) if report.status == NeedsReport.Status.SUBMITTED else None
    if version is not None:
        return version, version.data
    data = serialise(load(report.pk))
    # A draft's PDF prints its status and events too: a new event is a new PDF.
    data["_state"] = [report.status, max((e.pk for e in report.events.all()), default=0)]
    return None, data


def _get_or_create(report: NeedsReport, version: NeedsReportVersion | None, key: str, language: str) -> ReportPdf:
    found = ReportPdf.objects.filter(report=report, digest=key, language=language).defer("content").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            pdf = ReportPdf.objects.create(report=report, version=version, digest=key, language=language)
    except IntegrityError:  # another request made it a moment ago
        return ReportPdf.objects.defer("content").get(report=report, digest=key, language=language)
    if version is None:  # a draft keeps only its latest PDF per language
        ReportPdf.objects.filter(report=report, version=None, language=language).exclude(pk=pdf.pk).delete()
    pdf.created = True  # type: ignore[attr-defined]
    return pdf


def _render_now(pdf: ReportPdf, report: NeedsReport, version: NeedsReportVersion | None) -> ReportPdf:
    with translation.override(pdf.language):
        content = html_to_pdf(report_pdf_html(report, version))
    _finish(pdf.pk, status=ReportPdf.Status.READY, content=content)
    pdf.refresh_from_db()
    return pdf


def _finish(pk: int, *, status: str, content: bytes = b"", error: str = "") -> None:
    ReportPdf.objects.filter(pk=pk).update(status=status, content=content, error=error, finished_at=timezone.now())


@task()
def render_pdf(pdf_id: int) -> str:
    """Render one queued PDF within the time limit; a copy of the task finds it ready and does nothing."""
    pdf = ReportPdf.objects.select_related("report", "version").defer("content").filter(pk=pdf_id).first()
    if pdf is None or pdf.status != ReportPdf.Status.PENDING:
        return "skipped"
    try:
        with translation.override(pdf.language):
            html = report_pdf_html(pdf.report, pdf.version)
        content = html_to_pdf_within(html, time_limit())
    except PdfTimeout as error:
        logger.warning("PDF %s of report %s: %s", pdf_id, pdf.report_id, error)
        _finish(pdf_id, status=ReportPdf.Status.FAILED, error=str(error))
        return "timeout"
    except Exception as error:  # a template or font error: say so on the page, and log it
        logger.exception("PDF %s of report %s failed", pdf_id, pdf.report_id)
        _finish(pdf_id, status=ReportPdf.Status.FAILED, error=f"{type(error).__name__}: {error}")
        return "failed"
    _finish(pdf_id, status=ReportPdf.Status.READY, content=content)
    return "ready"
