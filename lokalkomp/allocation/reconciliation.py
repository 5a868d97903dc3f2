"""Reconciliation (avstemming) of a round, to the krone: recommendation, frames, decisions and payments.

`reconcile(round)` checks, in a handful of queries:

- the ordinary decisions sum to the final recommendation, per measure and side and in total;
- the final recommendation is within every frame, per scheme and per network's share, as the
  version recorded them;
- each recipient's payments equal its decisions, and every decision has its payment;
- the pool's decisions are within the pool's frame line, and the extra allocation's within what the
  ordinary decisions left of a frame plus the new money (both per scheme): they are counted apart.

It returns a `Reconciliation` whose `differences` is empty when everything reconciles. A round with
no ordinary decisions yet checks only the recommendation's frames, and says so (`decided`).
`reconcile_every_round` does it for every decided round; `granted_per_year` is what the decisions
granted per year (seed 004's statistic «Tildelte midler»), read from the decisions alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from lokalkomp.needs.models import Measure
from lokalkomp.schemes.models import Round
from lokalkomp.templatetags.nor import format_kroner

from .models import Recommendation, RecommendationVersion
from .models.decision import Decision, DecisionLine
from .models.frame_line import FrameLine
from .models.payment import Payment
from .recommendation_record import RecordedLine, lines_of

ORDINARY, POOL, EXTRA = "ordinary", "pool", "extra"
SIDES = ("owner", "partner")


@dataclass(frozen=True)
class Difference:
    """One thing that does not reconcile: what, the amount it should be (or its limit) and the amount it is."""

    check: str  # recommendation, frame, network, payment, pool, extra
    what: str
    expected: int
    actual: int
    message: str

    @property
    def delta(self) -> int:
        return self.actual - self.expected


@dataclass
class Reconciliation:
    final: bool = False  # a final recommendation exists
    decided: bool = False  # ordinary decisions exist
    recommended: int = 0
    ordinary: int = 0
    pool: int = 0
    extra: int = 0
    payments: int = 0
    paid: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def decisions(self) -> int:
        return self.ordinary + self.pool + self.extra

    def of(self, check: str) -> list[Difference]:
        return [d for d in self.differences if d.check == check]


def final_version(round: Round) -> RecommendationVersion | None:
    """The version the ordinary decisions were made from, else the main recommendation's latest final one."""
    used = (
        Decision.objects.filter(round=round, kind=ORDINARY, recommendation_version__isnull=False)
        .values_list("recommendation_version_id", flat=True)
        .first()
    )
    versions = RecommendationVersion.objects.filter(recommendation__round=round)
    if used is not None:
        return versions.filter(pk=used).first()
    main = versions.filter(recommendation__kind=Recommendation.Kind.MAIN, status=Recommendation.Status.FINAL)
    return main.order_by("-number").first()


def reconcile(round: Round) -> Reconciliation:
    result = Reconciliation()
    version = final_version(round)
    recorded = lines_of(version) if version is not None else []
    result.final = version is not None
    result.recommended = sum(line.total for line in recorded)
    if version is not None:
        result.differences += frame_differences(version.data.get("frames", []), recorded)
    decided = _decided(round)
    for kind in (ORDINARY, POOL, EXTRA):
        setattr(result, kind, sum(s for (k, *_rest), s in decided.items() if k == kind))
    result.decided = any(k == ORDINARY for (k, *_rest) in decided)
    if result.decided:
        result.differences += recommendation_differences(recorded, decided)
    payments = Payment.objects.in_round(round)
    result.payments = payments.total()
    result.paid = payments.paid().total()
    result.differences += payment_differences(round)
    result.differences += pool_and_extra_differences(round, decided)
    return result


def reconcile_every_round(*, office: Any = None) -> dict[Round, Reconciliation]:
    """`reconcile` for every round with ordinary decisions (the office's, or every office's), oldest first."""
    rounds = Round.objects.filter(decisions__kind=ORDINARY).distinct().select_related("office")
    if office is not None:
        rounds = rounds.filter(office=office)
    return {round: reconcile(round) for round in rounds.order_by("year", "office__slug")}


def granted_per_year(office: Any, *, network: Any = None) -> dict[int, int]:
    """What the office's decisions granted per round year, every kind (ordinary, pool, extra), in one query.

    With `network`, only the lines of the measures of that network's partnerships (a pool's decision,
    which has no measure, belongs to no network). Years without a decision are left out.
    """
    lines = DecisionLine.objects.filter(decision__round__office=office)
    if network is not None:
        lines = lines.filter(measure__report__partnership__network=network)
    rows = lines.values_list("decision__round__year").annotate(s=Sum("amount")).order_by("decision__round__year")
    return {year: int(s or 0) for year, s in rows}


def _decided(round: Round) -> dict[tuple[str, str, int | None, int], int]:
    """Σ decided by (kind, side, measure, scheme), one query."""
    rows = (
        DecisionLine.objects.filter(decision__round=round)
        .values_list("decision__kind", "decision__side", "measure_id", "scheme_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {(kind, side, measure, scheme): int(s or 0) for kind, side, measure, scheme, s in rows}


def _kr(amount: int) -> str:
    return format_kroner(amount)


def recommendation_differences(
    recorded: list[RecordedLine], decided: dict[tuple[str, str, int | None, int], int]
) -> list[Difference]:
    """The ordinary decisions against the final recommendation: per measure and side, and in total."""
    ordinary: dict[tuple[int | None, str], int] = defaultdict(int)
    for (kind, side, measure, _scheme), amount in decided.items():
        if kind == ORDINARY:
            ordinary[(measure, side)] += amount
    expected: dict[tuple[int | None, str], int] = {}
    names: dict[int | None, str] = {}
    for line in recorded:
        expected[(line.measure, "owner")] = expected.get((line.measure, "owner"), 0) + line.owner_amount
        expected[(line.measure, "partner")] = expected.get((line.measure, "partner"), 0) + line.partner_amount
        names[line.measure] = line.name
    unknown = [m for m, _side in ordinary if m not in names and m is not None]
    names |= dict(Measure.objects.filter(pk__in=unknown).values_list("pk", "name"))
    side_label = {"owner": _("owner"), "partner": _("UH")}
    differences = []
    for key in sorted(set(expected) | set(ordinary), key=lambda k: (str(names.get(k[0], "")), k[0] or 0, k[1])):
        want, have = expected.get(key, 0), ordinary.get(key, 0)
        if want != have:
            measure, side = key
            what = f"{names.get(measure) or _('No measure')} ({side_label.get(side, side)})"
            differences.append(
                Difference(
                    "recommendation",
                    what,
                    want,
                    have,
                    _("%(what)s: recommended %(want)s, decided %(have)s.")
                    % {"what": what, "want": _kr(want), "have": _kr(have)},
                )
            )
    want, have = sum(expected.values()), sum(ordinary.values())
    if want != have:
        differences.append(
            Difference(
                "recommendation",
                _("In total"),
                want,
                have,
                _("In total: recommended %(want)s, decided %(have)s.") % {"want": _kr(want), "have": _kr(have)},
            )
        )
    return differences


def frame_differences(frames: list[dict[str, Any]], recorded: list[RecordedLine]) -> list[Difference]:
    """The recommendation over a frame (per scheme) or over a network's share of it, as the version recorded them."""
    per_scheme: dict[str, int] = defaultdict(int)
    per_network: dict[tuple[str, int | None], int] = defaultdict(int)
    for line in recorded:
        per_scheme[line.scheme_code] += line.total
        per_network[(line.scheme_code, line.network_pk)] += line.total
    differences = []
    for frame in frames:
        code = frame["scheme"]["code"]
        name = frame["scheme"].get("short_name") or code
        limit, used = frame.get("amount"), per_scheme.get(code, 0)
        if used and (limit is None or used > limit):
            differences.append(
                Difference(
                    "frame",
                    name,
                    limit or 0,
                    used,
                    _("%(scheme)s: the recommendation is %(used)s, over the frame of %(limit)s.")
                    % {"scheme": name, "used": _kr(used), "limit": _kr(limit or 0)},
                )
            )
        for share in frame.get("networks") or ():
            used = per_network.get((code, share["pk"]), 0)
            if used > share["amount"]:
                what = f"{name}, {share['name']}"
                differences.append(
                    Difference(
                        "network",
                        what,
                        share["amount"],
                        used,
                        _("%(what)s: the recommendation is %(used)s, over the network's share of %(limit)s.")
                        % {"what": what, "used": _kr(used), "limit": _kr(share["amount"])},
                    )
                )
    return differences


def payment_differences(round: Round) -> list[Difference]:
    """Each recipient's payments against its decisions, and every decision with its payment (two queries)."""
    decisions = list(
        Decision.objects.filter(round=round)
        .annotate(decided=Sum("lines__amount"))
        .values_list("pk", "number", "recipient_id", "recipient_name", "decided", "payment__amount")
        .order_by("recipient_name", "number")
    )
    decided: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    differences = []
    for _pk, number, recipient, name, total, payment in decisions:
        decided[recipient] += int(total or 0)
        paid[recipient] += int(payment or 0)
        names.setdefault(recipient, name)
        if payment is None:
            differences.append(
                Difference(
                    "payment",
                    number,
                    int(total or 0),
                    0,
                    _("Decision %(number)s (%(name)s) has no payment.") % {"number": number, "name": name},
                )
            )
    for recipient in names:
        if decided[recipient] != paid[recipient]:
            differences.append(
                Difference(
                    "payment",
                    names[recipient],
                    decided[recipient],
                    paid[recipient],
                    _("%(name)s: decided %(want)s, to be paid %(have)s.")
                    % {"name": names[recipient], "want": _kr(decided[recipient]), "have": _kr(paid[recipient])},
                )
            )
    return differences + claim_differences(round, decided, names)


def claim_differences(round: Round, decided: dict[int, int], names: dict[int, str]) -> list[Difference]:
    """A recipient claimed back more than its decisions granted (claims from allocation/claims.py's registry)."""
    from .claims import claims_in

    claimed: dict[int, int] = defaultdict(int)
    for claim in claims_in(round):
        claimed[claim.recipient] += claim.amount
    return [
        Difference(
            "claim",
            names.get(recipient, ""),
            decided.get(recipient, 0),
            amount,
            _("%(name)s: claimed back %(have)s, more than the %(want)s decided.")
            % {"name": names.get(recipient, ""), "want": _kr(decided.get(recipient, 0)), "have": _kr(amount)},
        )
        for recipient, amount in claimed.items()
        if amount > decided.get(recipient, 0)
    ]


def available_for_extra(
    round: Round, decided: dict[tuple[str, str, int | None, int], int] | None = None
) -> dict[int, int]:
    """Per scheme (pk): what the ordinary decisions left of the frame, plus the new money, minus the extra decided."""
    decided = _decided(round) if decided is None else decided
    lines = dict(FrameLine.objects.filter(round=round, kind=FrameLine.Kind.EXTRA).values_list("scheme_id", "amount"))
    left: dict[int, int] = {}
    for rs in round.round_schemes.all():
        spent = sum(s for (kind, _side, _m, scheme), s in decided.items() if scheme == rs.scheme_id and kind != POOL)
        left[rs.scheme_id] = (rs.budget or 0) + lines.get(rs.scheme_id, 0) - spent
    return left


def available_in_pool(
    round: Round, decided: dict[tuple[str, str, int | None, int], int] | None = None
) -> dict[int, int]:
    """Per scheme (pk) with a pool line: the pool's line minus the pool's decisions."""
    decided = _decided(round) if decided is None else decided
    lines = dict(FrameLine.objects.filter(round=round, kind=FrameLine.Kind.POOL).values_list("scheme_id", "amount"))
    spent: dict[int, int] = defaultdict(int)
    for (kind, _side, _m, scheme), s in decided.items():
        if kind == POOL:
            spent[scheme] += s
    return {scheme: lines.get(scheme, 0) - spent.get(scheme, 0) for scheme in set(lines) | set(spent)}


def pool_and_extra_differences(round: Round, decided: dict[tuple[str, str, int | None, int], int]) -> list[Difference]:
    from lokalkomp.schemes.models import Scheme

    has_extra = any(kind == EXTRA for (kind, *_rest) in decided)
    pool, extra = available_in_pool(round, decided), available_for_extra(round, decided) if has_extra else {}
    overs = [("pool", scheme, left) for scheme, left in pool.items() if left < 0]
    overs += [("extra", scheme, left) for scheme, left in extra.items() if left < 0]
    names = dict(Scheme.objects.filter(pk__in=[s for _c, s, _l in overs]).values_list("pk", "short_name"))
    differences = []
    for check, scheme, left in overs:
        name = names.get(scheme, "")
        message = (
            _("%(scheme)s: the pool's decisions are %(over)s over the pool's frame line.")
            if check == "pool"
            else _("%(scheme)s: the extra allocation is %(over)s over what was left of the frame and the new money.")
        )
        differences.append(Difference(check, name, 0, -left, message % {"scheme": name, "over": _kr(-left)}))
    return differences
