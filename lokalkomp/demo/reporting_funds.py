"""The reports on the use of funds (rapportering) of Nordland's decided rounds, through the model's methods.

**2023**: every partnership with decisions in the round (Indre Helgeland's measures of seed 004's table)
has written and submitted its report on 12.06.2024, before seed 004's deadline of 17 June («Frist for
partnerskap til å rapportere på midler tildelt i 2023»). The answers are the demo's own, made up: every
measure used what it was granted but the first, which left 10 % of the owner's share unused and proposes
to pay it back; the co-financing is the scheme's share (dekomp: 30 % of the state grant) as salary (frikjøp).

**2024**: Ytre Helgeland's report («God opplæring for alle», owner eier@lokalkomp.test, password demo)
exists as a draft, for the owner to fill in.

Loading again changes nothing: a report submitted once is passed over (the follow-up's demo may have
accepted or returned it since), and a draft is opened once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lokalkomp.allocation.models import DecisionLine
from lokalkomp.needs.models import Contact, Partnership
from lokalkomp.reporting.models import FundsReport, FundsReportLine
from lokalkomp.schemes.models import Round

from .middle import at

SUBMITTED = at(2024, 6, 12, 13, 0)
YTRE_HELGELAND = "God opplæring for alle"

ANSWERS = {
    "anchoring": (
        "Tiltaket er forankret hos skoleeier og rektorene, og planlagt sammen med UH i møter hvert halvår. "
        "Lærerne var med og valgte tema på planleggingsdagen."
    ),
    "fragmentation": (
        "Vi har samlet utviklingsarbeidet om ett tema over tid, i stedet for mange små kurs, og koblet det til "
        "kommunens kompetanseplan."
    ),
    "school_based": (
        "Ja: arbeidet foregikk på den enkelte skole, i lærende fellesskap i personalet, med UH til stede på skolen."
    ),
    "pupil_voice": ("Elevrådene ble spurt i planleggingen, og elevene svarte på en kort undersøkelse i evalueringen."),
    "results_children": "Barna får mer tid til lek og språk i hverdagen.",
    "results_pupils": "Elevene opplever mer variert undervisning.",
    "results_staff": "Personalet har fått et felles språk for arbeidet.",
}


def build() -> None:
    with transaction.atomic():
        submit_2023()
        open_ytre_helgeland_2024()


def decided_partnerships(round: Round) -> list[Partnership]:
    ids = DecisionLine.objects.filter(decision__round=round, measure__isnull=False).values(
        "measure__report__partnership"
    )
    return list(Partnership.objects.filter(pk__in=ids).order_by("name"))


def submit_2023() -> None:
    round = Round.objects.get(office__slug="nordland", year=2023)
    for partnership in decided_partnerships(round):
        report = FundsReport.open_for(partnership=partnership, round=round)
        if report.versions.exists():  # submitted once: the follow-up may have accepted or returned it since
            continue
        lines = list(report.lines.select_related("scheme").order_by("position", "pk"))
        writer = _writer(partnership)
        for n, line in enumerate(lines):
            report.answer(line, by=writer, **_answers(line, first=n == 0))
        report.submit(by=_writer(partnership), at=SUBMITTED)


def open_ytre_helgeland_2024() -> FundsReport | None:
    round = Round.objects.get(office__slug="nordland", year=2024)
    partnership = Partnership.objects.filter(name=YTRE_HELGELAND).first()
    if (
        partnership is None
        or not DecisionLine.objects.filter(decision__round=round, measure__report__partnership=partnership).exists()
    ):
        return None
    return FundsReport.open_for(partnership=partnership, round=round)


def _answers(line: FundsReportLine, *, first: bool) -> dict[str, Any]:
    used_owner = line.granted_owner - (line.granted_owner // 10 if first else 0)
    values: dict[str, Any] = {
        "used_owner": used_owner,
        "used_uh": line.granted_uh,
        "used_partner2": line.granted_partner2,
        "outcome": FundsReportLine.Outcome.CONTINUED if first else FundsReportLine.Outcome.COMPLETED,
    }
    if used_owner < line.granted_owner:
        values["unused_proposal"] = FundsReportLine.UnusedProposal.RETURN
    required = line.scheme.required_co_financing(line.granted)
    if required:
        values |= {"cofinancing_amount": required, "cofinancing_form": FundsReportLine.CoFinancingForm.SALARY}
    values |= {field: ANSWERS[field] for field in line.required_fields()}
    return values


def _writer(partnership: Partnership) -> Any:
    contact = (
        Contact.objects.filter(participant__partnership=partnership, user__isnull=False)
        .select_related("user")
        .order_by("-participant__side", "pk")  # the owner's side first ("partner" < "owner")
        .first()
    )
    return contact.user if contact else None
