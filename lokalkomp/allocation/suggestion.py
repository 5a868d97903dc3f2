"""«Fill within the frames by priority» (forslag ★): a starting point for the forum's recommendation.

Each frame is a budget of its own: a scheme's frame (`round.frames()`), or, where a key divides the
scheme's frame between the networks, each network's share. Within a budget the measures are taken
in the networks' order, and each measure is given what it asked (owner and UH) while it fits in what
is left of the budget, as CONSUL fills each heading's budget: a measure that does not fit gets 0 and
the next one is tried, so a later, smaller one may still fit.

The order within a budget (the choices made here):

1. the measures the network recommends, before those it marked «not recommended» (those come last,
   in the same order among themselves: they get money only if some is left);
2. the network's priority: each network's 1st measure, then each network's 2nd, and so on (the
   networks interleaved by rank; the rank is the measure's place in the network's compilation of the
   scheme, and measures not in a compilation come after the compiled ones, in the order of their
   reports and their own numbers);
3. at the same rank, the forum's shared assessments (not those written by someone disqualified from
   the measure): the higher mean recommendation first (prioritise 2, possible 1, do not fund 0), then
   the higher mean criteria points (met 2, partly 1, not met 0); unassessed measures last;
4. then the network's name and the measure's id, so that the result is the same every time.

What is filled: by default only the lines no person has decided yet (both amounts empty, or set by an
earlier suggestion); the amounts people have set stay and count against the budget first. With
«replace all» every line is filled again from an empty budget. Lines are never filled where the
person is disqualified from the partnership (they keep their amounts, which still count), nor lines
whose report is no longer submitted, nor measures of a scheme whose frame is not set. The caps,
co-financing and forbidden uses are not weighed: the checks on the page show them, as for any amount.

Everything is computed in Python from four queries and written in one transaction with
`RecommendationLine.apply_many` (an event per changed amount, the lines marked ★ `suggested`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext, ngettext

from lokalkomp.needs.models import NeedsReport
from lokalkomp.templatetags.nor import format_kroner

from . import conflicts
from .models import Assessment, CompilationEntry, Recommendation, RecommendationLine

__all__ = ["Budget", "Frames", "Suggestion", "frames_for", "suggest"]

NAMES_SHOWN = 5  # of the measures that did not fit, the summary names this many
RECOMMENDATION_POINTS = {"prioritise": 2, "possible": 1, "do_not_fund": 0}
UNRANKED = 10**9


@dataclass
class Budget:
    """One budget: a scheme's frame, or a network's share of it (`network` set)."""

    scheme: str
    network: str
    amount: int
    kept: int = 0  # what lines that are not filled already take of it
    placed: int = 0  # what the suggestion gives
    not_fitted: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.scheme} – {self.network}" if self.network else self.scheme

    @property
    def remaining(self) -> int:
        return self.amount - self.kept - self.placed


BudgetKey = tuple[int, int | None]  # (scheme id, network id or None for the whole scheme)


@dataclass
class Frames:
    """The round's budgets by key, and the schemes whose frame is not set."""

    budgets: dict[BudgetKey, Budget]
    divided: set[int]  # scheme ids whose frame a key divides between the networks
    unset: dict[int, str]  # scheme id → name, where no frame is set
    no_share: set[BudgetKey] = field(default_factory=set)
    unset_asked: set[int] = field(default_factory=set)  # the unset schemes that have measures

    def key_of(self, scheme_id: int, network_id: int | None) -> BudgetKey | None:
        """The budget a measure of the scheme and network draws on (None: no frame set for the scheme).

        In a divided frame a network without a share (not in the key, or no network) gets a budget of 0.
        """
        if scheme_id in self.unset:
            self.unset_asked.add(scheme_id)
            return None
        if (scheme_id, None) not in self.budgets and scheme_id not in self.divided:
            return None
        if scheme_id not in self.divided:
            return (scheme_id, None)
        key = (scheme_id, network_id)
        if key not in self.budgets:
            whole = next(b for (s, n), b in self.budgets.items() if s == scheme_id)
            self.budgets[key] = Budget(scheme=whole.scheme, network=gettext("no share of the frame"), amount=0)
            self.no_share.add(key)
        return key


def frames_for(round: Any) -> Frames:
    """The round's budgets: each scheme's frame, or where a key divides it wholly, each network's share."""
    budgets: dict[BudgetKey, Budget] = {}
    divided: set[int] = set()
    unset: dict[int, str] = {}
    for frame in round.frames():
        scheme = frame.scheme
        name = scheme.short_name or scheme.name
        if frame.amount is None:
            unset[scheme.pk] = name
        elif frame.division is not None and frame.division.is_whole and frame.division.shares:
            divided.add(scheme.pk)
            for share in frame.division.shares:
                budgets[(scheme.pk, share.network.pk)] = Budget(name, share.network.name, share.total)
        else:
            budgets[(scheme.pk, None)] = Budget(name, "", frame.amount)
    return Frames(budgets=budgets, divided=divided, unset=unset)


@dataclass
class Suggestion:
    """What the fill did: the budgets with what was placed and what did not fit, and the lines changed."""

    budgets: list[Budget]
    unset: list[str]
    changed: int
    filled: int

    def messages(self) -> list[str]:
        """The summary, in the user's language: one line overall, one per budget, one for unset frames."""
        lines = [
            ngettext(
                "Suggested amounts for %(n)s measure (marked ★); lines changed: %(changed)s. Adjust them as you see "
                "fit.",
                "Suggested amounts for %(n)s measures (marked ★); lines changed: %(changed)s. Adjust them as you "
                "see fit.",
                self.filled,
            )
            % {"n": self.filled, "changed": self.changed}
        ]
        for budget in self.budgets:
            line = gettext("%(frame)s: %(placed)s placed, %(left)s left of %(amount)s.") % {
                "frame": budget.label,
                "placed": format_kroner(budget.placed),
                "left": format_kroner(budget.remaining),
                "amount": format_kroner(budget.amount),
            }
            if budget.not_fitted:
                names = ", ".join(f"«{n}»" for n in budget.not_fitted[:NAMES_SHOWN])
                more = len(budget.not_fitted) - NAMES_SHOWN
                if more > 0:
                    names += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
                line += " " + gettext("Did not fit (given 0): %(names)s.") % {"names": names}
            lines.append(line)
        if self.unset:
            lines.append(
                gettext("No frame is set for %(schemes)s: those measures were left as they were.")
                % {"schemes": ", ".join(self.unset)}
            )
        return lines


@dataclass
class _Candidate:
    line: RecommendationLine
    budget: BudgetKey
    order: tuple[Any, ...]


def suggest(recommendation: Recommendation, *, by: Any, replace_all: bool = False) -> Suggestion:
    """Fill the recommendation (the main one while editable, or a what-if) within its frames by priority.

    Locked if it may not be changed. See the module's docstring for the order and what is filled.
    """
    round = recommendation.round
    frames = frames_for(round)
    disqualified = conflicts.disqualified_partnership_ids(by, round)
    with transaction.atomic():
        recommendation._lock()
        if recommendation.kind == Recommendation.Kind.MAIN:
            recommendation.sync()
        lines = list(
            recommendation.lines.select_for_update(of=("self",))
            .select_related("measure__report__partnership__network")
            .order_by("pk")
        )
        candidates = _candidates(lines, frames, round, disqualified, replace_all=replace_all)
        changes = _fill(candidates, frames)
        changed = RecommendationLine.apply_many(
            changes, by=by, why=gettext("Fill within the frames by priority"), suggested=True
        )
    used = {c.budget for c in candidates} | {k for k, b in frames.budgets.items() if b.kept}
    budgets = [b for k, b in frames.budgets.items() if k in used or k not in frames.no_share]
    return Suggestion(
        budgets=budgets,
        unset=sorted(frames.unset[pk] for pk in frames.unset_asked),
        changed=changed,
        filled=len(changes),
    )


def _fillable(line: RecommendationLine, disqualified: set[int], replace_all: bool) -> bool:
    report = line.measure.report
    if report.status != NeedsReport.Status.SUBMITTED or report.partnership_id in disqualified:
        return False
    return replace_all or line.suggested or (line.owner_amount is None and line.partner_amount is None)


def _candidates(
    lines: list[RecommendationLine], frames: Frames, round: Any, disqualified: set[int], *, replace_all: bool
) -> list[_Candidate]:
    """The lines to fill, each with its budget and its place in the order; the others' amounts are kept."""
    entries = {
        measure: (position, recommended)
        for measure, position, recommended in CompilationEntry.objects.filter(compilation__round=round).values_list(
            "measure_id", "position", "recommended"
        )
    }
    scores = _assessment_scores(round)
    fill: list[tuple[RecommendationLine, BudgetKey]] = []
    for line in lines:
        measure = line.measure
        key = frames.key_of(measure.scheme_id, measure.report.partnership.network_id)
        if key is None:
            continue
        if _fillable(line, disqualified, replace_all):
            fill.append((line, key))
        else:
            frames.budgets[key].kept += line.total
    # The rank of each measure in its network's list of the budget's scheme (1 is first).
    by_network: dict[tuple[BudgetKey, int | None], list[RecommendationLine]] = defaultdict(list)
    for line, key in fill:
        by_network[(key, line.measure.report.partnership.network_id)].append(line)
    rank: dict[int, int] = {}
    for group in by_network.values():
        group.sort(
            key=lambda ln: (
                entries.get(ln.measure_id, (UNRANKED, True))[0],
                ln.measure.report_id,
                ln.measure.position,
                ln.measure_id,
            )
        )
        rank.update({ln.pk: n for n, ln in enumerate(group, start=1)})
    candidates = []
    for line, key in fill:
        network = line.measure.report.partnership.network
        recommendation_points, criteria_points = scores.get(line.measure_id, (-1.0, -1.0))
        order = (
            not entries.get(line.measure_id, (0, True))[1],
            rank[line.pk],
            -recommendation_points,
            -criteria_points,
            network.name if network else "",
            line.measure_id,
        )
        candidates.append(_Candidate(line=line, budget=key, order=order))
    candidates.sort(key=lambda c: c.order)
    return candidates


def _fill(candidates: list[_Candidate], frames: Frames) -> list[tuple[RecommendationLine, int, int]]:
    """Greedy: as asked while it fits in what is left of its budget, else 0 (and the next is tried)."""
    changes = []
    for candidate in candidates:
        measure, budget = candidate.line.measure, frames.budgets[candidate.budget]
        asked = measure.owner_amount + measure.partner_amount
        if asked <= budget.remaining:
            budget.placed += asked
            changes.append((candidate.line, measure.owner_amount, measure.partner_amount))
        else:
            budget.not_fitted.append(measure.name)
            changes.append((candidate.line, 0, 0))
    return changes


def _assessment_scores(round: Any) -> dict[int, tuple[float, float]]:
    """Per measure the mean recommendation points and mean criteria points of its shared assessments, leaving
    out those written by someone disqualified from the measure's partnership (two queries)."""
    points = Case(
        When(scores__score="met", then=Value(2)),
        When(scores__score="partly", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = list(
        Assessment.objects.filter(Q(round=round) & Q(shared=True))
        .annotate(points=Sum(points, default=0))
        .values_list("measure_id", "assessor_id", "recommendation", "points", "measure__report__partnership_id")
    )
    disqualified = conflicts.disqualified_by_person(round, {row[1] for row in rows})
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for measure, assessor, recommendation, criteria_points, partnership in rows:
        if partnership in disqualified.get(assessor, set()):
            continue
        total = sums[measure]
        total[0] += RECOMMENDATION_POINTS.get(recommendation, 0)
        total[1] += criteria_points or 0
        total[2] += 1
    return {measure: (r / n, c / n) for measure, (r, c, n) in sums.items()}
