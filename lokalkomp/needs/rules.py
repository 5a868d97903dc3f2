"""The permission predicates about needs reports, partnerships and their participants (the `rules` library).

Each object rule has a twin Q-builder (`*_q`) that filters querysets by the same conditions, so a
list never shows what the detail page would refuse. The `rules` app loads this module at start-up
(it looks for `rules.py` in every app), which registers the `needs.*` permissions that views and
templates ask with `has_perm`.

Who belongs to a partnership is read from one place: its contact persons, the `Contact` rows of its
participants (and, for reading a report, the union representatives named on that report). A
contact membership (Role.OWNER_CONTACT at an organisation) is not used for that: it names the
organisation a person speaks for, not the partnership (an owner takes part in several), while the
contact rows are what the report form edits, what an invitation to a partnership creates and what
a submitted report keeps on record. The calendar's audience (schemes) reads the same rows, through
`partnership_office_ids`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import rules
from django.db.models import Q, Value

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, REPORT_READER_ROLES, Role
from lokalkomp.accounts.rules import coordinated_network_ids, is_superuser, office_ids_with
from lokalkomp.schemes.models import Round

from .models import Contact, NeedsReport, Participant, Partnership, UnionParticipant


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# ── Needs reports ─────────────────────────────────────────────────────────────────────────


@rules.predicate
def is_report_contact(user: Any, report: Any) -> bool:
    if not _signed_in(user):
        return False
    known = getattr(report, "viewer_contact", None)  # (user pk, answer), asked in the query that loaded it
    if known is not None and known[0] == user.pk:
        return bool(known[1])
    # .all() so that a page which prefetched the contacts asks the database nothing more; else one query,
    # not one per participant (a submitted report's page loads no live rows)
    if "participants" not in getattr(report.partnership, "_prefetched_objects_cache", {}):
        return Contact.objects.filter(user=user, participant__partnership_id=report.partnership_id).exists()
    return any(c.user_id == user.pk for p in report.partnership.participants.all() for c in p.contacts.all())


@rules.predicate
def coordinates_report_network(user: Any, report: Any) -> bool:
    network_id = report.partnership.network_id
    return network_id is not None and network_id in coordinated_network_ids(user)


@rules.predicate
def oversees_report_office(user: Any, report: Any) -> bool:
    """The Statsforvalter and the forum of the report's office."""
    return report.round.office_id in office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES)


@rules.predicate
def is_named_union_rep(user: Any, report: Any) -> bool:
    if not _signed_in(user):
        return False
    return any(u.user_id == user.pk for u in report.union_participants.all())


@rules.predicate
def reads_submitted_report_of_office(user: Any, report: Any) -> bool:
    """A reader of the report's office (REPORT_READER_ROLES) reads it once it is submitted, never a draft."""
    return report.status == NeedsReport.Status.SUBMITTED and report.round.office_id in office_ids_with(
        user, REPORT_READER_ROLES
    )


@rules.predicate
def governs_report_office(user: Any, report: Any) -> bool:
    """The Statsforvalter of the report's office (not the forum)."""
    return report.round.office_id in office_ids_with(user, GOVERNOR_ROLES)


can_view_report = (
    is_superuser
    | is_report_contact
    | coordinates_report_network
    | oversees_report_office
    | is_named_union_rep
    | reads_submitted_report_of_office
)
can_edit_report = is_superuser | is_report_contact
# The change record holds what was typed while the report was a draft: the people who work on it or
# oversee it read it; a reader (who reads only what was submitted) does not.
can_view_report_history = (
    is_superuser | oversees_report_office | coordinates_report_network | is_report_contact | is_named_union_rep
)


def shows_report_history(user: Any, report: Any) -> bool:
    """`can_view_report_history` for someone who may read the report (its page asks this).

    Whoever reads it and is no reader reads it as one of those who see its history, so only a reader
    is asked the rest (the contact and union checks cost a query each on a submitted report's page).
    """
    return not reads_submitted_report_of_office(user, report) or bool(can_view_report_history(user, report))


can_reopen_report = is_superuser | coordinates_report_network | governs_report_office

rules.add_perm("needs.view_needsreport", can_view_report)
rules.add_perm("needs.reopen_needsreport", can_reopen_report)
rules.add_perm("needs.change_needsreport", can_edit_report)


# ── A network's reports of a round, side by side (the coordinator's overview) ─────────────
# Those who receive the network's reports: its coordinator, and the office's Statsforvalter and
# forum secretariat. Forum members read the reports one by one; the overview is the network's desk.
NETWORK_OVERVIEW_ROLES = (*GOVERNOR_ROLES, Role.FORUM_SECRETARY)


@rules.predicate
def coordinates_network(user: Any, network: Any) -> bool:
    return network.pk in coordinated_network_ids(user)


@rules.predicate
def oversees_network_office(user: Any, network: Any) -> bool:
    """The Statsforvalter and the forum's secretariat of the network's office."""
    return network.office_id in office_ids_with(user, NETWORK_OVERVIEW_ROLES)


can_view_network_overview = is_superuser | coordinates_network | oversees_network_office
rules.add_perm("needs.view_network_overview", can_view_network_overview)


def network_overview_q(user: Any) -> Q:
    """The networks (on Network) whose overview `can_view_network_overview` lets the user see."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(pk__in=coordinated_network_ids(user)) | Q(office_id__in=office_ids_with(user, NETWORK_OVERVIEW_ROLES))


@rules.predicate
def is_partnership_contact(user: Any, partnership: Any) -> bool:
    if not _signed_in(user):
        return False
    return partnership.participants.filter(contacts__user=user).exists()


can_start_report = is_superuser | is_partnership_contact
rules.add_perm("needs.add_needsreport", can_start_report)


class ReportScope(NamedTuple):
    """The ids whose reports a user may read (see `report_scope`)."""

    partnerships: list[int]  # every report of these partnerships
    rounds: list[int]  # every report in these rounds
    reports: list[int]  # these reports
    submitted_in_rounds: list[int]  # the submitted reports in these rounds


def visible_reports_q(user: Any) -> Q:
    """The reports `can_view_report` lets the user see, as a filter on NeedsReport."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    scope = report_scope(user)
    return (
        Q(partnership_id__in=scope.partnerships)
        | Q(round_id__in=scope.rounds)
        | Q(pk__in=scope.reports)
        | Q(round_id__in=scope.submitted_in_rounds, status=NeedsReport.Status.SUBMITTED)
    )


def report_scope(user: Any) -> ReportScope:
    """What the user may read, as ids of partnerships, rounds and reports, read once per request object.

    The same conditions as `can_view_report`, worked out on the small tables first (the user's
    contacts, union seats, networks and offices), so the filter on the reports is a few index scans
    that do not grow with the country. (Joining every report to its contacts and union participants
    and OR-ing the joins scanned all 20 000 reports of the national data for every list.)
    """
    cached = getattr(user, "_lokalkomp_report_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    contacts = Contact.objects.filter(user=user).order_by()
    seats = UnionParticipant.objects.filter(user=user).order_by()
    rows = contacts.values_list(Value("partnership"), "participant__partnership_id").union(
        seats.values_list(Value("report"), "report_id"), all=True
    )
    found: dict[str, set[int]] = {"partnership": set(), "report": set()}
    for kind, pk in rows:
        found[kind].add(pk)
    networks = coordinated_network_ids(user)
    if networks:
        found["partnership"] |= set(Partnership.objects.filter(network_id__in=networks).values_list("pk", flat=True))
    overseen = office_ids_with(user, GOVERNOR_ROLES + FORUM_ROLES)
    reading = office_ids_with(user, REPORT_READER_ROLES) - overseen
    rounds = Round.objects.filter(office_id__in=overseen | reading).values_list("pk", "office_id")
    by_office = list(rounds) if overseen or reading else []
    scope = ReportScope(
        partnerships=sorted(found["partnership"]),
        rounds=sorted(pk for pk, office in by_office if office in overseen),
        reports=sorted(found["report"]),
        submitted_in_rounds=sorted(pk for pk, office in by_office if office in reading),
    )
    user._lokalkomp_report_scope = scope
    return scope


# ── The round's work list (the Statsforvalter's: needs/worklist.py) ────────────────────────


@rules.predicate
def governs_worklist_round(user: Any, round: Any) -> bool:
    """The Statsforvalter (administrator or case officer) of the round's office."""
    return round.office_id in office_ids_with(user, GOVERNOR_ROLES)


@rules.predicate
def is_forum_secretary_of_round(user: Any, round: Any) -> bool:
    """The forum's secretariat of the round's office reads the work list (it sends nothing)."""
    return round.office_id in office_ids_with(user, (Role.FORUM_SECRETARY,))


can_view_worklist = is_superuser | governs_worklist_round | is_forum_secretary_of_round
can_remind_partnerships = is_superuser | governs_worklist_round
rules.add_perm("needs.view_worklist", can_view_worklist)
rules.add_perm("needs.remind_partnership", can_remind_partnerships)


def worklist_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose work list the user may read, as `can_view_worklist`."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, (*GOVERNOR_ROLES, Role.FORUM_SECRETARY)))


# ── Account numbers: each side pays into its own account ────────────────────────────────


@rules.predicate
def is_contact_on_side(user: Any, participant: Any) -> bool:
    """A contact person of an organisation on the participant's side (owner or UH) of the same partnership."""
    if not _signed_in(user):
        return False
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
# The Statsforvalter's own way to change a side's account, on the report page (needs/accounts.py): the
# contacts use the form. A report of the office, draft or submitted (then the partnership's current data).
can_change_accounts_on_report = is_superuser | governs_report_office
rules.add_perm("needs.change_report_accounts", can_change_accounts_on_report)


# ── Invitations to a partnership's contact persons (accounts.rules.invitation_kinds) ────────


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
    if invitation.role != Role.PARTNER_CONTACT or invitation.partnership is None or not _signed_in(user):
        return False
    partnership = invitation.partnership
    return (
        partnership.participants.filter(side="owner", contacts__user=user).exists()
        and partnership.participants.filter(side="partner", organisation_id=invitation.organisation_id).exists()
    )


def invitable_owner_network_q(user: Any) -> Q:
    """Networks (on Network) whose owners' contacts the user may invite."""
    return Q(pk__in=coordinated_network_ids(user))


def invitable_partner_q(user: Any) -> Q:
    """Partner institutions in partnerships (on Participant) whose contact the user may invite."""
    if not _signed_in(user):
        return Q(pk__in=[])
    mine = Participant.objects.filter(side="owner", contacts__user=user).values("partnership_id")
    return Q(side="partner", partnership_id__in=mine)


# ── Who belongs to a partnership, for the other apps ────────────────────────────────────


def partnership_people_q(office_ids: set[int]) -> Q:
    """People (on User) who are contacts of the offices' partnerships (accounts.rules.office_people_q)."""
    return Q(contacts__participant__partnership__office_id__in=office_ids)


def partnership_office_ids(user: Any) -> set[int]:
    """The offices of the partnerships the user belongs to: as a contact, or named for the unions on a report."""
    if not _signed_in(user):
        return set()
    partnerships = Partnership.objects.filter(
        Q(participants__contacts__user=user) | Q(reports__union_participants__user=user)
    )
    return set(partnerships.values_list("office_id", flat=True))
