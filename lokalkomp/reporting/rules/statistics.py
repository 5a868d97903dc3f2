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
rules.add_perm("reporting.import_history", can_import_history)


def history_offices_q(user: Any) -> Q:
    """The offices whose history the user may import (the twin of `can_import_history`)."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(pk__in=office_ids_with(user, GOVERNOR_ROLES))
