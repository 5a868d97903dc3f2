"""The report on the use of funds: its lines from the decisions, transitions, events, versions and checks."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.reporting.models import (
    FundsReport,
    FundsReportEvent,
    FundsReportLine,
    FundsReportVersion,
    FundsTransitionError,
)
from lokalkomp.testing import make_report, make_round, make_user

pytestmark = pytest.mark.django_db


def test_lines_carry_the_decided_amounts_per_side():
    case = decided(amounts=((100_000, 50_000), (20_000, 0)))
    lines = list(case.report.lines.order_by("position"))
    assert [(line.measure_id, line.granted_owner, line.granted_uh) for line in lines] == [
        (case.measures[0].pk, 100_000, 50_000),
        (case.measures[1].pk, 20_000, 0),
    ]
    # a later change of the live needs report does not change what was granted
    type(case.measures[0]).objects.filter(pk=case.measures[0].pk).update(owner_amount=1)
    again = FundsReport.open_for(partnership=case.needs_report.partnership, round=case.round)
    assert again.pk == case.report.pk
    assert again.lines.get(measure=case.measures[0]).granted_owner == 100_000


def test_a_partnership_without_decisions_has_no_report():
    round = make_round(year=2024, schemes=("dekomp",))
    report = make_report(round)
    with pytest.raises(FundsTransitionError):
        FundsReport.open_for(partnership=report.partnership, round=round)
    assert not FundsReport.objects.exists()


def test_unused_is_granted_minus_used_per_recipient():
    case = decided()
    line = case.report.lines.get()
    fill_in(line, used_owner=60_000, used_uh=50_000)
    line.refresh_from_db()
    assert (line.unused_owner, line.unused_uh, line.unused) == (40_000, 0, 40_000)
    assert line.used + line.unused == line.granted == 150_000


def test_submit_return_and_accept_write_events_and_versions():
    case = decided()
    line = case.report.lines.get()
    fill_in(line, used_owner=90_000, unused_proposal="return")
    version = case.report.submit(by=case.owner)
    case.report.refresh_from_db()
    assert case.report.status == FundsReport.Status.SUBMITTED
    assert version.number == 1 and version.data["lines"][0]["used_owner"] == 90_000
    with pytest.raises(FundsTransitionError):
        case.report.submit(by=case.owner)
    governor = make_user()
    with pytest.raises(FundsTransitionError):
        case.report.return_for_more(by=governor, comment="  ")
    case.report.return_for_more(by=governor, comment="Mer om elevstemmen")
    assert case.report.status == FundsReport.Status.RETURNED
    FundsReportLine.objects.filter(pk=line.pk).update(used_owner=95_000)
    second = case.report.submit(by=case.partner)
    assert second.number == 2 and second.data["lines"][0]["used_owner"] == 95_000
    # the first submission's record is as it was
    assert FundsReportVersion.objects.get(pk=version.pk).data["lines"][0]["used_owner"] == 90_000
    case.report.accept(by=governor)
    with pytest.raises(FundsTransitionError):
        case.report.accept(by=governor)
    with pytest.raises(FundsTransitionError):
        case.report.return_for_more(by=governor, comment="x")
    events = list(case.report.events.values_list("from_status", "to_status", "actor", "comment"))
    assert events == [
        ("draft", "submitted", case.owner.pk, ""),
        ("submitted", "returned", governor.pk, "Mer om elevstemmen"),
        ("returned", "submitted", case.partner.pk, ""),
        ("submitted", "accepted", governor.pk, ""),
    ]
    assert case.report.events.filter(version=second).count() == 1


def test_events_and_versions_are_records():
    case = decided()
    fill_in(case.report.lines.get())
    version = case.report.submit(by=case.owner)
    event = FundsReportEvent.objects.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        FundsReportVersion.objects.update(data={})


def test_one_report_per_partnership_and_round():
    case = decided()
    with pytest.raises(IntegrityError):
        FundsReport.objects.create(partnership=case.needs_report.partnership, round=case.round)


def _fields(report):
    return {(p.line, p.field) for p in report.problems()}


def test_checks_block_submit_until_answered():
    case = decided()
    line = case.report.lines.get()
    fields = _fields(case.report)
    assert {
        (line.pk, "outcome"),
        (line.pk, "anchoring"),
        (line.pk, "pupil_voice"),
        (None, "cofinancing_amount"),
    } <= fields
    with pytest.raises(FundsTransitionError):
        case.report.submit(by=case.owner)
    assert case.report.status == FundsReport.Status.DRAFT and not case.report.events.exists()
    fill_in(line)
    assert case.report.problems() == []


def test_used_above_granted_and_stopped_without_reason_fail():
    case = decided()
    line = case.report.lines.get()
    fill_in(line, used_owner=100_001, used_uh=50_001, outcome="stopped")
    assert _fields(case.report) == {(line.pk, "used_owner"), (line.pk, "used_uh"), (line.pk, "stop_reason")}
    fill_in(line, outcome="stopped", stop_reason="Rektor sluttet.")
    assert case.report.problems() == []


def test_dekomp_co_financing_is_thirty_per_cent_of_the_state_grant():
    case = decided()  # dekomp: 150 000 granted, 45 000 required
    line = case.report.lines.get()
    fill_in(line, cofinancing_amount=44_999)
    assert _fields(case.report) == {(None, "cofinancing_amount")}
    fill_in(line, cofinancing_amount=45_000)
    assert case.report.problems() == []


def test_unused_funds_need_a_proposal():
    case = decided()
    line = case.report.lines.get()
    fill_in(line, used_owner=10)
    assert _fields(case.report) == {(line.pk, "unused_proposal")}
    fill_in(line, used_owner=10, unused_proposal="transfer")
    assert case.report.problems() == []


def test_the_2026_scheme_asks_for_the_results():
    case = decided(year=2026, schemes=("kollektiv-2026",))
    line = case.report.lines.select_related("scheme").get()
    assert line.asks_results
    fill_in(line, results_pupils="")
    assert _fields(case.report) == {(line.pk, "results_pupils")}
    old = decided()
    assert not old.report.lines.select_related("scheme").get().asks_results


def test_the_deadline_is_the_next_years_reports_due_milestone():
    import datetime as dt

    from lokalkomp.schemes.models import Milestone, Round

    case = decided(year=2023)
    assert case.report.due_on is None and not case.report.is_late()
    Milestone.objects.create(round=case.round, title="Frist", starts_on=dt.date(2023, 6, 17), governs="reports_due")
    assert FundsReport.objects.get(pk=case.report.pk).due_on == dt.date(2023, 6, 17)
    following = Round.objects.create(office=case.round.office, year=2024)
    Milestone.objects.create(round=following, title="Frist", starts_on=dt.date(2024, 6, 17), governs="reports_due")
    report = FundsReport.objects.with_deadlines().get(pk=case.report.pk)
    assert report.due_on == dt.date(2024, 6, 17)
    assert report.is_late(dt.date(2024, 6, 18)) and not report.is_late(dt.date(2024, 6, 17))
    fill_in(report.lines.get())
    report.submit(by=case.owner)
    assert not report.is_late(dt.date(2024, 6, 18))


def test_answer_goes_through_the_version_and_stops_at_a_record():
    case = decided()
    line = case.report.lines.get()
    case.report.answer(line, by=case.owner, used_owner=5, anchoring="Forankret")
    line.refresh_from_db()
    case.report.refresh_from_db()
    assert (line.used_owner, line.anchoring, case.report.version) == (5, "Forankret", 3)
    assert case.report.save_answer(line, "used_owner", 6, version=1, by=case.owner) is None
    fill_in(line)
    case.report.submit(by=case.owner)
    with pytest.raises(FundsTransitionError):
        case.report.answer(line, by=case.owner, used_owner=7)
