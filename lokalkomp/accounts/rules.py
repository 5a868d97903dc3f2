"""The permission predicates about people, roles, invitations and the annual cycle (the `rules` library).

The predicates about needs reports, partnerships and their participants are the needs app's
(`lokalkomp/needs/rules.py`); it builds them on the role lookups here. Each object rule has a
twin Q-builder (`*_q`) that filters querysets by the same conditions, so a list never shows what
the detail page would refuse.

Two registries let a later app add to a rule of this app without this app importing it; needs fills
both in its `ready()`:

- `invitation_kinds`: roles of a later app that people may be invited to (a partnership's contact
  persons), with who may invite, the invitation form's choices and what accepting creates;
- `office_people_q`: who else counts among an office's people (the contacts of its partnerships).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q

from .models import FORUM_ROLES, GOVERNOR_ROLES, REPORT_READER_ROLES, TWO_FACTOR_ROLES, Role


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


def holds_any_role(user: Any, roles: tuple[str, ...]) -> bool:
    return any(role in roles for role, _office, _net, _org in _roles(user))


def coordinated_network_ids(user: Any) -> set[int]:
    """The networks the user coordinates.

    Who coordinates a network is written in one place: a current membership with the role
    NETWORK_COORDINATOR in that network (every role is a membership; a network has no coordinator
    field). Every rule and every list that asks about coordinators reads it from here or from
    `Membership.objects.coordinating`.
    """
    return {net for role, _office, net, _org in _roles(user) if role == Role.NETWORK_COORDINATOR and net}


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


# ── The annual cycle (schemes: rounds and their milestones) ─────────────────────────────
# Round pages and calendars are public, changes are not.


@rules.predicate
def governs_round_office(user: Any, round: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the round's office."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_edit_cycle = is_superuser | governs_round_office
rules.add_perm("schemes.change_round", can_edit_cycle)


# ── People: two-factor policy, invitations, roles and the audit record ────────────────────


@rules.predicate
def requires_two_factor(user: Any) -> bool:
    """The Statsforvalter, the forum and the fagutvalg must sign in with a TOTP code; for everyone else it is optional."""
    return holds_any_role(user, TWO_FACTOR_ROLES)


def addresses_of(user: Any) -> set[str]:
    """Every e-mail address of the user's account (the account's own and each one added), lower case."""
    if not getattr(user, "is_authenticated", False):
        return set()
    from allauth.account.models import EmailAddress

    added = EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    return {user.email.lower(), *(email.lower() for email in added)}


@rules.predicate
def invites_someone_else(user: Any, invitation: Any) -> bool:
    """Nobody invites themselves: not to their own address, nor to any other address of their account."""
    return (invitation.email or "").strip().lower() not in addresses_of(user)


# The office's roles the Statsforvalter invites people to (a reader is given the role on the membership page).
INVITED_OFFICE_ROLES = (*FORUM_ROLES, Role.FAGUTVALG_MEMBER)


@rules.predicate
def invites_to_governed_office(user: Any, invitation: Any) -> bool:
    """The Statsforvalter invites its forum's members, deputies and secretaries, its fagutvalg's members, and its
    networks' coordinators."""
    governed = office_ids_with(user, GOVERNOR_ROLES)
    if invitation.role in INVITED_OFFICE_ROLES:
        return invitation.office_id in governed and not (invitation.network_id or invitation.organisation_id)
    if invitation.role == Role.NETWORK_COORDINATOR and invitation.network_id:
        return invitation.network.office_id in governed and invitation.office_id == invitation.network.office_id
    return False


@dataclass(frozen=True)
class InvitationKind:
    """A role that a later app lets people invite to (needs: the contact persons of a partnership).

    `may_invite(user, invitation)` is its part of `can_invite`; `targets(user)` the invitation form's
    choices for it (a list of `accounts.access.Target`, from the Q twin of `may_invite`);
    `accept(invitation, user)` creates, in the accepting transaction, what the role needs besides
    the membership (the person as a contact of the partnership).
    """

    may_invite: Callable[[Any, Any], bool]
    targets: Callable[[Any], list[Any]]
    accept: Callable[[Any, Any], None]


invitation_kinds: dict[str, InvitationKind] = {}  # role → kind; filled by NeedsConfig.ready()


@rules.predicate
def invites_to_a_later_apps_role(user: Any, invitation: Any) -> bool:
    kind = invitation_kinds.get(invitation.role)
    return kind is not None and bool(kind.may_invite(user, invitation))


# The one rule for invitations (docs/roles.md): the form's choices, sending and accepting all ask it.
can_invite = invites_someone_else & (is_superuser | invites_to_governed_office | invites_to_a_later_apps_role)
rules.add_perm("accounts.add_invitation", can_invite)


# The invitation form's choices come from the user's own roles; a superuser's `is_superuser`
# passes `can_invite` but adds no choices (the form would list the whole country).


def invitable_network_q(user: Any) -> Q:
    """Networks (on Network) whose coordinator the user may invite."""
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))


def visible_invitations_q(user: Any) -> Q:
    """Invitations (on Invitation) the user sent, and for the Statsforvalter all of its office's."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(invited_by=user) | Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))


@rules.predicate
def governs_office(user: Any, office: Any) -> bool:
    return office.pk in office_ids_with(user, GOVERNOR_ROLES)


@rules.predicate
def administers_office(user: Any, office: Any) -> bool:
    return office.pk in office_ids_with(user, (Role.GOVERNOR_ADMIN,))


can_view_people = is_superuser | governs_office
can_manage_roles = is_superuser | administers_office


def people_offices_q(user: Any) -> Q:
    """Offices (on Office) whose people the user may see, as `can_view_people`."""
    if getattr(user, "is_superuser", False):
        return Q()
    return Q(pk__in=office_ids_with(user, GOVERNOR_ROLES))


rules.add_perm("accounts.view_membership", can_view_people)
rules.add_perm("accounts.change_membership", can_manage_roles)

# Roles the Statsforvalter's administrator gives and takes on the membership page; the others
# (contacts, union representatives) follow from invitations and the needs reports.
OFFICE_ROLES = (*GOVERNOR_ROLES, *FORUM_ROLES, *REPORT_READER_ROLES)
MANAGED_ROLES = (*OFFICE_ROLES, Role.NETWORK_COORDINATOR)

# Who else is one of the offices' people (on User), by app: needs adds the contacts of their partnerships.
office_people_q: dict[str, Callable[[set[int]], Q]] = {}


def people_of_offices_q(office_ids: set[int]) -> Q:
    """People (on User) who hold a role in the offices (there, in their networks or their organisations),
    and those the later apps count (`office_people_q`)."""
    q = (
        Q(memberships__office_id__in=office_ids)
        | Q(memberships__network__office_id__in=office_ids)
        | Q(memberships__organisation__networks__office_id__in=office_ids)
    )
    for more in office_people_q.values():
        q |= more(office_ids)
    return q


@rules.predicate
def governs_any_office(user: Any) -> bool:
    return holds_any_role(user, GOVERNOR_ROLES)


can_read_audit = is_superuser | governs_any_office
rules.add_perm("accounts.view_auditevent", can_read_audit)


def visible_audit_events_q(user: Any) -> Q:
    """Audit events (on AuditEvent) of the offices the user governs and of their people."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    from .models import User

    offices = office_ids_with(user, GOVERNOR_ROLES)
    people = User.objects.filter(people_of_offices_q(offices)).values("pk")
    national = Q(kind="changed", office__isnull=True) if offices else Q(pk__in=[])  # the schemes' rules
    return Q(office_id__in=offices) | Q(user_id__in=people) | national


# ── The forum's seats (directory.ForumMember) ──────────────────────────────────────────────
# Asked about the office: its Statsforvalter keeps the seats, the office's forum (members, deputies,
# secretaries) reads them. Directory's seat page asks these by name (`rules.has_perm`): it comes
# before this app and cannot import it.


@rules.predicate
def sits_in_forum(user: Any, office: Any) -> bool:
    return office.pk in office_ids_with(user, FORUM_ROLES)


can_manage_forum_seats = is_superuser | governs_office
can_view_forum_seats = can_manage_forum_seats | sits_in_forum
rules.add_perm("directory.manage_forum_seats", can_manage_forum_seats)
rules.add_perm("directory.view_forum_seats", can_view_forum_seats)


def seat_candidates_q(office_id: int) -> Q:
    """People (on User) who may represent an organisation in the office's forum: the office's people."""
    return people_of_offices_q({office_id})


def office_governors_q(office_id: int) -> Q:
    """People (on User) of the office's Statsforvalter: they never vote in its forum."""
    return Q(memberships__office_id=office_id, memberships__role__in=GOVERNOR_ROLES, memberships__active=True)
