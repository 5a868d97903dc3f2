"""The work list's «Send a reminder»: an e-mail to the partnership's contact persons, recorded, once a day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs.models import NeedsReport
from lokalkomp.notifications.mail import build_message
from lokalkomp.notifications.models import Notification, PartnershipReminder
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import (
    add_contact,
    give_totp,
    make_governor_admin,
    make_office,
    make_partnership,
    make_report,
    make_round,
    make_user,
)

from .conftest import DEADLINE

pytestmark = pytest.mark.cast(deadline=DEADLINE)
TODAY = "2026-12-03 10:00 +01:00"


@pytest.fixture
def idle(cast):
    """A partnership of the office that reported in 2026 and has not started for 2027; two contacts."""
    partnership = make_partnership(cast.office, cast.network)
    partnership.name = "Sørfjorden"
    partnership.save()
    report = make_report(make_round(cast.office, year=2026), partnership)
    add_contact(report, make_user("eier@example.test", first_name="Eva", last_name="Eier"), "owner")
    add_contact(report, make_user("uh@example.test", language="nn"), "partner")
    return partnership


def remind_url(cast, partnership, year=None, **query) -> str:
    args = [cast.office.slug, year or cast.round.year, partnership.pk]
    url = reverse("notifications:remind_partnership", args=args)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def worklist_url(cast) -> str:
    return reverse("needs:worklist", args=[cast.office.slug, cast.round.year])


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@time_machine.travel(TODAY, tick=False)
def test_a_reminder_is_queued_to_each_contact_address_and_recorded(client, cast, idle):
    client.force_login(cast.governor)
    response = client.post(remind_url(cast, idle))

    assert response.status_code == 302
    assert response["Location"] == worklist_url(cast) + "#missing-heading"
    queued = Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).order_by("email")
    assert [(n.email, n.language) for n in queued] == [("eier@example.test", "nb"), ("uh@example.test", "nn")]
    record = PartnershipReminder.objects.get()
    assert (record.round, record.partnership, record.sent_by) == (cast.round, idle, cast.governor)
    assert record.day == dt.date(2026, 12, 3)
    assert sorted(record.recipients) == ["eier@example.test", "uh@example.test"]
    (message,) = said(response)
    assert "Sørfjorden" in message and " 2 " in message


@time_machine.travel(TODAY, tick=False)
def test_a_second_click_the_same_day_sends_nothing_and_says_so(client, cast, idle):
    client.force_login(cast.governor)
    client.post(remind_url(cast, idle))
    second = client.post(remind_url(cast, idle))

    assert second.status_code == 302
    assert Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).count() == 2
    assert PartnershipReminder.objects.count() == 1
    assert "03.12.2026" in said(second)[-1]


def test_the_next_day_it_may_be_sent_again(client, cast, idle):
    with time_machine.travel(TODAY, tick=False):
        client.force_login(cast.governor)
        assert client.post(remind_url(cast, idle)).status_code == 302
    with time_machine.travel("2026-12-04 09:00 +01:00", tick=False):
        client.force_login(cast.governor)
        assert client.post(remind_url(cast, idle)).status_code == 302
    assert sorted(PartnershipReminder.objects.values_list("day", flat=True)) == [
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 4),
    ]
    assert Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).count() == 4


@time_machine.travel(TODAY, tick=False)
def test_the_work_list_shows_when_the_reminder_was_sent(client, cast, idle):
    client.force_login(cast.governor)
    before = client.get(worklist_url(cast)).content.decode()
    row = before.split(f'id="missing-{idle.pk}"')[1].split("</tr>")[0]
    assert remind_url(cast, idle) + "?mside=1" in row and "03.12.2026" not in row

    client.post(remind_url(cast, idle))
    after = client.get(worklist_url(cast)).content.decode()
    row = after.split(f'id="missing-{idle.pk}"')[1].split("</tr>")[0]
    assert "03.12.2026" in row and 'class="lk-reminded"' in row


@time_machine.travel(TODAY, tick=False)
def test_the_queued_email_names_the_partnership_the_round_the_deadline_and_the_sender(
    client, cast, idle, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.governor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_url(cast, idle))
    notification = Notification.objects.get(email="eier@example.test")
    message = build_message(notification)
    html = message.alternatives[0][0]  # type: ignore[index]
    for text in (message.body, html):
        assert "Sørfjorden" in text
        assert "2027" in text
        assert str(cast.office) in text
        assert "15.12.2026" in text  # the round's deadline for needs reports
        assert str(cast.governor) in text  # who sent it
        assert "Eva Eier" in text or "eier@example.test" in text
        assert "/behovsmeldinger/" in text  # where to start the report
    assert "2027" in message.subject and str(cast.office) in message.subject
    assert run_queued_tasks() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["eier@example.test", "uh@example.test"]


@time_machine.travel(TODAY, tick=False)
def test_one_person_on_both_sides_gets_one_message(client, cast, idle):
    same = idle.participants.get(side="partner").contacts.get()
    same.email = "EIER@example.test"
    same.save()
    client.force_login(cast.governor)
    client.post(remind_url(cast, idle))
    assert Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_no_reminder_goes_to_a_partnership_without_an_address(client, cast, idle):
    for participant in idle.participants.all():
        participant.contacts.update(email="")
    client.force_login(cast.governor)
    response = client.post(remind_url(cast, idle))
    assert response.status_code == 302
    assert not Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).exists()
    assert not PartnershipReminder.objects.exists()
    assert "Sørfjorden" in said(response)[0]


@time_machine.travel(TODAY, tick=False)
def test_no_reminder_goes_to_a_partnership_that_has_started_meanwhile(client, cast, idle):
    make_report(cast.round, idle)
    client.force_login(cast.governor)
    response = client.post(remind_url(cast, idle))
    assert response.status_code == 302
    assert not PartnershipReminder.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).exists()


@time_machine.travel(TODAY, tick=False)
def test_the_filters_of_the_work_list_come_back_and_garbage_does_not(client, cast, idle):
    client.force_login(cast.governor)
    response = client.post(remind_url(cast, idle, network=cast.network.pk, status="%C2%B2", mside=2))
    assert response["Location"] == f"{worklist_url(cast)}?network={cast.network.pk}&mside=2#missing-heading"


@time_machine.travel(TODAY, tick=False)
def test_only_the_statsforvalter_of_the_office_may_send_reminders(client, cast, idle):
    secretary = make_user()
    Membership.objects.create(user=secretary, role=Role.FORUM_SECRETARY, office=cast.office)
    give_totp(secretary)
    for user in (secretary, cast.forum_member, cast.coordinator, cast.owner_contact, cast.other_office_governor):
        client.force_login(user)
        assert client.post(remind_url(cast, idle)).status_code == 403, user
    client.logout()
    assert client.post(remind_url(cast, idle))["Location"].startswith(reverse("account_login"))
    assert not PartnershipReminder.objects.exists()

    client.force_login(make_governor_admin(cast.office))
    assert client.post(remind_url(cast, idle)).status_code == 302
    assert PartnershipReminder.objects.count() == 1


def test_a_partnership_of_another_office_is_not_found_and_get_is_refused(client, cast):
    foreign = make_office()
    stranger = make_partnership(foreign)
    make_report(make_round(foreign, year=2026), stranger)
    client.force_login(cast.governor)
    assert client.post(remind_url(cast, stranger)).status_code == 404
    assert client.get(remind_url(cast, stranger)).status_code == 405
    assert not PartnershipReminder.objects.exists()


def test_a_submitted_report_of_last_year_counts_like_a_draft(client, cast, idle):
    """Expected is «had a report last year», whatever its status."""
    NeedsReport.objects.filter(partnership=idle).update(status=NeedsReport.Status.SUBMITTED)
    client.force_login(cast.governor)
    assert f'id="missing-{idle.pk}"' in client.get(worklist_url(cast)).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_round_the_partnership_is_not_expected_in_is_not_found(client, cast, idle):
    """Expected in a round means a report the year before: 2020–2022 are rounds of the office, but not its."""
    for year in (2020, 2021, 2022):
        make_round(cast.office, year=year)
    client.force_login(cast.governor)
    for year in (2020, 2021, 2022):
        assert client.post(remind_url(cast, idle, year)).status_code == 404, year
    assert not PartnershipReminder.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_partnership_without_a_report_last_year_is_not_found(client, cast):
    """Not on the work list's list (nothing says it will report), so it has no reminder to get."""
    new = make_partnership(cast.office, cast.network)
    make_report(make_round(cast.office, year=2025), new)  # two years before: not expected either
    client.force_login(cast.governor)
    assert client.post(remind_url(cast, new)).status_code == 404
    assert not PartnershipReminder.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_one_reminder_a_day_per_partnership_whatever_the_round(client, cast, idle):
    """Expected in 2021 too (a report in 2020), but reminded for 2027 today: the 2021 click sends nothing."""
    make_report(make_round(cast.office, year=2020), idle)
    make_round(cast.office, year=2021)
    client.force_login(cast.governor)
    assert client.post(remind_url(cast, idle)).status_code == 302
    again = client.post(remind_url(cast, idle, 2021))

    assert again.status_code == 302
    assert "03.12.2026" in said(again)[-1]
    assert list(PartnershipReminder.objects.values_list("round__year", "partnership", "day")) == [
        (2027, idle.pk, dt.date(2026, 12, 3))
    ]
    assert Notification.objects.filter(kind=Notification.Kind.PARTNERSHIP_REMINDER).count() == 2


def test_the_database_holds_one_reminder_a_day_per_partnership(cast, idle):
    other_round = make_round(cast.office, year=2021)
    PartnershipReminder.objects.create(round=cast.round, partnership=idle, day=dt.date(2026, 12, 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipReminder.objects.create(round=other_round, partnership=idle, day=dt.date(2026, 12, 3))
    PartnershipReminder.objects.create(round=other_round, partnership=idle, day=dt.date(2026, 12, 4))
    assert PartnershipReminder.objects.count() == 2
