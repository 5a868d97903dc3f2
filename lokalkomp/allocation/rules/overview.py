"""Who sees the round's assessment overview and its overlap finder (the `rules` library), with the Q twin.

The office's forum (members, deputies, its secretary), its fagutvalg's members and its Statsforvalter:
the people who prepare the forum's recommendation. Plain readers (Role.READER), coordinators and the
partnerships do not: the overview shows the forum's assessments, and the overlap finder is a tool
for the forum's question «how is fragmentation prevented?».

What a viewer sees *inside* the overview is the assessment's rule (`visible_assessments_q`), and
nothing of a partnership the viewer is disqualified from (conflicts.py).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = ["OVERVIEW_ROLES", "can_view_overview", "overview_rounds_q", "sees_overview_of_round"]

# The forum's members, deputies and secretary, the office's Statsforvalter, and the fagutvalg's members
# (they assess next to or instead of the forum: allocation.rules.assessment.ASSESSOR_ROLES).
OVERVIEW_ROLES = (*FORUM_ROLES, *GOVERNOR_ROLES, Role.FAGUTVALG_MEMBER)


@rules.predicate
def sees_overview_of_round(user: Any, round: Any) -> bool:
    """A forum member, deputy or secretary, a fagutvalg member, or the Statsforvalter, of the round's office."""
    return round.office_id in office_ids_with(user, OVERVIEW_ROLES)


can_view_overview = is_superuser | sees_overview_of_round
rules.add_perm("allocation.view_overview", can_view_overview)


def overview_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose overview and overlap finder the user may open, as `can_view_overview`."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, OVERVIEW_ROLES))
