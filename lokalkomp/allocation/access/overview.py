"""The round's overview and overlap finder for a user, or 404 (no such round) / 403 (may not see them).

The round itself is public (its page is), so someone who may not see its overview is told no (403),
as the assessment's pages do. A measure that is not one of the round's submitted ones is 404; a
measure of a partnership the user is disqualified from is 403 (overview/measure.py says so, as it
asks who is disqualified once for the user and the measure's assessors together).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import Round

from ..rules.overview import can_view_overview

__all__ = ["get_overview_measure_for", "get_overview_round_for"]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def get_overview_round_for(user: Any, office: str, year: int) -> Round:
    """The round whose overview (and overlap finder) the user may open: the forum and the Statsforvalter."""
    if not 2000 <= year <= 2100:
        raise Http404
    found = (
        Round.objects.select_related("office", "assessment_setup")
        .prefetch_related("schemes")
        .filter(office__slug=office, year=year)
        .first()
    )
    if found is None:
        raise Http404
    if not can_view_overview(user, found):
        raise PermissionDenied(
            _("Only the forum's members, deputies and secretariat and the Statsforvalter see the overview.")
        )
    return found


def get_overview_measure_for(user: Any, round: Round, pk: int) -> Measure:
    """One measure of the round's submitted reports, or 404 (the caller refuses the disqualified, 403)."""
    if not 0 < pk <= ID_MAX:
        raise Http404
    measure = (
        Measure.objects.select_related("report__partnership__network", "scheme")
        .filter(pk=pk, report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .first()
    )
    if measure is None:
        raise Http404
    measure.report.round = round
    return measure
