"""Documents made from needs reports: the report as a printable PDF and the measures as an Excel sheet.

The PDF reads like the Word form it replaces (seed 003): header with schemes, owners, UH and
contact persons, the totals table, then one page per measure and the co-determination and units at
the end. Totals are always computed from the measures; an imported form's own table is printed
beside them for comparison. Labels follow the language the caller has activated.
"""

from __future__ import annotations

import multiprocessing
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from lokalkomp.templatetags.nor import semester

from .models import (
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportVersion,
    Participant,
    Totals,
    continuation_periods,
    period_order,
    semester_codes,
)
from .records import (
    RecordedContinuation,
    RecordedDeclaredTotal,
    RecordedMeasure,
    RecordedScheme,
    ReportRecord,
    latest_version,
    load,
    serialise,
)
from .xlsx import AMOUNT, PLAIN, stream_sheet


@dataclass(frozen=True)
class MeasurePage:
    """What the PDF prints for one measure, in the order of the form."""

    measure: RecordedMeasure
    narratives: list[tuple[str, str]]
    semesters: list[tuple[str, bool]]
    last_semester: str
    continuations: list[tuple[str, RecordedContinuation | None]]


class PdfTimeout(Exception):
    """Rendering a PDF took longer than its time limit; the child process was stopped."""


def render_report_pdf(report: NeedsReport, version: NeedsReportVersion | None = None) -> bytes:
    """The report as an accessible (PDF/UA) A4 PDF in the active language, rendered in this process.

    A submitted report prints its latest version (or the version given); a draft its live data.
    """
    return html_to_pdf(report_pdf_html(report, version))


def report_pdf_html(report: NeedsReport, version: NeedsReportVersion | None = None) -> str:
    return render_to_string("needs/report_pdf.html", report_pdf_context(report, version))


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF/UA-1, tagged for screen readers; no resource is fetched from anywhere."""
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def html_to_pdf_within(html: str, seconds: float) -> bytes:
    """`html_to_pdf` in a forked child process that is killed after `seconds` (raises PdfTimeout).

    A thread cannot be stopped and WeasyPrint holds no deadline of its own, so the limit is a
    process: the worker forks, the child renders and sends the bytes back through a pipe.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child, args=(sender, html), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise PdfTimeout(f"The PDF was not ready within {seconds:g} s.")
        message = receiver.recv_bytes()
    except EOFError as error:
        raise RuntimeError("The PDF renderer stopped without an answer.") from error
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if message.startswith(b"ER"):
        raise RuntimeError(message[2:].decode(errors="replace"))
    return message[2:]


def _render_in_child(sender: Any, html: str) -> None:
    try:
        sender.send_bytes(b"OK" + html_to_pdf(html))
    except BaseException as error:  # noqa: BLE001 (whatever it is, the parent must hear of it)
        sender.send_bytes(b"ER" + repr(error).encode())
    finally:
        sender.close()


def report_pdf_context(report: NeedsReport, version: NeedsReportVersion | None = None) -> dict[str, Any]:
    """Everything the PDF template needs, read from the report's record, in a fixed number of queries."""
    report = _load_report(report)
    if version is None and report.status == NeedsReport.Status.SUBMITTED:
        version = latest_version(report)
    record = (
        ReportRecord.from_data(version.data, version) if version else ReportRecord.from_data(serialise(load(report.pk)))
    )
    covered = {rs.scheme.code for rs in record.schemes}
    lead_owner = record.lead(Participant.Side.OWNER)
    lead_partner = record.lead(Participant.Side.PARTNER)
    totals = record.totals_by_scheme()
    declared = [(d, _differs(d, totals)) for d in record.declared_totals]
    events = [e for e in report.events.all() if version is None or version.event_id is None or e.pk <= version.event_id]
    return {
        "report": report,
        "record": record,
        "events": events,
        "language": translation.get_language(),
        "printed_at": timezone.now(),
        "scheme_boxes": _scheme_boxes(report, record),
        "several_covered": len(covered) > 1,
        "owners": record.of_side(Participant.Side.OWNER),
        "partners": record.of_side(Participant.Side.PARTNER),
        "leads": [lead_owner, lead_partner],
        "others": [p for p in record.participants if p not in (lead_owner, lead_partner)],
        "several_schemes": len(covered | {d.scheme.code for d, _differs in declared if d.scheme}) > 1,
        "totals": list(totals.items()),
        "grand_total": record.grand_total(),
        "declared": declared,
        "declared_differs": any(differs for _d, differs in declared),
        "measures": [_measure_page(m, report.round.year) for m in record.measures],
    }


def _load_report(report: NeedsReport) -> NeedsReport:
    """What the PDF reads besides the record: the round's schemes, the events and the versions."""
    return (
        NeedsReport.objects.select_related("partnership", "round__office")
        .prefetch_related(
            "round__schemes",
            Prefetch("events", queryset=NeedsReportEvent.objects.select_related("actor")),
            "versions",
        )
        .get(pk=report.pk)
    )


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"The needs report PDF loads no external resources ({url}).")


def _scheme_boxes(report: NeedsReport, record: ReportRecord) -> list[tuple[Any, bool]]:
    """The round's schemes ticked when the report covers them, as the form's ☒/☐ line."""
    covered = {rs.scheme.code for rs in record.schemes}
    boxes: list[tuple[Any, bool]] = [(scheme, scheme.code in covered) for scheme in report.round.schemes.all()]
    offered = {scheme.code for scheme, _ticked in boxes}
    return boxes + [(rs.scheme, True) for rs in record.schemes if rs.scheme.code not in offered]


def _differs(declared: RecordedDeclaredTotal, totals: dict[RecordedScheme, Totals]) -> bool:
    """Whether a stated row disagrees with itself or with the computed totals of a covered scheme."""
    if declared.total_amount != declared.owner_amount + declared.partner_amount:
        return True
    computed = totals.get(declared.scheme) if declared.scheme else None
    return computed is not None and computed != Totals(declared.owner_amount, declared.partner_amount)


def _measure_page(measure: RecordedMeasure, year: int) -> MeasurePage:
    offered = semester_codes(year)
    chosen = set(measure.semesters or [])
    estimates = {c.period: c for c in measure.continuations}
    later = set(continuation_periods(year)) | set(estimates)
    return MeasurePage(
        measure=measure,
        narratives=[(Measure.question(name), measure.texts.get(name, "")) for name in Measure.QUESTION_FIELDS],
        semesters=[(code, code in chosen) for code in sorted(set(offered) | chosen, key=period_order)],
        last_semester=offered[-1],
        continuations=[(period, estimates.get(period)) for period in sorted(later, key=period_order)],
    )


def record_workbook_chunks(report: NeedsReport, record: ReportRecord) -> Iterator[bytes]:
    """One report's measures as the sheet of `measures_workbook_chunks`, read from its record."""
    lead_owner, lead_partner = record.lead(Participant.Side.OWNER), record.lead(Participant.Side.PARTNER)
    head = (
        report.round.office.name,
        report.round.year,
        record.network,
        record.partnership,
        report.get_status_display(),
    )
    rows = [
        (
            *head,
            m.scheme.short_name,
            m.position,
            m.name,
            m.purpose_display,
            m.owner_amount,
            m.partner_amount,
            m.total_amount,
            ", ".join(semester(code) for code in m.semesters),
            m.target_group,
            lead_owner.organisation.name if lead_owner else "",
            lead_partner.organisation.name if lead_partner else "",
        )
        for m in record.measures
    ]
    return stream_sheet(
        str(_("Measures")),
        [str(label) for label, _width in EXCEL_COLUMNS],
        [width for _label, width in EXCEL_COLUMNS],
        rows,
        styles=[AMOUNT if 9 <= index <= 11 else PLAIN for index in range(len(EXCEL_COLUMNS))],
    )


# --- Excel ---------------------------------------------------------------------------------------

EXCEL_COLUMNS = (
    (_("Office"), 24),
    (_("Year"), 7),
    (_("Network"), 22),
    (_("Partnership"), 30),
    (_("Report status"), 12),
    (_("Scheme"), 24),
    (_("No."), 5),
    (_("Measure"), 50),
    (_("Purpose"), 28),
    (_("Owner (kr)"), 13),
    (_("UH (kr)"), 13),
    (_("Total (kr)"), 13),
    (_("Semesters"), 28),
    (_("Target group"), 40),
    (_("Owner organisation"), 28),
    (_("UH institution"), 28),
)
AMOUNT_FORMAT = "#,##0"  # style AMOUNT of xlsx.py (built-in format 3): «1 544 000» in Norwegian Excel
SPOOL_BYTES = 4 * 1024 * 1024
NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def measures_workbook(measures: QuerySet[Measure]) -> IO[bytes]:
    """The measures as an .xlsx file object, rewound, for `FileResponse` (which closes it).

    The blocks of `measures_workbook_chunks` in a `SpooledTemporaryFile` (in memory up to 4 MiB,
    on disk beyond). The site streams the blocks themselves; this is for callers that want a file.
    """
    output: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    for block in measures_workbook_chunks(measures):
        output.write(block)
    output.seek(0)
    return output


def measures_workbook_chunks(measures: QuerySet[Measure]) -> Iterator[bytes]:
    """The measures as an .xlsx file in blocks of bytes, made as they are sent (`StreamingHttpResponse`).

    The first block (the file's fixed parts and the header row) leaves before the query runs; then
    each block of 500 rows is compressed and sent while the next is read. Memory stays flat: the
    rows come from ONE query of plain values (`.values_list`, no model objects, the long narratives
    not read) through a server-side cursor, 2 000 at a time, and nothing is kept after it is sent.
    150 000 measures take a few seconds (bench/export.py), far inside gunicorn's timeout.
    """
    styles = [AMOUNT if 9 <= index <= 11 else PLAIN for index in range(len(EXCEL_COLUMNS))]
    return stream_sheet(
        str(_("Measures")),
        [str(label) for label, _width in EXCEL_COLUMNS],
        [width for _label, width in EXCEL_COLUMNS],
        _export_rows(measures),
        styles=styles,
    )


def export_filename(*parts: object, extension: str = "xlsx") -> str:
    """«tiltak-2024-ytre-helgeland.xlsx» from ("tiltak", 2024, "Ytre Helgeland"); æ/ø/å become ae/o/a."""
    text = " ".join(str(part) for part in parts).translate(NORWEGIAN_LETTERS)
    text = re.sub(r"[\W_]+", " ", text)
    stem = slugify(text) or "export"
    return f"{stem}.{extension.lstrip('.')}"


EXPORTED_FIELDS = (
    "report__round__office__name",
    "report__round__year",
    "report__partnership__network__name",
    "report__partnership__name",
    "report__status",
    "scheme__short_name",
    "position",
    "name",
    "purpose",
    "owner_amount",
    "partner_amount",
    "semesters",
    "target_group",
    "report__partnership_id",
)


def _export_queryset(measures: QuerySet[Measure]) -> QuerySet[Any]:
    """The export's main query: a tuple of plain values per measure, in the sheet's order."""
    if not measures.query.order_by:
        order = ("report__round__office__name", "-report__round__year", "report__partnership__name", "position", "pk")
        measures = measures.order_by(*order)
    return measures.values_list(*EXPORTED_FIELDS)


def _lead_names(measures: QuerySet[Measure]) -> dict[tuple[int, str], str]:
    """{(partnership, side): the lead organisation's name} for the partnerships of the measures, in one query.

    (A subquery per measure row cost two index look-ups for each of 150 000 rows.)
    """
    leads = Participant.objects.filter(
        is_lead=True, partnership_id__in=measures.order_by().values("report__partnership_id")
    ).values_list("partnership_id", "side", "organisation__name")
    return {(partnership, side): name for partnership, side, name in leads}


def _export_rows(measures: QuerySet[Measure]) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows, with the labels of the choices and the semesters looked up once, not per row."""
    statuses = {value: str(label) for value, label in NeedsReport.Status.choices}
    uses = {value: str(label) for value, label in Measure._meta.get_field("purpose").choices or ()}
    semesters: dict[str, str] = {}
    leads = _lead_names(measures)
    owner_side, partner_side = Participant.Side.OWNER.value, Participant.Side.PARTNER.value
    for row in _export_queryset(measures).iterator(chunk_size=2000):
        office, year, network, partnership, status, scheme, position, name, purpose, owner, uh, codes = row[:12]
        labels = []
        for code in codes or []:
            if code not in semesters:
                semesters[code] = semester(code)
            labels.append(semesters[code])
        target, partnership_id = row[12:]
        yield (
            office,
            year,
            network or "",
            partnership,
            statuses.get(status, status),
            scheme,
            position,
            name,
            uses.get(purpose, purpose),
            owner,
            uh,
            owner + uh,
            ", ".join(labels),
            target,
            leads.get((partnership_id, owner_side), ""),
            leads.get((partnership_id, partner_side), ""),
        )
