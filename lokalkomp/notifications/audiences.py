"""Who a message concerns, beyond a needs report's own (those are in `lokalkomp.needs.audiences`)."""

from __future__ import annotations

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.allocation.models import Compilation
from lokalkomp.directory.models import Network
from lokalkomp.schemes.models import Round


def network_coordinators(round: Round) -> dict[User, list[int]]:
    """Coordinators of the office's networks that have not delivered their compilation of the round
    (their coordinator memberships; a compilation reopened and not delivered again counts as not delivered)."""
    delivered = Compilation.objects.filter(round=round, status=Compilation.Status.DELIVERED).values("network_id")
    memberships = Membership.objects.coordinating(Network.objects.filter(office=round.office).exclude(pk__in=delivered))
    pairs = set(memberships.filter(user__is_active=True).values_list("user_id", "network_id"))
    ids: dict[int, set[int]] = {}
    for user_id, network_id in pairs:
        ids.setdefault(user_id, set()).add(network_id)
    users = User.objects.exclude(email="").in_bulk(list(ids))
    return {users[u]: sorted(n) for u, n in sorted(ids.items()) if u in users}


def forum_secretariat(office_id: int) -> list[User]:
    """Those who receive what the networks deliver to the forum: the office's forum secretaries and its
    Statsforvalter administrators (current memberships, active accounts with an address)."""
    roles = (Role.FORUM_SECRETARY, Role.GOVERNOR_ADMIN)
    ids = Membership.objects.current().filter(office_id=office_id, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))
