"""Small builders for test data (`make_*`) and the shared cast of people.

No fixture files: every test states the few rows it needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.directory.models import County, Municipality, Network, Office, Organisation
from lokalkomp.needs.models import Contact, Measure, NeedsReport, Participant, Partnership, UnionParticipant
from lokalkomp.schemes.models import Milestone, Round, RoundScheme, Scheme

_seq = itertools.count(1)


def make_office(slug: str | None = None) -> Office:
    n = next(_seq)
    office, _ = Office.objects.get_or_create(slug=slug or f"office-{n}", defaults={"name": f"Statsforvalteren {n}"})
    return office


def make_municipality(office: Office | None = None, number: str | None = None) -> Municipality:
    n = next(_seq)
    office = office or make_office()
    county, _ = County.objects.get_or_create(
        number=f"{n % 90 + 10:02d}", defaults={"name": f"Fylke {n}", "office": office}
    )
    return Municipality.objects.create(number=number or f"{n % 9000 + 1000:04d}", name=f"Kommune {n}", county=county)


def make_organisation(kind: str = Organisation.Kind.MUNICIPALITY, **values: Any) -> Organisation:
    n = next(_seq)
    values.setdefault("name", f"Organisasjon {n}")
    return Organisation.objects.create(kind=kind, **values)


def make_user(email: str | None = None, **values: Any) -> User:
    n = next(_seq)
    return User.objects.create_user(email or f"person{n}@example.test", password="pw-Secret-123", **values)


def make_round(
    office: Office | None = None,
    year: int = 2027,
    schemes: tuple[str, ...] | None = None,
    deadline: dt.date | None = None,
) -> Round:
    office = office or make_office()
    round = Round.objects.create(office=office, year=year)
    codes = schemes or tuple(s.code for s in Scheme.objects.valid_in(year))
    for scheme in Scheme.objects.filter(code__in=codes):
        RoundScheme.objects.create(round=round, scheme=scheme)
    if deadline:
        Milestone.objects.create(
            round=round,
            title="Frist for behovsmeldinger",
            starts_on=deadline,
            governs="needs_reports",
            audience="partnerships",
        )
    return round


def make_network(office: Office, coordinator: User | None = None) -> Network:
    n = next(_seq)
    return Network.objects.create(office=office, name=f"Nettverk {n}", slug=f"nettverk-{n}", coordinator=coordinator)


def make_partnership(office: Office, network: Network | None = None) -> Partnership:
    n = next(_seq)
    partnership = Partnership.objects.create(office=office, network=network, name=f"Partnerskap {n}")
    Participant.objects.create(partnership=partnership, organisation=make_organisation(), side="owner", is_lead=True)
    Participant.objects.create(
        partnership=partnership,
        organisation=make_organisation(Organisation.Kind.UNIVERSITY),
        side="partner",
        is_lead=True,
    )
    return partnership


def make_report(round: Round, partnership: Partnership | None = None, **values: Any) -> NeedsReport:
    partnership = partnership or make_partnership(round.office)
    report = NeedsReport.objects.create(partnership=partnership, round=round, **values)
    for scheme in round.schemes.all():
        report.report_schemes.create(scheme=scheme)
    return report


def make_measure(
    report: NeedsReport, owner: int = 0, partner: int = 0, scheme: Scheme | None = None, **values: Any
) -> Measure:
    scheme = scheme or report.report_schemes.first().scheme  # type: ignore[union-attr]
    values.setdefault("name", f"Tiltak {next(_seq)}")
    position = report.measures.count() + 1
    return Measure.objects.create(
        report=report, scheme=scheme, owner_amount=owner, partner_amount=partner, position=position, **values
    )


def add_contact(report: NeedsReport, user: User, side: str = "owner") -> Contact:
    participant = report.partnership.participants.get(side=side, is_lead=True)
    return Contact.objects.create(participant=participant, user=user, name=str(user), email=user.email)


@dataclass
class Cast:
    """One person per role around one report, plus strangers from elsewhere."""

    office: Office
    round: Round
    network: Network
    report: NeedsReport
    governor: User
    forum_member: User
    coordinator: User
    owner_contact: User
    partner_contact: User
    union_rep: User
    outsider: User
    other_coordinator: User
    other_office_governor: User


def make_cast(year: int = 2027, deadline: dt.date | None = None) -> Cast:
    office = make_office()
    round = make_round(office, year=year, deadline=deadline)
    people = {
        name: make_user(f"{name}@cast.test")
        for name in (
            "governor",
            "forum_member",
            "coordinator",
            "owner_contact",
            "partner_contact",
            "union_rep",
            "outsider",
            "other_coordinator",
            "other_office_governor",
        )
    }
    network = make_network(office, coordinator=people["coordinator"])
    report = make_report(round, make_partnership(office, network))
    add_contact(report, people["owner_contact"], "owner")
    add_contact(report, people["partner_contact"], "partner")
    UnionParticipant.objects.create(report=report, role="Hovedtillitsvalgt", name="T", user=people["union_rep"])
    Membership.objects.create(user=people["governor"], role=Role.CASE_OFFICER, office=office)
    Membership.objects.create(user=people["forum_member"], role=Role.FORUM_MEMBER, office=office)
    Membership.objects.create(user=people["coordinator"], role=Role.NETWORK_COORDINATOR, network=network)
    make_network(office, coordinator=people["other_coordinator"])
    Membership.objects.create(user=people["other_office_governor"], role=Role.CASE_OFFICER, office=make_office())
    return Cast(office=office, round=round, network=network, report=report, **people)
