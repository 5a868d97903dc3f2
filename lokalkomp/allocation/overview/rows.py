"""What the overview shows of a measure: its numbers, and the page as a whole."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext

from lokalkomp.schemes.models import Round

from ..models import Assessment, Criterion, CriterionScore

if TYPE_CHECKING:
    from .filters import Filters, OverviewFilter

POINTS = {CriterionScore.Score.MET: 2, CriterionScore.Score.PARTLY: 1, CriterionScore.Score.NOT_MET: 0}
Recommendation = Assessment.Recommendation


@dataclass(slots=True)  # slots: a round's 600 rows have 3 000 of these, and no dict each for the GC to walk
class Tally:
    """How one criterion of one measure was scored by the counted assessments."""

    met: int = 0
    partly: int = 0
    not_met: int = 0
    label: str = ""  # the criterion's, for the table's cells on a phone

    @property
    def total(self) -> int:
        return self.met + self.partly + self.not_met

    def count(self, score: str) -> int:
        return {"met": self.met, "partly": self.partly, "not_met": self.not_met}.get(score, 0)

    def add(self, score: str, n: int) -> None:
        if score in POINTS:
            setattr(self, score, getattr(self, score) + n)

    def widths(self) -> tuple[int, int, int]:
        """The bar's three parts in tenths (they add up to 10 when anything was scored)."""
        if not self.total:
            return 0, 0, 0
        met = round(10 * self.met / self.total)
        if not self.not_met:
            return met, 10 - met, 0
        partly = min(10 - met, round(10 * self.partly / self.total))
        return met, partly, 10 - met - partly

    @property
    def text(self) -> str:
        return gettext("%(met)s met, %(partly)s partly met, %(not_met)s not met") % {
            "met": self.met,
            "partly": self.partly,
            "not_met": self.not_met,
        }

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.met + other.met, self.partly + other.partly, self.not_met + other.not_met)


@dataclass(slots=True)
class ByDisqualified:
    """An assessment left out because its author is disqualified from the measure (the secretariat's list)."""

    assessor: str
    recommendation: str
    shared: bool


@dataclass(slots=True)
class Row:
    pk: int
    name: str
    report_id: int
    partnership: str
    partnership_id: int
    network: str
    network_id: int | None
    scheme: str
    scheme_id: int
    purpose: str
    owner_amount: int
    partner_amount: int
    disqualified: bool  # the viewer is disqualified from the measure's partnership: nothing of its assessments
    text_url: str
    assess_url: str  # "" for someone who does not assess it
    detail_url: str  # its assessments side by side
    purpose_label: str = ""
    priority: int | None = None  # its place in its scheme's list in the network's latest delivered compilation
    recommended: bool = True  # the network's mark there
    compiled: bool = False  # in a delivered compilation
    assessments: int = 0  # counted
    drafts: int = 0  # of those, not shared
    votes: Counter[str] = field(default_factory=Counter)
    tallies: list[Tally] = field(default_factory=list)  # in the order of the overview's criteria
    by_disqualified: list[ByDisqualified] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.owner_amount + self.partner_amount

    @property
    def prioritise(self) -> int:
        return self.votes[Recommendation.PRIORITISE]

    @property
    def possible(self) -> int:
        return self.votes[Recommendation.POSSIBLE]

    @property
    def do_not_fund(self) -> int:
        return self.votes[Recommendation.DO_NOT_FUND]

    @property
    def score(self) -> int | None:
        """Met 2, partly 1, not met 0 points, as a share (0–100) of the most the scores given could have had."""
        scored = sum(t.total for t in self.tallies)
        if not scored:
            return None
        points = sum(2 * t.met + t.partly for t in self.tallies)
        return round(100 * points / (2 * scored))


@dataclass
class Overview:
    round: Round
    criteria: list[Criterion]
    rows: list[Row]  # filtered and sorted (the Excel's)
    page: Any  # the page of `rows` shown (a django Page)
    form: OverviewFilter
    filters: Filters
    secretariat: bool
    measures: int  # in the round, before the filters
    disqualified: int  # of those, measures the viewer is disqualified from
    left_out: int  # assessments written by disqualified assessors, left out of the numbers
    labels: list[str] = field(default_factory=list)  # the criteria's, as the table's header names them
    notes: list[str] = field(default_factory=list)  # why a filter did nothing
