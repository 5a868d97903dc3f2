"""The archive's documents from the needs and allocation apps: what was submitted, delivered, recommended, decided.

Each is a record, printed from its own record (the version's data), never from live rows: the needs report's
submitted versions, the compilations' delivered versions, the recommendation's final (and adopted) versions with
their meeting, and the decision letters. Reporting's own parts (funds, follow-up) register theirs beside these.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from lokalkomp.allocation.compilation_record.data import CompilationRecord
from lokalkomp.allocation.compilation_record.documents import compilation_html
from lokalkomp.allocation.compilation_record.documents import filename as compilation_filename
from lokalkomp.allocation.decision_documents import letter_filename, letter_html
from lokalkomp.allocation.models import CompilationVersion, Decision
from lokalkomp.allocation.models.recommendation import Recommendation, RecommendationVersion
from lokalkomp.allocation.recommendation_documents import filename as recommendation_filename
from lokalkomp.allocation.recommendation_documents import recommendation_html
from lokalkomp.needs.documents import export_filename, report_pdf_html
from lokalkomp.needs.models.events import NeedsReportVersion
from lokalkomp.schemes.models import Round

from .sources import (
    INCOMING,
    INTERNAL,
    INTERNAL_RECIPIENT,
    INTERNAL_SENDER,
    OUTGOING,
    RECIPIENT,
    SENDER,
    ArchiveDocument,
    Party,
)


def _name(user: Any, fallback: str) -> str:
    return str(user) if user is not None else fallback


def needs_reports(round: Round) -> Iterator[ArchiveDocument]:
    """Every submitted version of every needs report (sent back and submitted again is a second record)."""
    office = round.office.name
    versions = NeedsReportVersion.objects.filter(report__round=round).select_related(
        "report__partnership", "report__round__office", "submitted_by"
    )
    for version in versions.order_by("report_id", "number"):
        report = version.report
        partnership = report.partnership.name
        yield ArchiveDocument(
            key=f"needs-report:{report.pk}:v{version.number}",
            title=_("Needs report %(year)s, %(partnership)s, version %(number)s")
            % {"year": round.year, "partnership": partnership, "number": version.number},
            kind=INCOMING,
            document_type="Rapport",
            dated=version.submitted_at,
            author=_name(version.submitted_by, partnership),
            parties=(Party(SENDER, partnership), Party(RECIPIENT, office)),
            filename=export_filename("behovsmelding", round.year, partnership, f"v{version.number}", extension="pdf"),
            html=partial(report_pdf_html, report, version),
            received=True,
        )


def compilations(round: Round) -> Iterator[ArchiveDocument]:
    """Every delivered version of the networks' compilations."""
    office = round.office.name
    versions = CompilationVersion.objects.filter(compilation__round=round).select_related(
        "compilation__network", "delivered_by"
    )
    for version in versions.order_by("compilation_id", "number"):
        network = CompilationRecord.from_data(version.data).network or version.compilation.network.name
        yield ArchiveDocument(
            key=f"compilation:{version.compilation_id}:v{version.number}",
            title=_("Compilation %(year)s, %(network)s, version %(number)s")
            % {"year": round.year, "network": network, "number": version.number},
            kind=INCOMING,
            document_type="Rapport",
            dated=version.delivered_at,
            author=_name(version.delivered_by, network),
            parties=(Party(SENDER, network), Party(RECIPIENT, office)),
            filename=compilation_filename(version, "pdf"),
            html=partial(compilation_html, version),
            received=True,
        )


def recommendations(round: Round) -> Iterator[ArchiveDocument]:
    """The forum's final (and adopted) recommendation versions, each with its meeting (date, present, vote)."""
    office = round.office.name
    forum = getattr(getattr(round.office, "forum", None), "name", "") or office
    statuses = (Recommendation.Status.FINAL, Recommendation.Status.ADOPTED)
    versions = RecommendationVersion.objects.filter(
        recommendation__round=round, recommendation__kind=Recommendation.Kind.MAIN, status__in=statuses
    ).select_related("recommendation__round__office", "made_by")
    for version in versions.order_by("recommendation_id", "number"):
        yield ArchiveDocument(
            key=f"recommendation:{version.recommendation_id}:v{version.number}",
            title=_("Final recommendation %(year)s with the meeting record, version %(number)s")
            % {"year": round.year, "number": version.number},
            kind=INTERNAL,
            document_type="Møteprotokoll",
            dated=version.made_at,
            author=_name(version.made_by, forum),
            parties=(Party(INTERNAL_SENDER, forum), Party(INTERNAL_RECIPIENT, office)),
            filename=recommendation_filename(version),
            html=partial(recommendation_html, version),
        )


def decision_letters(round: Round) -> Iterator[ArchiveDocument]:
    """The decision letters (vedtaksbrev), each to its recipient, with the case officer who decided."""
    office = round.office.name
    decisions = Decision.objects.filter(round=round).select_related("round__office", "decided_by")
    for decision in decisions.order_by("number"):
        officer = _name(decision.decided_by, office)
        yield ArchiveDocument(
            key=f"decision:{decision.pk}",
            title=_("Decision letter %(number)s to %(recipient)s")
            % {"number": decision.number, "recipient": decision.recipient_name},
            kind=OUTGOING,
            document_type="Brev",
            dated=decision.decided_at,
            author=officer,
            parties=(Party(SENDER, office, case_officer=officer), Party(RECIPIENT, decision.recipient_name)),
            filename=letter_filename(decision),
            html=partial(letter_html, decision),
        )


BUILTIN = (needs_reports, compilations, recommendations, decision_letters)
