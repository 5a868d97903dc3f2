"""Who may use each page of the network's desk in needs (issue 11): the overview of a round, the cross-scheme view."""

from __future__ import annotations

from typing import Any

from .rules import REPORT_SIDES, Rule, on_report, report_kw, statuses
from .world import LOGIN, World

# The overview of the cast's network in its round, and of the other office's network in its round: for
# the network's coordinator and the office's Statsforvalter (and forum secretariat, not in the world).
# The network is public (its page is), so the others who are signed in are refused with 403.
OVERVIEW_VIEWERS = {"own": {"coordinator", "governor", "governor_admin"}, "foreign": {"other_office_governor"}}


def overview_kw(w: World, side: str) -> dict[str, Any]:
    network, round = (w.cast.network, w.cast.round) if side == "own" else (w.foreign_network, w.foreign_round)
    return {"office": network.office.slug, "network": network.slug, "year": round.year}


def on_overview(side: str) -> dict[str, Any]:
    return statuses(403, anonymous=LOGIN, **dict.fromkeys(OVERVIEW_VIEWERS[side], 200))


NETWORK_RULES: dict[str, Rule] = {
    "needs:network_overview": Rule("get", on_overview, kwargs=overview_kw),
    # One partnership's measures in every scheme: whoever reads the report
    "needs:cross_scheme": Rule("get", on_report("read", 200), kwargs=report_kw(), sides=REPORT_SIDES),
}
