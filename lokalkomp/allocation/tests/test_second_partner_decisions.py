"""«Partner 2» in the decisions: its share of the recommended UH amount, as a decision of its own, paid to the
account its record took from the register (seed 002: «Midler tildeles ut fra prioritering i samarbeidsforum»)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lokalkomp.directory.models import Organisation
from lokalkomp.needs.models import Measure
from lokalkomp.needs.records.record import RecordedMeasure, ReportRecord
from lokalkomp.testing import make_measure, make_organisation, make_partnership, make_report

from ..actions import decide_round, second_partner_share
from ..models import Decision, DecisionLine
from ..models.payment import Payment
from ..reconciliation import reconcile
from .assess_helpers import submit
from .steps_helpers import as_asked, make_step_round, set_amounts, take

pytestmark = pytest.mark.cast(year=2024)
ACCOUNT = "15032080119"


@pytest.fixture
def ntnu():
    return make_organisation(Organisation.Kind.UNIVERSITY, name="NTNU", org_number="974767880", account_number=ACCOUNT)


def submitted_with_partner_2(cast, owner, partner, second, amount, name):
    report = make_report(cast.round, make_partnership(cast.round.office, cast.network))
    scheme = cast.round.schemes.order_by("pk").first()
    measure = make_measure(
        report, owner, partner, scheme=scheme, name=name, second_partner=second, second_partner_amount=amount
    )
    submit(report)
    return Measure.objects.select_related("report__partnership", "scheme").get(pk=measure.pk)


@pytest.fixture
def r(cast, ntnu):
    """The steps' round (two measures as asked) with «Regning», 50 000 + 90 000 of which 30 000 to NTNU, and
    «Uten konto», whose partner 2 has no account number, recommended 0 until a test recommends it as asked."""
    c = submitted_with_partner_2(cast, 50_000, 90_000, ntnu, 30_000, "Regning")
    nameless = make_organisation(Organisation.Kind.UNIVERSITY, name="UiT")
    d = submitted_with_partner_2(cast, 0, 10_000, nameless, 5_000, "Uten konto")
    step_round = make_step_round(cast)
    step_round.c, step_round.d = c, d
    set_amounts(step_round.recommendation, d, 0, 0, reason="Ikke prioritert")
    return step_round


def decide(r):
    take(r, "preliminary")
    take(r, "final")
    return decide_round(round=r.round, by=r.cast.governor)


def line(r, organisation_id, measure):
    return DecisionLine.objects.get(decision__round=r.round, decision__recipient_id=organisation_id, measure=measure)


def test_as_asked_partner_2_gets_its_part_and_the_reports_uh_the_rest(r, ntnu):
    as_asked(r.recommendation, r.c)
    decide(r)
    own_uh = r.c.report.partnership.participants.get(side="partner", is_lead=True).organisation_id
    assert line(r, ntnu.pk, r.c).amount == 30_000
    assert line(r, own_uh, r.c).amount == 60_000
    decision = Decision.objects.get(round=r.round, recipient=ntnu)
    assert (decision.side, decision.account_number, decision.org_number) == ("partner", ACCOUNT, "974767880")
    assert Payment.objects.get(decision=decision).amount == 30_000


def test_a_lower_uh_amount_is_shared_in_the_same_proportion_to_the_krone(r, ntnu):
    set_amounts(r.recommendation, r.c, 50_000, 45_001, reason="Forumet kutter UH-delen")
    decide(r)
    own_uh = r.c.report.partnership.participants.get(side="partner", is_lead=True).organisation_id
    second, first = line(r, ntnu.pk, r.c).amount, line(r, own_uh, r.c).amount
    assert second == 15_000  # 45 001 × 30 000 / 90 000 = 15 000.33, to the krone
    assert first + second == 45_001


def test_the_decisions_reconcile_with_the_recommendation_with_a_partner_2(r):
    as_asked(r.recommendation, r.c)
    decide(r)
    result = reconcile(r.round)
    assert result.ok, result.differences
    assert result.ordinary == 200_000 + 100_000 + 80_000 + 40_000 + 50_000 + 90_000


def test_partner_2s_account_is_the_one_recorded_at_submission(r, ntnu):
    as_asked(r.recommendation, r.c)
    Organisation.objects.filter(pk=ntnu.pk).update(account_number="86011117947")
    decide(r)
    assert Decision.objects.get(round=r.round, recipient=ntnu).account_number == ACCOUNT


def test_deciding_is_refused_when_partner_2_had_no_account_on_record(r):
    as_asked(r.recommendation, r.c)
    as_asked(r.recommendation, r.d)
    with pytest.raises(ValidationError, match="UiT"):
        decide(r)
    assert not Decision.objects.filter(round=r.round).exists()


@pytest.mark.parametrize(
    ("asked", "part", "recommended", "share"),
    [(90_000, 30_000, 90_000, 30_000), (90_000, 30_000, 0, 0), (90_000, 90_000, 10, 10), (3, 1, 2, 1), (0, 0, 5, 0)],
)
def test_partner_2s_share_is_proportional_and_never_more_than_the_uh_amount(asked, part, recommended, share):
    record = ReportRecord.from_data(
        {
            "measures": [
                {
                    "id": 1,
                    "partner_amount": asked,
                    "second_partner": {"organisation_id": 7, "organisation": "NTNU"},
                    "second_partner_amount": part,
                }
            ]
        }
    )
    measure: RecordedMeasure = record.measures[0]
    assert second_partner_share(measure, recommended) == share
    assert 0 <= second_partner_share(measure, recommended) <= recommended
