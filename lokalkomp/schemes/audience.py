"""Whom a milestone concerns: the offices where a person takes part, and as what.

A milestone is meant for an audience (everyone, partnerships, networks, the forum, the
Statsforvalter) in its round's office. A person is concerned by the milestones of the offices
where they hold a membership, are a partnership's contact (or a union representative named on
its report) or coordinate a network; within those, by the audiences their roles belong to.
The Statsforvalter runs the whole cycle, so its people are concerned by all of it.

Round pages are public, so this is not an access rule: it decides what a calendar feed holds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.directory.models import Network, Organisation
from lokalkomp.needs.models import Partnership

from .models import Milestone

Audience = Milestone.Audience
PARTNERSHIP_ROLES = (Role.OWNER_CONTACT, Role.PARTNER_CONTACT, Role.UNION_REP)


def offices_by_audience(user: Any) -> dict[str, set[int]]:
    """For each audience, the ids of the offices whose milestones for it concern the user (≤ 5 queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    offices: defaultdict[str, set[int]] = defaultdict(set)
    memberships = list(user.memberships.current().values_list("role", "office_id", "network_id", "organisation_id"))
    org_office = _organisation_offices({org for _r, _o, _n, org in memberships if org})
    member_networks = {net for _r, _o, net, _org in memberships if net}
    networks = Network.objects.filter(Q(coordinator=user) | Q(pk__in=member_networks))
    network_office = {
        pk: (office, coordinator)
        for pk, office, coordinator in networks.values_list("pk", "office_id", "coordinator_id")
    }
    for role, office, network, organisation in memberships:
        place = office or (network_office[network][0] if network in network_office else org_office.get(organisation))
        if place is None:
            continue
        offices[Audience.ALL].add(place)
        if role in PARTNERSHIP_ROLES:
            offices[Audience.PARTNERSHIPS].add(place)
        elif role == Role.NETWORK_COORDINATOR:
            offices[Audience.NETWORKS].add(place)
    for office, coordinator in network_office.values():
        if coordinator == user.pk:
            offices[Audience.NETWORKS].add(office)
    partnerships = Partnership.objects.filter(
        Q(participants__contacts__user=user) | Q(reports__union_participants__user=user)
    ).values_list("office_id", flat=True)
    offices[Audience.PARTNERSHIPS] |= set(partnerships)
    offices[Audience.FORUM] |= office_ids_with(user, FORUM_ROLES)
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
