"""A hand-made round for the overview's tests: three measures, three assessors, one of them disqualified.

    A «Lesing»     (network N1, partnership P1, 300 000 kr, implementation)
    B «Skriving»   (network N1, partnership P2, 120 000 kr, planning)
    C «Regning»    (network N2, partnership P3,  60 000 kr, another scheme, no purpose)

    anna  (member)  A: prioritise, all met (shared)        B: do not fund, all not met (shared)
    bjørn (member)  A: possible, 3 not met, others partly  B: prioritise, all met (a draft: not shared)
    cato  (member, works for P1's owner: disqualified from A)
                    A: prioritise, all met (shared)         B: prioritise, all met (shared)

No one has assessed C. The secretariat is the cast's governor (case officer). The tests use a 2024 cast
(`pytest.mark.cast(year=2024)`): that year has three schemes, so C's scheme is not A's and B's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.directory.models import Network
from lokalkomp.needs.models import Measure
from lokalkomp.testing import make_measure, make_network, make_partnership, make_report

from .. import criteria
from ..models import Assessment
from .assess_helpers import make_assessor, owner_of, submit


@dataclass
class Round3:
    cast: Any
    a: Measure
    b: Measure
    c: Measure
    anna: Any
    bjorn: Any
    cato: Any
    other_network: Network


def submitted(round: Any, network: Any, name: str, owner: int, partner: int, **values: Any) -> Measure:
    """A new partnership's submitted report in the round with one measure."""
    report = make_report(round, make_partnership(round.office, network))
    measure = make_measure(report, owner, partner, name=name, **values)
    submit(report)
    return Measure.objects.select_related("report__partnership", "scheme").get(pk=measure.pk)


def assess(measure: Measure, who: Any, recommendation: str, scores: dict[int, str] | str, *, share: bool = True) -> Any:
    """The person's assessment of the measure: `scores` one score for every criterion, or by criterion number."""
    the_criteria = criteria.for_scheme(measure.scheme, measure.report.round)
    given = {c.number: scores for c in the_criteria} if isinstance(scores, str) else scores
    assessment, _changed = Assessment.write(
        measure=measure,
        assessor=who,
        version=0,
        recommendation=recommendation,
        comment=f"{who.first_name} om {measure.name}",
        scores={c.pk: (given.get(c.number, ""), f"{who.first_name}: {c.number}") for c in the_criteria},
    )
    if share:
        assessment.share(by=who)
    return assessment


def build_round(cast: Any) -> Round3:
    round = cast.round
    other = make_network(cast.office)
    schemes = list(round.schemes.order_by("pk"))
    a = submitted(round, cast.network, "Lesing", 200_000, 100_000, scheme=schemes[0], purpose="implementation")
    b = submitted(round, cast.network, "Skriving", 80_000, 40_000, scheme=schemes[0], purpose="planning")
    c = submitted(round, other, "Regning", 60_000, 0, scheme=schemes[-1])
    anna = make_assessor(round, email="anna@overview.test")
    bjorn = make_assessor(round, email="bjorn@overview.test")
    cato = make_assessor(round, email="cato@overview.test")
    for person, first in ((anna, "Anna"), (bjorn, "Bjørn"), (cato, "Cato")):
        person.first_name, person.last_name = first, "Vurderer"
        person.save()
    assess(a, anna, "prioritise", "met")
    assess(a, bjorn, "possible", {1: "partly", 2: "partly", 3: "not_met", 4: "partly", 5: "partly"})
    assess(a, cato, "prioritise", "met")
    assess(b, anna, "do_not_fund", "not_met")
    assess(b, bjorn, "prioritise", "met", share=False)
    assess(b, cato, "prioritise", "met")
    # Cato works for A's owner: disqualified from A's partnership (after writing an assessment of it).
    Membership.objects.create(user=cato, role=Role.OWNER_CONTACT, organisation=owner_of(a))
    return Round3(cast=cast, a=a, b=b, c=c, anna=anna, bjorn=bjorn, cato=cato, other_network=other)


def url(round: Any, name: str = "assessment_overview", *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])


def row(page: str, measure: Measure) -> str:
    return page.split(f'id="measure-{measure.pk}"')[1].split("</tr>")[0]


def text(response: Any) -> str:
    return response.content.decode().replace("\xa0", " ")


def in_english(client: Any) -> Any:
    """The client reads the site in English (the language cookie): the tests look for the source strings."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
