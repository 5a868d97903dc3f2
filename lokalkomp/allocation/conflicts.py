"""Conflicts of interest (habilitet, forvaltningsloven § 6), as data every access rule reads.

A person is disqualified from a partnership's measures in a round when they

- work for one of its owners or partner institutions: an active membership in the organisation
  (any role: an owner's or a UH's contact, a union representative of the organisation);
- represent one of them: a forum seat held for the organisation;
- are one of its contact persons (by account or by e-mail address), now or in a submitted version;
- are named on its report of the round for the unions (a local union representative works for the owner);
- coordinate its network: the coordinator compiled and prioritised the network's measures;
- named one of its organisations in their latest declaration for the round (`Declaration`).

The organisations are the partnership's participants as they stand now and as every submitted
version of its report of the round named them, so removing a participant (or a contact) after
submission does not lift a disqualification.

The submitted versions' organisations and contacts are read from `NeedsReportVersionParty`, the rows
written with each version from its data, so the answer joins indexed columns and reads no version's JSON.

`disqualified_by_person` answers for many people in a fixed number of queries (two); the
one-person answer is cached on the user object for the request, like accounts.rules does with
memberships. `disqualifications` says why, for the auditor's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import CharField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.directory.models import ForumMember
from lokalkomp.needs.models import Contact, NeedsReportVersionParty, Participant, Partnership, UnionParticipant

from .models import Declaration


class Tie(NamedTuple):
    """Why a person is disqualified from a partnership: the kind of tie and the organisation or network."""

    kind: str  # member, seat, declared, contact, union, coordinator
    name: str = ""

    def describe(self) -> str:
        return describe(self)


def describe(tie: Tie) -> str:
    """The tie in the user's language, for the auditor's page and its CSV."""
    texts = {
        "member": _("works for %(name)s"),
        "seat": _("represents %(name)s in the forum"),
        "declared": _("declared a tie to %(name)s"),
        "contact": _("is a contact person of the partnership"),
        "union": _("is named for the unions on the partnership's report"),
        "coordinator": _("coordinates the network %(name)s"),
    }
    return texts[tie.kind] % {"name": tie.name}


def _kind(name: str) -> Value:
    """A constant text column, so that the parts of a UNION agree on their types (PostgreSQL asks)."""
    return Value(name, output_field=CharField())


def latest_declaration(user: Any, round: Any) -> Declaration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Declaration.objects.filter(round=round, person=user).order_by("-at", "-pk").first()


def disqualified_by_person(round: Any, user_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each person, the partnerships of the round's office they are disqualified from.

    Two queries whatever the number of people, partnerships or versions: the overview and the
    exports ask it once for every assessor of the round.
    """
    return {pk: set(found) for pk, found in disqualifications(round, user_ids).items()}


def disqualifications(round: Any, user_ids: Iterable[int]) -> dict[int, dict[int, set[Tie]]]:
    """For each person, the partnerships they are disqualified from, each with the ties that cause it."""
    people = {int(pk) for pk in user_ids}
    result: dict[int, dict[int, set[Tie]]] = {pk: {} for pk in people}
    if not people:
        return result

    def add(person: int, partnership: int, tie: Tie) -> None:
        result[person].setdefault(partnership, set()).add(tie)

    orgs, networks, holders = _ties_and_holders(round, people)
    for kind, key, partnership, name in holders:
        for person, tie_kind in (orgs if kind == "org" else networks).get(key, ()):
            add(person, partnership, Tie(tie_kind, name))
    emails: dict[str, int] = {}
    people_rows = list(_people_on_reports(round, people))
    for kind, person, email, _partnership in people_rows:
        if kind == "email":
            emails[email] = person
    for kind, person, email, partnership in people_rows:
        if kind == "email":
            continue
        pk = person if person in people else emails.get(email or "")
        if pk is not None:
            add(pk, partnership, Tie(kind))
    return result


Ties = dict[int, set[tuple[int, str]]]


def _tie_rows(round: Any, people: set[int]) -> tuple[Any, Any, Any, Any]:
    """The four sources of ties as (kind, person, organisation or network) rows, to be joined by a UNION."""
    latest = Subquery(
        Declaration.objects.filter(round=round, person=OuterRef("declaration__person"))
        .order_by("-at", "-pk")
        .values("pk")[:1]
    )
    memberships = Membership.objects.current().filter(user_id__in=people).order_by()
    return (
        memberships.filter(organisation__isnull=False).values_list(_kind("member"), "user_id", "organisation_id"),
        memberships.filter(role=Role.NETWORK_COORDINATOR, network__isnull=False).values_list(
            _kind("coordinator"), "user_id", "network_id"
        ),
        ForumMember.objects.filter(person_id__in=people)
        .order_by()
        .values_list(_kind("seat"), "person_id", "organisation_id"),
        Declaration.organisations.through.objects.filter(
            declaration__round=round, declaration__person_id__in=people, declaration_id=latest
        )
        .order_by()
        .values_list(_kind("declared"), "declaration__person_id", "organisation_id"),
    )


def _sorted_ties(rows: Any) -> tuple[Ties, Ties]:
    orgs: Ties = {}
    networks: Ties = {}
    for kind, person, key in rows:
        (networks if kind == "coordinator" else orgs).setdefault(key, set()).add((person, kind))
    return orgs, networks


def _ties(round: Any, people: set[int]) -> tuple[Ties, Ties]:
    """Who is tied to which organisation (and how), and who coordinates which network: one query."""
    member, coordinator, seat, declared = _tie_rows(round, people)
    return _sorted_ties(member.union(coordinator, seat, declared, all=True))


def _ties_and_holders(round: Any, people: set[int]) -> tuple[Ties, Ties, list[tuple[str, int, int, str]]]:
    """The ties (as `_ties`) and the partnerships they touch (as `_holders`) in one query: the holders are found
    through the same rows as subqueries, so a person with ties costs no more queries than one without."""
    member, coordinator, seat, declared = _tie_rows(round, people)
    organisations = (
        Q(organisation_id__in=member.values("organisation_id"))
        | Q(organisation_id__in=seat.values("organisation_id"))
        | Q(organisation_id__in=declared.values("organisation_id"))
    )
    blank = Value("", output_field=CharField())
    participants = (
        Participant.objects.filter(organisations, partnership__office_id=round.office_id)
        .order_by()
        .values_list(_kind("org"), "organisation_id", "partnership_id", "organisation__name")
    )
    recorded = (
        NeedsReportVersionParty.objects.filter(organisations, round=round, kind=NeedsReportVersionParty.ORGANISATION)
        .order_by()
        .values_list(_kind("org"), "organisation_id", "partnership_id", "name")
    )
    in_networks = (
        Partnership.objects.filter(office_id=round.office_id, network_id__in=coordinator.values("network_id"))
        .order_by()
        .values_list(_kind("net"), "network_id", "pk", "network__name")
    )
    rows = member.annotate(lk_blank=blank).union(
        coordinator.annotate(lk_blank=blank),
        seat.annotate(lk_blank=blank),
        declared.annotate(lk_blank=blank),
        participants,
        recorded,
        in_networks,
        all=True,
    )
    ties: list[tuple[str, int, int]] = []
    holders: list[tuple[str, int, int, str]] = []
    for kind, first, second, name in rows:
        if kind in ("org", "net"):
            holders.append((kind, first, second, name))
        else:
            ties.append((kind, first, second))
    orgs, networks = _sorted_ties(ties)
    return orgs, networks, holders


def _people_on_reports(round: Any, people: set[int]) -> Any:
    """The people's e-mail addresses, and the office's contact rows, the round's submitted versions' contacts
    (`NeedsReportVersionParty`) and the round's union rows that name them."""
    addresses = User.objects.filter(pk__in=people).annotate(lk_email=Lower("email"))
    contacts = (
        Contact.objects.filter(participant__partnership__office_id=round.office_id)
        .annotate(lk_email=Lower("email"))
        .filter(Q(user_id__in=people) | Q(lk_email__in=addresses.values("lk_email")))
        .order_by()
        .values_list(_kind("contact"), "user_id", "lk_email", "participant__partnership_id")
    )
    union = (
        UnionParticipant.objects.filter(report__round=round, user_id__in=people)
        .order_by()
        .values_list(_kind("union"), "user_id", _kind(""), "report__partnership_id")
    )
    recorded = (
        NeedsReportVersionParty.objects.filter(round=round, kind=NeedsReportVersionParty.CONTACT)
        .filter(Q(user_id__in=people) | Q(email__in=addresses.values("lk_email")))
        .order_by()
        .values_list(_kind("contact"), "user_id", "email", "partnership_id")
    )
    emails = addresses.order_by().values_list(_kind("email"), "pk", "lk_email", Value(0, output_field=IntegerField()))
    return emails.union(contacts, recorded, union, all=True)


def tied_organisation_ids(user: Any, round: Any) -> set[int]:
    """The organisations the person works for, represents, or declared ties to for the round."""
    if not getattr(user, "is_authenticated", False):
        return set()
    orgs, _networks = _ties(round, {user.pk})
    return set(orgs)


def disqualified_partnership_ids(user: Any, round: Any) -> set[int]:
    """The partnerships of the round's office the person may not assess (nor see others' assessments of)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache: dict[int, set[int]] = user.__dict__.setdefault("_lokalkomp_disqualified", {})
    if round.pk not in cache:
        cache[round.pk] = disqualified_by_person(round, [user.pk])[user.pk]
    return cache[round.pk]


def remember(user: Any, round: Any, partnerships: set[int]) -> None:
    """Put an answer of `disqualified_by_person` for the user in the request's cache (saves four queries)."""
    if getattr(user, "is_authenticated", False):
        user.__dict__.setdefault("_lokalkomp_disqualified", {})[round.pk] = set(partnerships)


def is_disqualified(user: Any, measure: Any) -> bool:
    """Whether the person is disqualified from this measure (its report's partnership)."""
    report = measure.report
    return report.partnership_id in disqualified_partnership_ids(user, report.round)


def forget(user: Any) -> None:
    """Drop the cached ties (after a new declaration in the same request)."""
    user.__dict__.pop("_lokalkomp_disqualified", None)
