"""Reminders N days before a deadline, to those who have not delivered, once."""

import datetime as dt

import pytest
from django.core.management import call_command

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs.models import NeedsReport
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.reminders import send_reminders
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.schemes.models import Milestone, Round
from lokalkomp.testing import add_contact, make_network, make_partnership, make_report, make_round, make_user

from .conftest import DEADLINE

REMINDER_DAY = dt.date(2026, 12, 8)  # 7 days before the deadline 15.12.2026
pytestmark = pytest.mark.cast(deadline=DEADLINE)


def reminded(today=REMINDER_DAY):
    """Run the day's reminders and return the addresses of those it queued."""
    before = set(Notification.objects.values_list("pk", flat=True))
    send_reminders(today)
    new = Notification.objects.filter(kind="reminder").exclude(pk__in=before)
    return sorted(new.values_list("email", flat=True))


def contact_of(report, email):
    return add_contact(report, make_user(email), "owner")


@pytest.fixture
def others(cast):
    """A partnership that has submitted, and one that has not started its report."""
    done = make_report(cast.round, make_partnership(cast.office, cast.network), status=NeedsReport.Status.SUBMITTED)
    contact_of(done, "done@example.test")
    idle = make_partnership(cast.office, cast.network)
    add_contact(make_report(make_round(cast.office, year=2025), idle), make_user("idle@example.test"))
    return done, idle


def test_the_reminder_goes_seven_days_before_the_deadline_to_those_who_have_not_submitted(
    cast, others, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminded() == ["idle@example.test", "owner_contact@cast.test", "partner_contact@cast.test"]


@pytest.mark.parametrize("day", [dt.date(2026, 12, 7), dt.date(2026, 12, 9), dt.date(2026, 12, 15)])
def test_no_reminder_goes_on_another_day(cast, others, day):
    assert reminded(day) == []


def test_a_contact_whose_report_is_submitted_gets_no_reminder(cast, others):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.SUBMITTED)
    assert reminded() == ["idle@example.test"]


def test_a_report_reopened_for_changes_is_not_delivered(cast):
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.DRAFT, reopened=True)
    assert reminded() == ["owner_contact@cast.test", "partner_contact@cast.test"]


def test_running_the_reminders_twice_or_every_day_reminds_once(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(REMINDER_DAY) == 2
        assert send_reminders(REMINDER_DAY) == 0
        for day in range(1, 20):
            assert send_reminders(dt.date(2026, 12, day)) == 0
    assert run_queued_tasks() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    assert all("15.12.2026" in m.subject for m in mailoutbox)


def test_the_reminder_names_every_undelivered_partnership_of_the_person_once(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    second = make_report(cast.round, make_partnership(cast.office, cast.network))
    add_contact(second, cast.owner_contact)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(REMINDER_DAY)
    run_queued_tasks()
    (mail,) = [m for m in mailoutbox if m.to == ["owner_contact@cast.test"]]
    assert cast.report.partnership.name in mail.body and second.partnership.name in mail.body
    assert "/behovsmeldinger/" in mail.body


def test_strangers_and_other_offices_are_not_reminded(cast):
    elsewhere = make_round(year=2027, deadline=dt.date(2026, 12, 20))
    add_contact(make_report(elsewhere), make_user("elsewhere@example.test"))
    assert "elsewhere@example.test" not in reminded()
    assert reminded(dt.date(2026, 12, 13)) == ["elsewhere@example.test"]


def test_the_round_says_how_many_days_before(cast):
    Round.objects.filter(pk=cast.round.pk).update(reminder_days=3)
    assert reminded() == []
    assert reminded(dt.date(2026, 12, 12)) == ["owner_contact@cast.test", "partner_contact@cast.test"]


def test_a_moved_deadline_is_reminded_of_again(cast):
    assert len(reminded()) == 2
    Milestone.objects.filter(round=cast.round, governs="needs_reports").update(starts_on=dt.date(2026, 12, 22))
    assert reminded(dt.date(2026, 12, 15)) == ["owner_contact@cast.test", "partner_contact@cast.test"]


def test_the_network_coordinators_are_reminded_of_the_compilation_deadline(cast):
    Milestone.objects.create(
        round=cast.round, title="Sammenstilt", starts_on=dt.date(2027, 1, 10), governs="network_compilation"
    )
    deputy = make_user("deputy-coordinator@example.test")
    Membership.objects.create(user=deputy, role=Role.NETWORK_COORDINATOR, network=cast.network)
    make_network(make_round().office, coordinator=make_user("elsewhere@example.test"))
    assert reminded(dt.date(2027, 1, 3)) == [
        "coordinator@cast.test",
        "deputy-coordinator@example.test",
        "other_coordinator@cast.test",
    ]
    reminder = Notification.objects.get(email="coordinator@cast.test")
    assert reminder.context["networks"] == [cast.network.pk]


def test_partnerships_funded_last_year_are_reminded_that_their_report_is_due(cast):
    following = make_round(cast.office, year=2028)
    Milestone.objects.create(round=following, title="Rapport", starts_on=dt.date(2028, 6, 17), governs="reports_due")
    NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.SUBMITTED)
    from lokalkomp.reporting.funds_testing import decide  # funded: the round's decisions (reporting owns the rule)
    from lokalkomp.testing import make_measure

    decide(cast.round, [make_measure(cast.report, 10_000, 5_000)])
    make_report(cast.round, make_partnership(cast.office))  # a draft: nothing to report on
    assert reminded(dt.date(2028, 6, 10)) == ["owner_contact@cast.test", "partner_contact@cast.test"]


def test_inactive_people_are_not_reminded(cast):
    cast.partner_contact.is_active = False
    cast.partner_contact.save()
    assert reminded() == ["owner_contact@cast.test"]


def test_the_command_queues_a_given_days_reminders(cast, capsys):
    call_command("send_reminders", "--date", "2026-12-08")
    assert "2 reminder(s) queued for 08.12.2026" in capsys.readouterr().out
    call_command("send_reminders", "--date", "2026-12-08")
    assert "0 reminder(s)" in capsys.readouterr().out
