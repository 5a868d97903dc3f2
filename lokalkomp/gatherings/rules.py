"""Who may see and run gatherings (the `rules` library), each object rule with its Q twin for lists.

The organisers of a gathering are the Statsforvalter of its office (administrators and case
officers) and, for a network's gathering, the network's coordinator. The office's forum may see
its gatherings but not run them. Participants need no account: they are not in these rules.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import coordinated_network_ids, is_superuser, office_ids_with


@rules.predicate
def governs_gathering_office(user: Any, gathering: Any) -> bool:
    return gathering.office_id in office_ids_with(user, GOVERNOR_ROLES)


@rules.predicate
def coordinates_gathering_network(user: Any, gathering: Any) -> bool:
    return gathering.network_id is not None and gathering.network_id in coordinated_network_ids(user)


@rules.predicate
def sits_in_gathering_forum(user: Any, gathering: Any) -> bool:
    return gathering.office_id in office_ids_with(user, FORUM_ROLES)


can_run_gathering = is_superuser | governs_gathering_office | coordinates_gathering_network
can_view_gathering = can_run_gathering | sits_in_gathering_forum

rules.add_perm("gatherings.view_gathering", can_view_gathering)
rules.add_perm("gatherings.change_gathering", can_run_gathering)


@rules.predicate
def organises_anything(user: Any) -> bool:
    return bool(office_ids_with(user, GOVERNOR_ROLES) or coordinated_network_ids(user))


can_add_gathering = is_superuser | organises_anything
rules.add_perm("gatherings.add_gathering", can_add_gathering)


def run_gatherings_q(user: Any) -> Q:
    """Gatherings (on Gathering) that `can_run_gathering` lets the user run."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES)) | Q(network_id__in=coordinated_network_ids(user))


def visible_gatherings_q(user: Any) -> Q:
    """Gatherings (on Gathering) that `can_view_gathering` lets the user see."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return run_gatherings_q(user) | Q(office_id__in=office_ids_with(user, FORUM_ROLES))


# ── The municipality's plan: the owner's people write it; the county's organisers read it ──────────


def owner_ids_of(user: Any) -> set[int]:
    """The owners (organisations) the user speaks for: a current owner-contact membership there (cached)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_lokalkomp_owner_ids", None)
    if cached is None:
        cached = set(
            user.memberships.current()
            .filter(role=Role.OWNER_CONTACT, organisation__isnull=False)
            .values_list("organisation_id", flat=True)
        )
        user._lokalkomp_owner_ids = cached
    return cached


@rules.predicate
def speaks_for_plan_owner(user: Any, plan: Any) -> bool:
    return plan.owner_id in owner_ids_of(user)


@rules.predicate
def organises_for_plan_owner(user: Any, plan: Any) -> bool:
    """The Statsforvalter of an office, or the coordinator of a network, that the owner is a member of."""
    from lokalkomp.directory.models import Network

    governed, coordinated = office_ids_with(user, GOVERNOR_ROLES), coordinated_network_ids(user)
    if not (governed or coordinated):
        return False
    networks = Network.objects.filter(owners=plan.owner_id)
    return networks.filter(Q(office_id__in=governed) | Q(pk__in=coordinated)).exists()


can_edit_plan = is_superuser | speaks_for_plan_owner
can_view_plan = can_edit_plan | organises_for_plan_owner
rules.add_perm("gatherings.view_municipalplan", can_view_plan)
rules.add_perm("gatherings.change_municipalplan", can_edit_plan)


@rules.predicate
def speaks_for_an_owner(user: Any) -> bool:
    return bool(owner_ids_of(user))


can_add_plan = is_superuser | speaks_for_an_owner
rules.add_perm("gatherings.add_municipalplan", can_add_plan)


def visible_plans_q(user: Any) -> Q:
    """Plans (on MunicipalPlan) that `can_view_plan` lets the user see."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    from lokalkomp.directory.models import Network

    governed, coordinated = office_ids_with(user, GOVERNOR_ROLES), coordinated_network_ids(user)
    members = Network.owners.through.objects.filter(Q(network__office_id__in=governed) | Q(network_id__in=coordinated))
    return Q(owner_id__in=owner_ids_of(user)) | Q(owner_id__in=members.values("organisation_id"))
