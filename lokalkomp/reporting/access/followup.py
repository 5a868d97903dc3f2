"""The round, a report and a claim for the Statsforvalter's follow-up, or 404 (no such thing) / 403 (may not).

The round is public (its page is), so someone signed in who may not follow it up is told no (403), as
the payment pages do; a report or claim that is not the round's is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..models.claims import Claim, ClaimLine
from ..models.funds import FundsReport, FundsReportLine
from ..rules.followup import can_follow_up

__all__ = ["get_followup_claim_for", "get_followup_report_for", "get_followup_round_for"]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def get_followup_round_for(user: Any, office: str, year: int) -> Round:
    """The round whose reports the user follows up (its milestones prefetched)."""
    if not 2000 <= year <= 2100:
        raise Http404
    found = (
        Round.objects.select_related("office")
        .prefetch_related("milestones")
        .filter(office__slug=office, year=year)
        .first()
    )
    if found is None:
        raise Http404
    if not can_follow_up(user, found):
        raise PermissionDenied(_("Only the Statsforvalter follows up the reports on the use of funds."))
    return found


def get_followup_report_for(user: Any, round: Round, pk: int) -> FundsReport:
    """One report of the round (the caller has asked `get_followup_round_for`), its lines prefetched, or 404."""
    if not 0 < pk < ID_MAX:
        raise Http404
    found = (
        FundsReport.objects.select_related("partnership__network")
        .prefetch_related(
            Prefetch("lines", queryset=FundsReportLine.objects.select_related("scheme").order_by("position", "pk"))
        )
        .filter(pk=pk, round=round)
        .first()
    )
    if found is None:
        raise Http404
    found.round = round
    return found


def get_followup_claim_for(user: Any, round: Round, pk: int) -> Claim:
    """One claim of the round, its lines and their decisions prefetched, or 404."""
    if not 0 < pk < ID_MAX:
        raise Http404
    found = (
        Claim.objects.select_related("report__partnership", "made_by")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.select_related("decision").order_by("pk")))
        .filter(pk=pk, round=round)
        .first()
    )
    if found is None:
        raise Http404
    found.round = round
    return found
