"""Builders for the tests of the fill by priority and the what-ifs: submitted measures in networks, their
networks' order, frames and keys, the round's main recommendation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lokalkomp.needs.models import Measure
from lokalkomp.schemes.models import DistributionKey, Scheme
from lokalkomp.testing import make_measure, make_partnership, make_report

from ..models import Compilation, CompilationEntry, Recommendation, RecommendationLine
from .assess_helpers import submit


def first_scheme(round: Any) -> Scheme:
    return round.schemes.order_by("pk").first()


def submitted(round: Any, network: Any, name: str, owner: int, partner: int, scheme: Scheme | None = None) -> Measure:
    """A new partnership's submitted report in the round with one measure of `scheme` (the round's first)."""
    report = make_report(round, make_partnership(round.office, network))
    measure = make_measure(report, owner, partner, scheme=scheme or first_scheme(round), name=name)
    submit(report)
    return Measure.objects.select_related("report__partnership", "scheme").get(pk=measure.pk)


def in_order(round: Any, network: Any, measures: list[Measure]) -> Compilation:
    """The network's compilation of the round with the measures in this order (1 first)."""
    compilation = Compilation.of(round, network)
    compilation.sync()
    for n, measure in enumerate(measures, start=1):
        CompilationEntry.objects.filter(compilation=compilation, measure=measure).update(position=n)
    return compilation


def not_recommended(round: Any, network: Any, measure: Measure) -> None:
    compilation = Compilation.of(round, network)
    compilation.sync()
    CompilationEntry.objects.filter(compilation=compilation, measure=measure).update(
        recommended=False, reason="Ikke i tråd med planen"
    )


def frame(round: Any, amount: int | None, scheme: Scheme | None = None) -> Any:
    round_scheme = round.round_schemes.get(scheme=scheme or first_scheme(round))
    round_scheme.set_frame(amount, by=None)
    return round_scheme


def divide(round: Any, counts: dict[Any, int], scheme: Scheme | None = None, base_amount: int = 0) -> DistributionKey:
    """A key dividing the scheme's frame between the networks by these counts."""
    round_scheme = round.round_schemes.get(scheme=scheme or first_scheme(round))
    key = DistributionKey.put(round_scheme, basis="staff", base_amount=base_amount, by=None)
    key.set_counts({network.pk: count for network, count in counts.items()}, by=None)
    return key


def main_of(round: Any) -> Recommendation:
    return Recommendation.main_of(round)


def line(recommendation: Recommendation, measure: Measure) -> RecommendationLine:
    return recommendation.lines.select_related("measure").get(measure=measure)


def amounts(recommendation: Recommendation, measure: Measure) -> tuple[int | None, int | None]:
    found = line(recommendation, measure)
    return found.owner_amount, found.partner_amount


def url(name: str, round: Any, *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
