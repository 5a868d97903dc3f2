"""Who may see a report on the use of funds' versions and what changed between them (rapportering, issue 13).

Those who see the report see its versions: the partnership's contact persons (owner and UH side), and besides
them the Statsforvalter who follows the report up (the round's office). Everyone else signed in gets 404 (the
report is not theirs to know of), the anonymous the sign-in page. The report is submitted first, so the page
has a version to show.
"""

from __future__ import annotations

from typing import Any

from .followup import GOVERNORS, _submitted
from .funds import WRITERS
from .rules import LOGIN, Rule, statuses
from .world import World


def versions_kw(w: World, side: str) -> dict[str, Any]:
    return {"pk": _submitted(w, side).pk}


def readers(ok: int) -> Any:
    return lambda side: statuses(404, anonymous=LOGIN, **dict.fromkeys(WRITERS[side] | GOVERNORS[side], ok))


FUNDSVERSIONS_RULES: dict[str, Rule] = {
    "reporting:funds_versions": Rule("get", readers(200), kwargs=versions_kw),
}
