"""A round ready for the forum's recommendation workspace (innstilling), for the workspace's tests and others'.

`make_recommendation_round(cast, count=4)` makes `count` submitted measures (one report each) of the
round's first scheme, alternating between the cast's network and a second one, each network's
compilation ordering its measures by number, one shared assessment (by `member`) of each measure
when `assessed`, a frame for the first scheme, and the people:

    member        the cast's forum member (declared)
    deputy        a forum deputy (declared)
    secretariat   the cast's governor (case officer)
    disqualified  a forum member who works for the first measure's owner (habilitet)
    outsider      the cast's outsider (no role in the office)

Measure n (from 0) asks 100 000 + n·1 000 kr for the owner and 50 000 kr for the UH. The main
recommendation is made (`Recommendation.main_of`) with every line undecided.
Use a 2024 cast (`pytest.mark.cast(year=2024)`): that year's first scheme is rekomp (caps), and
dekomp (co-financing) is among the schemes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import Measure
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import make_measure, make_network, make_partnership, make_report

from ..models import Compilation, CompilationEntry, Recommendation, RecommendationLine
from .assess_helpers import make_assessor, owner_of, submit


@dataclass
class RecommendationRound:
    cast: Any
    round: Any
    recommendation: Recommendation
    measures: list[Measure]
    networks: list[Network]
    member: Any
    deputy: Any
    secretariat: Any
    disqualified: Any
    outsider: Any
    scheme: Scheme
    people: dict[str, Any] = field(default_factory=dict)

    def line(self, measure: Measure, recommendation: Recommendation | None = None) -> RecommendationLine:
        return (recommendation or self.recommendation).lines.select_related("measure__scheme").get(measure=measure)


def submitted(round: Any, network: Any, name: str, owner: int, partner: int, scheme: Scheme, **values: Any) -> Measure:
    """A new partnership's submitted report in the round with one measure."""
    report = make_report(round, make_partnership(round.office, network))
    measure = make_measure(report, owner, partner, scheme=scheme, name=name, **values)
    submit(report)
    return Measure.objects.select_related("report__partnership__network", "scheme").get(pk=measure.pk)


def make_recommendation_round(
    cast: Any,
    *,
    count: int = 4,
    frame: int | None = 1_000_000,
    assessed: bool = True,
    scheme: Scheme | None = None,
) -> RecommendationRound:
    round = cast.round
    scheme = scheme or round.schemes.order_by("pk").first()
    networks = [cast.network, make_network(cast.office)]
    measures = [
        submitted(
            round, networks[n % 2], f"Tiltak {n + 1}", 100_000 + n * 1_000, 50_000, scheme, purpose="implementation"
        )
        for n in range(count)
    ]
    for network in networks:
        compilation = Compilation.of(round, network)
        compilation.sync()
        mine = [m for m in measures if m.report.partnership.network_id == network.pk]
        for position, measure in enumerate(mine, start=1):
            CompilationEntry.objects.filter(compilation=compilation, measure=measure).update(position=position)
    if frame is not None:
        round.round_schemes.get(scheme=scheme).set_frame(frame, by=None)
    member = cast.forum_member
    deputy = make_assessor(round, role=Role.FORUM_DEPUTY, email="deputy@recommend.test")
    disqualified = make_assessor(round, email="disqualified@recommend.test")
    if measures:
        Membership.objects.create(user=disqualified, role=Role.OWNER_CONTACT, organisation=owner_of(measures[0]))
    if assessed:
        from .overview_helpers import assess

        for measure in measures:
            assess(measure, member, "prioritise", "met")
    recommendation = Recommendation.main_of(round, by=None)
    people = {
        "member": member,
        "deputy": deputy,
        "secretariat": cast.governor,
        "disqualified": disqualified,
        "outsider": cast.outsider,
    }
    return RecommendationRound(
        cast=cast,
        round=round,
        recommendation=recommendation,
        measures=measures,
        networks=networks,
        scheme=scheme,
        people=people,
        **people,
    )


def url(round: Any, name: str = "recommendation", *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])


def set_as_asked(recommendation: Recommendation, measure: Measure, *, by: Any = None) -> RecommendationLine:
    line = recommendation.lines.select_related("measure").get(measure=measure)
    line.set(measure.owner_amount, measure.partner_amount, base=line.version, by=by)
    return line
