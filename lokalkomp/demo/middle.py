"""The middle of Nordland's 2024 year: from the submitted needs reports to a finished assessment.

Four steps, each run through the models' own methods, as the site would run them:

1. ``submitted`` – Indre Helgeland's needs report for 2024 is submitted (before 15.12.2023). The seeds
   give Indre Helgeland's measures for 2023 only (seed 004), so this report is **made up**: its
   partnership, people, account numbers, measures, amounts and texts are invented for the demo,
   plausible for Rana, Hemnes and Vefsn with Nord universitet; its coordinator is funded in all three
   schemes (70 000 each), so that the cross-scheme view has the case seed 003 describes. The forum's
   third member (``forum-uh@``) takes HINN/SePU's seat: HINN/SePU is the UH of Ytre Helgeland's
   partnership (seed 003), so that member is disqualified from its measures by the rules, not by a flag.
2. ``compiled`` – each network's coordinator orders the measures, marks one as not recommended with
   a reason, writes the network's comment and delivers, on 8 and 9 January 2024 (the deadline is
   10 January).
3. ``declared`` – the forum's members and deputy, and the fagutvalg's member, declare «no other ties»
   for the round.
4. ``assessed`` – each of them assesses every measure they are not disqualified from, against every
   criterion, and shares it. The scores are a fixed table (no randomness).

Loading again changes nothing: a submitted report, a delivered compilation, a declaration and a
shared assessment are records, and each step passes over what is on record already.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from lokalkomp.accounts.models import User
from lokalkomp.allocation import criteria as round_criteria
from lokalkomp.allocation.models import Assessment, Compilation, CompilationEntry, Declaration
from lokalkomp.allocation.rules.assessment import can_assess_measure
from lokalkomp.directory.models import Forum, ForumMember, Network, Organisation
from lokalkomp.needs.models import (
    Contact,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    NeedsReportScheme,
    Participant,
    Partnership,
    UnionParticipant,
)
from lokalkomp.schemes.models import Round, Scheme

STEPS = ("submitted", "compiled", "declared", "assessed")
OSLO = ZoneInfo("Europe/Oslo")
SOURCE = "script"
FORUM_UH = "forum-uh@lokalkomp.test"
ASSESSORS = ("forum@lokalkomp.test", "vara@lokalkomp.test", FORUM_UH)
# The fagutvalg's member (made up) declares for the round but has assessed nothing yet: the forum's
# assessments, and so the overview's numbers, stay the three assessors'.
FAGUTVALG = "fagutvalg@lokalkomp.test"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO)


SUBMITTED_AT = at(2023, 12, 14, 14, 30)  # the day before the needs reports' deadline (15.12.2023)

# ── Indre Helgeland's 2024 report (made up, see above) ─────────────────────────────────────────

IH_PARTNERSHIP = "Lesing og læring i Indre Helgeland"  # made up
IH_OWNERS = ["Rana", "Hemnes", "Vefsn"]  # Rana leads and receives the owner's payment
IH_PARTNER = "Nord u"
IH_ACCOUNTS = {"Rana": "45102012341", "Nord u": "42001122333"}  # made up, valid MOD11
IH_CONTACTS = {  # made up; no demo login
    "Rana": ("Randi Demomo", "Kommunalsjef oppvekst", "400 00 011", "oppvekst.rana@lokalkomp.test"),
    "Nord u": ("Per Demonord", "Førsteamanuensis", "400 00 012", "partnerskap.nord@lokalkomp.test"),
}
IH_UNITS = {
    "municipal_kindergartens": 24,
    "private_kindergartens": 9,
    "public_schools": 21,
    "private_schools": 1,
    "pp_services": 2,
}
# Dekomp: the owner's egenandel, at least 30 % of the state grant (kr 510 000 → kr 153 000).
IH_CO_FINANCING = {"dekomp": (160_000, NeedsReportScheme.CoFinancingForm.SALARY)}

SEMESTERS = ["2024-spring", "2024-autumn", "2025-spring"]
IH_MEASURES: list[dict[str, Any]] = [  # made up: names, amounts and texts
    {
        "scheme": "rekomp",
        "name": "Språkmiljø og lek i barnehagen",
        "owner_amount": 60_000,
        "partner_amount": 180_000,
        "purpose": "implementation",
        "anchoring": "Barnehagene har kartlagt språkmiljøet med personalet og styrerne høsten 2023. "
        "Behovet er drøftet med Nord universitet i styrermøtene.",
        "collective": "Hele personalet deltar i refleksjonsmøter på avdelingene mellom samlingene.",
        "teacher_education": "Erfaringene brukes i barnehagelærerutdanningen ved Nord universitet, campus Nesna.",
        "long_term_plan": "Følger opp målet om et godt språkmiljø for alle barn i den langsiktige planen.",
        "owner_share_use": "Vikarer, reise og lokaler.",
        "partner_share_use": "Planlegging og gjennomføring av samlinger og veiledning.",
        "target_group": "Alle ansatte i barnehagene.",
    },
    {
        "scheme": "rekomp",
        "name": "Ståstedsanalyse i barnehagene",
        "owner_amount": 25_000,
        "partner_amount": 75_000,
        "purpose": "assessment",
        "anchoring": "Styrerne ønsker en ny analyse før neste satsing.",
        "collective": "Personalet svarer på analysen og drøfter resultatene sammen.",
        "teacher_education": "Resultatene deles med barnehagelærerutdanningen.",
        "long_term_plan": "Gir grunnlag for nye tiltak i planperioden.",
        "owner_share_use": "Frikjøp av styrere.",
        "partner_share_use": "Gjennomføring og analyse.",
        "target_group": "Styrere og pedagogiske ledere.",
    },
    {
        "scheme": "dekomp",
        "name": "Lesing i alle fag på 5.–10. trinn",
        "owner_amount": 80_000,
        "partner_amount": 200_000,
        "purpose": "implementation",
        "anchoring": "Skolene har brukt nasjonale prøver og egne observasjoner; lærerne og rektorene har "
        "valgt lesing i alle fag i samarbeid med Nord universitet.",
        "collective": "Lærerteamene prøver ut lesestrategier i egne klasser og deler erfaringer i teamtid.",
        "teacher_education": "Praksislærere fra skolene tar erfaringene med inn i grunnskolelærerutdanningen.",
        "long_term_plan": "Svarer på planens mål om grunnleggende ferdigheter i alle fag.",
        "owner_share_use": "Frikjøp av lærere, reise.",
        "partner_share_use": "Fagpersoner til samlinger og veiledning i skolene.",
        "target_group": "Lærere og ledere på 5.–10. trinn.",
    },
    {
        "scheme": "dekomp",
        "name": "Vurdering for læring i profesjonsfellesskapet",
        "owner_amount": 40_000,
        "partner_amount": 120_000,
        "purpose": "planning",
        "anchoring": "Rektorene har sett behov for en felles vurderingspraksis etter fagfornyelsen.",
        "collective": "Skolene planlegger arbeidet i ledergruppene og i hele personalet.",
        "teacher_education": "Nord universitet bruker erfaringene i emnet om vurdering.",
        "long_term_plan": "Følger opp planens mål om vurdering som støtter læring.",
        "owner_share_use": "Frikjøp av ledere og ressurslærere.",
        "partner_share_use": "Planleggingsmøter og innlegg.",
        "target_group": "Skoleledere og ressurslærere.",
    },
    {
        "scheme": "kompetanseloftet",
        "name": "Inkluderende praksis: PPT og skole i lag",
        "owner_amount": 50_000,
        "partner_amount": 150_000,
        "purpose": "implementation",
        "anchoring": "PP-tjenestene og skolene har sammen kartlagt behovet for å arbeide mer systemrettet.",
        "collective": "PPT deltar i skolenes teammøter og veileder hele personalet.",
        "teacher_education": "Erfaringene tas inn i spesialpedagogikk ved Nord universitet.",
        "long_term_plan": "Følger opp planens mål om et inkluderende fellesskap.",
        "owner_share_use": "Frikjøp og reise.",
        "partner_share_use": "Veiledning og samlinger.",
        "target_group": "Ansatte i PP-tjenesten og i skolene.",
    },
    # The network's coordinator, funded in each of the three schemes (as seed 003's Ytre Helgeland states
    # for its own: 70 000 in each, 210 000 in all): the cross-scheme view shows them as one row.
    *(
        {
            "scheme": code,
            "name": "Koordinator",
            "owner_amount": 70_000,
            "partner_amount": 0,
            "purpose": "coordinator",
            "needs_coordinator": True,
            "coordinator_reason": "Kommunene er små; koordinatoren holder tiltakene i de tre ordningene sammen.",
            "anchoring": "Styringsgruppen har bedt om en felles koordinator for alle tre ordningene.",
            "collective": "Koordinatoren sørger for framdrift i tiltakene beskrevet over.",
            "owner_share_use": "Lønn til koordinator.",
            "target_group": "Styringsgruppen og tiltakenes ledere.",
        }
        for code in ("rekomp", "dekomp", "kompetanseloftet")
    ),
]
IH_COORDINATOR_TOTAL = 210_000  # 3 × 70 000, the cross-scheme view's row

# ── The compilations (made up: the networks' priorities, reasons and comments) ─────────────────


@dataclass(frozen=True)
class Compiled:
    network: str
    partnership: str
    coordinator: str
    order: dict[str, list[int]]  # per scheme code: the report's measure positions in the network's priority
    not_recommended: tuple[int, str]  # (position, why)
    comment: str
    delivered_at: dt.datetime


COMPILATIONS = [
    Compiled(
        "ytre-helgeland",
        "God opplæring for alle",
        "koordinator@lokalkomp.test",
        {"dekomp": [2, 3, 5, 1, 6, 4, 8, 7]},
        (
            7,
            "Magisk måned er et enkeltstående arrangement. Nettverket anbefaler at det finansieres lokalt, "
            "eller at erfaringene tas inn i nettverkene for språk, lesing og skriving (tiltak 2 og 3).",
        ),
        "Ytre Helgeland prioriterer språk, lesing og skriving i hele opplæringsløpet: nettverkene for barnehage "
        "og 1.–4. trinn og for 5.–10. trinn først, deretter analysen som skal gi grunnlag for neste år. "
        "Koordinatoren arbeider på tvers av de tre ordningene.",
        at(2024, 1, 8, 14, 0),
    ),
    Compiled(
        "indre-helgeland",
        IH_PARTNERSHIP,
        "koordinator-ih@lokalkomp.test",
        {"rekomp": [1, 2, 6], "dekomp": [4, 3, 7], "kompetanseloftet": [5, 8]},
        (
            2,
            "Barnehagene gjennomførte en ståstedsanalyse i 2023. Nettverket anbefaler å bruke de "
            "resultatene i stedet for en ny analyse i 2024.",
        ),
        "Indre Helgeland prioriterer vurdering og lesing i skolen og språkmiljøet i barnehagen, og knytter "
        "PP-tjenesten tettere til skolene gjennom Kompetanseløftet.",
        at(2024, 1, 9, 10, 30),
    ),
]

# ── The assessments (a fixed table) ────────────────────────────────────────────────────────────

M, P, N = "met", "partly", "not_met"
# Per measure (network slug, position): the scores of the five criteria as the forum member gives them.
BASE_SCORES: dict[tuple[str, int], tuple[str, ...]] = {
    ("ytre-helgeland", 1): (M, M, P, P, M),
    ("ytre-helgeland", 2): (M, M, M, M, M),
    ("ytre-helgeland", 3): (M, M, M, M, P),
    ("ytre-helgeland", 4): (P, P, M, P, M),
    ("ytre-helgeland", 5): (M, P, M, M, M),
    ("ytre-helgeland", 6): (P, M, M, M, P),
    ("ytre-helgeland", 7): (N, P, P, N, P),
    ("ytre-helgeland", 8): (P, P, P, N, P),
    ("indre-helgeland", 1): (M, M, M, M, P),
    ("indre-helgeland", 2): (P, P, P, N, M),
    ("indre-helgeland", 3): (M, M, M, M, M),
    ("indre-helgeland", 4): (M, P, M, M, M),
    ("indre-helgeland", 5): (M, M, M, P, M),
    ("indre-helgeland", 6): (M, P, P, M, M),  # the coordinator, in each of the three schemes
    ("indre-helgeland", 7): (M, P, P, M, M),
    ("indre-helgeland", 8): (M, P, P, M, M),
}
# Each assessor sees one criterion a step more strictly (index), on the day they share (February 2024).
STRICTER = {"forum@lokalkomp.test": None, "vara@lokalkomp.test": 4, FORUM_UH: 1}
SHARED_ON = {
    "forum@lokalkomp.test": at(2024, 2, 20, 12),
    "vara@lokalkomp.test": at(2024, 2, 22, 9),
    FORUM_UH: at(2024, 2, 23, 15),
}
SCORE_COMMENTS = {
    M: "Godt beskrevet i behovsmeldingen.",
    P: "Delvis beskrevet; bør konkretiseres.",
    N: "Ikke godtgjort i behovsmeldingen.",
}
RECOMMENDATION_COMMENTS = {
    "prioritise": "Godt forankret tiltak som bør prioriteres.",
    "possible": "Kan støttes dersom rammen tillater det.",
    "do_not_fund": "Anbefales ikke i år.",
}
LOWER = {M: P, P: N, N: N}


def build(*, upto: str = "assessed") -> None:
    """Build the middle of the 2024 year up to and including the step `upto` (one of STEPS)."""
    if upto not in STEPS:
        raise ValueError(f"upto must be one of {', '.join(STEPS)}")
    steps = STEPS[: STEPS.index(upto) + 1]
    round = Round.objects.select_related("office").get(office__slug="nordland", year=2024)
    with transaction.atomic():
        submit_indre_helgeland(round)
        seat_forum_uh(round)
        if "compiled" in steps:
            compile_networks(round)
        if "declared" in steps:
            declare(round)
        if "assessed" in steps:
            assess(round)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _network(round: Round, slug: str) -> Network:
    return Network.objects.select_related("office").get(office=round.office, slug=slug)


# ── 1. Submitted ────────────────────────────────────────────────────────────────────────────────


def submit_indre_helgeland(round: Round) -> NeedsReport:
    """The made-up 2024 report of Indre Helgeland, written as a draft and submitted on 14.12.2023."""
    network = _network(round, "indre-helgeland")
    partnership, _ = Partnership.objects.get_or_create(
        name=IH_PARTNERSHIP, defaults={"office": round.office, "network": network}
    )
    report = NeedsReport.objects.filter(partnership=partnership, round=round).first()
    if report is not None and report.status == NeedsReport.Status.SUBMITTED:
        return report  # on record: never written again
    _participants(partnership)
    if report is None:
        report = NeedsReport.objects.create(partnership=partnership, round=round, union_discussed=True, **IH_UNITS)
        NeedsReportEvent.objects.create(report=report, from_status="", to_status=NeedsReport.Status.DRAFT)
    for code in sorted({m["scheme"] for m in IH_MEASURES}):
        amount, form = IH_CO_FINANCING.get(code, (None, ""))
        NeedsReportScheme.objects.update_or_create(
            report=report,
            scheme=Scheme.objects.get(code=code),
            defaults={"co_financing_amount": amount, "co_financing_form": form},
        )
    for position, values in enumerate(IH_MEASURES, start=1):
        values = dict(values)
        scheme = Scheme.objects.get(code=values.pop("scheme"))
        Measure.objects.update_or_create(
            report=report,
            position=position,
            defaults={"scheme": scheme, "semesters": SEMESTERS, "needs_coordinator": False, **values},
        )
    UnionParticipant.objects.get_or_create(report=report, role="Hovedtillitsvalgt", defaults={"name": "Eva Demoli"})
    report.submit(by=None, now=SUBMITTED_AT)
    return report


def _participants(partnership: Partnership) -> None:
    owners = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, short_name__in=IH_OWNERS)
    orgs = {o.short_name: o for o in owners}
    orgs[IH_PARTNER] = Organisation.objects.get(kind=Organisation.Kind.UNIVERSITY, short_name=IH_PARTNER)
    sides = [(name, "owner", index == 0) for index, name in enumerate(IH_OWNERS)] + [(IH_PARTNER, "partner", True)]
    for name, side, lead in sides:
        participant, _ = Participant.objects.update_or_create(
            partnership=partnership,
            organisation=orgs[name],
            defaults={"side": side, "is_lead": lead, "account_number": IH_ACCOUNTS.get(name, "")},
        )
        if name in IH_CONTACTS:
            person, function, phone, email = IH_CONTACTS[name]
            Contact.objects.update_or_create(
                participant=participant,
                email=email,
                defaults={"name": person, "function": function, "phone": phone},
            )


def seat_forum_uh(round: Round) -> None:
    """The forum's third member represents HINN/SePU, the UH of Ytre Helgeland's partnership (an event once)."""
    forum = Forum.objects.get(office=round.office)
    seat = ForumMember.objects.get(forum=forum, organisation__short_name="HINN/SePU", role=ForumMember.Role.MEMBER)
    seat.change(person=_user(FORUM_UH), by=None, source=SOURCE)


# ── 2. Compiled and delivered ───────────────────────────────────────────────────────────────────


def compile_networks(round: Round) -> None:
    for plan in COMPILATIONS:
        _compile(round, plan)


def _compile(round: Round, plan: Compiled) -> Compilation:
    network = _network(round, plan.network)
    coordinator = _user(plan.coordinator)
    compilation = Compilation.of(round, network, by=coordinator)
    if compilation.versions.exists():
        return compilation  # delivered: a record
    compilation.sync()
    now = plan.delivered_at - dt.timedelta(hours=2)
    entries = compilation.ordered_entries()
    by_position = {e.measure.position: e for e in entries if e.measure.report.partnership.name == plan.partnership}
    for positions in plan.order.values():
        for place, position in enumerate(positions, start=1):
            compilation.place(
                by_position[position], place, expected_version=compilation.version, by=coordinator, now=now
            )
    position, reason = plan.not_recommended
    entry: CompilationEntry = by_position[position]
    compilation.mark(
        entry, recommended=False, reason=reason, expected_version=compilation.version, by=coordinator, now=now
    )
    compilation.set_comment(plan.comment, base=compilation.comment, by=coordinator, now=now)
    compilation.deliver(by=coordinator, expected_version=compilation.version, now=plan.delivered_at)
    return compilation


# ── 3. Declared ─────────────────────────────────────────────────────────────────────────────────


def declare(round: Round) -> None:
    """Each assessor (and the fagutvalg's member) declares «no other ties» once (seats are ties of their own)."""
    for email in (*ASSESSORS, FAGUTVALG):
        person = _user(email)
        if not Declaration.objects.filter(round=round, person=person).exists():
            Declaration.declare(round=round, person=person, no_other_ties=True, organisations=[], ties="")


# ── 4. Assessed and shared ──────────────────────────────────────────────────────────────────────


def scores_for(key: tuple[str, int], email: str) -> tuple[str, ...]:
    scores = list(BASE_SCORES[key])
    stricter = STRICTER[email]
    if stricter is not None:
        scores[stricter] = LOWER[scores[stricter]]
    return tuple(scores)


def recommendation_for(scores: tuple[str, ...]) -> str:
    """Prioritise at 80 % of the points or more, possible from 50 %, else do not fund (met 2, partly 1)."""
    points = sum({M: 2, P: 1, N: 0}[s] for s in scores)
    share = points * 100 // (2 * len(scores))
    return "prioritise" if share >= 80 else "possible" if share >= 50 else "do_not_fund"


def assess(round: Round) -> None:
    measures = list(
        Measure.objects.filter(report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .select_related("scheme", "report__round", "report__partnership__network")
        .order_by("report__partnership__network__slug", "position")
    )
    for email in ASSESSORS:
        person = _user(email)
        for measure in measures:
            if can_assess_measure(person, measure):  # the disqualified member passes over Ytre Helgeland's
                _assess(round, measure, person, email)


def _assess(round: Round, measure: Measure, person: User, email: str) -> None:
    current = Assessment.objects.filter(measure=measure, assessor=person).first()
    if current is not None and current.shared:
        return  # shared: final
    network = measure.report.partnership.network
    key = (network.slug if network else "", measure.position)
    scores = scores_for(key, email)
    criteria = round_criteria.for_scheme(measure.scheme, round)[: len(scores)]
    recommendation = recommendation_for(scores)
    assessment, _changed = Assessment.write(
        measure=measure,
        assessor=person,
        version=current.version if current else 0,
        recommendation=recommendation,
        comment=f"{RECOMMENDATION_COMMENTS[recommendation]} ({person.first_name})",
        scores={c.pk: (score, SCORE_COMMENTS[score]) for c, score in zip(criteria, scores, strict=True)},
    )
    assessment.share(by=person, now=SHARED_ON[email] + dt.timedelta(minutes=measure.position))
