"""The overview as an Excel workbook: the rows under the page's filters and sort, with the same numbers.

Written with needs' streaming sheet writer (`needs.xlsx.stream_sheet`): a row is one string, where
openpyxl's cells cost a third of a second for 600 measures with their 36 columns. Money and counts
are numbers (money as «#,##0»); a text is an inline string, never read as a formula. A measure the
viewer is disqualified from is written «Inhabil» with no numbers at all. The secretariat's workbook
has a column of the assessments written by disqualified members, left out of the numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lokalkomp.needs.xlsx import AMOUNT, PLAIN, stream_sheet

from .filters import criterion_label
from .rows import Overview, Row


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
        _("Points (0–100)"),
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
    labels = header(overview)
    styles = [AMOUNT if 6 <= n <= 8 else PLAIN for n in range(len(labels))]
    widths = [24, 30, 40, 14, 20, 16, *([12] * (len(labels) - 6))]
    rows = (values(row, overview) for row in overview.rows)
    return b"".join(stream_sheet(_("Assessments"), labels, widths, rows, styles=styles))
