"""The export to Udir: one workbook per office and year, for the Statsforvalter to send on.

Three sheets: the frames per scheme (Udir's frame, the pool's and the extra money's lines, granted,
left); the decisions per recipient and scheme (owner's and UH's amounts); and the reported use per
measure from the reports on the use of funds (granted, used and unused, owner and UH). A measure whose
report is not yet submitted shows its granted amounts with the use empty and the report's status, so
the sheet always sums to what was granted. Read in a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lokalkomp.allocation.models.decision import Decision, DecisionLine
from lokalkomp.schemes.models import Round

from .models import FundsReport, FundsReportLine
from .opendata import queries
from .opendata.csv import safe

MONEY = '#,##0" kr"'
REPORTED = (FundsReport.Status.SUBMITTED, FundsReport.Status.ACCEPTED)


def _cell(sheet: Any, value: Any, *, bold: bool = False, money: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value if isinstance(value, int) or value is None else safe(value))
    if bold:
        cell.font = Font(bold=True)
    if money and isinstance(value, int):
        cell.number_format = MONEY
    return cell


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], money_from: int) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, label, bold=True) for label in header])
    for row in rows:
        sheet.append([_cell(sheet, v, money=i >= money_from) for i, v in enumerate(row)])


def frame_sheet_rows(round: Round) -> list[list[Any]]:
    rows = []
    for f in queries.frame_rows(round):
        available = (f["frame"] or 0) + f["pool"] + f["extra"]
        rows.append([f["scheme_name"], f["frame"], f["pool"], f["extra"], f["granted"], available - f["granted"]])
    return rows


def decision_sheet_rows(round: Round) -> list[list[Any]]:
    """Per recipient and scheme: owner's and UH's amounts and the measures (one query)."""
    sums: dict[tuple[str, str, str, str], list[Any]] = defaultdict(lambda: [0, 0, []])
    for line in queries.grant_lines(round):
        row = queries.grant_row(line)
        entry = sums[(row["recipient"], row["org_number"], row["scheme_name"], row["network"])]
        entry[0] += row["owner_amount"]
        entry[1] += row["uh_amount"]
        entry[2].append(row["measure"])
    return [
        [recipient, org, scheme, network, owner, uh, owner + uh, "; ".join(dict.fromkeys(measures))]
        for (recipient, org, scheme, network), (owner, uh, measures) in sorted(sums.items())
    ]


def reported_sheet_rows(round: Round) -> list[list[Any]]:
    """Per measure and scheme granted: what its report on the use of funds says was used (two queries).

    Granted comes from the decisions; used from the report's line once the report is submitted or
    accepted (before that the use is empty and the row says the report's status, or that none is begun).
    A pool decision, outside any needs report, has no report: its row shows the granted amount only.
    """
    granted: dict[tuple[int | None, int, int], dict[str, Any]] = {}
    lines = DecisionLine.objects.filter(decision__round=round).select_related(
        "decision", "scheme", "measure__report__partnership__network"
    )
    for line in lines.order_by("decision__number", "pk"):
        measure = line.measure
        key = (line.measure_id, line.scheme_id, 0 if measure else line.decision_id)
        partnership = measure.report.partnership if measure else None
        entry = granted.setdefault(
            key,
            {
                "who": partnership.name if partnership else line.decision.recipient_name,
                "network": partnership.network.name if partnership and partnership.network else "",
                "measure": measure.name if measure else line.description,
                "scheme": line.scheme.short_name or line.scheme.name,
                "owner": 0,
                "uh": 0,
            },
        )
        entry["uh" if line.decision.side == Decision.Side.PARTNER else "owner"] += line.amount
    reported: dict[tuple[int | None, int, int], FundsReportLine] = {
        (r.measure_id, r.scheme_id, 0): r
        for r in FundsReportLine.objects.filter(report__round=round).select_related("report")
    }
    rows = []
    for key, entry in sorted(granted.items(), key=lambda item: (item[1]["who"], item[1]["measure"])):
        report_line = reported.get(key)
        status = report_line.report.get_status_display() if report_line else ""
        done = report_line is not None and report_line.report.status in REPORTED
        used_owner = report_line.used_owner if report_line is not None and done else None
        # the UH side's columns hold the UH's and partner 2's (both recipients on the UH side of the decisions)
        used_uh = report_line.used_uh + report_line.used_partner2 if report_line is not None and done else None
        unused = entry["owner"] + entry["uh"] - (used_owner or 0) - (used_uh or 0) if done else None
        rows.append(
            [
                entry["who"],
                entry["network"],
                entry["measure"],
                entry["scheme"],
                status,
                entry["owner"],
                entry["uh"],
                used_owner,
                used_uh,
                unused,
            ]
        )
    return rows


def udir_workbook(round: Round) -> bytes:
    book = Workbook(write_only=True)
    money = [_("Owner (kr)"), _("UH (kr)")]
    _sheet(
        book,
        _("Frames"),
        [_("Scheme"), _("Frame (kr)"), _("Pool (kr)"), _("Extra money (kr)"), _("Granted (kr)"), _("Left (kr)")],
        frame_sheet_rows(round),
        money_from=1,
    )
    _sheet(
        book,
        _("Decisions"),
        [_("Recipient"), _("Organisation number"), _("Scheme"), _("Network"), *money, _("Total (kr)"), _("Measures")],
        decision_sheet_rows(round),
        money_from=4,
    )
    _sheet(
        book,
        _("Reported use"),
        [
            _("Partnership"),
            _("Network"),
            _("Measure"),
            _("Scheme"),
            _("Report status"),
            _("Granted, owner (kr)"),
            _("Granted, UH (kr)"),
            _("Used, owner (kr)"),
            _("Used, UH (kr)"),
            _("Unused (kr)"),
        ],
        reported_sheet_rows(round),
        money_from=5,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
