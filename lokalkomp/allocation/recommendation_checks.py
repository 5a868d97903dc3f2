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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from lokalkomp.templatetags.nor import format_kroner as kroner

if TYPE_CHECKING:
    from .models.recommendation import Recommendation, RecommendationLine

__all__ = ["Checks", "FrameTotal", "LineFacts", "Problem", "blocking_problems", "check", "facts_from", "facts_of"]


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


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What the rules read of a line and its measure: a row of `facts_of` (no models), or `LineFacts.of(line)`."""

    pk: int
    owner_amount: int | None
    partner_amount: int | None
    reason: str
    scheme_id: int
    purpose: str
    asked_owner: int
    asked_partner: int
    measure: str
    report_id: int
    submitted: bool
    partnership_id: int
    partnership: str
    network_id: int | None

    @classmethod
    def of(cls, line: RecommendationLine) -> LineFacts:
        """From a line with its measure's report and partnership loaded."""
        from lokalkomp.needs.models import NeedsReport

        measure = line.measure
        report = measure.report
        return cls(
            line.pk,
            line.owner_amount,
            line.partner_amount,
            line.reason,
            measure.scheme_id,
            measure.purpose,
            measure.owner_amount,
            measure.partner_amount,
            measure.name,
            measure.report_id,
            report.status == NeedsReport.Status.SUBMITTED,
            report.partnership_id,
            report.partnership.name,
            report.partnership.network_id,
        )

    @property
    def total(self) -> int:
        return (self.owner_amount or 0) + (self.partner_amount or 0)

    @property
    def asked(self) -> int:
        return self.asked_owner + self.asked_partner

    @property
    def is_decided(self) -> bool:
        return self.owner_amount is not None and self.partner_amount is not None

    @property
    def differs_from_asked(self) -> bool:
        return self.is_decided and (self.owner_amount, self.partner_amount) != (self.asked_owner, self.asked_partner)


FACT_FIELDS = (
    "pk",
    "owner_amount",
    "partner_amount",
    "reason",
    "measure__scheme_id",
    "measure__purpose",
    "measure__owner_amount",
    "measure__partner_amount",
    "measure__name",
    "measure__report_id",
    "measure__report__status",
    "measure__report__partnership_id",
    "measure__report__partnership__name",
    "measure__report__partnership__network_id",
)


def facts_of(recommendation: Recommendation) -> list[LineFacts]:
    """Every line's facts in one query of plain values (what the totals and the checks need, no models)."""
    return [facts_from(row) for row in recommendation.lines.order_by("measure_id").values_list(*FACT_FIELDS)]


def facts_from(row: Sequence[Any]) -> LineFacts:
    """The facts of a row of `values_list(*FACT_FIELDS)` (the fields after them, if any, are left out)."""
    from lokalkomp.needs.models import NeedsReport

    pk, owner, partner, reason, scheme, purpose, asked_owner, asked_partner, measure, report, status = row[:11]
    partnership_id, partnership, network_id = row[11 : len(FACT_FIELDS)]
    submitted = status == NeedsReport.Status.SUBMITTED
    return LineFacts(
        pk, owner, partner, reason, scheme, purpose, asked_owner, asked_partner, measure, report, submitted,
        partnership_id, partnership, network_id,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cap:
    scheme_id: int
    percent: int
    uses: list[str]


def _frames_and_caps(round: Any, line_schemes: set[int]) -> tuple[Any, dict[int, Any], list[Cap]]:
    """The round's frames, the schemes and their caps: one query for the round's schemes with their keys and caps,
    and, only when a key divides a frame, `frames_of`'s one for the networks and their counts."""
    from django.db.models import F

    from lokalkomp.schemes.budgets import Frame, RoundFrames, frames_of
    from lokalkomp.schemes.models import Scheme

    round_schemes: dict[int, Any] = {}
    caps: list[Cap] = []
    rows = round.round_schemes.select_related("scheme", "distribution_key").annotate(
        cap_pk=F("scheme__caps__pk"), cap_percent=F("scheme__caps__percent"), cap_uses=F("scheme__caps__uses")
    )
    for rs in rows.order_by("scheme__valid_from", "scheme__code", "pk", "cap_pk"):
        round_schemes.setdefault(rs.pk, rs)
        if rs.cap_pk is not None:
            caps.append(Cap(rs.scheme_id, rs.cap_percent, rs.cap_uses or []))
    listed = list(round_schemes.values())
    if any(getattr(rs, "distribution_key", None) is not None for rs in listed):
        frames = frames_of(round, round_schemes=listed)
    else:
        frames = RoundFrames(frames=[Frame(round_scheme=rs, key=None, division=None) for rs in listed])
    schemes = {rs.scheme_id: rs.scheme for rs in listed}
    missing = line_schemes - set(schemes)
    if missing:  # measures of a scheme the round does not run (rare): read apart
        for scheme in Scheme.objects.filter(pk__in=missing).prefetch_related("caps"):
            schemes[scheme.pk] = scheme
            caps.extend(Cap(scheme.pk, cap.percent, cap.uses or []) for cap in scheme.caps.all())
    return frames, schemes, caps


def blocking_problems(recommendation: Recommendation) -> list[str]:
    """What blocks the final step, in the user's language (empty: it may be final)."""
    return [p.message for p in check(recommendation).blocking]


def check(
    recommendation: Recommendation,
    lines: Sequence[RecommendationLine | LineFacts] | None = None,
    *,
    hidden: frozenset[int] = frozenset(),
) -> Checks:
    """The totals and the problems of the recommendation's lines (`lines`: all of them, as `LineFacts` or as lines
    with their measure's report and partnership loaded; read when not given). `hidden`: reports whose measures
    the person may not see (habilitet): they count in the totals, and their problems do not name them."""
    from lokalkomp.needs.models import NeedsReportScheme
    from lokalkomp.schemes.models import Use

    facts = facts_of(recommendation) if lines is None else [_facts(line) for line in lines]
    round = recommendation.round
    is_main = recommendation.kind == recommendation.Kind.MAIN
    frames, schemes, caps = _frames_and_caps(round, {line.scheme_id for line in facts})
    checks = Checks()
    by_scheme: dict[int, FrameTotal] = {}
    by_share: dict[tuple[int, int], FrameTotal] = {}
    for frame in frames:
        scheme = frame.scheme
        by_scheme[scheme.pk] = FrameTotal(scheme.pk, scheme.short_name or scheme.name, None, "", frame.amount)
        if frame.division is not None:
            for network, _count in frame.counts:
                share = frame.share_of(network)
                by_share[(scheme.pk, network.pk)] = FrameTotal(
                    scheme.pk, scheme.short_name or scheme.name, network.pk, network.name, share
                )

    def name_of(line: LineFacts) -> str:
        if line.report_id in hidden:
            return _("a measure you are disqualified from")
        return f"«{line.measure}» ({line.partnership})"

    recommended_in: dict[tuple[int, int], int] = defaultdict(int)  # (report, scheme) → kr
    for line in facts:
        scheme = schemes[line.scheme_id]
        total = by_scheme.get(scheme.pk)
        if total is None:
            total = by_scheme[scheme.pk] = FrameTotal(scheme.pk, scheme.short_name or scheme.name, None, "", None)
        owner, partner, asked = line.owner_amount or 0, line.partner_amount or 0, line.asked
        total.owner += owner
        total.partner += partner
        total.asked += asked
        share_total = by_share.get((scheme.pk, line.network_id)) if line.network_id is not None else None
        if share_total is not None:
            share_total.owner += owner
            share_total.partner += partner
            share_total.asked += asked
        recommended_in[(line.report_id, scheme.pk)] += owner + partner
        if not line.submitted:
            name = name_of(line)
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
                    % {"measure": name_of(line)},
                    line_pk=line.pk,
                )
            )
        elif line.differs_from_asked and not line.reason.strip():
            checks.problems.append(
                Problem(
                    "justification",
                    _("%(measure)s: the recommended amount differs from what was asked, so it needs a justification.")
                    % {"measure": name_of(line)},
                    blocks=is_main,
                    line_pk=line.pk,
                )
            )
        if line.purpose and line.total and not scheme.allows_use(line.purpose):
            use = Use(line.purpose).label if line.purpose in Use.values else line.purpose
            checks.problems.append(
                Problem(
                    "use",
                    _("%(measure)s: %(use)s is not an allowed use in %(scheme)s.")
                    % {"measure": name_of(line), "use": use, "scheme": scheme.short_name},
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
    checks.problems.extend(_caps(facts, by_scheme, caps))
    checks.problems.extend(_co_financing(recommended_in, schemes, NeedsReportScheme, facts, hidden))
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


def _facts(line: RecommendationLine | LineFacts) -> LineFacts:
    return line if isinstance(line, LineFacts) else LineFacts.of(line)


def _caps(lines: list[LineFacts], by_scheme: dict[int, FrameTotal], caps: list[Cap]) -> list[Problem]:
    from lokalkomp.schemes.models import Use

    found = []
    for cap in caps:
        total = by_scheme.get(cap.scheme_id)
        if total is None:
            continue
        capped = sum(line.total for line in lines if line.scheme_id == cap.scheme_id and line.purpose in cap.uses)
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
    lines: list[LineFacts],
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
    partnerships = {line.report_id: line.partnership for line in lines}
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
