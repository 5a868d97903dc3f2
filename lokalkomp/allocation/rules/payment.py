"""Who sees and changes the round's payments, pool and extra decisions (the `rules` library), with Q twins.

The office's Statsforvalter (administrator or case officer) decides and pays: it marks payments
paid, makes the pool's and the extra allocation's decisions and sets their frame lines. The forum's
secretary reads the payment list and its reconciliation (the secretariat prepares the meeting and
answers for the sums); no one else does: the list carries account numbers.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import is_superuser, office_ids_with

__all__ = [
    "PAYMENT_READER_ROLES",
    "can_manage_payments",
    "can_view_payments",
    "governs_payments_of_round",
    "payment_rounds_q",
    "reads_payments_of_round",
    "visible_payments_q",
]

# The forum's secretary and the office's Statsforvalter read; the Statsforvalter alone writes.
PAYMENT_READER_ROLES = (Role.FORUM_SECRETARY, *GOVERNOR_ROLES)


@rules.predicate
def reads_payments_of_round(user: Any, round: Any) -> bool:
    """The forum secretary or the Statsforvalter of the round's office (no query: cached roles)."""
    return round.office_id in office_ids_with(user, PAYMENT_READER_ROLES)


@rules.predicate
def governs_payments_of_round(user: Any, round: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the round's office."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_view_payments = is_superuser | reads_payments_of_round
can_manage_payments = is_superuser | governs_payments_of_round
rules.add_perm("allocation.view_payments", can_view_payments)
rules.add_perm("allocation.manage_payments", can_manage_payments)


def payment_rounds_q(user: Any, *, write: bool = False) -> Q:
    """Rounds (on Round) whose payments the user may see (`write`: change), as the predicates above."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES if write else PAYMENT_READER_ROLES))


def visible_payments_q(user: Any) -> Q:
    """Payments (on Payment) the user may see: those of the rounds of `payment_rounds_q`."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(decision__round__office_id__in=office_ids_with(user, PAYMENT_READER_ROLES))
