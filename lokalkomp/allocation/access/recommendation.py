"""The recommendation workspace for a user: the round's main recommendation or one of its what-ifs, or a line.

404 for what does not exist (no round, no such what-if or line in it); 403 for what exists but the
person may not see (not the forum nor its secretariat) or may not change (a line of a partnership
they are disqualified from: habilitet). The round itself is public, so someone who may not see its
recommendation is told no (403), as the assessment's pages do.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.schemes.models import Round

from ..models.recommendation import Recommendation, RecommendationLine
from ..rules.recommendation import can_change_recommendation, can_see_recommendation_line, can_view_recommendation

__all__ = ["get_recommendation_for", "get_recommendation_line_for", "recommendation_round_for"]

ID_MAX = 2**31 - 1


def recommendation_round_for(user: Any, office: str, year: int, *, write: bool = False) -> Round:
    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    return _allowed(user, found, write=write)


def _allowed(user: Any, found: Round, *, write: bool) -> Round:
    if not can_view_recommendation(user, found):
        raise PermissionDenied(_("Only the forum's members and deputies and its secretariat see the recommendation."))
    if write and not can_change_recommendation(user, found):
        raise PermissionDenied(_("You may see the recommendation but not change it."))
    return found


def get_recommendation_for(
    user: Any, office: str, year: int, *, what_if: int | None = None, write: bool = False
) -> Recommendation:
    """The round's main recommendation (started the first time anyone opens it) or the what-if `what_if`."""
    round = recommendation_round_for(user, office, year, write=write)
    if what_if is None:
        found = Recommendation.objects.main().filter(round=round).first()
        if found is None or (found.is_editable and _missing_lines(found)):
            found = Recommendation.main_of(round, by=user)  # started, or in step with the submitted measures
        recommendation = found
    else:
        if not 0 < what_if <= ID_MAX:
            raise Http404
        found = Recommendation.objects.what_ifs().filter(round=round, pk=what_if).first()
        if found is None:
            raise Http404
        recommendation = found
    recommendation.round = round
    return recommendation


def _missing_lines(recommendation: Recommendation) -> bool:
    """Whether a submitted measure of the round has no line yet (one query; `sync` adds them)."""
    return bool(
        recommendation.submitted_measures().exclude(recommendation_lines__recommendation=recommendation).exists()
    )


def get_recommendation_line_for(user: Any, office: str, year: int, line: int) -> RecommendationLine:
    """A line of the round's main recommendation or one of its what-ifs, for the person to change."""
    found = None
    if 2000 <= year <= 2100 and 0 < line <= ID_MAX:  # the line and its round in one query
        found = (
            RecommendationLine.objects.select_related(
                "recommendation__round__office", "measure__scheme", "measure__report__partnership__network"
            )
            .filter(pk=line, recommendation__round__office__slug=office, recommendation__round__year=year)
            .first()
        )
    if found is None:
        recommendation_round_for(user, office, year, write=True)  # no such round (404) or not theirs (403)
        raise Http404
    round = _allowed(user, found.recommendation.round, write=True)
    found.measure.report.round = round
    if not can_see_recommendation_line(user, found):
        raise PermissionDenied(_("You are disqualified from this partnership and may not see or change its amounts."))
    return found
