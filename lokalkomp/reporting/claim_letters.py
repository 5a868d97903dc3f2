"""A claim back's letter (krav om tilbakebetaling) as a PDF (WeasyPrint, as the decision letters).

It reads the claim's record only (its lines and their decisions' recorded recipients and accounts), and is
written in the claim's language form (its first decision's: bokmål or nynorsk), whoever prints it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lokalkomp.needs.documents import export_filename, html_to_pdf_within

from .models.claims import Claim

PDF_SECONDS = 60  # a letter is a page or two; a renderer that hangs must not hold the web process


def claim_letter_filename(claim: Claim) -> str:
    """«krav-2023-nordland-k-001.pdf»."""
    return export_filename("krav", claim.number, extension="pdf")


def claim_letter_html(claim: Claim) -> str:
    """The letter's HTML in the claim's language form, whatever the reader's language."""
    language = claim.language_form if claim.language_form in ("nb", "nn") else "nb"
    lines = list(claim.lines.all())
    with translation.override(language):
        return render_to_string(
            "reporting/followup_claim_letter_pdf.html",
            {
                "claim": claim,
                "round": claim.round,
                "lines": lines,
                "total": sum(int(line.amount) for line in lines),
                "language": language,
                "printed_at": timezone.now(),
            },
        )


def claim_letter_pdf(claim: Claim) -> bytes:
    """The letter as an A4 PDF in the claim's language form."""
    return html_to_pdf_within(claim_letter_html(claim), PDF_SECONDS)
