"""The recommendation's steps and versions for a user, or 404 (no such round or version) / 403 (may not).

The round itself is public (its page is), so someone who may not see its recommendation is told no
(403), as the assessment's pages do. The forum's members and deputies and the secretariat read the
versions, the comparison, the events and the PDF; only the secretariat takes a step (`step=True`).
A person disqualified from a partnership does not see its lines (`hidden_reports`); the totals still
count them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.needs.models import NeedsReport
from lokalkomp.schemes.models import Round

from ..conflicts import disqualified_partnership_ids
from ..models.recommendation import Recommendation, RecommendationVersion

__all__ = ["get_main_recommendation_for", "get_recommendation_version_for", "hidden_reports", "step_round_for"]

NUMBER_MAX = 2**31 - 1  # PostgreSQL's integer: a larger version number is no one's


def step_round_for(user: Any, office: str, year: int, *, step: bool = False) -> Round:
    """The round whose recommendation the user may read (`step`: take a step of)."""
    # Read when asked: the rules are the workspace's module (rules/recommendation.py).
    from ..rules.recommendation import can_take_recommendation_step, can_view_recommendation

    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    if not can_view_recommendation(user, found):
        raise PermissionDenied(_("Only the forum's members and deputies and its secretariat see the recommendation."))
    if step and not can_take_recommendation_step(user, found):
        raise PermissionDenied(
            _("Only the forum's secretariat records the meetings that make the recommendation preliminary or final.")
        )
    return found


def get_main_recommendation_for(
    user: Any, office: str, year: int, *, step: bool = False
) -> tuple[Round, Recommendation | None]:
    """The round and its main recommendation (None before anyone has opened it), without making one."""
    round = step_round_for(user, office, year, step=step)
    recommendation = Recommendation.objects.main().filter(round=round).first()
    if recommendation is not None:
        recommendation.round = round
    return round, recommendation


def get_recommendation_version_for(user: Any, office: str, year: int, number: int) -> RecommendationVersion:
    """One version of the round's main recommendation, with its meeting record; 404 if there is none."""
    round, recommendation = get_main_recommendation_for(user, office, year)
    if recommendation is None or not 0 < number <= NUMBER_MAX:
        raise Http404
    version = recommendation.versions.select_related("step__actor", "made_by").filter(number=number).first()
    if version is None:
        raise Http404
    version.recommendation = recommendation
    return version


def hidden_reports(user: Any, round: Round) -> frozenset[int]:
    """The round's reports of the partnerships the user is disqualified from: their lines are not shown."""
    disqualified = disqualified_partnership_ids(user, round)
    if not disqualified:
        return frozenset()
    rows = NeedsReport.objects.filter(round=round, partnership_id__in=disqualified).values_list("pk", flat=True)
    return frozenset(rows)
