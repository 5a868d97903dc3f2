"""A message is queued with the change that causes it and sent by the worker exactly once."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lokalkomp.needs.actions import submit_report
from lokalkomp.needs.models import NeedsReport, TransitionError
from lokalkomp.notifications.actions import notify, notify_receipt
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.tasks import MAX_ATTEMPTS, deliver
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.notifications.worker import requeue_stalled
from lokalkomp.testing import complete

from .conftest import DEADLINE, server_down

T0 = dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.cast(deadline=DEADLINE)


@pytest.fixture
def submitted(cast, before_deadline, django_capture_on_commit_callbacks):
    complete(cast.report)
    with django_capture_on_commit_callbacks(execute=True):
        event = submit_report(cast.report, by=cast.owner_contact)
    return event


def a_receipt(cast, django_capture_on_commit_callbacks):
    """One queued receipt to the owner's contact."""
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            Notification.Kind.RECEIPT,
            recipient=cast.owner_contact,
            context={"report": cast.report.pk, "event": cast.report.events.create(to_status="submitted").pk},
            dedupe_key="receipt:test",
        )
        assert notification is not None
    return notification


def test_submitting_queues_a_receipt_per_contact_and_sends_nothing_itself(cast, submitted, mail_server, mailoutbox):
    notifications = Notification.objects.order_by("kind", "email")
    assert [(n.kind, n.email, n.status) for n in notifications] == [
        ("receipt", "owner_contact@cast.test", "queued"),
        ("receipt", "partner_contact@cast.test", "queued"),
        ("report_arrived", "coordinator@cast.test", "queued"),  # the network is told it arrived
    ]
    receipts = notifications.filter(kind="receipt")
    assert all(n.context == {"report": cast.report.pk, "event": submitted.pk, "name": n.email} for n in receipts)
    assert mailoutbox == []
    assert DBTaskResult.objects.ready().count() == 3


def test_the_worker_sends_each_receipt_once(cast, submitted, mail_server, mailoutbox):
    assert run_queued_tasks() == 3  # two receipts and the coordinator's news
    assert sorted(m.to[0] for m in mailoutbox) == [
        "coordinator@cast.test",
        "owner_contact@cast.test",
        "partner_contact@cast.test",
    ]
    assert all("2027" in m.subject and cast.report.partnership.name in m.subject for m in mailoutbox)
    assert all(m.alternatives[0][1] == "text/html" for m in mailoutbox)
    assert run_queued_tasks() == 0
    for notification in Notification.objects.all():
        assert (notification.status, notification.attempts, notification.last_error) == ("sent", 1, "")
        assert notification.sent_at == timezone.now()
        assert notification.subject == next(m.subject for m in mailoutbox if m.to == [notification.email])
    assert len(mailoutbox) == 3


def test_a_receipt_is_not_queued_twice_for_the_same_submission(cast, submitted, mail_server):
    assert notify_receipt(NeedsReport.objects.get(pk=cast.report.pk), submitted) == 0
    assert Notification.objects.filter(kind="receipt").count() == 2


def test_a_contact_without_an_address_gets_nothing(cast, before_deadline, django_capture_on_commit_callbacks):
    cast.report.partnership.participants.get(side="owner").contacts.create(name="Uten e-post")
    complete(cast.report)
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(cast.report, by=cast.owner_contact)
    assert Notification.objects.filter(kind="receipt").count() == 2


def test_no_receipt_is_queued_when_the_submission_fails(cast, before_deadline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionError):
        submit_report(cast.report, by=cast.owner_contact)  # the checklist is not done
    assert callbacks == []
    assert not Notification.objects.exists()


def test_running_the_delivery_twice_sends_once(cast, mail_server, mailoutbox, django_capture_on_commit_callbacks):
    notification = a_receipt(cast, django_capture_on_commit_callbacks)
    assert deliver.call(notification.pk, 0) == "sent"
    assert deliver.call(notification.pk, 0) == "skipped"
    assert run_queued_tasks() == 1  # the queued task finds it sent
    assert len(mailoutbox) == 1
    assert Notification.objects.get().attempts == 1


@pytest.mark.parametrize(
    "failure",
    [server_down(), ConnectionRefusedError(111, "Connection refused"), TimeoutError("timed out")],
    ids=["disconnected", "refused", "timeout"],
)
def test_a_mail_server_that_is_down_delays_the_mail_which_is_sent_once_when_it_is_up(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks, failure
):
    mail_server.failure = failure
    with time_machine.travel(T0, tick=False) as clock:
        notification = a_receipt(cast, django_capture_on_commit_callbacks)
        assert run_queued_tasks() == 1
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == ("queued", 1)
        assert type(failure).__name__ in notification.last_error
        assert notification.next_attempt_at == T0 + dt.timedelta(minutes=1)

        clock.shift(dt.timedelta(seconds=59))
        assert run_queued_tasks() == 0, "the retry waits its minute"
        clock.shift(dt.timedelta(seconds=1))
        assert run_queued_tasks() == 1
        notification.refresh_from_db()
        assert (notification.attempts, notification.next_attempt_at) == (2, T0 + dt.timedelta(minutes=3))

        mail_server.failure = None
        clock.shift(dt.timedelta(minutes=2))
        assert run_queued_tasks() == 1
        clock.shift(dt.timedelta(hours=12))
        assert run_queued_tasks() == 0
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 3)
    assert notification.sent_at == T0 + dt.timedelta(minutes=3)


def test_it_gives_up_after_the_last_attempt(cast, mail_server, mailoutbox, django_capture_on_commit_callbacks):
    mail_server.failure = server_down()
    with time_machine.travel(T0, tick=False) as clock:
        notification = a_receipt(cast, django_capture_on_commit_callbacks)
        runs = 0
        while run_queued_tasks():
            runs += 1
            clock.shift(dt.timedelta(hours=5))
    notification.refresh_from_db()
    assert (runs, notification.status, notification.attempts) == (MAX_ATTEMPTS, "failed", MAX_ATTEMPTS)
    assert "SMTPServerDisconnected" in notification.last_error
    assert mailoutbox == []


def test_an_address_the_server_refuses_is_not_tried_again(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    mail_server.failure = smtplib.SMTPRecipientsRefused({"owner_contact@cast.test": (550, b"No such user")})
    notification = a_receipt(cast, django_capture_on_commit_callbacks)
    assert run_queued_tasks() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert not DBTaskResult.objects.ready().exists()


def test_a_copy_of_an_earlier_attempts_task_sends_nothing(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    mail_server.failure = server_down()
    notification = a_receipt(cast, django_capture_on_commit_callbacks)
    assert deliver.call(notification.pk, 0) == "retry"
    mail_server.failure = None
    assert deliver.call(notification.pk, 0) == "skipped"
    assert deliver.call(notification.pk, 1) == "sent"
    assert len(mailoutbox) == 1


def test_a_message_that_cannot_be_rendered_fails_at_once(
    cast, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            Notification.Kind.RECEIPT,
            recipient=cast.owner_contact,
            context={"report": 999_999, "event": 999_999},
            dedupe_key="x",
        )
        assert notification is not None
    assert run_queued_tasks() == 1
    notification.refresh_from_db()
    assert (notification.status, mailoutbox) == ("failed", [])
    assert "DoesNotExist" in notification.last_error


def test_a_notification_whose_task_was_lost_is_queued_again_and_sent_once(cast, mail_server, mailoutbox):
    with time_machine.travel(T0, tick=False) as clock:
        # Without the on_commit callbacks running, the task is never queued: as if the process died.
        notification = notify(
            Notification.Kind.RECEIPT,
            recipient=cast.owner_contact,
            context={"report": cast.report.pk, "event": cast.report.events.create(to_status="submitted").pk},
            dedupe_key="receipt:lost",
        )
        assert notification is not None
        assert run_queued_tasks() == 0
        clock.shift(dt.timedelta(minutes=9))
        assert requeue_stalled(timezone.now()) == 0, "a fresh notification may still have its task"
        clock.shift(dt.timedelta(minutes=1))
        assert requeue_stalled(timezone.now()) == 1
        assert requeue_stalled(timezone.now()) == 0, "requeued once per stall"
        clock.shift(dt.timedelta(minutes=10))
        assert requeue_stalled(timezone.now()) == 1, "still stalled: a second copy"
        assert run_queued_tasks() == 2
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
