"""The round's work list as an Excel workbook: the reports under the page's filters, and those without a report.

A round has at most a few hundred reports, so openpyxl's write-only workbook is enough (the streaming
writer of xlsx.py is for the national lists of measures). Money is written as numbers with a kroner
format, dates as dates; a text is always a text, never read as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from lokalkomp.schemes.models import Round, Scheme

from .models import NeedsReport
from .worklist import (
    Filters,
    Status,
    compiled_ids,
    missing_partnerships,
    report_values,
    round_reports,
    status_of,
    with_status,
)
from .xlsx import CELL_MAX, ILLEGAL

KRONER = '"kr" #,##0'  # «kr 1 544 000» in Norwegian Excel: a number, summable, shown as money
DATE = "dd.mm.yyyy"


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, money: bool = False) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, str):
        value = ILLEGAL.sub("", value)[:CELL_MAX]
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # «=SUM(…)» as a partnership's name stays text
    if bold:
        cell.font = Font(bold=True)
    if money:
        cell.number_format = KRONER
    elif isinstance(value, dt.date):
        cell.number_format = DATE
    return cell


def worklist_workbook(round: Round, filters: Filters, schemes: list[Scheme]) -> bytes:
    """Sheet 1: the reports with their totals per scheme; sheet 2: the partnerships without a report."""
    book = Workbook(write_only=True)
    compiled = compiled_ids(round)
    reports = book.create_sheet(_("Needs reports")[:31])
    reports.freeze_panes = "A2"
    header = [_("Partnership"), _("Network"), _("Status"), _("Submitted")]
    for scheme in schemes:
        header += [f"{scheme.short_name}: {label}" for label in (_("owner"), _("UH"), _("total"))]
    header += [_("Owner, all schemes"), _("UH, all schemes"), _("Total")]
    reports.append([_cell(reports, label, bold=True) for label in header])
    labels = dict(Status.choices)
    rows = report_values(with_status(round_reports(round, filters), filters.status, compiled), schemes, filters.sort)
    for row in rows.iterator(chunk_size=500):
        values: list[WriteOnlyCell] = [
            _cell(reports, row["partnership__name"]),
            _cell(reports, row["partnership__network__name"] or ""),
            _cell(reports, str(labels[status_of(row, compiled)])),
            _cell(reports, row["last_submitted"]),
        ]
        amounts = []
        for scheme in schemes:
            owner, partner = row[f"owner_{scheme.pk}"], row[f"partner_{scheme.pk}"]
            amounts += [owner, partner, owner + partner]
        amounts += [row["owner_total"], row["partner_total"], row["owner_total"] + row["partner_total"]]
        reports.append(values + [_cell(reports, amount, money=True) for amount in amounts])
    if filters.status in ("", Status.NOT_STARTED):
        _missing_sheet(book.create_sheet(_("Without a report")[:31]), round, filters)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _missing_sheet(sheet: WriteOnlyWorksheet, round: Round, filters: Filters) -> None:
    sheet.freeze_panes = "A2"
    header = [_("Partnership"), _("Network"), _("Last year"), _("Contact persons with e-mail")]
    sheet.append([_cell(sheet, label, bold=True) for label in header])
    labels = dict(NeedsReport.Status.choices)
    for _pk, name, network, status, addresses in missing_partnerships(round, filters):
        values = (name, network or "", str(labels.get(status, status)), addresses)
        sheet.append([_cell(sheet, value) for value in values])
