"""The overview as an Excel workbook: the rows under the page's filters and sort, with the same numbers.

A round has at most a few hundred measures, so openpyxl's write-only workbook is enough (as the
work list's export). Money and counts are numbers; a text is always a text, never a formula. A
measure the viewer is disqualified from is written «Inhabil» with no numbers at all. The secretariat's
workbook has a column of the assessments written by disqualified members, left out of the numbers.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from lokalkomp.needs.xlsx import CELL_MAX, ILLEGAL

from .filters import criterion_label
from .rows import Overview, Row

KRONER = '"kr" #,##0'


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, money: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL.sub("", value)[:CELL_MAX]
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # «=SUM(…)» as a measure's name stays text
    if bold:
        cell.font = Font(bold=True)
    if money:
        cell.number_format = KRONER
    return cell


def header(overview: Overview) -> list[str]:
    labels = [
        _("Network"),
        _("Partnership"),
        _("Measure"),
        _("Scheme"),
        _("Purpose"),
        _("Network's priority"),
        _("Owner"),
        _("UH"),
        _("Total"),
        _("Assessments"),
        _("Not shared"),
        _("Prioritise"),
        _("Possible"),
        _("Do not fund"),
        _("Score (0–100)"),
    ]
    for criterion in overview.criteria:
        name = criterion_label(criterion)
        labels += [f"{name}: {_('met')}", f"{name}: {_('partly met')}", f"{name}: {_('not met')}"]
    labels.append(_("Disqualified"))
    if overview.secretariat:
        labels.append(_("Written by a disqualified member (not counted)"))
    return labels


def _priority(row: Row) -> str | int:
    if not row.compiled:
        return _("not delivered")
    text = row.priority if row.priority is not None else "–"
    return text if row.recommended else f"{text} ({_('not recommended')})"


def values(row: Row, overview: Overview) -> list[Any]:
    """One row's cells, as the page shows them (nothing of the assessments where the viewer is disqualified)."""
    cells: list[Any] = [
        row.network or _("No network"),
        row.partnership,
        row.name,
        row.scheme,
        row.purpose_label,
        _priority(row),
    ]
    money = [row.owner_amount, row.partner_amount, row.total]
    if row.disqualified:
        numbers: list[Any] = [None] * (6 + 3 * len(overview.criteria))
    else:
        numbers = [row.assessments, row.drafts, row.prioritise, row.possible, row.do_not_fund, row.score]
        for tally in row.tallies:
            numbers += [tally.met, tally.partly, tally.not_met]
    tail = [_("Disqualified") if row.disqualified else ""]
    if overview.secretariat:
        tail.append("; ".join(f"{a.assessor}: {a.recommendation or '–'}" for a in row.by_disqualified))
    return [*cells, *money, *numbers, *tail]


def overview_workbook(overview: Overview) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Assessments")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, label, bold=True) for label in header(overview)])
    for row in overview.rows:
        cells = values(row, overview)
        sheet.append([_cell(sheet, value, money=6 <= n <= 8) for n, value in enumerate(cells)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
