"""Documents made from needs reports: the report as a printable PDF and the measures as an Excel sheet.

The PDF reads like the Word form it replaces (seed 003): header with schemes, owners, UH and
contact persons, the totals table, then one page per measure and the co-determination and units at
the end. Totals are always computed from the measures; an imported form's own table is printed
beside them for comparison. Labels follow the language the caller has activated.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from weasyprint import HTML

from lokalkomp.templatetags.nor import semester

from .models import Continuation, DeclaredTotal, Measure, NeedsReport, Participant, ReportEvent, Totals

# The form's own texts, in the order it asks them (the rest of Measure.NARRATIVE_FIELDS has its own place).
FORM_NARRATIVES = (
    "anchoring",
    "collective",
    "teacher_education",
    "long_term_plan",
    "owner_share_use",
    "partner_share_use",
)
SEASONS = {"": 0, "spring": 1, "autumn": 2}


@dataclass(frozen=True)
class MeasurePage:
    """What the PDF prints for one measure, in the order of the form."""

    measure: Measure
    narratives: list[tuple[str, str]]
    semesters: list[tuple[str, bool]]
    last_semester: str
    continuations: list[tuple[str, Continuation | None]]


def render_report_pdf(report: NeedsReport) -> bytes:
    """The report as an A4 PDF, in the active language; no resource is fetched from anywhere."""
    html = render_to_string("needs/report_pdf.html", report_pdf_context(report))
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


def report_pdf_context(report: NeedsReport) -> dict[str, Any]:
    """Everything the PDF template needs, loaded in a fixed number of queries."""
    report = _load_report(report)
    covered = {rs.scheme_id for rs in report.report_schemes.all()}
    participants = list(report.partnership.participants.all())
    lead_owner = _lead(participants, Participant.Side.OWNER)
    lead_partner = _lead(participants, Participant.Side.PARTNER)
    totals = report.totals_by_scheme()
    declared = [(d, _differs(d, totals)) for d in report.declared_totals.all()]
    return {
        "report": report,
        "language": translation.get_language(),
        "printed_at": timezone.now(),
        "scheme_boxes": _scheme_boxes(report, covered),
        "several_covered": len(covered) > 1,
        "owners": [p for p in participants if p.side == Participant.Side.OWNER],
        "partners": [p for p in participants if p.side == Participant.Side.PARTNER],
        "leads": [lead_owner, lead_partner],
        "others": [p for p in participants if p not in (lead_owner, lead_partner)],
        "several_schemes": len(covered | {d.scheme_id for d, _differs in declared if d.scheme_id}) > 1,
        "totals": list(totals.items()),
        "grand_total": report.grand_total(),
        "declared": declared,
        "declared_differs": any(differs for _d, differs in declared),
        "measures": [_measure_page(m, report.round.year) for m in report.measures.all()],
    }


def _load_report(report: NeedsReport) -> NeedsReport:
    measures = Measure.objects.select_related("scheme").prefetch_related("continuations")
    participants = Participant.objects.select_related("organisation").prefetch_related("contacts")
    return (
        NeedsReport.objects.select_related("partnership__network", "round__office")
        .prefetch_related(
            "round__schemes",
            "report_schemes__scheme",
            "union_participants",
            Prefetch("declared_totals", queryset=DeclaredTotal.objects.select_related("scheme")),
            Prefetch("measures", queryset=measures),
            Prefetch("partnership__participants", queryset=participants),
            Prefetch("events", queryset=ReportEvent.objects.select_related("actor")),
        )
        .get(pk=report.pk)
    )


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"The needs report PDF loads no external resources ({url}).")


def _lead(participants: list[Participant], side: str) -> Participant | None:
    """The organisation the side's grant is paid to, else the first of that side."""
    of_side = [p for p in participants if p.side == side]
    return next((p for p in of_side if p.is_lead), of_side[0] if of_side else None)


def _scheme_boxes(report: NeedsReport, covered: set[int]) -> list[tuple[Any, bool]]:
    """The round's schemes ticked when the report covers them, as the form's ☒/☐ line."""
    schemes = list(report.round.schemes.all())
    schemes += [rs.scheme for rs in report.report_schemes.all() if rs.scheme not in schemes]
    return [(scheme, scheme.pk in covered) for scheme in schemes]


def _differs(declared: DeclaredTotal, totals: dict[Any, Totals]) -> bool:
    """Whether a stated row disagrees with itself or with the computed totals of a covered scheme."""
    if declared.total_amount != declared.owner_amount + declared.partner_amount:
        return True
    computed = totals.get(declared.scheme)
    return computed is not None and computed != Totals(declared.owner_amount, declared.partner_amount)


def _period_key(code: str) -> tuple[int, int]:
    year, _sep, season = code.partition("-")
    return (int(year) if year.isdigit() else 0, SEASONS.get(season, 0))


def _question(field_name: str) -> str:
    """The form's question for a text field; capfirst keeps «UH» (str.capitalize would give «uh»)."""
    field = Measure._meta.get_field(field_name)
    return capfirst(str(getattr(field, "verbose_name", field_name)))


def _measure_page(measure: Measure, year: int) -> MeasurePage:
    texts = dict(zip(Measure.NARRATIVE_FIELDS, (text for _label, text in measure.narratives()), strict=True))
    offered = {f"{year}-spring", f"{year}-autumn", f"{year + 1}-spring"}
    chosen = set(measure.semesters or [])
    estimates = {c.period: c for c in measure.continuations.all()}
    later = {f"{year + 1}-autumn", str(year + 2), str(year + 3)} | set(estimates)
    return MeasurePage(
        measure=measure,
        narratives=[(_question(name), texts[name]) for name in FORM_NARRATIVES],
        semesters=[(code, code in chosen) for code in sorted(offered | chosen, key=_period_key)],
        last_semester=f"{year + 1}-spring",
        continuations=[(period, estimates.get(period)) for period in sorted(later, key=_period_key)],
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
AMOUNT_FORMAT = "#,##0"  # thousands grouped with the reader's separator: «1 544 000» in Norwegian Excel
SPOOL_BYTES = 4 * 1024 * 1024
CELL_MAX = 32_767  # Excel's limit on the characters in one cell
NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def measures_workbook(measures: QuerySet[Measure]) -> IO[bytes]:
    """The measures as an .xlsx file object, rewound, for `FileResponse` (which closes it).

    Memory stays flat however many measures there are:
    * the rows come from ONE query (lead owner and UH are subqueries, the rest select_related),
      read with `.iterator(chunk_size=2000)`, so at most 2 000 measures are in memory at once;
    * openpyxl's write-only workbook writes each row straight to a temporary XML file on disk
      instead of keeping cells in memory;
    * the finished .xlsx goes into a `SpooledTemporaryFile` that stays in memory up to 4 MiB and
      rolls over to a file on disk beyond that; the response then streams it in blocks.
    """
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title=str(_("Measures"))[:31])
    sheet.freeze_panes = "A2"
    for index, (_label, width) in enumerate(EXCEL_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_cell(sheet, str(label), bold=True) for label, _width in EXCEL_COLUMNS])
    for measure in _export_queryset(measures).iterator(chunk_size=2000):
        sheet.append(_measure_row(sheet, measure))
    output: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    workbook.save(output)
    output.seek(0)
    return output


def measures_workbook_chunks(measures: QuerySet[Measure], block_size: int = 64 * 1024) -> Iterator[bytes]:
    """The same workbook as blocks of bytes, for a `StreamingHttpResponse`."""
    with measures_workbook(measures) as output:
        while block := output.read(block_size):
            yield block


def export_filename(*parts: object, extension: str = "xlsx") -> str:
    """«tiltak-2024-ytre-helgeland.xlsx» from ("tiltak", 2024, "Ytre Helgeland"); æ/ø/å become ae/o/a."""
    text = " ".join(str(part) for part in parts).translate(NORWEGIAN_LETTERS)
    text = re.sub(r"[\W_]+", " ", text)
    stem = slugify(text) or "export"
    return f"{stem}.{extension.lstrip('.')}"


EXPORTED_FIELDS = (
    "position",
    "name",
    "purpose",
    "owner_amount",
    "partner_amount",
    "semesters",
    "target_group",
    "scheme__short_name",
    "report__status",
    "report__round__year",
    "report__round__office__name",
    "report__partnership__name",
    "report__partnership__network__name",
)


def _export_queryset(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    def lead(side: str) -> Subquery:
        leads = Participant.objects.filter(partnership=OuterRef("report__partnership"), side=side, is_lead=True)
        return Subquery(leads.values("organisation__name")[:1])

    measures = (
        measures.select_related("report__round__office", "report__partnership__network", "scheme")
        .only(*EXPORTED_FIELDS)  # not the long narratives: they are not exported
        .annotate(lead_owner_name=lead(Participant.Side.OWNER), lead_partner_name=lead(Participant.Side.PARTNER))
    )
    if not measures.query.order_by:
        order = ("report__round__office__name", "-report__round__year", "report__partnership__name", "position", "pk")
        measures = measures.order_by(*order)
    return measures


WRAP = Alignment(wrap_text=True, vertical="top")


def _measure_row(sheet: WriteOnlyWorksheet, measure: Any) -> list[Any]:
    report = measure.report
    text_values = (
        report.round.office.name,
        report.round.year,
        str(report.partnership.network or ""),
        report.partnership.name,
        report.get_status_display(),
        measure.scheme.short_name,
        measure.position,
        measure.name,
        measure.get_purpose_display(),
    )
    amounts = (measure.owner_amount, measure.partner_amount, measure.total_amount)
    tail = (
        ", ".join(semester(code) for code in measure.semesters or []),
        measure.target_group,
        measure.lead_owner_name or "",
        measure.lead_partner_name or "",
    )
    return (
        [_cell(sheet, value) for value in text_values]
        + [_cell(sheet, amount, number_format=AMOUNT_FORMAT) for amount in amounts]
        + [_cell(sheet, value) for value in tail]
    )


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, number_format: str = "") -> Any:
    """A cell whose text can never become a formula and holds only characters Excel accepts.

    Plain values are written as they are; a cell object (slow: it carries a style) only where
    the text could be read as a formula, has line breaks, or needs a format.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_MAX]
        if not bold and not value.startswith(("=", "+", "-", "@")) and "\n" not in value:
            return value
    elif not bold and not number_format:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store «=…» as a formula
        if "\n" in value:
            cell.alignment = WRAP
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell
