"""The Nordland demo, built from the real documents (seeds 003 and 004).

Every step matches rows on natural keys and updates them in place, so loading the
demo twice gives the same database. Organisations, numbers and measures are the
real ones; contact persons, phones and e-mails are made up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.directory.models import County, Forum, ForumMember, Municipality, Network, Office, Organisation
from lokalkomp.needs.models import (
    Contact,
    Continuation,
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    Participant,
    Partnership,
    UnionParticipant,
)
from lokalkomp.schemes.models import Milestone, Round, RoundScheme, Scheme, SchemeCap
from lokalkomp.schemes.seed import seed_schemes

from . import indre_helgeland as ih
from .cycle import milestones_for
from .frames import build_frames
from .history import build as build_history
from .late import build as build_late
from .middle import STEPS as MIDDLE_STEPS
from .middle import build as build_middle
from .plans import build_plans
from .reporting_followup import build as build_reporting_followup
from .reporting_funds import build as build_reporting_funds

DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "demo"  # noqa: S105  (the documented demo password)
Kind = Organisation.Kind

# The municipalities the seeds name, so that the demo works without the register files.
MUNICIPALITIES = [
    ("1820", "Alstahaug", "neutral"),
    ("1822", "Leirfjord", "neutral"),
    ("1834", "Lurøy", "nb"),
    ("1835", "Træna", "nb"),
    ("1825", "Grane", "neutral"),
    ("1826", "Hattfjelldal", "neutral"),
    ("1832", "Hemnes", "neutral"),
    ("1833", "Rana", "neutral"),
    ("1824", "Vefsn", "neutral"),
]

# (name, short name, kind, org. number, account number); numbers only where a seed states them.
ORGANISATIONS = [
    ("Statsforvalteren i Nordland", "SF Nordland", Kind.GOVERNOR, "", ""),
    ("Høgskolen i Innlandet", "HINN/SePU", Kind.UNIVERSITY, "918108467", ""),
    ("Nord universitet", "Nord u", Kind.UNIVERSITY, "", ""),
    ("UiT Norges arktiske universitet", "UiT", Kind.UNIVERSITY, "", ""),
    # Outside the county: partner 2 of a measure in Ytre Helgeland's 2027 draft (the account number is made up).
    ("Norges teknisk-naturvitenskapelige universitet", "NTNU", Kind.UNIVERSITY, "974767880", "86011111000"),
    ("KS Nordland", "KS", Kind.INTEREST, "", ""),
    ("PBL – Private Barnehagers Landsforbund", "PBL", Kind.INTEREST, "", ""),
    ("Utdanningsforbundet Nordland", "Utdanningsforbundet", Kind.INTEREST, "", ""),
    ("Fagforbundet Nordland", "Fagforbundet", Kind.INTEREST, "", ""),
    ("RKK Indre Helgeland", "RKK", Kind.OTHER, "", ""),
]

# (organisation short name, role, votes)
FORUM_SEATS = [
    ("KS", "member", True),
    ("PBL", "member", True),
    ("Utdanningsforbundet", "member", True),
    ("Fagforbundet", "member", True),
    ("Nord u", "member", True),
    ("UiT", "member", True),
    ("HINN/SePU", "member", True),
    ("RKK", "observer", False),
    ("SF Nordland", "secretariat", False),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: str
    place: str  # "office", a network slug, or an organisation short name
    description: str


USERS = [
    DemoUser(
        "statsforvalter@lokalkomp.test",
        "Astrid",
        "Demoberg",
        Role.GOVERNOR_ADMIN,
        "office",
        "Statsforvalter administrator, Nordland",
    ),
    DemoUser(
        "saksbehandler@lokalkomp.test",
        "Petter",
        "Demoli",
        Role.CASE_OFFICER,
        "office",
        "Statsforvalter case officer, Nordland",
    ),
    DemoUser("forum@lokalkomp.test", "Hanne", "Demovik", Role.FORUM_MEMBER, "office", "Forum member (KS)"),
    DemoUser("vara@lokalkomp.test", "Ola", "Demodal", Role.FORUM_DEPUTY, "office", "Forum deputy"),
    DemoUser(
        "forum-uh@lokalkomp.test",
        "Ingrid",
        "Demofjell",
        Role.FORUM_MEMBER,
        "office",
        "Forum member (HINN/SePU): disqualified from Ytre Helgeland's measures",
    ),
    DemoUser("sekretar@lokalkomp.test", "Berit", "Demones", Role.FORUM_SECRETARY, "office", "Forum secretary"),
    DemoUser(
        "koordinator@lokalkomp.test",
        "Marte",
        "Demoland",
        Role.NETWORK_COORDINATOR,
        "ytre-helgeland",
        "Network coordinator, Ytre Helgeland",
    ),
    DemoUser(
        "koordinator-ih@lokalkomp.test",
        "Nils",
        "Demohaug",
        Role.NETWORK_COORDINATOR,
        "indre-helgeland",
        "Network coordinator, Indre Helgeland",
    ),
    DemoUser(
        "eier@lokalkomp.test",
        "Sigrid",
        "Demostad",
        Role.OWNER_CONTACT,
        "Alstahaug",
        "Owner contact, Ytre Helgeland partnership (Alstahaug)",
    ),
    DemoUser(
        "uh@lokalkomp.test",
        "Jonas",
        "Demoås",
        Role.PARTNER_CONTACT,
        "HINN/SePU",
        "UH contact, Ytre Helgeland partnership (HINN/SePU)",
    ),
    DemoUser(
        "tillitsvalgt@lokalkomp.test",
        "Kari",
        "Demosen",
        Role.UNION_REP,
        "Utdanningsforbundet",
        "Union representative named on the Ytre Helgeland report",
    ),
    DemoUser("leser@lokalkomp.test", "Lars", "Demorud", Role.READER, "office", "Reader, Nordland"),
    DemoUser(  # made up: the seeds name no fagutvalg
        "fagutvalg@lokalkomp.test",
        "Tone",
        "Demoheim",
        Role.FAGUTVALG_MEMBER,
        "office",
        "Fagutvalg member, Nordland: assesses the measures beside the forum",
    ),
]
ADMIN_EMAIL = "admin@lokalkomp.test"


def demo_logins() -> list[tuple[str, str]]:
    return [(ADMIN_EMAIL, "System administrator (Django admin)")] + [(u.email, u.description) for u in USERS]


@transaction.atomic
def build(*, middle: str = "assessed") -> None:
    """The whole demo; `middle` is the last step of the 2024 year's middle to build (middle.STEPS)."""
    seed_schemes(Scheme, SchemeCap)
    office = _registers()
    orgs = _organisations()
    users = _users(office, orgs)
    _two_factor(users)
    networks = _networks(office, orgs, users)
    _forum(office, orgs, users)
    rounds = _rounds(office)
    build_frames(rounds, networks)  # the frames and the regional scheme's key (frames.py)
    _ytre_helgeland(rounds, networks["ytre-helgeland"], orgs, users)
    _indre_helgeland(rounds, networks["indre-helgeland"], office, orgs)
    build_plans(office)  # the long-term plan's goals and Alstahaug's plan, before the reports go on record
    _record_submissions(office)
    build_middle(upto=middle)  # 2024 from the submitted reports to the forum's assessments (middle.py)
    if middle == MIDDLE_STEPS[-1]:
        build_late()  # 2023 and 2024 recommended, decided and paid; a what-if (late.py)
        build_reporting_funds()  # 2023's reports on the use of funds submitted, Ytre Helgeland's 2024 a draft
        build_reporting_followup()  # 2023: one report accepted, one asked for more, one with a claim back
        build_history()  # Indre Helgeland's 2021–2023 history, through the history import (history.py)


def _record_submissions(office: Office) -> None:
    """Each submitted demo report is on record as version 1, as a submission on the site makes it.

    Built once: on a second run the version exists and is left as it is (a record is not rewritten).
    """
    for report in NeedsReport.objects.submitted().filter(round__office=office, versions__isnull=True):
        event = report.events.filter(to_status=NeedsReport.Status.SUBMITTED).order_by("pk").last()
        report.record_version(by=None, event=event)


def _registers() -> Office:
    office, _ = Office.objects.get_or_create(slug="nordland", defaults={"name": "Statsforvalteren i Nordland"})
    county, _ = County.objects.get_or_create(number="18", defaults={"name": "Nordland", "office": office})
    for number, name, language in MUNICIPALITIES:
        Municipality.objects.get_or_create(
            number=number, defaults={"name": name, "county": county, "language_form": language}
        )
    return office


def _organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for municipality in Municipality.objects.filter(number__in=[m[0] for m in MUNICIPALITIES]):
        numbers = {"1820": ("938712441", "45162794918")}.get(municipality.number, ("", ""))
        orgs[municipality.name], _ = Organisation.objects.update_or_create(
            kind=Kind.MUNICIPALITY,
            municipality=municipality,
            defaults={
                "name": f"{municipality.name} kommune",
                "short_name": municipality.name,
                "org_number": numbers[0],
                "account_number": numbers[1],
            },
        )
    for name, short, kind, org_number, account in ORGANISATIONS:
        orgs[short], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={"short_name": short, "kind": kind, "org_number": org_number, "account_number": account},
        )
    return orgs


def _users(office: Office, orgs: dict[str, Organisation]) -> dict[str, User]:
    admin, _ = User.objects.update_or_create(
        email=ADMIN_EMAIL,
        defaults={"first_name": "Admin", "last_name": "Demo", "is_staff": True, "is_superuser": True},
    )
    admin.set_password(PASSWORD)
    admin.save()
    from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET, activate_totp

    activate_totp(admin, DEMO_TOTP_SECRET)  # the admin asks staff for a two-factor code
    users = {}
    for demo in USERS:
        user, _ = User.objects.update_or_create(
            email=demo.email,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name},
        )
        user.set_password(PASSWORD)
        user.save()
        users[demo.email] = user
    return users


def _two_factor(users: dict[str, User]) -> None:
    """The Statsforvalter, forum and fagutvalg users must use TOTP: they get the documented demo secret."""
    from lokalkomp.accounts.models import TWO_FACTOR_ROLES
    from lokalkomp.accounts.twofactor import DEMO_TOTP_SECRET, activate_totp

    for demo in USERS:
        if demo.role in TWO_FACTOR_ROLES:
            activate_totp(users[demo.email], DEMO_TOTP_SECRET)


def _memberships(
    office: Office, orgs: dict[str, Organisation], users: dict[str, User], networks: dict[str, Network]
) -> None:
    for demo in USERS:
        place: dict[str, Any] = {"office": None, "network": None, "organisation": None}
        if demo.place == "office":
            place["office"] = office
        elif demo.place in networks:
            place["network"] = networks[demo.place]
        else:
            place["organisation"] = orgs[demo.place]
        Membership.objects.get_or_create(user=users[demo.email], role=demo.role, **place)


def _networks(office: Office, orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, Network]:
    members = {
        "ytre-helgeland": ("Ytre Helgeland", ["Alstahaug", "Leirfjord", "Lurøy", "Træna"]),
        "indre-helgeland": ("Indre Helgeland", ih.ALL),
    }
    networks = {}
    for slug, (name, owners) in members.items():  # their coordinators are memberships (USERS)
        network, _ = Network.objects.update_or_create(office=office, slug=slug, defaults={"name": name})
        network.owners.set([orgs[o] for o in owners])
        networks[slug] = network
    _memberships(office, orgs, users, networks)
    return networks


def _forum(office: Office, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    forum, _ = Forum.objects.update_or_create(office=office, defaults={"name": "Samarbeidsforum Nordland"})
    for short, role, votes in FORUM_SEATS:
        ForumMember.objects.update_or_create(
            forum=forum, organisation=orgs[short], role=role, defaults={"votes": votes}
        )
    ForumMember.objects.filter(forum=forum, organisation=orgs["KS"], role="member").update(
        person=users["forum@lokalkomp.test"]
    )


def _rounds(office: Office) -> dict[int, Round]:
    old = list(Scheme.objects.filter(code__in=["rekomp", "dekomp", "kompetanseloftet"]))
    merged = list(Scheme.objects.filter(code="kollektiv-2026"))
    rounds = {}
    for year, schemes in ((2023, old), (2024, old), (2027, merged)):
        round, _ = Round.objects.get_or_create(office=office, year=year)
        for scheme in schemes:
            RoundScheme.objects.get_or_create(round=round, scheme=scheme)
        if year != 2023:  # seed 004 gives the 2024 cycle; 2027 follows the same pattern
            for values in milestones_for(year):
                Milestone.objects.update_or_create(round=round, title=values.pop("title"), defaults=values)
        rounds[year] = round
    return rounds


def _participant(partnership: Partnership, org: Organisation, side: str, lead: bool, **values: Any) -> Participant:
    participant, _ = Participant.objects.update_or_create(
        partnership=partnership, organisation=org, defaults={"side": side, "is_lead": lead, **values}
    )
    return participant


def _ytre_helgeland(
    rounds: dict[int, Round], network: Network, orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    data = json.loads((DATA / "ytre_helgeland_2024.json").read_text(encoding="utf-8"))
    partnership, _ = Partnership.objects.update_or_create(
        name="God opplæring for alle", defaults={"office": network.office, "network": network}
    )
    reference = "God opplæring for alle"
    owner = _participant(
        partnership, orgs["Alstahaug"], "owner", True, account_number="45162794918", payment_reference=reference
    )
    for name in ("Leirfjord", "Lurøy", "Træna"):
        _participant(partnership, orgs[name], "owner", False)
    partner = _participant(
        partnership, orgs["HINN/SePU"], "partner", True, account_number="76940500660", payment_reference=reference
    )
    for participant, email, function, phone in (
        (owner, "eier@lokalkomp.test", "Koordinator", "400 00 001"),
        (partner, "uh@lokalkomp.test", "Prosjektleder fra SePU", "400 00 002"),
    ):
        user = users[email]
        Contact.objects.update_or_create(
            participant=participant,
            user=user,
            defaults={"name": user.get_full_name(), "function": function, "phone": phone, "email": email},
        )
    report = _report(
        partnership,
        rounds[2024],
        ["dekomp"],
        data["measures"],
        status="submitted",
        extra={
            "union_discussed": True,
            "public_schools": 13,
            "private_schools": 0,
            "unplaced_text": "\n".join(data["unplaced"]),
        },
    )
    for code, (owner_amount, partner_amount, total) in data["declared_totals"].items():
        DeclaredTotal.objects.update_or_create(
            report=report,
            scheme=Scheme.objects.get(code=code) if code != "sum" else None,
            defaults={"owner_amount": owner_amount, "partner_amount": partner_amount, "total_amount": total},
        )
    UnionParticipant.objects.update_or_create(
        report=report,
        role="Hovedtillitsvalgt",
        defaults={
            "name": users["tillitsvalgt@lokalkomp.test"].get_full_name(),
            "user": users["tillitsvalgt@lokalkomp.test"],
        },
    )
    coordinator = report.measures.get(name="Koordinator")
    draft = _report(partnership, rounds[2027], ["kollektiv-2026"], [], status="draft", extra={})
    Measure.objects.update_or_create(
        report=draft,
        position=1,
        defaults={
            "scheme": Scheme.objects.get(code="kollektiv-2026"),
            "name": coordinator.name,
            "owner_amount": coordinator.owner_amount,
            "purpose": coordinator.purpose,
            "description": coordinator.description,
            "continued_from": coordinator,
        },
    )
    # A measure with a «partner 2» (seed 002's utviklingspartner 2), chosen for it outside the county: NTNU
    # receives 60 000 of the UH amount directly; HINN/SePU the other 90 000.
    Measure.objects.update_or_create(
        report=draft,
        position=2,
        defaults={
            "scheme": Scheme.objects.get(code="kollektiv-2026"),
            "name": "Lesing i alle fag på ungdomstrinnet",
            "owner_amount": 120_000,
            "partner_amount": 150_000,
            "second_partner": orgs["NTNU"],
            "second_partner_amount": 60_000,
            "purpose": "implementation",
            "description": "Skolebasert kompetanseutvikling i lesing som grunnleggende ferdighet i alle fag.",
        },
    )


def _report(
    partnership: Partnership,
    round: Round,
    schemes: list[str],
    measures: list[dict[str, Any]],
    *,
    status: str,
    extra: dict[str, Any],
) -> NeedsReport:
    report, created = NeedsReport.objects.update_or_create(
        partnership=partnership, round=round, defaults={"status": status, **extra}
    )
    for code in schemes:
        NeedsReportScheme.objects.get_or_create(report=report, scheme=Scheme.objects.get(code=code))
    for position, values in enumerate(measures, start=1):
        values = dict(values)
        continuations = values.pop("continuations", [])
        scheme = Scheme.objects.get(code=values.pop("scheme", schemes[0]))
        measure, _ = Measure.objects.update_or_create(
            report=report, position=position, defaults={"scheme": scheme, **values}
        )
        for row in continuations:
            row = dict(row)
            Continuation.objects.update_or_create(measure=measure, period=row.pop("period"), defaults=row)
    if created:
        NeedsReportEvent.objects.create(report=report, from_status="", to_status="draft", note="Demo")
        if status == "submitted":
            NeedsReportEvent.objects.create(report=report, from_status="draft", to_status="submitted", note="Demo")
    return report


def _indre_helgeland(rounds: dict[int, Round], network: Network, office: Office, orgs: dict[str, Organisation]) -> None:
    by_partnership: dict[tuple[str, int], list[tuple[Any, ...]]] = {}
    for row in ih.ROWS:
        year, owners, partner, *_rest = row
        by_partnership.setdefault((ih.partnership_name(owners, partner), year), []).append(row)
    for (name, year), rows in by_partnership.items():
        _year, owners, partner, *_rest = rows[0]
        partnership, _ = Partnership.objects.update_or_create(
            name=name, defaults={"office": office, "network": network}
        )
        for index, owner in enumerate(owners):
            _participant(partnership, orgs[owner], "owner", index == 0)
        if partner:
            _participant(partnership, orgs[ih.short_name(partner)], "partner", True)
        measures = [
            {
                "scheme": scheme,
                "name": text,
                "owner_amount": owner_amount,
                "partner_amount": partner_amount,
                "purpose": "coordinator" if text.startswith("Koordinator") else "implementation",
            }
            for (_y, _o, _p, scheme, owner_amount, partner_amount, text) in rows
        ]
        schemes = sorted({m["scheme"] for m in measures})
        _report(partnership, rounds[year], schemes, measures, status="submitted", extra={})
