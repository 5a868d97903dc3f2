"""Who may keep and read an office's long-term plan (the `rules` library), each rule with its Q twin.

The annual cycle's rule is accounts' (`accounts.rules.can_edit_cycle`). The long-term plan is the
forum's, kept by its secretariat, the Statsforvalter of the office; the office's forum (members,
deputies and secretaries) reads it. The partnerships see its goals where they choose them, in
their measures (needs).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES
from lokalkomp.accounts.rules import can_edit_cycle, governs_office, is_superuser, office_ids_with


@rules.predicate
def sits_in_office_forum(user: Any, office: Any) -> bool:
    return office.pk in office_ids_with(user, FORUM_ROLES)


can_edit_long_term_plans = is_superuser | governs_office
can_view_long_term_plans = can_edit_long_term_plans | sits_in_office_forum

# Asked about the office: its plans are one list, kept together.
rules.add_perm("schemes.change_longtermplan", can_edit_long_term_plans)
rules.add_perm("schemes.view_longtermplan", can_view_long_term_plans)


def plan_offices_q(user: Any) -> Q:
    """Offices (on Office) whose long-term plans `can_view_long_term_plans` lets the user read."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(pk__in=office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES))


def visible_long_term_plans_q(user: Any) -> Q:
    """Long-term plans (on LongTermPlan) the user may read: those of the offices in `plan_offices_q`."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES))


# ── Budget frames and their division between networks (budgets.py) ──
# The round's page shows them to everyone; the Statsforvalter of the round's office changes them.

can_edit_frames = can_edit_cycle
rules.add_perm("schemes.change_frames", can_edit_frames)


def frame_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose frames `can_edit_frames` lets the user change."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))
