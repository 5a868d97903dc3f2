"""Who may use the round's work list (issue 11: the Statsforvalter's round) and send its reminders."""

from __future__ import annotations

from typing import Any

from lokalkomp.testing import make_partnership, make_report, make_round

from .rules import Rule, cycle_editor, round_kw
from .world import World

# The round is public (its page), so everyone else signed in is told no (403); the office's
# Statsforvalter (case officer and administrator) may. The forum secretariat reads the list too
# (tested in needs/tests/test_worklist.py: the cast has no secretary).


def _idle_partnership(w: World, side: str) -> Any:
    """A partnership of the side's office that reported the year before and has not started this year."""
    key = f"worklist:idle:{side}"
    if key not in w.extra:
        round = w.cast.round if side == "own" else w.foreign_round
        partnership = make_partnership(round.office)
        make_report(make_round(round.office, year=round.year - 1), partnership)
        w.extra[key] = partnership
    return w.extra[key]


def remind_kw(w: World, side: str) -> dict[str, Any]:
    return round_kw(w, side) | {"partnership": _idle_partnership(w, side).pk}


WORKLIST_RULES: dict[str, Rule] = {
    "needs:worklist": Rule("get", cycle_editor(200), kwargs=round_kw),
    "needs:worklist_xlsx": Rule("get", cycle_editor(200), kwargs=round_kw),
    # A partnership without an e-mail address: the reminder is refused with a message (302 back).
    "notifications:remind_partnership": Rule("post", cycle_editor(302), kwargs=remind_kw),
}
