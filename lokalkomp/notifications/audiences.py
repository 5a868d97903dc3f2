"""Who a message concerns, beyond a needs report's own (those are in `lokalkomp.needs.audiences`)."""

from __future__ import annotations

from lokalkomp.accounts.models import Membership, User
from lokalkomp.directory.models import Network
from lokalkomp.schemes.models import Round


def network_coordinators(round: Round) -> dict[User, list[int]]:
    """Coordinators of the office's networks (their coordinator memberships).

    Nothing records a compiled needs report yet, so every coordinator counts as not delivered;
    once the compilation has a status, exclude the networks that have delivered here.
    """
    memberships = Membership.objects.coordinating(Network.objects.filter(office=round.office))
    pairs = set(memberships.filter(user__is_active=True).values_list("user_id", "network_id"))
    ids: dict[int, set[int]] = {}
    for user_id, network_id in pairs:
        ids.setdefault(user_id, set()).add(network_id)
    users = User.objects.exclude(email="").in_bulk(list(ids))
    return {users[u]: sorted(n) for u, n in sorted(ids.items()) if u in users}
