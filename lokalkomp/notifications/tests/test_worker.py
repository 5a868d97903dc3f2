"""The worker queues each day's reminders in the morning and sends what is queued."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.reminders import remind
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.notifications.worker import Schedule
from lokalkomp.testing import make_cast

from .conftest import DEADLINE

OSLO = dt.timezone(dt.timedelta(hours=1))  # December: CET
pytestmark = pytest.mark.cast(deadline=DEADLINE)


def reminder_tasks():
    return list(DBTaskResult.objects.filter(task_path=remind.module_path).values_list("args_kwargs__args", flat=True))


def test_the_days_reminders_are_queued_once_from_seven_in_the_morning(db):
    schedule = Schedule()
    schedule.tick(dt.datetime(2026, 12, 8, 6, 59, tzinfo=OSLO))
    assert reminder_tasks() == []
    schedule.tick(dt.datetime(2026, 12, 8, 7, 0, tzinfo=OSLO))
    schedule.tick(dt.datetime(2026, 12, 8, 15, 0, tzinfo=OSLO))
    assert reminder_tasks() == [["2026-12-08"]]
    schedule.tick(dt.datetime(2026, 12, 9, 8, 0, tzinfo=OSLO))
    assert reminder_tasks() == [["2026-12-08"], ["2026-12-09"]]


def test_a_restarted_worker_queues_the_day_again_and_nobody_is_reminded_twice(cast, mail_server, mailoutbox):
    for _restart in range(2):
        with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=OSLO), tick=False):
            Schedule().tick(dt.datetime.now(dt.UTC))
            run_queued_tasks()  # the reminders, then the mails they queue
    assert len(reminder_tasks()) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]


@pytest.mark.django_db(transaction=True)
def test_run_worker_once_sends_the_queue_and_the_days_reminders(mail_server, mailoutbox):
    make_cast(deadline=DEADLINE)
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 12, 8, 7, 30, tzinfo=OSLO), tick=False):
        call_command("run_worker", "--once", stdout=out)
    assert sorted(m.to[0] for m in mailoutbox) == ["owner_contact@cast.test", "partner_contact@cast.test"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
