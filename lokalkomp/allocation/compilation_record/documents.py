"""A delivered compilation as a PDF (WeasyPrint, as the needs reports) and as an Excel sheet.

Both read the version's record only (`CompilationRecord.from_data`), never the live list: what was
delivered is what is printed. Labels follow the language the caller has activated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lokalkomp.needs.documents import export_filename, html_to_pdf_within
from lokalkomp.needs.xlsx import AMOUNT, PLAIN, WRAPPED, stream_sheet

from ..models import CompilationVersion
from .data import CompilationRecord

PDF_SECONDS = 60  # a compilation is a few pages; a renderer that hangs must not hold the web process


def filename(version: CompilationVersion, extension: str) -> str:
    """«sammenstilling-2024-ytre-helgeland-v2.pdf»."""
    record = CompilationRecord.from_data(version.data)
    return export_filename(
        "sammenstilling", record.year or "", record.network, f"v{version.number}", extension=extension
    )


def compilation_pdf(version: CompilationVersion) -> bytes:
    """The delivered version as an accessible (PDF/UA) A4 PDF in the active language."""
    return html_to_pdf_within(compilation_html(version), PDF_SECONDS)


def compilation_html(version: CompilationVersion) -> str:
    """The PDF's HTML (also printed as PDF/A by the archive export)."""
    context = {
        "record": CompilationRecord.from_data(version.data),
        "version": version,
        "language": translation.get_language(),
        "printed_at": timezone.now(),
    }
    return render_to_string("allocation/compilation_pdf.html", context)


def columns() -> list[tuple[str, float, int]]:
    """The sheet's columns: label, width, style."""
    return [
        (_("Scheme"), 24, PLAIN),
        (_("Priority"), 8, PLAIN),
        (_("Measure"), 50, WRAPPED),
        (_("Partnership"), 30, PLAIN),
        (_("Owners"), 30, PLAIN),
        (_("UH"), 28, PLAIN),
        (_("Purpose"), 26, PLAIN),
        (_("Owner (kr)"), 13, AMOUNT),
        (_("UH (kr)"), 13, AMOUNT),
        (_("Total (kr)"), 13, AMOUNT),
        (_("Recommended by the network"), 14, PLAIN),
        (_("Why not recommended"), 40, WRAPPED),
        (_("Needs report version"), 10, PLAIN),
    ]


def compilation_xlsx_chunks(version: CompilationVersion) -> Iterator[bytes]:
    """One row per measure in the network's order, then a sum row per scheme, the total and the comment."""
    record = CompilationRecord.from_data(version.data)
    cols = columns()
    return stream_sheet(
        _("Compilation")[:31],
        [label for label, _width, _style in cols],
        [width for _label, width, _style in cols],
        _rows(record),
        styles=[style for _label, _width, style in cols],
    )


def _rows(record: CompilationRecord) -> Iterator[tuple[Any, ...]]:
    yes, no = _("Yes"), _("No")
    for scheme in record.schemes:
        for m in scheme.included:
            yield (
                str(scheme),
                m.priority,
                m.name,
                m.partnership,
                ", ".join(m.owners),
                ", ".join(m.partners),
                m.purpose_display,
                m.owner_amount,
                m.partner_amount,
                m.total_amount,
                yes if m.recommended else no,
                m.reason,
                m.report_version,
            )
    blank = (None,) * 6
    for scheme in record.schemes:
        t = scheme.totals
        yield (_("Sum %(scheme)s") % {"scheme": scheme}, *blank, t.owner, t.partner, t.total, None, None, None)
    t = record.totals
    yield (_("Sum, all schemes"), *blank, t.owner, t.partner, t.total, None, None, None)
    if record.comment:
        yield (_("The network's comment"), None, record.comment, *((None,) * 10))
