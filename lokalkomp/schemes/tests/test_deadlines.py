"""Every transition's deadline is checked in one place: open to the end of its last day, Norwegian time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lokalkomp.schemes.models import Milestone, Transition
from lokalkomp.testing import make_report, make_round

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC

# A winter and a summer date, so that both UTC+1 and UTC+2 are crossed.
DEADLINES = [
    (Transition.NEEDS_REPORTS, dt.date(2026, 12, 15)),
    (Transition.NETWORK_COMPILATION, dt.date(2027, 1, 10)),
    (Transition.RECOMMENDATION, dt.date(2027, 3, 18)),
    (Transition.DECISION, dt.date(2027, 4, 15)),
    (Transition.REPORTS_DUE, dt.date(2027, 6, 17)),
]


def at(day, hour, minute, second=0, tz=OSLO):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=tz)


def round_with(transition, day, ends_on=None):
    round = make_round(year=2027)
    Milestone.objects.create(round=round, title="Frist", starts_on=day, ends_on=ends_on, governs=transition)
    return round


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "day"), DEADLINES)
def test_a_transition_is_open_until_2359_on_its_deadline_and_closed_at_midnight(transition, day):
    round = round_with(transition, day)
    assert round.is_open_for(transition, at(day, 9, 0))
    assert round.is_open_for(transition, at(day, 23, 59, 59))
    assert not round.is_open_for(transition, at(day + dt.timedelta(days=1), 0, 0))
    assert not round.is_open_for(transition, at(day + dt.timedelta(days=30), 12, 0))


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "day"), DEADLINES)
def test_midnight_is_norwegian_midnight_whatever_the_servers_time_zone(transition, day):
    round = round_with(transition, day)
    offset = at(day, 12, 0).utcoffset()
    norwegian_midnight_in_utc = at(day + dt.timedelta(days=1), 0, 0).astimezone(UTC)
    with timezone.override("UTC"):
        assert round.is_open_for(transition, norwegian_midnight_in_utc - dt.timedelta(seconds=1))
        assert not round.is_open_for(transition, norwegian_midnight_in_utc)
    assert norwegian_midnight_in_utc.hour == 24 - offset.seconds // 3600


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "day"), DEADLINES)
def test_a_deadline_closes_only_its_own_transition(transition, day):
    round = round_with(transition, day)
    later = at(day + dt.timedelta(days=1), 0, 0)
    others = [t for t in Transition if t != transition]
    assert all(round.is_open_for(other, later) for other in others)


@pytest.mark.django_db
def test_without_a_deadline_a_transition_stays_open():
    round = make_round(year=2027)
    assert all(round.is_open_for(t, at(dt.date(2030, 1, 1), 12, 0)) for t in Transition)
    assert round.why_closed(Transition.DECISION, at(dt.date(2030, 1, 1), 12, 0)) == ""


@pytest.mark.django_db
def test_a_deadline_over_several_days_runs_to_the_end_of_the_last():
    round = round_with(Transition.RECOMMENDATION, dt.date(2027, 3, 13), ends_on=dt.date(2027, 3, 14))
    assert round.is_open_for(Transition.RECOMMENDATION, at(dt.date(2027, 3, 14), 23, 59))
    assert not round.is_open_for(Transition.RECOMMENDATION, at(dt.date(2027, 3, 15), 0, 0))


@pytest.mark.django_db
def test_a_closed_transition_says_which_deadline_passed():
    round = round_with(Transition.NEEDS_REPORTS, dt.date(2026, 12, 15))
    assert round.why_closed(Transition.NEEDS_REPORTS, at(dt.date(2026, 12, 15), 23, 0)) == ""
    reason = round.why_closed(Transition.NEEDS_REPORTS, at(dt.date(2026, 12, 16), 0, 0))
    assert "15.12.2026" in reason


@pytest.mark.django_db
def test_the_milestones_own_answer_agrees_with_the_rounds():
    round = round_with(Transition.DECISION, dt.date(2027, 4, 15))
    milestone = round.deadline(Transition.DECISION)
    assert milestone.closes_at() == at(dt.date(2027, 4, 16), 0, 0)
    assert not milestone.has_passed(at(dt.date(2027, 4, 15), 23, 59))
    assert milestone.has_passed(at(dt.date(2027, 4, 16), 0, 0))


@pytest.mark.django_db
def test_a_draft_needs_report_follows_the_rounds_deadline():
    round = make_round(year=2027, deadline=dt.date(2026, 12, 15))
    report = make_report(round)
    assert report.is_editable(at(dt.date(2026, 12, 15), 23, 59))
    assert not report.is_editable(at(dt.date(2026, 12, 16), 0, 0))
