"""Who should hear about a needs report: queries only, so that each rule about recipients is in one place.

The apps after needs (the e-mail messages, their reminders) ask here, and never read the report's
contacts from the models themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.schemes.models import Round

from .models import Contact, NeedsReport, Partnership
from .records import ReportRecord, latest_version


def report_contacts(report: NeedsReport) -> list[Contact]:
    """The contact persons of the report's partnership that have an e-mail address."""
    contacts = Contact.objects.filter(participant__partnership=report.partnership).exclude(email="")
    return list(contacts.select_related("user").order_by("pk"))


def partnership_addresses(partnership: Partnership) -> list[Contact]:
    """The partnership's contact persons with an e-mail address, one per address (the work list's reminder)."""
    contacts = Contact.objects.filter(participant__partnership=partnership).exclude(email="")
    unique: dict[str, Contact] = {}
    for contact in contacts.select_related("user").order_by("pk"):
        unique.setdefault(contact.email.lower(), contact)
    return list(unique.values())


def report_receivers(report: NeedsReport) -> list[User]:
    """Who receives a submitted report: its network's coordinators, or, where the partnership has no
    network, the Statsforvalter's case officers."""
    network = report.partnership.network
    if network is not None:
        people = User.objects.filter(memberships__in=Membership.objects.coordinating([network]))
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


def grantee_contacts(round: Round) -> dict[User, list[int]]:
    """Contacts of the partnerships that report in this round on the funds of the round before.

    Until decisions exist, "funded" means a submitted needs report in the previous round of the
    office. Nothing records a report on the use of funds yet, so nobody counts as delivered; once
    the reporting app exists, it owns this rule and excludes the partnerships whose report for that
    round is submitted.
    """
    previous = Round.objects.filter(office=round.office, year=round.year - 1).first()
    if previous is None:
        return {}
    funded = NeedsReport.objects.in_round(previous).submitted().values("partnership_id")
    return partnership_contacts(Partnership.objects.filter(pk__in=funded))
