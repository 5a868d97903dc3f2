"""Who a message concerns: queries only, so that each rule about recipients is in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lokalkomp.accounts.models import GOVERNOR_ROLES, Role, User
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import Contact, NeedsReport, Partnership
from lokalkomp.needs.records import ReportRecord, latest_version
from lokalkomp.schemes.models import Round


def report_contacts(report: NeedsReport) -> list[Contact]:
    """The contact persons of the report's partnership that have an e-mail address."""
    contacts = Contact.objects.filter(participant__partnership=report.partnership).exclude(email="")
    return list(contacts.select_related("user").order_by("pk"))


def report_receivers(report: NeedsReport) -> list[User]:
    """Who receives a submitted report: its network's coordinators (the named one and those with the
    role), or, where the partnership has no network, the Statsforvalter's case officers."""
    network = report.partnership.network
    if network is not None:
        people = User.objects.filter(
            Q(coordinated_networks=network)
            | Q(memberships__role=Role.NETWORK_COORDINATOR, memberships__network=network, memberships__active=True)
        )
    else:
        people = User.objects.filter(
            memberships__role=Role.CASE_OFFICER, memberships__office=report.round.office, memberships__active=True
        )
    return list(people.filter(is_active=True).exclude(email="").distinct().order_by("pk"))


@dataclass(frozen=True)
class RecordContact:
    """A contact person as the submitted report names them, with their account if it still exists."""

    name: str
    email: str
    user: User | None


def record_contacts(report: NeedsReport) -> list[RecordContact] | list[Contact]:
    """The contact persons of the report as submitted (its latest version) that have an e-mail address.

    Someone added to the partnership later (by next year's draft, or an import) is not among them.
    A report with no version yet has its partnership's contacts.
    """
    version = latest_version(report)
    if version is None:
        return report_contacts(report)
    named = [c for c in ReportRecord.from_data(version.data).contacts() if c.email]
    users = User.objects.in_bulk([c.user_id for c in named if c.user_id])
    return [RecordContact(c.name, c.email, users.get(c.user_id) if c.user_id else None) for c in named]


def partnership_contacts(partnerships: QuerySet[Partnership]) -> dict[User, list[int]]:
    """Active users who are contacts of these partnerships, each with the ids of their partnerships."""
    rows = (
        Contact.objects.filter(participant__partnership__in=partnerships, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "participant__partnership_id")
        .distinct()
    )
    ids: dict[int, set[int]] = {}
    for user_id, partnership_id in rows:
        ids.setdefault(user_id, set()).add(partnership_id)
    users = User.objects.in_bulk(list(ids))
    return {users[user_id]: sorted(partnership_ids) for user_id, partnership_ids in sorted(ids.items())}


def needs_report_missing(round: Round) -> dict[User, list[int]]:
    """Contacts of the office's partnerships that have not submitted a needs report in the round.

    A draft, a reopened report or no report at all counts as not delivered. Every partnership of
    the office is asked: the register has no end date for a partnership yet.
    """
    delivered = NeedsReport.objects.in_round(round).submitted().values("partnership_id")
    return partnership_contacts(Partnership.objects.filter(office=round.office).exclude(pk__in=delivered))


def network_coordinators(round: Round) -> dict[User, list[int]]:
    """Coordinators of the office's networks (the network's named coordinator or a membership).

    Nothing records a compiled needs report yet, so every coordinator counts as not delivered;
    once the compilation has a status, exclude the networks that have delivered here.
    """
    networks = Network.objects.filter(office=round.office)
    pairs = set(networks.filter(coordinator__is_active=True).values_list("coordinator_id", "pk"))
    pairs |= set(
        networks.filter(
            memberships__role=Role.NETWORK_COORDINATOR, memberships__active=True, memberships__user__is_active=True
        ).values_list("memberships__user_id", "pk")
    )
    ids: dict[int, set[int]] = {}
    for user_id, network_id in pairs:
        ids.setdefault(user_id, set()).add(network_id)
    users = User.objects.exclude(email="").in_bulk(list(ids))
    return {users[u]: sorted(n) for u, n in sorted(ids.items()) if u in users}


def grantee_contacts(round: Round) -> dict[User, list[int]]:
    """Contacts of the partnerships that report in this round on the funds of the round before.

    Until decisions exist, "funded" means a submitted needs report in the previous round of the
    office. Nothing records a report on the use of funds yet, so nobody counts as delivered; once
    the reporting app exists, exclude the partnerships whose report for that round is submitted.
    """
    previous = Round.objects.filter(office=round.office, year=round.year - 1).first()
    if previous is None:
        return {}
    funded = NeedsReport.objects.in_round(previous).submitted().values("partnership_id")
    return partnership_contacts(Partnership.objects.filter(pk__in=funded))


def recommendation_readers(round: Round) -> list[User]:
    """Who is told the forum's recommendation is ready: the Statsforvalter, who decides, and the networks."""
    networks = Network.objects.filter(office=round.office)
    office_roles = Q(memberships__role__in=GOVERNOR_ROLES, memberships__office=round.office)
    coordinator_roles = Q(memberships__role=Role.NETWORK_COORDINATOR, memberships__network__in=networks)
    people = User.objects.filter(
        ((office_roles | coordinator_roles) & Q(memberships__active=True)) | Q(coordinated_networks__in=networks)
    )
    return list(people.filter(is_active=True).exclude(email="").distinct().order_by("pk"))
