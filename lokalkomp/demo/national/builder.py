"""The builder of the national data set: one pass over the offices, then one over the years."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils.text import slugify

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.directory.models import Forum, ForumMember, Municipality, Network, Office, Organisation, Unit
from lokalkomp.directory.registers import REGISTER_FILES, import_registers
from lokalkomp.needs.models import (
    Contact,
    Continuation,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    NeedsReportVersion,
    NeedsReportVersionParty,
    NeedsReportVersionTotal,
    Participant,
    Partnership,
    UnionParticipant,
    continuation_periods,
    semester_codes,
)
from lokalkomp.needs.records import preloaded, serialise
from lokalkomp.schemes.models import Milestone, Round, RoundScheme, Scheme

from ..cycle import milestones_for
from .vocabulary import (
    FIRST_NAMES,
    FORMATS,
    FUNCTIONS,
    INSTITUTIONS,
    INTERESTS,
    LAST_NAMES,
    PLACES,
    SCHEME_USES,
    SENTENCES,
    TEXT_LENGTHS,
    THEMES,
    UH_FUNCTIONS,
    UNION_ROLES,
)

PASSWORD = "nasjonal"  # noqa: S105  (the documented password of every generated person)
ADMIN_EMAIL = "admin@nasjonal.test"
BATCH = 5000
VERSION_BATCH = 500  # reports serialised per round of prefetch queries
PARTNERSHIPS_PER_MUNICIPALITY = 5.6  # about 2 000 partnerships for 357 municipalities
Kind = Organisation.Kind
M = TypeVar("M", bound=models.Model)
Plan = tuple[Network, list[Organisation], str, str]  # network, owners (lead first), name, theme


@dataclass
class Place:
    """What the generator remembers about an office while it builds the rest."""

    office: Office
    municipalities: list[Municipality]
    governor: Organisation | None = None
    institutions: list[Organisation] = field(default_factory=list)
    uh_contacts: dict[int, list[User]] = field(default_factory=dict)
    union_reps: list[User] = field(default_factory=list)
    networks: list[tuple[Network, list[Organisation]]] = field(default_factory=list)
    rounds: dict[int, Round] = field(default_factory=dict)


@dataclass
class Team:
    """One partnership as the report loop needs it."""

    partnership: Partnership
    place: Place
    owner_contact: User
    theme: str
    previous: list[tuple[int, str, str]] = field(default_factory=list)  # (pk, name, scheme code) of last year


class NationalData:
    def __init__(self, *, years: int, seed: int, scale: float, last_year: int, log: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.years = list(range(last_year - years + 1, last_year + 1))
        self.scale = scale
        self.log = log
        self.password = make_password(PASSWORD)
        self.numbers: set[str] = set()
        self.person = 0
        self.started = time.monotonic()
        self.frames: dict[int, list[RoundScheme]] = {}

    # --- helpers ---------------------------------------------------------------------------------

    def insert(self, model: type[M], rows: Iterable[M]) -> list[M]:
        saved: list[M] = []
        rows = list(rows)
        for start in range(0, len(rows), BATCH):
            saved += model._default_manager.bulk_create(rows[start : start + BATCH])
        return saved

    def step(self, what: str) -> None:
        self.log(f"{time.monotonic() - self.started:7.1f} s  {what}")

    def org_number(self) -> str:
        """A fresh valid organisation number: 8 random digits and the MOD11 check digit."""
        while True:
            digits = f"{self.rng.randrange(10_000_000, 100_000_000)}"
            check = (11 - sum(w * int(d) for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11) % 11
            number = digits + str(check)
            if check != 10 and number not in self.numbers:
                self.numbers.add(number)
                return number

    def account_number(self) -> str:
        while True:
            digits = f"{self.rng.randrange(1_000_000_000, 10_000_000_000)}"
            check = sum(w * int(d) for w, d in zip((6, 7, 8, 9, 4, 5, 6, 7, 8, 9), digits, strict=True)) % 11
            if check != 10:
                return digits + str(check)

    def people(self, count: int, domain: str) -> list[User]:
        users = []
        for _ in range(count):
            self.person += 1
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.{self.person}@{domain}"
            users.append(User(email=email, first_name=first, last_name=last, password=self.password))
        return self.insert(User, users)

    def text(self, kind: str, theme: str) -> str:
        low, high = TEXT_LENGTHS[kind]
        pool = SENTENCES[kind]
        count = self.rng.randint(low, high)
        chosen = [self.rng.choice(pool) for _ in range(count)]
        return "\n".join(sentence.format(t=theme) for sentence in chosen)

    # --- the directory ---------------------------------------------------------------------------

    def registers(self) -> list[Place]:
        import_registers(list(REGISTER_FILES))
        places = []
        for office in Office.objects.order_by("slug"):
            municipalities = list(Municipality.objects.filter(county__office=office).order_by("number"))
            places.append(Place(office, municipalities))
        return places

    def organisations(self, places: list[Place]) -> dict[int, Organisation]:
        """Every municipality as an owner with its numbers; the Statsforvalter, UH and interest organisations."""
        owners = [
            Organisation(
                kind=Kind.MUNICIPALITY,
                name=f"{m.name} kommune",
                short_name=m.name,
                municipality=m,
                org_number=self.org_number(),
                account_number=self.account_number(),
            )
            for place in places
            for m in place.municipalities
        ]
        by_municipality = {o.municipality_id: o for o in self.insert(Organisation, owners) if o.municipality_id}
        institutions = self.insert(
            Organisation,
            [
                Organisation(
                    kind=kind,
                    name=name,
                    short_name=short,
                    org_number=self.org_number(),
                    account_number=self.account_number(),
                )
                for name, short, kind, _offices in INSTITUTIONS
            ],
        )
        for place in places:
            place.institutions = [
                org for org, row in zip(institutions, INSTITUTIONS, strict=True) if place.office.slug in row[3]
            ] or institutions[:1]
            place.governor = Organisation.objects.create(
                kind=Kind.GOVERNOR, name=place.office.name, office=place.office, org_number=self.org_number()
            )
        self.units(list(by_municipality.values()))
        return by_municipality

    def units(self, owners: list[Organisation]) -> None:
        rows = []
        for owner in owners:
            names = self.rng.sample(PLACES, self.rng.randint(3, 12))
            for index, place in enumerate(names):
                kind, suffix = ("public_school", "skole") if index % 3 == 2 else ("municipal_kindergarten", "barnehage")
                rows.append(Unit(owner=owner, kind=kind, name=f"{place} {suffix}"))
            rows.append(Unit(owner=owner, kind="pp_service", name=f"PP-tjenesten {owner.short_name}"))
        self.insert(Unit, rows)

    def staff(self, place: Place) -> None:
        """The Statsforvalter's people, the forum, union representatives and UH contacts of one office."""
        domain = f"{ascii_slug(office_short(place.office))}.sf.test"
        roles = [Role.GOVERNOR_ADMIN, Role.CASE_OFFICER, Role.CASE_OFFICER, Role.READER, Role.FORUM_SECRETARY]
        roles += [Role.FORUM_MEMBER] * 5 + [Role.FORUM_DEPUTY]
        people = self.people(len(roles), domain)
        self.insert(
            Membership, [Membership(user=u, role=r, office=place.office) for u, r in zip(people, roles, strict=True)]
        )
        self.two_factor([u for u, r in zip(people, roles, strict=True) if r != Role.READER])
        forum = Forum.objects.create(office=place.office, name=f"Samarbeidsforum {office_short(place.office)}")
        interests = [
            Organisation(kind=Kind.INTEREST, name=f"{name} {office_short(place.office)}", short_name=name)
            for name in INTERESTS
        ]
        seats = [
            ForumMember(forum=forum, organisation=org, person=person, role="member")
            for org, person in zip(self.insert(Organisation, interests), people[5:9], strict=True)
        ]
        seats += [ForumMember(forum=forum, organisation=org, role="member") for org in place.institutions]
        seats.append(ForumMember(forum=forum, organisation=place.governor, role="secretariat", votes=False))
        self.insert(ForumMember, seats)
        place.union_reps = self.people(4, f"tillitsvalgt.{domain}")
        self.insert(
            Membership, [Membership(user=u, role=Role.UNION_REP, office=place.office) for u in place.union_reps]
        )
        for org in place.institutions:
            contacts = self.people(3, f"{ascii_slug(org.short_name)}.uh.test")
            place.uh_contacts[org.pk] = contacts
            self.insert(Membership, [Membership(user=u, role=Role.PARTNER_CONTACT, organisation=org) for u in contacts])

    def two_factor(self, users: list[User]) -> None:
        """Statsforvalter and forum roles must have TOTP (RequireTwoFactorMiddleware): give them a device."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import generate_totp_secret
        from allauth.mfa.utils import encrypt

        self.insert(
            Authenticator,
            [Authenticator(user=u, type="totp", data={"secret": encrypt(generate_totp_secret())}) for u in users],
        )

    def networks(self, place: Place, owners: dict[int, Organisation]) -> None:
        """Four or five regional networks per office, each a run of neighbouring municipalities."""
        count = 4 if len(place.municipalities) < 30 else 5
        size = -(-len(place.municipalities) // count)
        coordinators = self.people(count, f"nettverk.{ascii_slug(office_short(place.office))}.test")
        through = Network.owners.through
        for index, coordinator in enumerate(coordinators):
            members = place.municipalities[index * size : (index + 1) * size]
            if not members:
                continue
            name = f"{members[0].name}regionen"
            network = Network.objects.create(office=place.office, name=name, slug=ascii_slug(name))
            orgs = [owners[m.pk] for m in members]
            self.insert(through, [through(network=network, organisation=o) for o in orgs])
            Membership.objects.create(user=coordinator, role=Role.NETWORK_COORDINATOR, network=network)
            place.networks.append((network, orgs))

    def rounds(self, place: Place) -> None:
        rows, frames, milestones = [], [], []
        for year in self.years:
            rows.append(Round(office=place.office, year=year))
        for round in self.insert(Round, rows):
            place.rounds[round.year] = round
            for scheme in Scheme.objects.valid_in(round.year).order_by("code"):
                budget = self.rng.randrange(4_000_000, 30_000_000, 1000)
                frames.append(RoundScheme(round=round, scheme=scheme, budget=budget))
            milestones += [Milestone(round=round, **values) for values in milestones_for(round.year)]  # type: ignore[arg-type]
        self.insert(RoundScheme, frames)
        self.insert(Milestone, milestones)

    # --- partnerships ----------------------------------------------------------------------------

    def partnerships(self, place: Place) -> list[Team]:
        """About 5.6 partnerships per municipality at full scale; the first of each network spans all of it."""
        plans: list[Plan] = []
        for network, orgs in place.networks:
            count = max(1, round(self.scale * PARTNERSHIPS_PER_MUNICIPALITY * len(orgs)))
            leads = orgs[:]
            self.rng.shuffle(leads)
            for index in range(count):
                theme = self.rng.choice(THEMES)
                if index == 0:
                    plans.append((network, orgs, f"{capital(theme)} – {network.name}", theme))
                    continue
                lead = leads[index % len(leads)]
                others = self.rng.sample(orgs, min(len(orgs), self.rng.choice((0, 0, 0, 1, 2))))
                owners = [lead] + [o for o in others if o != lead]
                plans.append((network, owners, f"{capital(theme)} i {lead.short_name}", theme))
        partnerships = self.insert(
            Partnership, [Partnership(office=place.office, network=plan[0], name=plan[2]) for plan in plans]
        )
        contacts = self.people(len(plans), "kommune.test")
        self.insert(
            Membership,
            [
                Membership(user=user, role=Role.OWNER_CONTACT, organisation=plan[1][0])
                for user, plan in zip(contacts, plans, strict=True)
            ],
        )
        participants, teams = self.participants(place, partnerships, plans, contacts)
        self.contacts(place, participants)
        return teams

    def participants(
        self, place: Place, partnerships: list[Partnership], plans: list[Plan], contacts: list[User]
    ) -> tuple[list[tuple[Participant, User | None]], list[Team]]:
        rows: list[Participant] = []
        people: list[User | None] = []
        teams = []
        for partnership, (_n, owners, name, theme), contact in zip(partnerships, plans, contacts, strict=True):
            uh = self.rng.choice(place.institutions)
            for index, owner in enumerate(owners):
                lead = index == 0
                rows.append(
                    Participant(
                        partnership=partnership,
                        organisation=owner,
                        side="owner",
                        is_lead=lead,
                        account_number=owner.account_number if lead else "",
                        payment_reference=name[:200] if lead else "",
                    )
                )
                people.append(contact if lead else None)
            rows.append(
                Participant(
                    partnership=partnership,
                    organisation=uh,
                    side="partner",
                    is_lead=True,
                    account_number=uh.account_number,
                )
            )
            people.append(self.rng.choice(place.uh_contacts[uh.pk]))
            teams.append(Team(partnership, place, contact, theme))
        return list(zip(self.insert(Participant, rows), people, strict=True)), teams

    def contacts(self, place: Place, participants: list[tuple[Participant, User | None]]) -> None:
        rows = []
        for participant, user in participants:
            if user is None:
                continue
            functions = FUNCTIONS if participant.side == "owner" else UH_FUNCTIONS
            rows.append(
                Contact(
                    participant=participant,
                    user=user,
                    name=user.get_full_name(),
                    function=self.rng.choice(functions),
                    phone=f"4{self.rng.randrange(10_000_000):07d}",
                    email=user.email,
                )
            )
        self.insert(Contact, rows)

    # --- needs reports ---------------------------------------------------------------------------

    def reports(self, teams: list[Team], year: int) -> None:
        """One report per partnership in the year's round, with its measures, events and union members."""
        last = year == self.years[-1]
        reports, chosen = [], []
        for team in teams:
            schemes = [rs.scheme for rs in self.round_schemes(team.place.rounds[year])]
            chosen.append(self.rng.sample(schemes, self.rng.choice(range(1, len(schemes) + 1))))
            status = "draft" if last and self.rng.random() < 0.8 else "submitted"
            units = [self.rng.randint(0, 9) if self.rng.random() < 0.7 else None for _ in range(5)]
            reports.append(
                NeedsReport(
                    partnership=team.partnership,
                    round=team.place.rounds[year],
                    status=status,
                    version=self.rng.randint(1, 60),
                    union_discussed=status == "submitted" or self.rng.random() < 0.5,
                    municipal_kindergartens=units[0],
                    private_kindergartens=units[1],
                    public_schools=units[2],
                    private_schools=units[3],
                    pp_services=units[4],
                )
            )
        reports = self.insert(NeedsReport, reports)
        self.insert(
            NeedsReportScheme,
            [self.report_scheme(r, s) for r, schemes in zip(reports, chosen, strict=True) for s in schemes],
        )
        self.measures(teams, reports, chosen, year)
        submissions = self.events(teams, reports)
        self.union(teams, reports)
        self.versions(submissions)

    def round_schemes(self, round: Round) -> list[RoundScheme]:
        if round.pk not in self.frames:
            self.frames[round.pk] = list(round.round_schemes.select_related("scheme").order_by("scheme__code"))
        return self.frames[round.pk]

    def report_scheme(self, report: NeedsReport, scheme: Scheme) -> NeedsReportScheme:
        if not scheme.co_financing_percent:
            return NeedsReportScheme(report=report, scheme=scheme)
        amount = self.rng.randrange(50_000, 400_000, 1000)
        form = self.rng.choice(("money", "salary", "both"))
        return NeedsReportScheme(report=report, scheme=scheme, co_financing_amount=amount, co_financing_form=form)

    def measures(self, teams: list[Team], reports: list[NeedsReport], chosen: list[list[Scheme]], year: int) -> None:
        rows: list[Measure] = []
        owners: list[Team] = []
        for team, report, schemes in zip(teams, reports, chosen, strict=True):
            count = self.rng.randint(3, 10) + (self.rng.randint(25, 45) if self.rng.random() < 0.01 else 0)
            for position in range(1, count + 1):
                rows.append(self.measure(team, report, schemes[position % len(schemes)], position, year))
                owners.append(team)
            if self.rng.random() < 0.6:
                rows.append(self.coordinator(report, schemes[0], count + 1, year))
                owners.append(team)
        for team in teams:
            team.previous = []
        saved = self.insert(Measure, rows)
        for team, measure in zip(owners, saved, strict=True):
            team.previous.append((measure.pk, measure.name, measure.scheme.code))
        self.continuations(saved, year)

    def measure(self, team: Team, report: NeedsReport, scheme: Scheme, position: int, year: int) -> Measure:
        theme = team.theme if self.rng.random() < 0.5 else self.rng.choice(THEMES)
        continued = [p for p in team.previous if p[2] == scheme.code]
        source = self.rng.choice(continued) if continued and self.rng.random() < 0.3 else None
        name = source[1] if source else self.rng.choice(FORMATS).format(t=theme)
        semesters = semester_codes(year)
        values = {kind: self.text(kind, theme) for kind in TEXT_LENGTHS}
        return Measure(
            report=report,
            scheme=scheme,
            position=position,
            name=capital(name),
            owner_amount=self.rng.randrange(0, 200_001, 5000),
            partner_amount=self.rng.randrange(0, 300_001, 1000),
            purpose=self.rng.choice(
                SCHEME_USES.get(scheme.code, ("implementation", "implementation", "assessment", "planning"))
            ),
            needs_coordinator=self.rng.random() < 0.4,
            semesters=semesters[self.rng.randrange(3) :],
            continued_from_id=source[0] if source else None,
            **values,
        )

    def coordinator(self, report: NeedsReport, scheme: Scheme, position: int, year: int) -> Measure:
        return Measure(
            report=report,
            scheme=scheme,
            position=position,
            name="Koordinator",
            owner_amount=self.rng.randrange(30_000, 120_001, 5000),
            purpose="coordinator",
            needs_coordinator=True,
            coordinator_reason=self.text("coordinator_reason", ""),
            semesters=semester_codes(year),
            description="Koordinatorfunksjon for partnerskapet.",
        )

    def continuations(self, measures: list[Measure], year: int) -> None:
        rows = []
        periods = continuation_periods(year)
        for measure in measures:
            if self.rng.random() >= 0.2:
                continue
            for period in periods[: self.rng.randint(1, 3)]:
                rows.append(
                    Continuation(
                        measure=measure,
                        period=period,
                        owner_amount=self.rng.randrange(0, 150_001, 5000),
                        owner_reason=self.rng.choice(("Videreføring", "Ny kartlegging", "Spredning til flere enheter")),
                        partner_amount=self.rng.randrange(0, 200_001, 5000),
                        partner_reason=self.rng.choice(("Veiledning", "Evaluering", "")),
                    )
                )
        self.insert(Continuation, rows)

    def events(self, teams: list[Team], reports: list[NeedsReport]) -> list[NeedsReportEvent]:
        """The reports' events; returns the submissions."""
        rows = []
        for team, report in zip(teams, reports, strict=True):
            actor = team.owner_contact
            rows.append(NeedsReportEvent(report=report, actor=actor, from_status="", to_status="draft"))
            if report.status == "submitted":
                to = str(team.partnership.network or team.place.office)
                rows.append(
                    NeedsReportEvent(
                        report=report,
                        actor=actor,
                        from_status="draft",
                        to_status="submitted",
                        code="submitted",
                        params={"to": to},
                    )
                )
        return [e for e in self.insert(NeedsReportEvent, rows) if e.to_status == "submitted"]

    def versions(self, submissions: list[NeedsReportEvent]) -> None:
        """Version 1 of every submitted report, as `NeedsReport.submit` keeps it: what it said, tied to its event."""
        by_report = {event.report_id: event for event in submissions}
        pks = sorted(by_report)
        for start in range(0, len(pks), VERSION_BATCH):
            reports = preloaded(pks[start : start + VERSION_BATCH])
            versions = self.insert(
                NeedsReportVersion,
                [
                    NeedsReportVersion(
                        report=report,
                        number=1,
                        submitted_at=by_report[report.pk].at,
                        submitted_by_id=by_report[report.pk].actor_id,
                        event=by_report[report.pk],
                        data=serialise(report),
                    )
                    for report in reports
                ],
            )
            # with each version, its totals (as `NeedsReport.record_version` writes them)
            made = zip(versions, reports, strict=True)
            self.insert(NeedsReportVersionTotal, [t for v, r in made for t in NeedsReportVersionTotal.rows_for(v, r)])
            parties = [
                party
                for v, r in zip(versions, reports, strict=True)
                for party in NeedsReportVersionParty.rows_for(v, round_id=r.round_id, partnership_id=r.partnership_id)
            ]
            self.insert(NeedsReportVersionParty, parties)

    def union(self, teams: list[Team], reports: list[NeedsReport]) -> None:
        rows = []
        for team, report in zip(teams, reports, strict=True):
            if not report.union_discussed:
                continue
            for role in self.rng.sample(UNION_ROLES, self.rng.randint(1, 2)):
                user = self.rng.choice(team.place.union_reps) if self.rng.random() < 0.3 else None
                name = user.get_full_name() if user else f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
                rows.append(UnionParticipant(report=report, role=role, name=name, user=user))
        self.insert(UnionParticipant, rows)

    # --- the whole ------------------------------------------------------------------------------

    def build(self) -> None:
        places = self.registers()
        self.step(f"registers: {len(places)} offices, {Municipality.objects.count()} municipalities")
        owners = self.organisations(places)
        User.objects.create(
            email=ADMIN_EMAIL,
            first_name="Admin",
            last_name="Nasjonal",
            is_staff=True,
            is_superuser=True,
            password=self.password,
        )
        teams: list[Team] = []
        for place in places:
            self.staff(place)
            self.networks(place, owners)
            self.rounds(place)
            teams += self.partnerships(place)
        self.step(f"directory, people and rounds: {len(teams)} partnerships")
        for year in self.years:
            self.reports(teams, year)
            self.step(f"{year}: {Measure.objects.count()} measures so far")


NORWEGIAN_LETTERS: dict[str, str | int | None] = {"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"}


def ascii_slug(text: str) -> str:
    return slugify(text.translate(str.maketrans(NORWEGIAN_LETTERS)))


def office_short(office: Office) -> str:
    return office.name.removeprefix("Statsforvalteren i ")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
