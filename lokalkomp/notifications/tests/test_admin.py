"""The administrator reads what was sent and may send failed notifications again."""

import pytest
from django.urls import reverse

from lokalkomp.notifications.models import Notification
from lokalkomp.notifications.testing import run_queued_tasks
from lokalkomp.testing import make_user, sign_in_with_two_factor

from .conftest import DEADLINE
from .test_delivery import a_receipt

pytestmark = pytest.mark.cast(deadline=DEADLINE)


def test_the_administrator_sees_the_notifications_read_only(cast, client, django_capture_on_commit_callbacks):
    notification = a_receipt(cast, django_capture_on_commit_callbacks)
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:notifications_notification_changelist"))
    assert page.status_code == 200 and notification.email in page.content.decode()
    change = reverse("admin:notifications_notification_change", args=[notification.pk])
    assert client.post(change, {"email": "other@example.test"}).status_code == 403
    assert reverse("admin:notifications_notification_add") not in page.content.decode()


def test_a_failed_notification_can_be_sent_again_once(
    cast, client, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    notification = a_receipt(cast, django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=notification.pk).update(status="failed", attempts=10, last_error="Down")
    sign_in_with_two_factor(client, make_user(is_staff=True, is_superuser=True))
    changelist = reverse("admin:notifications_notification_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        for _twice in range(2):
            client.post(changelist, {"action": "send_failed_again", "_selected_action": [notification.pk]})
    assert run_queued_tasks() == 2  # the new task sends; the first one's copy finds it sent
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
