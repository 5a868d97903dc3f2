"""The rules a recommendation is held to, shown as they happen and checked before the final step.

`check(recommendation, lines)` gives the workspace what it shows: the running totals against every
frame (per scheme, and per network where a key divides the frame into shares), the remaining
amounts, and every problem, each naming the rule that failed and why, in the user's language.
`blocking_problems(recommendation)` is what `Recommendation.advance` asks before the final step.

The rules:
- a frame (a scheme's, or a network's share of it) may not be exceeded (blocks);
- a scheme's cap (`SchemeCap`, rekomp's 30 % for basic competence, assistant courses and the trade
  certificate) holds against the scheme's frame, or against what is recommended in the scheme when
  no frame is set (blocks);
- a measure's use must be allowed by its scheme (`Scheme.allows_use`) (blocks);
- every line of a submitted report is decided (blocks), and in the main recommendation an amount
  that differs from what was asked has a justification (blocks; optional in a what-if);
- a line of a report that has been sent back (no longer submitted) cannot be recommended money (blocks);
- co-financing (dekomp's 30 % of the state grant, `Scheme.required_co_financing`): what the owner
  must co-finance for the recommended amount, compared with what the report declared (a warning:
  the owner may raise it; the Statsforvalter's decision states the condition).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from lokalkomp.templatetags.nor import format_kroner as kroner

if TYPE_CHECKING:
    from .models.recommendation import Recommendation, RecommendationLine

__all__ = ["Checks", "FrameTotal", "Problem", "blocking_problems", "check"]


@dataclass
class FrameTotal:
    """A frame (a scheme's, or a network's share of it) and what is recommended against it."""

    scheme_pk: int
    scheme: str
    network_pk: int | None  # None: the scheme's whole frame
    network: str
    frame: int | None  # None: not set (or no share)
    owner: int = 0
    partner: int = 0
    asked: int = 0

    @property
    def total(self) -> int:
        return self.owner + self.partner

    @property
    def remaining(self) -> int | None:
        return None if self.frame is None else self.frame - self.total

    @property
    def exceeded(self) -> bool:
        return self.frame is not None and self.total > self.frame

    @property
    def key(self) -> str:
        return f"{self.scheme_pk}-{self.network_pk or 'all'}"


@dataclass
class Problem:
    rule: str  # frame, share, cap, use, undecided, justification, sent_back, co_financing
    message: str
    blocks: bool = True
    line_pk: int | None = None


@dataclass
class Checks:
    totals: list[FrameTotal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocks]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocks]

    @property
    def exceeded(self) -> list[FrameTotal]:
        return [t for t in self.totals if t.exceeded]

    def of_line(self, line_pk: int) -> list[Problem]:
        return [p for p in self.problems if p.line_pk == line_pk]

    @property
    def by_line(self) -> dict[int, list[Problem]]:
        found: dict[int, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            if problem.line_pk is not None:
                found[problem.line_pk].append(problem)
        return dict(found)


def _lines(recommendation: Recommendation) -> list[RecommendationLine]:
    return list(
        recommendation.lines.select_related("measure__scheme", "measure__report__partnership__network").order_by(
            "measure_id"
        )
    )


def blocking_problems(recommendation: Recommendation) -> list[str]:
    """What blocks the final step, in the user's language (empty: it may be final)."""
    return [p.message for p in check(recommendation).blocking]


def check(
    recommendation: Recommendation,
    lines: list[RecommendationLine] | None = None,
    *,
    hidden: frozenset[int] = frozenset(),
) -> Checks:
    """The totals and the problems of the recommendation's lines (`lines`: all of them, with their measure's
    scheme, report and partnership's network loaded; read when not given). `hidden`: reports whose measures
    the person may not see (habilitet): they count in the totals, and their problems do not name them."""
    from lokalkomp.needs.models import NeedsReport, NeedsReportScheme
    from lokalkomp.schemes.models import SchemeCap

    if lines is None:
        lines = _lines(recommendation)
    round = recommendation.round
    is_main = recommendation.kind == recommendation.Kind.MAIN
    frames = round.frames()
    checks = Checks()
    by_scheme: dict[int, FrameTotal] = {}
    by_share: dict[tuple[int, int], FrameTotal] = {}
    schemes: dict[int, Any] = {}
    for frame in frames:
        scheme = frame.scheme
        schemes[scheme.pk] = scheme
        by_scheme[scheme.pk] = FrameTotal(scheme.pk, scheme.short_name or scheme.name, None, "", frame.amount)
        if frame.division is not None:
            for network, _count in frame.counts:
                share = frame.share_of(network)
                by_share[(scheme.pk, network.pk)] = FrameTotal(
                    scheme.pk, scheme.short_name or scheme.name, network.pk, network.name, share
                )

    def name_of(line: RecommendationLine) -> str:
        if line.measure.report_id in hidden:
            return _("a measure you are disqualified from")
        return f"«{line.measure.name}» ({line.measure.report.partnership.name})"

    submitted = NeedsReport.Status.SUBMITTED
    recommended_in: dict[tuple[int, int], int] = defaultdict(int)  # (report, scheme) → kr
    for line in lines:
        measure = line.measure
        scheme = measure.scheme
        schemes.setdefault(scheme.pk, scheme)
        total = by_scheme.setdefault(scheme.pk, FrameTotal(scheme.pk, scheme.short_name or scheme.name, None, "", None))
        targets = [total]
        network_id = measure.report.partnership.network_id
        if network_id is not None and (scheme.pk, network_id) in by_share:
            targets.append(by_share[(scheme.pk, network_id)])
        for target in targets:
            target.owner += line.owner_amount or 0
            target.partner += line.partner_amount or 0
            target.asked += measure.owner_amount + measure.partner_amount
        recommended_in[(measure.report_id, scheme.pk)] += line.total
        name = name_of(line)
        if measure.report.status != submitted:
            if line.total:
                checks.problems.append(
                    Problem(
                        "sent_back",
                        _(
                            "%(measure)s: its report has been sent back and is no longer submitted, so it cannot be "
                            "recommended money. Set it to 0 or wait until it is submitted again."
                        )
                        % {"measure": name},
                        line_pk=line.pk,
                    )
                )
            else:
                checks.problems.append(
                    Problem(
                        "sent_back",
                        _("%(measure)s: its report has been sent back and is no longer submitted.") % {"measure": name},
                        blocks=False,
                        line_pk=line.pk,
                    )
                )
            continue
        if not line.is_decided:
            checks.problems.append(
                Problem(
                    "undecided",
                    _("%(measure)s: no amount is recommended yet (both owner and UH need one, 0 is an amount).")
                    % {"measure": name},
                    line_pk=line.pk,
                )
            )
        elif line.differs_from_asked and not line.reason.strip():
            checks.problems.append(
                Problem(
                    "justification",
                    _("%(measure)s: the recommended amount differs from what was asked, so it needs a justification.")
                    % {"measure": name},
                    blocks=is_main,
                    line_pk=line.pk,
                )
            )
        if measure.purpose and line.total and not scheme.allows_use(measure.purpose):
            checks.problems.append(
                Problem(
                    "use",
                    _("%(measure)s: %(use)s is not an allowed use in %(scheme)s.")
                    % {"measure": name, "use": measure.get_purpose_display(), "scheme": scheme.short_name},
                    line_pk=line.pk,
                )
            )

    checks.totals = _ordered_totals(by_scheme, by_share)
    for total in checks.totals:
        if total.exceeded:
            checks.problems.append(
                Problem(
                    "share" if total.network_pk else "frame",
                    (
                        _(
                            "%(scheme)s, %(network)s: %(total)s is recommended, %(over)s more than the share of %(frame)s."
                        )
                        if total.network_pk
                        else _("%(scheme)s: %(total)s is recommended, %(over)s more than the frame of %(frame)s.")
                    )
                    % {
                        "scheme": total.scheme,
                        "network": total.network,
                        "total": kroner(total.total),
                        "over": kroner(-(total.remaining or 0)),
                        "frame": kroner(total.frame),
                    },
                )
            )
    checks.problems.extend(_caps(lines, by_scheme, SchemeCap.objects.filter(scheme_id__in=list(schemes))))
    checks.problems.extend(_co_financing(recommended_in, schemes, NeedsReportScheme, lines, hidden))
    return checks


def _ordered_totals(by_scheme: dict[int, FrameTotal], by_share: dict[tuple[int, int], FrameTotal]) -> list[FrameTotal]:
    """Each scheme's frame that has a frame or lines, followed by its networks' shares."""
    found = []
    for pk, total in sorted(by_scheme.items(), key=lambda item: item[1].scheme):
        if total.frame is None and not total.asked:
            continue
        found.append(total)
        found.extend(sorted((t for (s, _n), t in by_share.items() if s == pk), key=lambda t: t.network))
    return found


def _caps(lines: list[RecommendationLine], by_scheme: dict[int, FrameTotal], caps: Any) -> list[Problem]:
    from lokalkomp.schemes.models import Use

    found = []
    for cap in caps:
        total = by_scheme.get(cap.scheme_id)
        if total is None:
            continue
        capped = sum(
            line.total for line in lines if line.measure.scheme_id == cap.scheme_id and line.measure.purpose in cap.uses
        )
        basis = total.frame if total.frame is not None else total.total
        if capped and capped * 100 > basis * cap.percent:
            found.append(
                Problem(
                    "cap",
                    _(
                        "%(scheme)s: at most %(percent)s %% of %(basis)s (%(limit)s) may go to %(what)s; %(capped)s is "
                        "recommended."
                    )
                    % {
                        "scheme": total.scheme,
                        "percent": cap.percent,
                        "basis": _("the frame") if total.frame is not None else _("what is recommended"),
                        "limit": kroner(basis * cap.percent // 100),
                        "what": ", ".join(str(Use(u).label) for u in cap.uses if u in Use.values),
                        "capped": kroner(capped),
                    },
                )
            )
    return found


def _co_financing(
    recommended_in: dict[tuple[int, int], int],
    schemes: dict[int, Any],
    report_scheme_model: Any,
    lines: list[RecommendationLine],
    hidden: frozenset[int],
) -> list[Problem]:
    """Per report and scheme with co-financing: what the owner must co-finance for the recommended grant."""
    wanted = {
        (r, s) for (r, s), amount in recommended_in.items() if amount and schemes[s].required_co_financing(amount)
    }
    if not wanted:
        return []
    declared = {
        (rs.report_id, rs.scheme_id): rs.co_financing_amount
        for rs in report_scheme_model.objects.filter(
            report_id__in={r for r, _s in wanted}, scheme_id__in={s for _r, s in wanted}
        )
    }
    partnerships = {line.measure.report_id: line.measure.report.partnership.name for line in lines}
    found = []
    for report_id, scheme_id in sorted(wanted):
        scheme = schemes[scheme_id]
        required = scheme.required_co_financing(recommended_in[(report_id, scheme_id)])
        have = declared.get((report_id, scheme_id))
        if have is not None and have >= required:
            continue
        who = _("a partnership you are disqualified from") if report_id in hidden else partnerships[report_id]
        found.append(
            Problem(
                "co_financing",
                _(
                    "%(partnership)s, %(scheme)s: the owner must co-finance %(required)s (%(percent)s %% of the "
                    "recommended grant) but declared %(declared)s."
                )
                % {
                    "partnership": who,
                    "scheme": scheme.short_name,
                    "required": kroner(required),
                    "percent": scheme.co_financing_percent,
                    "declared": kroner(have) if have is not None else _("nothing"),
                },
                blocks=False,
            )
        )
    return found
