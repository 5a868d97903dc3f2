"""Who may download a round's archive package (Noark 5, issue 13): the Statsforvalter of the round's office.

Everyone else signed in is told no (403: the round itself is public), as for the payment list. The cast's round
holds a pool decision (made through the model, as the payments' rules make it), so the package has a letter in it.
"""

from __future__ import annotations

from typing import Any

from .assess import only, round_kw
from .payments import GOVERNORS, _payment
from .rules import Rule
from .world import World


def archive_kw(w: World, side: str) -> dict[str, Any]:
    _payment(w, side)  # a decision in the round, so the package is not empty
    return round_kw(w, side)


ARCHIVE_RULES: dict[str, Rule] = {
    "reporting:archive_package": Rule("get", only(GOVERNORS, 200), kwargs=archive_kw),
}
