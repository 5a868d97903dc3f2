"""A decision's letter (vedtaksbrev) as a PDF (WeasyPrint, as the recommendation's versions).

It reads the decision's record only (its lines, conditions and recorded recipient), and is written in
the decision's language form (bokmål or nynorsk), whoever prints it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lokalkomp.needs.documents import export_filename, html_to_pdf_within

from .models.decision import Decision

PDF_SECONDS = 60  # a letter is a page or two; a renderer that hangs must not hold the web process


def letter_filename(decision: Decision) -> str:
    """«vedtaksbrev-2024-nordland-001.pdf»."""
    return export_filename("vedtaksbrev", decision.number, extension="pdf")


def letter_html(decision: Decision) -> str:
    """The letter's HTML, rendered in the decision's language form whatever the reader's language."""
    language = decision.language_form if decision.language_form in ("nb", "nn") else "nb"
    with translation.override(language):
        context = {
            "decision": decision,
            "round": decision.round,
            "lines": list(decision.lines.select_related("scheme")),
            "language": language,
            "printed_at": timezone.now(),
        }
        return render_to_string("allocation/decision_letter_pdf.html", context)


def decision_letter_pdf(decision: Decision) -> bytes:
    """The letter as an A4 PDF in the decision's language form."""
    return html_to_pdf_within(letter_html(decision), PDF_SECONDS)
