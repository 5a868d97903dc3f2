"""Nordland's annual cycle (årshjul) as seed 004 gives it for the 2024 round.

Written relative to the round's year, so the same cycle serves the 2027 round:
"copy from last year" moves every date by whole years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    title: str  # {year} is the round's year, {prev} the year before
    start: tuple[int, int, int]  # (years relative to the round, month, day)
    end: tuple[int, int, int] | None = None
    when: str = ""
    where: str = ""
    audience: str = "all"
    governs: str = ""


NORDLAND: list[Step] = [
    Step(
        "Samling samarbeidsforum og fagutvalg (fysisk samling med vara)",
        (-1, 9, 28),
        (-1, 9, 29),
        where="Scandic Bodø",
        audience="forum",
    ),
    Step("Samarbeidsforum møte – ekstra tildeling", (-1, 9, 29), where="Scandic Bodø", audience="forum"),
    Step(
        "Samarbeidsforum vedtar 30 % regional ordning og ekstra tildeling",
        (-1, 10, 20),
        where="Digitalt – Teams",
        audience="forum",
    ),
    Step(
        "Digitalt møte med hvert kompetansenettverk, eier, UH og tillitsvalgte: evaluering av tiltak {prev}, "
        "behovsmelding {year}",
        (-1, 10, 0),
        when="Uke 43",
        where="Digitalt – Teams; fysisk i Indre og Ytre Helgeland",
        audience="networks",
    ),
    Step(
        "Partnerskap inngås og planlegges",
        (-1, 10, 1),
        (-1, 12, 15),
        when="Oktober–15. desember",
        audience="partnerships",
    ),
    Step(
        "Partnerskap leverer behovsmelding til kompetansenettverket",
        (-1, 12, 15),
        where="lokalkomp",
        audience="partnerships",
        governs="needs_reports",
    ),
    Step(
        "Kompetansenettverkene leverer sammenstilt behovsmelding for kompetansenettverket",
        (0, 1, 10),
        where="lokalkomp",
        audience="networks",
        governs="network_compilation",
    ),
    Step(
        "Samarbeidsforum/fagutvalg møte: gjennomgang av behovsmeldinger",
        (0, 1, 18),
        where="Fysisk – Statsforvalteren",
        audience="forum",
    ),
    Step("Samarbeidsforum starter sitt arbeid", (0, 2, 1), where="Teams-møter etter behov", audience="forum"),
    Step(
        "Møter mellom samarbeidsforum og kompetansenettverkene – avklaringer behovsmeldinger",
        (0, 2, 28),
        where="Digitalt",
        audience="networks",
    ),
    Step(
        "Foreløpig innstillingsmøte samarbeidsforum – gruppearbeid, vara deltar",
        (0, 3, 13),
        (0, 3, 14),
        where="Fysisk",
        audience="forum",
    ),
    Step(
        "Endelig innstilling – samarbeidsforum",
        (0, 3, 18),
        where="Digitalt",
        audience="forum",
        governs="recommendation",
    ),
    Step(
        "Statsforvalteren: endelig godkjenning av innstilling, midler utbetalt",
        (0, 4, 15),
        audience="governor",
        governs="decision",
    ),
    Step("Fagutvalg – evaluering av årets tildeling", (0, 5, 15), where="Fysisk møte, Byporten", audience="forum"),
    Step("Samarbeidsforum – evaluering og prosess neste år", (0, 6, 13), where="Digitalt – Teams", audience="forum"),
    Step(
        "Frist for partnerskap til å rapportere på midler tildelt i {prev}",
        (0, 6, 17),
        where="lokalkomp",
        audience="partnerships",
        governs="reports_due",
    ),
]


def _day(year: int, rel: tuple[int, int, int]) -> dt.date:
    offset, month, day = rel
    if day == 0:  # "Uke 43": the Monday of ISO week 43
        return dt.date.fromisocalendar(year + offset, 43, 1)
    return dt.date(year + offset, month, day)


def milestones_for(year: int) -> list[dict[str, object]]:
    """The cycle's steps as Milestone field values for a round year."""
    rows = []
    for step in NORDLAND:
        start = _day(year, step.start)
        end = _day(year, step.end) if step.end else (start + dt.timedelta(days=4) if step.start[2] == 0 else None)
        rows.append(
            {
                "title": step.title.format(year=year, prev=year - 1),
                "starts_on": start,
                "ends_on": end,
                "when_text": step.when,
                "location": step.where,
                "audience": step.audience,
                "governs": step.governs,
            }
        )
    return rows
