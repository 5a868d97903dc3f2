"""The archive's documents from reporting itself: the reports on the use of funds and the claim letters.

A report on the use of funds is archived once it is submitted or accepted (a report sent back is being
written again; its next submission is archived then). Its PDF is printed from the report as it stands, which
cannot change while it is submitted or accepted; the date and author are those of its latest submitted version.
A claim back (krav om tilbakebetaling) is an outgoing letter to the recipients of the decisions it claims on.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lokalkomp.needs.documents import export_filename
from lokalkomp.schemes.models import Round

from ..claim_letters import claim_letter_filename, claim_letter_html
from ..funds_documents import funds_html
from ..models.claims import Claim, ClaimLine
from ..models.funds import FundsReport, FundsReportVersion
from .sources import INCOMING, OUTGOING, RECIPIENT, SENDER, ArchiveDocument, Party


def funds_reports(round: Round) -> Iterator[ArchiveDocument]:
    office = round.office.name
    reports = (
        FundsReport.objects.filter(round=round, status__in=(FundsReport.Status.SUBMITTED, FundsReport.Status.ACCEPTED))
        .select_related("partnership", "round__office")
        .prefetch_related(
            Prefetch("versions", queryset=FundsReportVersion.objects.select_related("submitted_by").order_by("number"))
        )
    )
    for report in reports.order_by("pk"):
        versions = list(report.versions.all())
        if not versions:
            continue
        latest = versions[-1]
        partnership = report.partnership.name
        yield ArchiveDocument(
            key=f"funds-report:{report.pk}:v{latest.number}",
            title=_("Report on the use of funds %(year)s, %(partnership)s")
            % {"year": round.year, "partnership": partnership},
            kind=INCOMING,
            document_type="Rapport",
            dated=latest.submitted_at,
            author=str(latest.submitted_by) if latest.submitted_by else partnership,
            parties=(Party(SENDER, partnership), Party(RECIPIENT, office)),
            filename=export_filename(
                "rapport-bruk-av-midler", round.year, partnership, f"v{latest.number}", extension="pdf"
            ),
            html=partial(funds_html, report),
            received=True,
        )


def claim_letters(round: Round) -> Iterator[ArchiveDocument]:
    office = round.office.name
    claims = (
        Claim.objects.filter(round=round)
        .select_related("round__office", "made_by")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.select_related("decision")))
    )
    for claim in claims.order_by("number"):
        officer = str(claim.made_by) if claim.made_by else office
        recipients = sorted({line.decision.recipient_name for line in claim.lines.all()})
        yield ArchiveDocument(
            key=f"claim:{claim.pk}",
            title=_("Claim letter %(number)s") % {"number": claim.number},
            kind=OUTGOING,
            document_type="Brev",
            dated=claim.made_at,
            author=officer,
            parties=(
                Party(SENDER, office, case_officer=officer),
                *(Party(RECIPIENT, name) for name in recipients),
            ),
            filename=claim_letter_filename(claim),
            html=partial(claim_letter_html, claim),
        )


REPORTING = (funds_reports, claim_letters)
