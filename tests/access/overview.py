"""Who may use the assessment overview, its Excel, a measure's assessments side by side and the overlap finder."""

from __future__ import annotations

from .assess import ASSESSORS, SECRETARIAT, both, measure_kw, only, round_kw
from .rules import Rule

# The forum's members, deputies and secretariat and the office's Statsforvalter (the cast has no deputy or
# secretary: the allocation tests cover them); everyone else signed in is told no (403: the round is public).
VIEWERS = both(ASSESSORS, SECRETARIAT)

OVERVIEW_RULES: dict[str, Rule] = {
    "allocation:assessment_overview": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
    "allocation:assessment_overview_xlsx": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
    "allocation:assessment_overview_measure": Rule("get", only(VIEWERS, 200), kwargs=measure_kw),
    "allocation:overlap": Rule("get", only(VIEWERS, 200), kwargs=round_kw),
}
