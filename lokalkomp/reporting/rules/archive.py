"""Who may export a round's archive package: the Statsforvalter of the round's office (administrator or case
officer), as for the payments; the package holds every case document of the round."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = ["archives_round", "archive_rounds_q", "can_export_archive"]


@rules.predicate
def archives_round(user: Any, round: Any) -> bool:
    """The Statsforvalter of the round's office (no query: cached roles)."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_export_archive = is_superuser | archives_round
rules.add_perm("reporting.export_archive", can_export_archive)


def archive_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose archive the user may export, as the predicate above."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))
