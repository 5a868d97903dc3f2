"""The follow-up's messages: the e-mail when more is asked for, and the reminders before the reporting deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from lokalkomp.notifications.mail import build_message
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.reminders import send_reminders
from lokalkomp.reporting.followup_announce import announce_returned
from lokalkomp.reporting.funds_testing import decide, decided, fill_in
from lokalkomp.reporting.models import FundsReport
from lokalkomp.schemes.models import Milestone, Round, Transition
from lokalkomp.testing import add_contact, make_measure, make_report, make_user

pytestmark = pytest.mark.django_db


def test_asking_for_more_queues_an_e_mail_to_each_contact_with_the_comment():
    case = decided()
    fill_in(case.report.lines.get())
    case.report.submit(by=case.owner)
    case.report.return_for_more(by=None, comment="Mer om elevstemmen")
    event = case.report.events.order_by("-pk").first()
    announce_returned(case.report, event)
    announce_returned(case.report, event)  # a retried request queues nothing new
    sent = list(Notification.objects.filter(kind="funds_returned").order_by("email"))
    assert sorted(n.email for n in sent) == sorted([case.owner.email, case.partner.email])
    message = build_message(sent[0])
    assert "Mer om elevstemmen" in message.body
    assert case.report.get_absolute_url() in message.body
    assert str(case.round.year) in message.subject


def test_reminders_go_to_the_partnerships_that_have_not_submitted():
    case = decided(year=2024)
    fill_in(case.report.lines.get())
    case.report.submit(by=case.owner)
    late = make_report(case.round)
    decide(case.round, [make_measure(late, 10_000, 0)])
    waiting = make_user()
    add_contact(late, waiting, "owner")
    returned = make_report(case.round)
    decide(case.round, [make_measure(returned, 10_000, 0)])
    again = make_user()
    add_contact(returned, again, "owner")
    report = FundsReport.open_for(partnership=returned.partnership, round=case.round)
    fill_in(report.lines.get())
    report.submit(by=again)
    report.return_for_more(by=None, comment="Mer")
    deadline = Milestone.objects.create(
        round=case.round, title="Frist", starts_on=dt.date(2024, 6, 17), governs=Transition.REPORTS_DUE
    )
    day = deadline.starts_on - dt.timedelta(days=case.round.reminder_days)
    assert send_reminders(day - dt.timedelta(days=1)) == 0
    assert send_reminders(day) == 2
    reminded = set(Notification.objects.filter(kind="reminder").values_list("recipient_id", flat=True))
    assert reminded == {waiting.pk, again.pk}  # not the partnership that submitted
    assert send_reminders(day) == 0


def test_the_next_years_deadline_reminds_of_this_years_funds():
    case = decided(year=2023)
    following = Round.objects.create(office=case.round.office, year=2024)
    deadline = Milestone.objects.create(
        round=following, title="Frist", starts_on=dt.date(2024, 6, 17), governs=Transition.REPORTS_DUE
    )
    day = deadline.starts_on - dt.timedelta(days=following.reminder_days)
    assert send_reminders(day) == 2  # the owner's and the UH's contact of the 2023 report, a draft
    reminded = set(Notification.objects.filter(kind="reminder").values_list("recipient_id", flat=True))
    assert reminded == {case.owner.pk, case.partner.pk}
