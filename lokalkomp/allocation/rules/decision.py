"""Who makes and reads the round's decisions (vedtak), and who sees a decision as its recipient (`rules`, Q twins).

The office's Statsforvalter (GOVERNOR_ROLES) decides; the forum's secretariat (SECRETARIAT_ROLES) reads
the round's decisions. A recipient sees its own decisions once they are made (a decision exists only
once made): a person with a current membership of the recipient organisation, or a contact person
(with an account) of one of its needs reports' participants.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES, Membership
from lokalkomp.accounts.rules import is_superuser, office_ids_with
from lokalkomp.needs.models import Contact

from .assessment import SECRETARIAT_ROLES

__all__ = [
    "can_decide",
    "can_view_decision",
    "can_view_decisions",
    "decision_rounds_q",
    "governs_decisions_of_round",
    "is_recipient_of_decision",
    "own_decisions_q",
    "reads_decisions_of_round",
    "recipient_organisation_ids",
]


@rules.predicate
def governs_decisions_of_round(user: Any, round: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the round's office (cached roles)."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


@rules.predicate
def reads_decisions_of_round(user: Any, round: Any) -> bool:
    """The Statsforvalter or the forum's secretariat of the round's office."""
    return round.office_id in office_ids_with(user, (*GOVERNOR_ROLES, *SECRETARIAT_ROLES))


def recipient_organisation_ids(user: Any) -> set[int]:
    """The organisations the person speaks for: current memberships and report contacts (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    members = Membership.objects.current().filter(user=user, organisation__isnull=False)
    found = set(members.values_list("organisation_id", flat=True))
    found |= set(Contact.objects.filter(user=user).values_list("participant__organisation_id", flat=True))
    return {pk for pk in found if pk is not None}


@rules.predicate
def is_recipient_of_decision(user: Any, decision: Any) -> bool:
    return decision.recipient_id in recipient_organisation_ids(user)


can_decide = is_superuser | governs_decisions_of_round
can_view_decisions = is_superuser | reads_decisions_of_round


@rules.predicate
def reads_decision(user: Any, decision: Any) -> bool:
    return bool(can_view_decisions(user, decision.round))


can_view_decision = reads_decision | is_recipient_of_decision
rules.add_perm("allocation.decide", can_decide)
rules.add_perm("allocation.view_decisions", can_view_decisions)
rules.add_perm("allocation.view_decision", can_view_decision)


def decision_rounds_q(user: Any, *, write: bool = False) -> Q:
    """Rounds (on Round) whose decisions the user may read (`write`: make), as the predicates above."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    roles = GOVERNOR_ROLES if write else (*GOVERNOR_ROLES, *SECRETARIAT_ROLES)
    return Q(office_id__in=office_ids_with(user, roles))


def own_decisions_q(user: Any) -> Q:
    """Decisions (on Decision) whose recipient the person speaks for: the Q twin of `is_recipient_of_decision`."""
    ids = recipient_organisation_ids(user)
    return Q(recipient_id__in=sorted(ids)) if ids else Q(pk__in=[])
