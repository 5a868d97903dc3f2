"""Who may invite whom, see an office's people and read the audit record. Views call these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from lokalkomp.directory.models import Network, Office, Organisation

from .models import GOVERNOR_ROLES, AuditEvent, Invitation, Membership, Role, User
from .rules import (
    INVITED_OFFICE_ROLES,
    MANAGED_ROLES,
    can_invite,
    can_manage_roles,
    can_read_audit,
    can_view_people,
    invitable_network_q,
    invitation_kinds,
    invites_someone_else,
    office_ids_with,
    people_of_offices_q,
    visible_audit_events_q,
    visible_invitations_q,
)


@dataclass(frozen=True)
class Target:
    """A role in a place the user may invite someone to, as one choice in the invitation form."""

    key: str
    label: str
    role: str
    office: Office
    network: Network | None = None
    organisation: Organisation | None = None
    partnership: Any = None

    def invitation(self, email: str) -> Invitation:
        return Invitation(
            email=email,
            role=self.role,
            office=self.office,
            network=self.network,
            organisation=self.organisation,
            partnership=self.partnership,
        )


def invitation_targets(user: Any) -> list[Target]:
    """Every role and place the user may invite to, from the Q twins of `can_invite` (a fixed number of queries).

    The office's roles are this app's; the roles of a partnership come from `invitation_kinds`.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    targets: list[Target] = []
    role_names = {role: str(label) for role, label in Role.choices}
    for office in Office.objects.filter(pk__in=office_ids_with(user, GOVERNOR_ROLES)):
        for role in INVITED_OFFICE_ROLES:
            targets.append(Target(f"{role}.office.{office.pk}", f"{role_names[role]} – {office}", role, office))
    for network in Network.objects.filter(invitable_network_q(user)).select_related("office"):
        label = f"{role_names[Role.NETWORK_COORDINATOR]} – {network}"
        targets.append(
            Target(f"coordinator.network.{network.pk}", label, Role.NETWORK_COORDINATOR, network.office, network)
        )
    for kind in invitation_kinds.values():
        targets += kind.targets(user)
    return targets


def get_invitation_targets_for(user: Any) -> list[Target]:
    """The invitation form's choices; 403 for someone who may invite nobody."""
    targets = invitation_targets(user)
    if not targets:
        raise PermissionDenied
    return targets


def check_invitation(user: Any, invitation: Invitation) -> Invitation:
    """The invitation if `can_invite` allows it; 403 saying why not."""
    if not invites_someone_else(user, invitation):
        raise PermissionDenied(
            _("You cannot invite yourself. Ask the Statsforvalter or the network's coordinator to give you a role.")
        )
    if not can_invite(user, invitation):
        raise PermissionDenied(_("Your roles do not allow you to give this role."))
    return invitation


def visible_invitations(user: Any) -> Any:
    return Invitation.objects.filter(visible_invitations_q(user))


def get_audit_events_for(user: Any) -> Any:
    """The audit events the user may read; 403 for those who may read none."""
    if not can_read_audit(user):
        raise PermissionDenied
    return AuditEvent.objects.filter(visible_audit_events_q(user))


def get_office_for(user: Any, slug: str, *, write: bool = False) -> Office:
    """The office whose people the user manages: 404 for strangers, 403 for those who may only look."""
    try:
        office = Office.objects.get(slug=slug)
    except Office.DoesNotExist as error:
        raise Http404 from error
    if not can_view_people(user, office):
        raise Http404
    if write and not can_manage_roles(user, office):
        raise PermissionDenied
    return office


def people_in(office: Office, search: str = "") -> QuerySet[User]:
    """The office's people as a query (for a page of them), optionally those whose name or e-mail holds `search`."""
    ids = User.objects.filter(people_of_offices_q({office.pk})).values("pk")
    people = User.objects.filter(pk__in=ids)
    for word in search.split()[:5]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return people.order_by("last_name", "first_name", "email", "pk")


def with_memberships(people: Any) -> None:
    """Each person's current memberships as `current_memberships`, in one query for all of them."""
    memberships = Membership.objects.current().select_related("office", "network", "organisation")
    prefetch_related_objects(list(people), Prefetch("memberships", queryset=memberships, to_attr="current_memberships"))


def get_managed_membership_for(user: Any, office: Office, pk: int) -> Membership:
    """A role the Statsforvalter's administrator may take away (in the office or one of its networks)."""
    try:
        membership = Membership.objects.select_related("user", "office", "network").get(
            pk=pk, role__in=MANAGED_ROLES, active=True
        )
    except Membership.DoesNotExist as error:
        raise Http404 from error
    if (membership.network.office_id if membership.network_id else membership.office_id) != office.pk:  # type: ignore[union-attr]
        raise Http404
    return membership
