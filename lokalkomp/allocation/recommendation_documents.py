"""A recommendation version as a PDF (WeasyPrint, as the compilations and the needs reports).

It reads the version's record only (`recommendation_versions.view_of`), never the live lines: what the
meeting recommended is what is printed. Labels follow the language the caller has activated.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from lokalkomp.needs.documents import export_filename, html_to_pdf_within

from .models.recommendation import Recommendation, RecommendationVersion
from .recommendation_versions import view_of

PDF_SECONDS = 60  # a recommendation is a few pages; a renderer that hangs must not hold the web process


def filename(version: RecommendationVersion) -> str:
    """«endelig-innstilling-2024-nordland-v2.pdf» (or «forelopig-innstilling-…»)."""
    stem = "endelig-innstilling" if version.status == Recommendation.Status.FINAL else "forelopig-innstilling"
    round = version.recommendation.round
    return export_filename(stem, round.year, round.office.name, f"v{version.number}", extension="pdf")


def recommendation_pdf(version: RecommendationVersion, *, hidden_reports: frozenset[int] = frozenset()) -> bytes:
    """The version as an accessible (PDF/UA) A4 PDF in the active language."""
    return html_to_pdf_within(recommendation_html(version, hidden_reports=hidden_reports), PDF_SECONDS)


def recommendation_html(version: RecommendationVersion, *, hidden_reports: frozenset[int] = frozenset()) -> str:
    """The PDF's HTML (also printed as PDF/A by the archive export)."""
    context = {
        "view": view_of(version, hidden_reports=hidden_reports),
        "version": version,
        "round": version.recommendation.round,
        "language": translation.get_language(),
        "printed_at": timezone.now(),
    }
    return render_to_string("allocation/recommendation_pdf.html", context)
