"""The follow-up's model side: claims back and their events, the payment list with a claim, the list's counts,
the transfer of unused funds into next year's round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Decision
from lokalkomp.allocation.models.payment import Payment
from lokalkomp.allocation.payment_export import payment_rows, totals
from lokalkomp.allocation.reconciliation import payment_differences
from lokalkomp.reporting.followup import followup_list, transfers_into
from lokalkomp.reporting.funds_testing import decide, decided, fill_in
from lokalkomp.reporting.models import Claim, ClaimEvent, ClaimLine, FundsReport
from lokalkomp.schemes.models import Milestone, Round, Transition
from lokalkomp.testing import add_contact, make_measure, make_network, make_report, make_round, make_user

pytestmark = pytest.mark.django_db


def governor_of(round):
    user = make_user()
    Membership.objects.create(user=user, role=Role.CASE_OFFICER, office=round.office)
    return user


def decisions_of(case):
    return list(Decision.objects.filter(round=case.round).order_by("side"))  # owner, partner


# ── Claims ──


def test_a_claim_has_its_lines_number_and_event():
    case = decided()
    owner, partner = decisions_of(case)
    governor = governor_of(case.round)
    claim = Claim.make(
        case.round, lines=[(owner, 30_000), (partner, 5_000)], reason="Ubrukt", by=governor, report=case.report
    )
    assert claim.number == f"{case.round.year}-{case.round.office.slug.upper()}-K-001"
    assert claim.total == 35_000
    assert sorted(claim.lines.values_list("decision_id", "amount")) == sorted([(owner.pk, 30_000), (partner.pk, 5_000)])
    event = claim.events.get()
    assert (event.kind, event.new, event.actor_id, event.reason) == ("made", "claimed 35000", governor.pk, "Ubrukt")
    second = Claim.make(case.round, lines=[(owner, 1)], reason="Mer", by=governor)
    assert second.number.endswith("-K-002")


def test_no_more_than_granted_less_claimed_can_be_claimed():
    case = decided(amounts=((100_000, 50_000),))
    owner, _partner = decisions_of(case)
    Claim.make(case.round, lines=[(owner, 90_000)], reason="a", by=None)
    with pytest.raises(ValidationError):
        Claim.make(case.round, lines=[(owner, 10_001)], reason="b", by=None)
    Claim.make(case.round, lines=[(owner, 10_000)], reason="c", by=None)
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    "amount,reason",
    [(0, "x"), (-5, "x"), (True, "x"), (10**13, "x"), (1, ""), (1, "   "), (1, "nul\x00"), (1, "x" * 4001)],
)
def test_bad_claims_are_refused_and_nothing_is_saved(amount, reason):
    case = decided()
    owner, _partner = decisions_of(case)
    with pytest.raises(ValidationError):
        Claim.make(case.round, lines=[(owner, amount)], reason=reason, by=None)
    assert not Claim.objects.exists() and not ClaimEvent.objects.exists()


def test_a_decision_of_another_round_or_twice_is_refused():
    case, other = decided(), decided(year=2025)
    owner, _ = decisions_of(case)
    foreign, _ = decisions_of(other)
    with pytest.raises(ValidationError):
        Claim.make(case.round, lines=[(foreign, 1)], reason="x", by=None)
    with pytest.raises(ValidationError):
        Claim.make(case.round, lines=[(owner, 1), (owner, 2)], reason="x", by=None)
    with pytest.raises(ValidationError):
        Claim.make(case.round, lines=[], reason="x", by=None)
    assert not Claim.objects.exists()


def test_repaid_and_withdrawn_are_events_and_lines_are_records():
    case = decided()
    owner, _ = decisions_of(case)
    claim = Claim.make(case.round, lines=[(owner, 1_000)], reason="x", by=None)
    assert claim.mark_repaid(on=dt.date(2024, 9, 1), by=None) is True
    assert claim.mark_repaid(on=dt.date(2024, 9, 1), by=None) is False
    with pytest.raises(ValidationError):
        claim.withdraw(by=None, reason="")
    assert claim.withdraw(by=None, reason="Feil") is True
    assert claim.withdraw(by=None, reason="Feil") is False
    with pytest.raises(ValidationError):
        claim.mark_repaid(on=dt.date(2024, 9, 2), by=None)
    assert list(claim.events.values_list("kind", "old", "new")) == [
        ("made", "", "claimed 1000"),
        ("repaid", "claimed", "repaid 2024-09-01"),
        ("withdrawn", "repaid 2024-09-01", "withdrawn"),
    ]
    line = claim.lines.get()
    with pytest.raises(TypeError):
        line.save()
    with pytest.raises(TypeError):
        ClaimLine.objects.filter(pk=line.pk).update(amount=1)
    with pytest.raises(TypeError):
        claim.events.first().delete()


def test_the_database_refuses_a_line_of_zero():
    case = decided()
    owner, _ = decisions_of(case)
    claim = Claim.make(case.round, lines=[(owner, 1)], reason="x", by=None)
    other = Decision.objects.filter(round=case.round).exclude(pk=owner.pk).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=claim, decision=other, amount=0)


# ── The payment list ──


def test_the_payment_list_shows_a_claim_negative_and_reconciles():
    case = decided(amounts=((100_000, 50_000),))
    owner, partner = decisions_of(case)
    for decision in (owner, partner):
        Payment.open_for(decision, by=None)
    Claim.make(case.round, lines=[(owner, 30_000), (partner, 5_000)], reason="x", by=None)
    rows = payment_rows(case.round)
    claims = [row for row in rows if row.kind == "claim"]
    assert sorted((row.decision_pk, row.amount) for row in claims) == sorted(
        [(owner.pk, -30_000), (partner.pk, -5_000)]
    )
    # each recipient's payments − claims equals its decisions − claimed
    net: dict[int, int] = {}
    for row in rows:
        net[row.decision_pk] = net.get(row.decision_pk, 0) + row.amount
    assert net == {owner.pk: 100_000 - 30_000, partner.pk: 50_000 - 5_000}
    summary = totals(rows)
    assert summary["all"].amount == 150_000 - 35_000
    assert summary["kinds"]["claim"].amount == -35_000 and summary["all"].payments == 2
    assert summary["all"].to_pay == 150_000  # a claim is not a payment to make
    assert payment_differences(case.round) == []


def test_a_withdrawn_claim_leaves_the_payment_list():
    case = decided()
    owner, _ = decisions_of(case)
    claim = Claim.make(case.round, lines=[(owner, 1_000)], reason="x", by=None)
    assert [r.amount for r in payment_rows(case.round) if r.kind == "claim"] == [-1_000]
    claim.withdraw(by=None, reason="Feil")
    assert [r for r in payment_rows(case.round) if r.kind == "claim"] == []


def test_a_claim_over_the_decided_amount_does_not_reconcile():
    case = decided(amounts=((100_000, 50_000),))
    owner, partner = decisions_of(case)
    for decision in (owner, partner):
        Payment.open_for(decision, by=None)
    claim = Claim.make(case.round, lines=[(owner, 100_000)], reason="x", by=None)
    assert payment_differences(case.round) == []
    # a line written past the model (as a broken script would) is caught by the reconciliation
    ClaimLine.objects.create(
        claim=Claim.make(case.round, lines=[(partner, 1)], reason="y", by=None), decision=owner, amount=1
    )
    found = [d for d in payment_differences(case.round) if d.check == "claim"]
    assert [(d.expected, d.actual) for d in found] == [(100_000, 100_001)]
    assert claim.total == 100_000


# ── The follow-up list ──


def _partnership_with_report(round, network, amounts=(50_000, 10_000)):
    needs = make_report(round, partnership=None)
    needs.partnership.network = network
    needs.partnership.save(update_fields=["network"])
    decide(round, [make_measure(needs, *amounts)])
    add_contact(needs, make_user(), "owner")
    return needs.partnership


def test_the_list_counts_due_submitted_missing_and_late_per_network():
    round = make_round(year=2024, schemes=("dekomp",))
    north, south = make_network(round.office), make_network(round.office)
    p = [_partnership_with_report(round, north) for _ in range(3)] + [
        _partnership_with_report(round, south) for _ in range(2)
    ]
    reports = [FundsReport.open_for(partnership=x, round=round) for x in p[:4]]  # p[4] has no report
    for report in reports[:3]:
        fill_in(report.lines.get())
        report.submit(by=None)
    reports[1].accept(by=None)
    reports[2].return_for_more(by=None, comment="Mer")
    before = followup_list(round)
    assert before.counts == {"due": 5, "submitted": 1, "accepted": 1, "returned": 1, "missing": 3, "late": 0}
    Milestone.objects.create(round=round, title="Frist", starts_on=dt.date(2024, 6, 17), governs=Transition.REPORTS_DUE)
    after = followup_list(round, today=dt.date(2024, 6, 18))
    assert after.counts["late"] == 3 and after.deadline == dt.date(2024, 6, 17)
    late = followup_list(round, state="late", today=dt.date(2024, 6, 18))
    assert sorted(r.partnership.pk for g in late.groups for r in g.rows) == sorted([p[2].pk, p[3].pk, p[4].pk])
    assert [g.name for g in late.groups] == sorted([north.name, south.name])
    on_the_day = followup_list(round, state="late", today=dt.date(2024, 6, 17))
    assert on_the_day.counts["late"] == 0 and on_the_day.groups == []
    # seed 004: the next year's cycle holds the deadline for this year's funds, and it comes first
    following = Round.objects.create(office=round.office, year=2025)
    Milestone.objects.create(
        round=following, title="Frist", starts_on=dt.date(2025, 6, 17), governs=Transition.REPORTS_DUE
    )
    assert followup_list(round, today=dt.date(2024, 6, 18)).counts["late"] == 0
    assert followup_list(round, today=dt.date(2025, 6, 18)).deadline == dt.date(2025, 6, 17)
    assert followup_list(round, state="nonsense").state == "due"


# ── Next year's money ──


def test_an_accepted_transfer_is_money_in_next_years_round():
    case = decided(year=2024, amounts=((100_000, 50_000),))
    line = case.report.lines.get()
    fill_in(line, used_owner=70_000, unused_proposal="transfer")
    case.report.submit(by=None)
    following = Round.objects.create(office=case.round.office, year=2025)
    assert transfers_into(following) == {}  # not before the Statsforvalter accepts
    case.report.accept(by=None)
    assert transfers_into(following) == {line.scheme_id: 30_000}
    assert transfers_into(case.round) == {}
    other_office = make_round(year=2025, schemes=("dekomp",))
    assert transfers_into(other_office) == {}
