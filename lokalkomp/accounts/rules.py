"""Every permission predicate of lokalkomp, in one place (the `rules` library).

Each object rule has a twin Q-builder below (`*_q`) that filters querysets by the
same conditions, so a list never shows what the detail page would refuse.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from .models import FORUM_ROLES, GOVERNOR_ROLES, Role


def _roles(user: Any) -> list[tuple[str, int | None, int | None, int | None]]:
    """The user's active memberships, read once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_lokalkomp_roles", None)
    if cached is None:
        cached = list(user.memberships.current().values_list("role", "office_id", "network_id", "organisation_id"))
        user._lokalkomp_roles = cached
    return cached


def office_ids_with(user: Any, roles: tuple[str, ...]) -> set[int]:
    return {office for role, office, _net, _org in _roles(user) if role in roles and office}


def network_ids_coordinated(user: Any) -> set[int]:
    return {net for role, _office, net, _org in _roles(user) if role == Role.NETWORK_COORDINATOR and net}


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_report_contact(user: Any, report: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return report.partnership.participants.filter(contacts__user=user).exists()


@rules.predicate
def coordinates_report_network(user: Any, report: Any) -> bool:
    network = report.partnership.network
    if network is None or not getattr(user, "is_authenticated", False):
        return False
    return network.coordinator_id == user.pk or network.pk in network_ids_coordinated(user)


@rules.predicate
def oversees_report_office(user: Any, report: Any) -> bool:
    """The Statsforvalter and the forum of the report's office."""
    return report.round.office_id in office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES)


@rules.predicate
def is_named_union_rep(user: Any, report: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return report.union_participants.filter(user=user).exists()


@rules.predicate
def governs_report_office(user: Any, report: Any) -> bool:
    """The Statsforvalter of the report's office (not the forum)."""
    return report.round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_view_report = (
    is_superuser | is_report_contact | coordinates_report_network | oversees_report_office | is_named_union_rep
)
can_edit_report = is_superuser | is_report_contact

can_reopen_report = is_superuser | coordinates_report_network | governs_report_office

rules.add_perm("needs.view_needsreport", can_view_report)
rules.add_perm("needs.reopen_needsreport", can_reopen_report)
rules.add_perm("needs.change_needsreport", can_edit_report)


@rules.predicate
def is_partnership_contact(user: Any, partnership: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return partnership.participants.filter(contacts__user=user).exists()


can_start_report = is_superuser | is_partnership_contact
rules.add_perm("needs.add_needsreport", can_start_report)


def visible_reports_q(user: Any) -> Q:
    """The reports `can_view_report` lets the user see, as a filter on NeedsReport."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return (
        Q(partnership__participants__contacts__user=user)
        | Q(partnership__network__coordinator=user)
        | Q(partnership__network_id__in=network_ids_coordinated(user))
        | Q(round__office_id__in=office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES))
        | Q(union_participants__user=user)
    )
