"""Who may see the round's recommendation and who takes its steps (the `rules` library), with the Q twin for lists.

- See it (the workspace, the what-ifs, the versions, the PDF, the events): the forum's members and
  deputies (FORUM_VOTING_ROLES), the secretariat (SECRETARIAT_ROLES: the forum secretary and the office's
  Statsforvalter) and the superuser.
- Change its amounts and justifications (main and what-ifs, while they may be changed): the same people.
- Take a step (preliminary, final) with the meeting's record: the secretariat only.
- A line (one measure) is seen and changed only by those not disqualified from its partnership
  (habilitet, `allocation.conflicts`); its amounts still count in the frames' totals.

A round predicate is asked about a round: it reads only `round.office_id`. A line predicate is asked
about a `RecommendationLine` with its measure's report loaded.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import Role
from lokalkomp.accounts.rules import is_superuser, office_ids_with

from .assessment import SECRETARIAT_ROLES

# The recommendation is the forum's: its members and deputies. A fagutvalg assesses (ASSESSOR_ROLES) but
# does not recommend.
FORUM_VOTING_ROLES = (Role.FORUM_MEMBER, Role.FORUM_DEPUTY)

__all__ = [
    "can_change_recommendation",
    "can_change_recommendation_line",
    "can_see_recommendation_line",
    "can_take_recommendation_step",
    "can_view_recommendation",
    "recommendation_lines_q",
    "recommendation_rounds_q",
]


@rules.predicate
def is_recommendation_secretariat(user: Any, round: Any) -> bool:
    return round.office_id in office_ids_with(user, SECRETARIAT_ROLES)


@rules.predicate
def is_recommendation_assessor(user: Any, round: Any) -> bool:
    return round.office_id in office_ids_with(user, FORUM_VOTING_ROLES)


can_view_recommendation = is_superuser | is_recommendation_assessor | is_recommendation_secretariat
can_take_recommendation_step = is_superuser | is_recommendation_secretariat

can_change_recommendation = is_superuser | is_recommendation_assessor | is_recommendation_secretariat


@rules.predicate
def is_not_disqualified_from_line(user: Any, line: Any) -> bool:
    from ..conflicts import disqualified_partnership_ids

    report = line.measure.report
    return report.partnership_id not in disqualified_partnership_ids(user, report.round)


@rules.predicate
def may_see_lines_round(user: Any, line: Any) -> bool:
    return bool(can_view_recommendation(user, line.measure.report.round))


can_see_recommendation_line = may_see_lines_round & is_not_disqualified_from_line
can_change_recommendation_line = can_see_recommendation_line

rules.add_perm("allocation.view_recommendation", can_view_recommendation)
rules.add_perm("allocation.change_recommendation", can_change_recommendation)
rules.add_perm("allocation.take_recommendation_step", can_take_recommendation_step)
rules.add_perm("allocation.view_recommendation_line", can_see_recommendation_line)
rules.add_perm("allocation.change_recommendation_line", can_change_recommendation_line)


def recommendation_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose recommendation the user may see, as `can_view_recommendation`."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, (*FORUM_VOTING_ROLES, *SECRETARIAT_ROLES)))


def recommendation_lines_q(user: Any, round: Any) -> Q:
    """The round's recommendation lines (on RecommendationLine) the user may see, as `can_see_recommendation_line`:
    none if the user may not see the recommendation, else all but those of partnerships they are disqualified from."""
    from ..conflicts import disqualified_partnership_ids

    if not can_view_recommendation(user, round):
        return Q(pk__in=[])
    disqualified = disqualified_partnership_ids(user, round)
    if not disqualified:
        return Q()
    return ~Q(measure__report__partnership_id__in=disqualified)
