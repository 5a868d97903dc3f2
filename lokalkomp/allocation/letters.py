"""Who receives a decision's letter (vedtaksbrev): the recipient's contact persons as the submitted report named them.

An ordinary decision reads the needs report versions its recommendation recorded (`report_version`
of each line), never the live partnership: the owner's letter goes to the owner's contacts on that
record, a UH's to the UH's. A pool or extra decision has no recommendation: it reads the latest
submitted version of the measure's report, or, without a measure, of the round's submitted reports
the recipient takes part in on that side. A recipient without a contact on record gets the letter
at the addresses of the organisation's members (its accounts), and without those, none: the letter
is still on its page in the app, and that page says it must be sent by hand (`sent_by_hand`).

A measure's «partner 2» is outside the partnership, so the record has no contact person for it: its
letter always goes to its members' addresses, or by hand. Its address block (name and org. number) is
the decision's, which `plan` took from the measure's record of partner 2 at submission; the register
keeps no postal address, so the letter shows none for any recipient.

The e-mail app (after allocation in the import order) asks here, in a fixed number of queries for
any number of decisions, because it does so in the Statsforvalter's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from lokalkomp.accounts.models import Membership, User
from lokalkomp.needs.models import NeedsReport, NeedsReportVersion
from lokalkomp.needs.records import ReportRecord, latest_version

from .models.decision import Decision, DecisionLine
from .recommendation_record import lines_of


@dataclass(frozen=True)
class LetterContact:
    """One address of a decision's letter, with the account it belongs to (if it still exists)."""

    name: str
    email: str
    user: User | None


def letter_contacts(decisions: Sequence[Decision]) -> dict[int, list[LetterContact]]:
    """Each decision's addresses (one per address, in the record's order); a decision without any is left out."""
    if not decisions:
        return {}
    found: dict[int, list[tuple[str, str, int | None]]] = {d.pk: [] for d in decisions}
    ordinary = [d for d in decisions if d.recommendation_version_id]
    others = [d for d in decisions if not d.recommendation_version_id]
    for decision, record in _ordinary_records(ordinary) + _other_records(others):
        found[decision.pk] += _contacts_on(record, decision)
    missing = [d for d in decisions if not found[d.pk]]
    for decision_pk, named in _member_addresses(missing).items():
        found[decision_pk] = named
    users = User.objects.in_bulk({user_id for named in found.values() for _, _, user_id in named if user_id})
    result: dict[int, list[LetterContact]] = {}
    for decision_pk, named in found.items():
        unique: dict[str, LetterContact] = {}
        for name, email, user_id in named:
            unique.setdefault(email.lower(), LetterContact(name, email, users.get(user_id) if user_id else None))
        if unique:
            result[decision_pk] = list(unique.values())
    return result


def sent_by_hand(decisions: Sequence[Decision]) -> set[int]:
    """The decisions whose letter has no e-mail address at all (none on record, no member with an account):
    the Statsforvalter must send it by hand. As `letter_contacts`, a fixed number of queries for ordinary ones."""
    contacts = letter_contacts(decisions)
    return {d.pk for d in decisions if d.pk not in contacts}


def _contacts_on(record: ReportRecord, decision: Decision) -> list[tuple[str, str, int | None]]:
    return [
        (contact.name, contact.email.strip(), contact.user_id)
        for participant in record.participants
        if participant.organisation.pk == decision.recipient_id and participant.side == decision.side
        for contact in participant.contacts
        if contact.email and contact.email.strip()
    ]


def _ordinary_records(decisions: Sequence[Decision]) -> list[tuple[Decision, ReportRecord]]:
    """The report versions each decision's lines were recommended on (three queries in all)."""
    if not decisions:
        return []
    measures: dict[int, set[int]] = {}
    for decision_pk, measure_pk in DecisionLine.objects.filter(decision__in=decisions).values_list(
        "decision_id", "measure_id"
    ):
        if measure_pk:
            measures.setdefault(decision_pk, set()).add(measure_pk)
    recorded: dict[int, dict[int, tuple[int, int]]] = {}  # recommendation version → measure → (report, number)
    versions_pks = {d.recommendation_version_id for d in decisions}
    from .models import RecommendationVersion

    for version in RecommendationVersion.objects.filter(pk__in=versions_pks):
        recorded[version.pk] = {
            line.measure: (line.report, line.report_version) for line in lines_of(version) if line.report_version
        }
    wanted = {
        decision.pk: {
            recorded[decision.recommendation_version_id][m]  # type: ignore[index]
            for m in measures.get(decision.pk, set())
            if m in recorded.get(decision.recommendation_version_id or 0, {})
        }
        for decision in decisions
    }
    pairs = set().union(*wanted.values())
    if not pairs:
        return []
    query = reduce(or_, (Q(report_id=report, number=number) for report, number in sorted(pairs)))
    records = {
        (v.report_id, v.number): ReportRecord.from_data(v.data, v)
        for v in NeedsReportVersion.objects.filter(query).only("id", "report_id", "number", "data")
    }
    return [(d, records[pair]) for d in decisions for pair in sorted(wanted[d.pk]) if pair in records]


def _other_records(decisions: Iterable[Decision]) -> list[tuple[Decision, ReportRecord]]:
    """A pool or extra decision (one at a time, so a few queries each): the latest submitted records it concerns."""
    result: list[tuple[Decision, ReportRecord]] = []
    for decision in decisions:
        measure_reports = DecisionLine.objects.filter(decision=decision, measure__isnull=False).values(
            "measure__report_id"
        )
        reports = NeedsReport.objects.submitted().filter(pk__in=measure_reports)
        if not reports.exists():
            reports = (
                NeedsReport.objects.in_round(decision.round)
                .submitted()
                .filter(
                    partnership__participants__organisation_id=decision.recipient_id,
                    partnership__participants__side=decision.side,
                )
                .distinct()
            )
        for report in reports.order_by("pk"):
            version = latest_version(report)
            if version is not None:
                result.append((decision, ReportRecord.from_data(version.data, version)))
    return result


def _member_addresses(decisions: Sequence[Decision]) -> dict[int, list[tuple[str, str, int | None]]]:
    """The current members (with an account and an address) of the organisations these decisions go to."""
    if not decisions:
        return {}
    by_organisation: dict[int, list[tuple[str, str, int | None]]] = {}
    members = (
        Membership.objects.current()
        .filter(organisation_id__in={d.recipient_id for d in decisions}, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    for membership in members:
        user = membership.user
        by_organisation.setdefault(membership.organisation_id, []).append((str(user), user.email, user.pk))  # type: ignore[arg-type]
    return {d.pk: by_organisation[d.recipient_id] for d in decisions if d.recipient_id in by_organisation}


def decision_named(pk: int) -> Decision:
    """The decision a letter names, with its round and office (DoesNotExist if gone)."""
    return Decision.objects.with_totals().select_related("round__office").get(pk=pk)
