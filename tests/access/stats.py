"""Who may use the statistics pages and the history import (issue 13).

The statistics of an office and of a network are public (granted amounts are public information; the pages
carry no personal data). Importing earlier years' allocations is for the office's Statsforvalter; everyone else
signed in is told no (403: the office's statistics are public). Saving with no checked file in the session
sends the Statsforvalter back to the import page (302) and saves nothing.
"""

from __future__ import annotations

from typing import Any

from .assess import SECRETARIAT, only
from .rules import EVERYONE, Rule, office_kw, same_for_both
from .world import World

GOVERNORS = SECRETARIAT  # the cast's Statsforvalter: the case officer and the administrator


def network_kw(w: World, side: str) -> dict[str, Any]:
    network = w.cast.network if side == "own" else w.foreign_network
    return office_kw(w, side) | {"network": network.slug}


STATS_RULES: dict[str, Rule] = {
    "reporting:statistics": Rule("get", same_for_both(EVERYONE), kwargs=office_kw),
    "reporting:statistics_network": Rule("get", same_for_both(EVERYONE), kwargs=network_kw),
    "reporting:statistics_history": Rule("get", only(GOVERNORS, 200), kwargs=office_kw),
    "reporting:statistics_history_save": Rule("post", only(GOVERNORS, 302), kwargs=office_kw),
}
