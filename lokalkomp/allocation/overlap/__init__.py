"""The overlap finder: measures that resemble each other across partnerships, networks, schemes and years.

For the forum's question «how is fragmentation prevented?»: the same topic bought twice from two
UHs, a network in one scheme and a network in another doing the same thing. `text` turns Norwegian
(bokmål and nynorsk) into stems, `index` weighs them and finds each measure's closest matches,
`loading` reads a round's submitted measures and last year's.

    from lokalkomp.allocation.overlap import overlaps_for_round
    for measure, matches in overlaps_for_round(round):
        ...  # match.measure, match.score (0–100), match.shared_words, match.same_partnership
"""

from .index import THRESHOLD, Match, MeasureText, OverlapIndex, find_overlaps
from .loading import overlaps_for_round, shown_overlaps, texts_for_round

__all__ = [
    "THRESHOLD",
    "Match",
    "MeasureText",
    "OverlapIndex",
    "find_overlaps",
    "overlaps_for_round",
    "shown_overlaps",
    "texts_for_round",
]
