"""The demo's budget frames (rammer) for Nordland 2023, 2024 and 2027, and the key that divides the regional scheme.

The seeds state no frame for these rounds. Seed 004 shows only what was granted in Indre
Helgeland in 2021–2023 (kr 3 559 240, 2 444 482 and 6 022 232) and that the forum sets aside
30 % for the regional scheme; domain.md §7 says Udir gives a frame per scheme. The frames below
are made up, of that order for the demo's two networks (2024: 12.6 million in all, the regional
scheme 30 % of it). The staff counts of the key are made up too: plausible numbers of
kindergarten staff in the municipalities of each network (Ytre Helgeland: Alstahaug, Leirfjord,
Lurøy, Træna; Indre Helgeland: Grane, Hattfjelldal, Hemnes, Rana, Vefsn).

Every value is set through the models' own methods, which record an event only for a change, so
loading the demo again changes nothing and records nothing.
"""

from __future__ import annotations

from lokalkomp.directory.models import Network
from lokalkomp.schemes.models import DistributionKey, Round, RoundScheme

FRAMES = {  # made up (see above), whole kroner
    2023: {"rekomp": 3_780_000, "dekomp": 6_420_000, "kompetanseloftet": 2_400_000},  # as 2024 (late.py decides 2023)
    2024: {"rekomp": 3_780_000, "dekomp": 6_420_000, "kompetanseloftet": 2_400_000},
    2027: {"kollektiv-2026": 12_600_000},
}
# The regional scheme (rekomp) of 2024 is divided by a key: a base amount each, the rest by staff.
KEY_YEAR, KEY_SCHEME, KEY_BASE_AMOUNT = 2024, "rekomp", 300_000
STAFF = {"ytre-helgeland": 210, "indre-helgeland": 640}  # made up: kindergarten staff in each network
SOURCE = "script"


def build_frames(rounds: dict[int, Round], networks: dict[str, Network]) -> None:
    for year, frames in FRAMES.items():
        for code, amount in frames.items():
            RoundScheme.objects.get(round=rounds[year], scheme__code=code).set_frame(amount, by=None, source=SOURCE)
    regional = RoundScheme.objects.get(round=rounds[KEY_YEAR], scheme__code=KEY_SCHEME)
    key = DistributionKey.put(
        regional, basis=DistributionKey.Basis.STAFF, base_amount=KEY_BASE_AMOUNT, by=None, source=SOURCE
    )
    key.set_counts({networks[slug].pk: count for slug, count in STAFF.items()}, by=None, source=SOURCE)
