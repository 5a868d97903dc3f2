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
    known = getattr(report, "viewer_contact", None)  # (user pk, answer), asked in the query that loaded it
    if known is not None and known[0] == user.pk:
        return bool(known[1])
    # .all() so that a page which prefetched the contacts asks the database nothing more
    return any(c.user_id == user.pk for p in report.partnership.participants.all() for c in p.contacts.all())


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
    return any(u.user_id == user.pk for u in report.union_participants.all())


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


# ── Account numbers: each side pays into its own account ────────────────────────────────


@rules.predicate
def is_contact_on_side(user: Any, participant: Any) -> bool:
    """A contact person of an organisation on the participant's side (owner or UH) of the same partnership."""
    if not getattr(user, "is_authenticated", False):
        return False
    from lokalkomp.needs.models import Contact

    return Contact.objects.filter(
        user=user, participant__partnership_id=participant.partnership_id, participant__side=participant.side
    ).exists()


@rules.predicate
def governs_participant_office(user: Any, participant: Any) -> bool:
    """The Statsforvalter of the participant's partnership."""
    return participant.partnership.office_id in office_ids_with(user, GOVERNOR_ROLES)


# Works on an unsaved participant too (partnership and side set): the one a form is about to add.
can_change_account = is_superuser | is_contact_on_side | governs_participant_office
rules.add_perm("needs.change_participant_account", can_change_account)


def visible_reports_q(user: Any) -> Q:
    """The reports `can_view_report` lets the user see, as a filter on NeedsReport."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    partnerships, rounds, reports = report_scope(user)
    return Q(partnership_id__in=partnerships) | Q(round_id__in=rounds) | Q(pk__in=reports)


def report_scope(user: Any) -> tuple[list[int], list[int], list[int]]:
    """(partnerships, rounds, reports) whose reports the user may read, read once per request object.

    The same conditions as `can_view_report`, worked out on the small tables first (the user's
    contacts, union seats, networks and offices), so the filter on the reports is three index scans
    that do not grow with the country. (Joining every report to its contacts and union participants
    and OR-ing the joins scanned all 20 000 reports of the national data for every list.)
    """
    cached = getattr(user, "_lokalkomp_report_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from django.apps import apps  # the models of later apps, without importing up the year
    from django.db.models import Value

    contacts = apps.get_model("needs", "Contact").objects.filter(user=user).order_by()
    seats = apps.get_model("needs", "UnionParticipant").objects.filter(user=user).order_by()
    named = apps.get_model("directory", "Network").objects.filter(coordinator=user).order_by()
    rows = (
        contacts.values_list(Value("partnership"), "participant__partnership_id")
        .union(seats.values_list(Value("report"), "report_id"), all=True)
        .union(named.values_list(Value("network"), "pk"), all=True)
    )
    found: dict[str, set[int]] = {"partnership": set(), "report": set(), "network": set()}
    for kind, pk in rows:
        found[kind].add(pk)
    networks = found["network"] | network_ids_coordinated(user)
    user._lokalkomp_networks = networks  # what `coordinated_network_ids` would read again
    if networks:
        partnerships = apps.get_model("needs", "Partnership").objects.filter(network_id__in=networks)
        found["partnership"] |= set(partnerships.values_list("pk", flat=True))
    offices = office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES)
    rounds = apps.get_model("schemes", "Round").objects.filter(office_id__in=offices) if offices else None
    scope = (
        sorted(found["partnership"]),
        sorted(rounds.values_list("pk", flat=True)) if rounds is not None else [],
        sorted(found["report"]),
    )
    user._lokalkomp_report_scope = scope
    return scope


# ── The annual cycle (schemes: rounds and their milestones) ─────────────────────────────
# Appended by the annual-cycle work; round pages and calendars are public, changes are not.


@rules.predicate
def governs_round_office(user: Any, round: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the round's office."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_edit_cycle = is_superuser | governs_round_office
rules.add_perm("schemes.change_round", can_edit_cycle)
# ── end of the annual cycle ─────────────────────────────────────────────────────────────


# ── People: two-factor policy, invitations, roles and the audit record ────────────────────
# Appended by the people-and-access work (issue 4).


def holds_any_role(user: Any, roles: tuple[str, ...]) -> bool:
    return any(role in roles for role, _office, _net, _org in _roles(user))


def coordinated_network_ids(user: Any) -> set[int]:
    """Networks the user coordinates: by membership, or as the network's named coordinator."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_lokalkomp_networks", None)
    if cached is None:
        from lokalkomp.directory.models import Network

        cached = network_ids_coordinated(user) | set(
            Network.objects.filter(coordinator=user).values_list("pk", flat=True)
        )
        user._lokalkomp_networks = cached
    return cached


@rules.predicate
def requires_two_factor(user: Any) -> bool:
    """The Statsforvalter and the forum must sign in with a TOTP code; for everyone else it is optional."""
    return holds_any_role(user, GOVERNOR_ROLES + FORUM_ROLES)


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


@rules.predicate
def invites_to_governed_office(user: Any, invitation: Any) -> bool:
    """The Statsforvalter invites its forum's members, deputies and secretaries, and its networks' coordinators."""
    governed = office_ids_with(user, GOVERNOR_ROLES)
    if invitation.role in FORUM_ROLES:
        return invitation.office_id in governed and not (invitation.network_id or invitation.organisation_id)
    if invitation.role == Role.NETWORK_COORDINATOR and invitation.network_id:
        return invitation.network.office_id in governed and invitation.office_id == invitation.network.office_id
    return False


@rules.predicate
def invites_owner_contact_in_coordinated_network(user: Any, invitation: Any) -> bool:
    """A network coordinator invites the contact persons of the owners in the network."""
    if invitation.role != Role.OWNER_CONTACT or invitation.network_id not in coordinated_network_ids(user):
        return False
    network = invitation.network
    if not network.owners.filter(pk=invitation.organisation_id).exists():
        return False
    partnership = invitation.partnership
    return partnership is None or (
        partnership.network_id == network.pk
        and partnership.participants.filter(organisation_id=invitation.organisation_id, side="owner").exists()
    )


@rules.predicate
def invites_partner_contact_into_own_partnership(user: Any, invitation: Any) -> bool:
    """An owner's contact invites the partner institution's (UH, fagskole) contact into the partnership."""
    if invitation.role != Role.PARTNER_CONTACT or invitation.partnership is None:
        return False
    partnership = invitation.partnership
    return (
        getattr(user, "is_authenticated", False)
        and partnership.participants.filter(side="owner", contacts__user=user).exists()
        and partnership.participants.filter(side="partner", organisation_id=invitation.organisation_id).exists()
    )


# The one rule for invitations (docs/roles.md): the form's choices, sending and accepting all ask it.
can_invite = invites_someone_else & (
    is_superuser
    | invites_to_governed_office
    | invites_owner_contact_in_coordinated_network
    | invites_partner_contact_into_own_partnership
)
rules.add_perm("accounts.add_invitation", can_invite)


# The invitation form's choices come from the user's own roles; a superuser's `is_superuser`
# passes `can_invite` but adds no choices (the form would list the whole country).


def invitable_network_q(user: Any) -> Q:
    """Networks (on Network) whose coordinator the user may invite."""
    return Q(office_id__in=office_ids_with(user, GOVERNOR_ROLES))


def invitable_owner_network_q(user: Any) -> Q:
    """Networks (on Network) whose owners' contacts the user may invite."""
    return Q(pk__in=coordinated_network_ids(user))


def invitable_partner_q(user: Any) -> Q:
    """Partner institutions in partnerships (on Participant) whose contact the user may invite."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    from lokalkomp.needs.models import Participant

    mine = Participant.objects.filter(side="owner", contacts__user=user).values("partnership_id")
    return Q(side="partner", partnership_id__in=mine)


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
OFFICE_ROLES = (*GOVERNOR_ROLES, *FORUM_ROLES, Role.READER)
MANAGED_ROLES = (*OFFICE_ROLES, Role.NETWORK_COORDINATOR)


def people_of_offices_q(office_ids: set[int]) -> Q:
    """People (on User) who hold a role in the offices: there, in their networks or their partnerships."""
    return (
        Q(memberships__office_id__in=office_ids)
        | Q(memberships__network__office_id__in=office_ids)
        | Q(memberships__organisation__networks__office_id__in=office_ids)
        | Q(contacts__participant__partnership__office_id__in=office_ids)
    )


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


# ── end of people ───────────────────────────────────────────────────────────────────────
