"""Who may keep and read an office's long-term plan, and change a round's frames (the `rules` library).

No list shows the plans or frames of several offices (each page is one office's, asked through
`access.py`), so these rules have no Q twins; a list that comes would add one, tested against its rule.

The annual cycle's rule is accounts' (`accounts.rules.can_edit_cycle`). The long-term plan is the
forum's, kept by its secretariat, the Statsforvalter of the office; the office's forum (members,
deputies and secretaries) reads it. The partnerships see its goals where they choose them, in
their measures (needs).
"""

from __future__ import annotations

from typing import Any

import rules

from lokalkomp.accounts.models import FORUM_ROLES, Role
from lokalkomp.accounts.rules import can_edit_cycle, governs_office, is_superuser, office_ids_with

# The fagutvalg assesses the measures against the long-term plan's goals as the forum does.
PLAN_READER_ROLES = (*FORUM_ROLES, Role.FAGUTVALG_MEMBER)


@rules.predicate
def sits_in_office_forum(user: Any, office: Any) -> bool:
    return office.pk in office_ids_with(user, PLAN_READER_ROLES)


can_edit_long_term_plans = is_superuser | governs_office
can_view_long_term_plans = can_edit_long_term_plans | sits_in_office_forum

# Asked about the office: its plans are one list, kept together.
rules.add_perm("schemes.change_longtermplan", can_edit_long_term_plans)
rules.add_perm("schemes.view_longtermplan", can_view_long_term_plans)


# ── Budget frames and their division between networks (budgets.py) ──
# The round's page shows them to everyone; the Statsforvalter of the round's office changes them.

can_edit_frames = can_edit_cycle
rules.add_perm("schemes.change_frames", can_edit_frames)
