"""HTML to PDF/A-2u, the archive's format (WeasyPrint), tagged as the other PDFs are.

PDF/A-2 rather than PDF/A-3: PDF/A-3 allows any file embedded in the PDF, which a long-term archive does
not want; PDF/A-2u also keeps the text searchable (every glyph maps to Unicode). No resource is fetched.
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML

VARIANT = "pdf/a-2u"
FORMAT = "fmt/478"  # PRONOM's code for PDF/A-2u, the format code Noark 5 asks for (dokumentobjekt.format)
FORMAT_DETAILS = "PDF/A-2u (ISO 19005-2:2011)"


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"The archive's PDFs fetch nothing ({url}).")


def html_to_pdfa(html: str) -> bytes:
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(pdf_variant=VARIANT, pdf_tags=True)
    return pdf
