"""Who writes a partnership's report on the use of funds (the `rules` library), with its Q twin for lists.

The partnership's contact persons with an account, on the owner's side and the UH side, write the report;
no one else reaches it through these pages (the Statsforvalter follows it up on pages of its own).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

__all__ = ["can_write_funds_report", "writable_funds_reports_q"]


def writable_funds_reports_q(user: Any) -> Q:
    """The reports the user writes, as a filter on FundsReport (a contact of the partnership, either side)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(partnership__participants__contacts__user=user)


@rules.predicate
def can_write_funds_report(user: Any, report: Any) -> bool:
    """A contact person of the report's partnership (owner or UH side)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from lokalkomp.needs.models import Contact

    return Contact.objects.filter(participant__partnership_id=report.partnership_id, user=user).exists()
