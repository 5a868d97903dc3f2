"""Who follows up the reports on the use of funds (the `rules` library), with its Q twin for lists.

The Statsforvalter (administrator or case officer) of the round's office sees the round's follow-up
list, accepts a report, asks for more, and claims unused funds back; no one else does. A claim's
letter is read by the same people (it names amounts and account numbers).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = ["can_follow_up", "follows_up_round", "followup_rounds_q"]


@rules.predicate
def follows_up_round(user: Any, round: Any) -> bool:
    """The Statsforvalter of the round's office (no query: cached roles)."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_follow_up = is_superuser | follows_up_round
rules.add_perm("reporting.follow_up", can_follow_up)


def followup_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose reports the user follows up, as `can_follow_up`."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))
