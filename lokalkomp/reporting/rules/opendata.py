"""Who may take the export to Udir (the `rules` library), with its Q twin: the Statsforvalter of the office.

The open data itself is public and needs no rule; the export holds the same public columns but is the
office's report to Udir, so only the office's Statsforvalter (administrator or case officer) takes it.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = ["can_export_to_udir", "exports_round", "udir_rounds_q"]


@rules.predicate
def exports_round(user: Any, round: Any) -> bool:
    """The Statsforvalter of the round's office (no query: cached roles)."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_export_to_udir = is_superuser | exports_round
rules.add_perm("reporting.export_to_udir", can_export_to_udir)


def udir_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose export the user may take, as `can_export_to_udir`."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))
