"""Whom a milestone concerns: the offices where a person takes part, and as what.

A milestone is meant for an audience (everyone, partnerships, networks, the forum, the
Statsforvalter) in its round's office. A person is concerned by the milestones of the offices
where they hold a membership (a network coordinator's is in the network), are a partnership's
contact or a union representative named on its report; within those, by the audiences their roles
belong to (the partnerships' milestones concern the partnerships' people).
The Statsforvalter runs the whole cycle, so its people are concerned by all of it.

Round pages are public, so this is not an access rule: it decides what a calendar feed holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.directory.models import Network, Organisation

from .models import Milestone

Audience = Milestone.Audience

# The offices of the partnerships a person belongs to, by the app that keeps partnerships (needs,
# from its ready(): schemes comes before needs in the year and does not read its tables). Who
# belongs to a partnership is its contact persons and the union representatives named on its
# reports, as the access rules read it (needs/rules.py); a contact role held at an organisation does
# not say which partnership, so it puts the person in the office's audience for everyone only.
partnership_offices: dict[str, Callable[[Any], set[int]]] = {}


def offices_by_audience(user: Any) -> dict[str, set[int]]:
    """For each audience, the ids of the offices whose milestones for it concern the user (≤ 5 queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    offices: defaultdict[str, set[int]] = defaultdict(set)
    memberships = list(user.memberships.current().values_list("role", "office_id", "network_id", "organisation_id"))
    org_office = _organisation_offices({org for _r, _o, _n, org in memberships if org})
    member_networks = {net for _r, _o, net, _org in memberships if net}
    network_office = (
        dict(Network.objects.filter(pk__in=member_networks).values_list("pk", "office_id")) if member_networks else {}
    )
    for role, office, network, organisation in memberships:
        place = office or network_office.get(network) or org_office.get(organisation)
        if place is None:
            continue
        offices[Audience.ALL].add(place)
        if role == Role.NETWORK_COORDINATOR:
            offices[Audience.NETWORKS].add(place)
    for partnerships_of in partnership_offices.values():
        offices[Audience.PARTNERSHIPS] |= partnerships_of(user)
    offices[Audience.FORUM] |= office_ids_with(user, (*FORUM_ROLES, Role.FAGUTVALG_MEMBER))  # «forum / fagutvalg»
    governed = office_ids_with(user, GOVERNOR_ROLES)
    for audience in Audience.values:
        offices[audience] |= governed
    offices[Audience.ALL] |= set().union(*offices.values())
    return {audience: ids for audience, ids in offices.items() if ids}


def concerning_q(user: Any) -> Q:
    """The milestones that concern the user, as a filter on Milestone."""
    q = Q(pk__in=[])
    for audience, offices in offices_by_audience(user).items():
        q |= Q(audience=audience, round__office_id__in=sorted(offices))
    return q


def _organisation_offices(organisation_ids: set[int]) -> dict[int, int]:
    """The office of each organisation: its own (a Statsforvalter) or its municipality's."""
    if not organisation_ids:
        return {}
    rows = Organisation.objects.filter(pk__in=organisation_ids).values_list(
        "pk", "office_id", "municipality__county__office_id"
    )
    return {pk: own or by_place for pk, own, by_place in rows if own or by_place}
