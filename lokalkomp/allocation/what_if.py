"""A what-if side by side with the main recommendation: per line both amounts and whether they differ, and
the totals per frame for both (`suggestion.frames_for`: each scheme, or each network's share where a key
divides the scheme's frame) with the difference.

The person sees no line of a partnership they are disqualified from (habilitet), but those lines count in
the totals, as on the workspace. Adopting a what-if that changes such a line is refused for them
(`adopt_for`): someone else adopts it, so no one changes the amounts of a partnership they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from . import conflicts
from .models import Recommendation, RecommendationLine
from .models.recommendation import Locked
from .suggestion import BudgetKey, frames_for

__all__ = ["Comparison", "FrameTotals", "Row", "adopt_for", "compare"]


@dataclass
class Row:
    """One measure in both: the main's amounts and the what-if's (None: undecided)."""

    measure: Any
    main_owner: int | None
    main_partner: int | None
    owner: int | None
    partner: int | None
    suggested: bool = False

    @property
    def owner_differs(self) -> bool:
        return self.main_owner != self.owner

    @property
    def partner_differs(self) -> bool:
        return self.main_partner != self.partner

    @property
    def differs(self) -> bool:
        return self.owner_differs or self.partner_differs

    @property
    def difference(self) -> int:
        """What-if minus main, in kroner (undecided counts as 0)."""
        return (self.owner or 0) + (self.partner or 0) - (self.main_owner or 0) - (self.main_partner or 0)


@dataclass
class FrameTotals:
    label: str
    amount: int | None  # the frame (or share); None where no frame is set
    main: int = 0
    what_if: int = 0

    @property
    def difference(self) -> int:
        return self.what_if - self.main

    @property
    def main_left(self) -> int | None:
        return None if self.amount is None else self.amount - self.main

    @property
    def what_if_left(self) -> int | None:
        return None if self.amount is None else self.amount - self.what_if


@dataclass
class Comparison:
    rows: list[Row]
    totals: list[FrameTotals]
    hidden: int = 0  # lines of partnerships the person is disqualified from
    changed_hidden: int = 0  # of those, how many differ
    main_total: int = 0
    what_if_total: int = 0
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.differs)

    @property
    def difference(self) -> int:
        return self.what_if_total - self.main_total


def _lines(recommendation: Recommendation) -> dict[int, RecommendationLine]:
    return {line.measure_id: line for line in recommendation.lines.all()}


def compare(what_if: Recommendation, *, user: Any) -> Comparison:
    """The what-if against its main recommendation, as the person may see it (five queries and the frames')."""
    main = what_if.main
    round = what_if.round
    theirs, ours = _lines(what_if), _lines(main)
    from lokalkomp.needs.models import Measure

    measures = Measure.objects.filter(pk__in=set(theirs) | set(ours)).select_related(
        "scheme", "report__partnership__network"
    )
    frames = frames_for(round)
    totals: dict[BudgetKey | str, FrameTotals] = {}
    disqualified = conflicts.disqualified_partnership_ids(user, round)
    comparison = Comparison(rows=[], totals=[])
    for measure in sorted(measures, key=_order):
        main_line, line = ours.get(measure.pk), theirs.get(measure.pk)
        row = Row(
            measure=measure,
            main_owner=main_line.owner_amount if main_line else None,
            main_partner=main_line.partner_amount if main_line else None,
            owner=line.owner_amount if line else None,
            partner=line.partner_amount if line else None,
            suggested=bool(line and line.suggested),
        )
        _add(totals, frames, measure, row)
        comparison.main_total += (row.main_owner or 0) + (row.main_partner or 0)
        comparison.what_if_total += (row.owner or 0) + (row.partner or 0)
        if measure.report.partnership_id in disqualified:
            comparison.hidden += 1
            comparison.changed_hidden += row.differs
            continue
        comparison.rows.append(row)
    comparison.totals = list(totals.values())
    comparison.groups = _grouped(comparison.rows)
    return comparison


def _order(measure: Any) -> tuple[str, str, int, int, int]:
    network = measure.report.partnership.network
    return (measure.scheme.code, network.name if network else "", measure.report_id, measure.position, measure.pk)


def _add(totals: dict[BudgetKey | str, FrameTotals], frames: Any, measure: Any, row: Row) -> None:
    key = frames.key_of(measure.scheme_id, measure.report.partnership.network_id)
    if key is None:
        name = measure.scheme.short_name or measure.scheme.name
        slot: BudgetKey | str = f"unset:{measure.scheme_id}"
        found = totals.setdefault(slot, FrameTotals(label=name, amount=None))
    else:
        budget = frames.budgets[key]
        found = totals.setdefault(key, FrameTotals(label=budget.label, amount=budget.amount))
    found.main += (row.main_owner or 0) + (row.main_partner or 0)
    found.what_if += (row.owner or 0) + (row.partner or 0)


def _grouped(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        network = row.measure.report.partnership.network
        label = f"{row.measure.scheme.short_name or row.measure.scheme.name} – {network.name if network else '–'}"
        groups.setdefault(label, []).append(row)
    return list(groups.items())


def adopt_for(what_if: Recommendation, *, by: Any) -> int:
    """Adopt the what-if (its amounts become the main's, each an event); Locked with the reason where the
    person may not: it changes a line of a partnership they are disqualified from."""
    disqualified = conflicts.disqualified_partnership_ids(by, what_if.round)
    if disqualified:
        main = what_if.main
        ours = {line.measure_id: line for line in main.lines.select_related("measure__report")}
        for line in what_if.lines.select_related("measure__report"):
            if line.measure.report.partnership_id not in disqualified:
                continue
            mine = ours.get(line.measure_id)
            if mine is None or (mine.owner_amount, mine.partner_amount) != (line.owner_amount, line.partner_amount):
                raise Locked(
                    gettext(
                        "This what-if changes the amounts of a partnership you are disqualified from: "
                        "someone else must adopt it."
                    )
                )
    return what_if.adopt(by=by)
