"""Indre Helgeland's measures from seed 004's table (the slide headed «Tiltak 2022 / Tiltak 2023»).

The seed's text carries one table under the «Tiltak 2023» heading; the «Tiltak 2022»
slide has no text of its own. Each row names the owner(s), the owner amount, the UH,
the UH amount and a description. Rows are grouped into partnerships by their
owners and UH (a partnership is owners + UH). The scheme of each row is inferred
from the table's order and content: kindergarten measures first (Regional ordning),
then school measures (Desentralisert ordning), then special-needs/PPT measures
(Kompetanseløftet). The amounts are exactly those of the seed.
"""

from __future__ import annotations

ALL = ["Grane", "Hattfjelldal", "Hemnes", "Rana", "Vefsn"]
NORD = "Nord universitet"
UIT = "UiT Norges arktiske universitet"

# (year, owners, UH or None, scheme, owner amount, UH amount, description)
ROWS: list[tuple[int, list[str], str | None, str, int, int, str]] = [
    (2023, ["Hemnes"], NORD, "rekomp", 40_000, 175_800, "Kompetansetiltak ut i enhetene. Hemnes kommune"),
    (
        2023,
        ["Grane", "Hattfjelldal", "Hemnes", "Vefsn"],
        NORD,
        "rekomp",
        120_000,
        194_000,
        "Interkommunalt fagdag for alle ansatte i barnehagene i Hattfjelldal, Hemnes, Grane og Vefsn",
    ),
    (2023, ["Hemnes"], NORD, "rekomp", 24_000, 80_000, "Lederutvikling i nettverk. Hemnes kommune, styrer/ped.leder"),
    (2023, ["Hemnes"], NORD, "rekomp", 30_000, 107_440, "Kompetansetiltak ut i enhetene"),
    (2023, ALL, None, "rekomp", 65_000, 0, "Koordinator – midler til. Fordeles i regionen Indre Helgeland"),
    (2023, ["Grane"], UIT, "dekomp", 0, 160_000, "Begynneropplæring i lesing og skriving"),
    (2023, ["Hattfjelldal"], UIT, "dekomp", 0, 160_000, "Begynneropplæring i lesing og skriving"),
    (2023, ["Hemnes"], UIT, "dekomp", 0, 160_000, "Begynneropplæring i lesing og skriving"),
    (2023, ["Rana"], UIT, "dekomp", 0, 160_000, "Begynneropplæring i lesing og skriving"),
    (2023, ["Vefsn"], UIT, "dekomp", 0, 160_000, "Begynneropplæring i lesing og skriving"),
    (2023, ALL, UIT, "dekomp", 0, 480_192, "Begynneropplæring i lesing og skriving – webmoduler"),
    (2023, ["Grane", "Hattfjelldal"], NORD, "dekomp", 0, 248_000, "Tilpasset opplæring i lesing i alle fag"),
    (2023, ["Rana"], NORD, "dekomp", 0, 432_000, "Kvalitetsutvikling i SFO"),
    (2023, ["Vefsn"], NORD, "dekomp", 0, 340_000, "Halvdagssamlinger knyttet til barn som utfordrer/læringsmiljø"),
    (
        2023,
        ALL,
        NORD,
        "kompetanseloftet",
        37_751,
        154_000,
        "Seminarer for personell som arbeider med spesialpedagogiske tema i barnehagene",
    ),
    (
        2023,
        ["Grane", "Hattfjelldal", "Vefsn"],
        NORD,
        "kompetanseloftet",
        15_000,
        248_000,
        "Nettverk for spesialpedagogene/fagveilederne",
    ),
    (2023, ["RKK"], None, "kompetanseloftet", 129_500, 0, "Koordinator"),
    (2023, ["Rana", "Vefsn"], NORD, "kompetanseloftet", 151_269, 68_800, "Styrke kompetanse i PPT"),
    (
        2023,
        ["Rana"],
        NORD,
        "kompetanseloftet",
        0,
        97_000,
        "Tidlige tegn og avdekking av lese- og skrivevansker og dysleksi hos barn og ungdom",
    ),
    (
        2023,
        ["Rana"],
        NORD,
        "kompetanseloftet",
        20_000,
        100_000,
        "Tverrfaglig nettverk med tema ufrivillig skolefravær Indre Helgeland",
    ),
]

# Funds granted to the region per year, as the seed's slide «Tildelte midler 2021–2023» states them.
GRANTED_BY_YEAR = {2021: 3_559_240, 2022: 2_444_482, 2023: 6_022_232}


def partnership_name(owners: list[str], partner: str | None) -> str:
    who = "Indre Helgeland" if owners == ALL else _join(owners)
    short = {NORD: "Nord universitet", UIT: "UiT"}
    return f"{who} – {short[partner]}" if partner else who


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def short_name(partner: str) -> str:
    """The demo's short name of a partner institution."""
    return {NORD: "Nord u", UIT: "UiT"}[partner]
