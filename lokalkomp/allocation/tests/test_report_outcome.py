"""The outcome on a needs report's page: nothing of the recommendation before the decisions, then per measure
what was asked and granted (owner, UH), the forum's justification and the decisions (issue 12)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.templatetags.nor import format_kroner
from lokalkomp.testing import add_contact, complete, make_measure, make_partnership, make_report, make_user

from ..actions import decide_round
from ..models import Decision, DecisionLine, Recommendation
from .assess_helpers import submit
from .steps_helpers import StepRound, make_step_round, set_amounts, take, text

pytestmark = pytest.mark.cast(year=2024)

CUT = "Forumet prioriterer lesing, og kutter UH-delen."
NONE = "Ikke prioritert i år."


@dataclass
class Round:
    steps: StepRound
    reading: Measure  # the cast's report: 100 000 + 50 000 asked, 83 000 + 31 500 recommended
    counting: Measure  # the cast's report: 60 000 + 20 000 asked, nothing recommended
    big: NeedsReport  # another partnership's report of eight measures, as asked
    big_owner: Any  # its owner's contact person

    @property
    def round(self) -> Any:
        return self.steps.round


def decide(r: Round) -> list[Decision]:
    take(r.steps, Recommendation.Status.PRELIMINARY)
    take(r.steps, Recommendation.Status.FINAL)
    return decide_round(round=r.round, by=r.steps.cast.governor)


@pytest.fixture
def r(cast) -> Round:
    reading = complete(cast.report)
    counting = make_measure(cast.report, 60_000, 20_000, name="Regning i skolen", purpose="implementation")
    submit(cast.report)
    big = make_report(cast.round, make_partnership(cast.office, cast.network))
    many = [make_measure(big, 10_000 + n, 5_000, name=f"Stort tiltak {n}") for n in range(8)]
    submit(big)
    big_owner = make_user("stor@outcome.test")
    add_contact(big, big_owner, "owner")
    steps = make_step_round(cast)  # the main recommendation now has a line for every submitted measure
    set_amounts(steps.recommendation, reading, 83_000, 31_500, reason=CUT)
    set_amounts(steps.recommendation, counting, 0, 0, reason=NONE)
    for measure in many:
        set_amounts(steps.recommendation, measure, measure.owner_amount, measure.partner_amount)
    return Round(steps, reading, counting, big, big_owner)


def page(client: Any, user: Any, report: NeedsReport) -> Any:
    client.force_login(user)
    return client.get(reverse("needs:report", args=[report.pk]))


def granted(response: Any) -> dict[int, tuple[int, int]]:
    """The outcome table's granted amounts per measure, as the page states them (its data attributes)."""
    rows = re.findall(
        r'<tr id="outcome-([0-9]+)" data-granted-owner="([0-9]+)" data-granted-partner="([0-9]+)"',
        response.content.decode(),
    )
    return {int(pk): (int(owner), int(partner)) for pk, owner, partner in rows}


def decided_amounts(measure: Measure) -> tuple[int, int]:
    lines = DecisionLine.objects.filter(measure=measure, decision__kind=Decision.Kind.ORDINARY)
    owner = sum(line.amount for line in lines.filter(decision__side="owner"))
    partner = sum(line.amount for line in lines.filter(decision__side="partner"))
    return owner, partner


def kr(amount: int) -> str:
    return format_kroner(amount).replace("\xa0", " ")


def test_before_the_decisions_the_owner_sees_nothing_of_the_recommendation_not_even_the_final_numbers(client, cast, r):
    take(r.steps, Recommendation.Status.PRELIMINARY)
    preliminary = text(page(client, cast.owner_contact, cast.report))
    take(r.steps, Recommendation.Status.FINAL)
    final = page(client, cast.owner_contact, cast.report)
    assert final.status_code == 200
    for body in (preliminary, text(final)):
        assert 'id="outcome"' not in body
        assert CUT not in body and NONE not in body
        assert kr(83_000) not in body and kr(31_500) not in body
    assert final.context["outcome"] is None
    assert not Decision.objects.filter(round=r.round).exists()


def test_after_the_decisions_the_owner_sees_each_measures_granted_amounts_as_the_decision_lines_have_them(
    client, cast, r
):
    decide(r)
    response = page(client, cast.owner_contact, cast.report)
    assert response.status_code == 200
    shown = granted(response)
    assert shown == {r.reading.pk: decided_amounts(r.reading), r.counting.pk: decided_amounts(r.counting)}
    assert shown[r.reading.pk] == (83_000, 31_500) and shown[r.counting.pk] == (0, 0)
    body = text(response)
    assert CUT in body and NONE in body
    assert 'id="outcome-total" data-granted-owner="83000" data-granted-partner="31500"' in response.content.decode()
    with translation.override("nb"):
        assert gettext("Not granted") in body  # the measure with no decision line
        assert gettext("Granted") in body


def test_the_owner_links_its_own_decision_and_its_list_but_not_the_uhs(client, cast, r):
    decide(r)
    mine = Decision.objects.get(round=r.round, side="owner", lines__measure=r.reading)
    uh = Decision.objects.get(round=r.round, side="partner", lines__measure=r.reading)
    response = page(client, cast.owner_contact, cast.report)
    content = response.content.decode()
    mine_url = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, mine.pk])
    uh_url = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, uh.pk])
    assert f'href="{mine_url}"' in content and uh.number in content and f'href="{uh_url}"' not in content
    assert f'href="{reverse("allocation:my_decisions")}"' in content
    assert client.get(mine_url).status_code == 200
    assert client.get(uh_url).status_code == 403  # the decision's own rule, which the page follows


def test_the_statsforvalter_and_the_forum_see_the_outcome_and_the_office_links_every_decision(client, cast, r):
    decided = decide(r)
    ours = [d for d in decided if d.lines.filter(measure__report=cast.report).exists()]
    assert len(ours) == 2
    governor = page(client, cast.governor, cast.report)
    assert granted(governor)[r.reading.pk] == (83_000, 31_500)
    for decision in ours:
        url = reverse("allocation:decision", args=[r.round.office.slug, r.round.year, decision.pk])
        assert f'href="{url}"' in governor.content.decode()
    member = page(client, cast.forum_member, cast.report)
    assert member.status_code == 200
    assert granted(member)[r.reading.pk] == (83_000, 31_500)
    assert "/vedtak/" not in member.content.decode().split('id="outcome"')[1].split("</section>")[0]


def test_another_partnership_sees_its_own_outcome_and_not_this_reports(client, cast, r):
    decide(r)
    assert page(client, r.big_owner, cast.report).status_code == 404
    own = page(client, r.big_owner, r.big)
    shown = granted(own)
    assert len(shown) == 8 and r.reading.pk not in shown
    assert all(shown[m.pk] == (m.owner_amount, m.partner_amount) for m in r.big.measures.all())
    assert CUT not in text(own)


def test_pool_and_extra_decisions_change_nothing_on_the_page(client, cast, r):
    from .payment_helpers import pool_decision

    decide(r)
    before = granted(page(client, cast.owner_contact, cast.report))
    pool_decision(r.round, amount=70_000)
    assert granted(page(client, cast.owner_contact, cast.report)) == before


def test_a_report_sent_back_and_never_submitted_again_shows_its_measures_not_granted(client, cast):
    reading = complete(cast.report)
    submit(cast.report)
    NeedsReport.objects.get(pk=cast.report.pk).reopen(by=cast.coordinator, comment="Rett opp.")
    steps = make_step_round(cast)
    take(steps, Recommendation.Status.PRELIMINARY)
    take(steps, Recommendation.Status.FINAL)
    decide_round(round=steps.round, by=cast.governor)
    assert not DecisionLine.objects.filter(measure__report=cast.report).exists()
    page(client, cast.owner_contact, cast.report)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("needs:report", args=[cast.report.pk]))
    assert response.status_code == 200
    assert len(queries) <= 15, len(queries)  # the draft's page, its live rows read, and the outcome's one query
    assert granted(response) == {reading.pk: (0, 0)}
    assert 'id="outcome-total" data-granted-owner="0" data-granted-partner="0"' in response.content.decode()
    with translation.override("nb"):
        assert gettext("Not granted") in text(response)


@pytest.mark.parametrize("who", ["owner_contact", "governor"])
def test_the_decided_report_page_takes_at_most_15_queries_for_2_measures_or_8(client, cast, r, who):
    decide(r)
    counts = []
    for user, report in (
        (getattr(cast, who), cast.report),
        (cast.governor if who == "governor" else r.big_owner, r.big),
    ):
        client.force_login(user)
        url = reverse("needs:report", args=[report.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 15, counts
