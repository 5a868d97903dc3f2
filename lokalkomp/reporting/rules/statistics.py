"""Who imports the history (the `rules` library), with its Q twin.

The statistics pages themselves are public (granted amounts per network, owner and UH are public
information under the Freedom of Information Act, and the pages carry no personal data). Importing
earlier years' allocations changes the office's figures: its Statsforvalter does it.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = ["can_import_history", "governs_office", "history_offices_q"]


@rules.predicate
def governs_office(user: Any, office: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the office (no query: cached roles)."""
    return office.pk in office_ids_with(user, GOVERNOR_ROLES)


can_import_history = is_superuser | governs_office
# Not registered as a permission for the role matrix (docs/roles.md): asked through `rules.has_perm` in the matrix's
# world it answered differently by the office's primary key (seen on PostgreSQL, not understood yet); the access
# module and tests/access/stats.py ask the predicate itself.


def history_offices_q(user: Any) -> Q:
    """The offices whose history the user may import (the twin of `can_import_history`)."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(pk__in=office_ids_with(user, GOVERNOR_ROLES))
