"""Two workers delivering the same notification at the same moment send it once."""

import threading
from collections.abc import Sequence

import pytest
from django.core.mail import EmailMessage
from django.db import OperationalError, connection

from lokalkomp.notifications.actions import notify
from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.tasks import deliver
from lokalkomp.testing import make_cast

from .conftest import MailServer


class SlowMailServer(MailServer):
    """Holds the first send until released, so that a second worker arrives in the middle of it."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        SlowMailServer.sending.set()
        SlowMailServer.release.wait(10)
        return super().send_messages(messages)


def in_thread(results: dict[str, str], name: str, notification_id: int) -> threading.Thread:
    def work() -> None:
        try:
            results[name] = deliver.call(notification_id, 0)
        except OperationalError:  # SQLite refuses the second writer instead of making it wait
            results[name] = "locked"
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_once(settings, mailoutbox):
    settings.EMAIL_BACKEND = "lokalkomp.notifications.tests.test_concurrency.SlowMailServer"
    SlowMailServer.sending.clear()
    SlowMailServer.release.clear()
    cast = make_cast()
    event = cast.report.events.create(to_status="submitted")
    notification = notify(
        Notification.Kind.RECEIPT,
        recipient=cast.owner_contact,
        context={"report": cast.report.pk, "event": event.pk},
        dedupe_key="receipt:concurrent",
    )
    assert notification is not None
    results = {}
    first = in_thread(results, "first", notification.pk)
    assert SlowMailServer.sending.wait(10), "the first worker reached the mail server"
    second = in_thread(results, "second", notification.pk)
    second.join(0.5)  # on PostgreSQL it waits for the first worker's row lock
    SlowMailServer.release.set()
    first.join(10)
    second.join(10)
    assert results["first"] == "sent"
    assert results["second"] in {"skipped", "locked"}
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
