"""needs announces its steps and this app listens, in the step's own transaction (lokalkomp/needs/announce.py)."""

import pytest
from django.apps import apps

from lokalkomp.needs import announce
from lokalkomp.needs.actions import submit_report
from lokalkomp.needs.models import NeedsReport, NeedsReportEvent
from lokalkomp.notifications.actions import on_report_reopened, on_report_submitted
from lokalkomp.notifications.models import Notification
from lokalkomp.testing import complete

from .conftest import DEADLINE

pytestmark = pytest.mark.cast(deadline=DEADLINE)


def test_each_announcement_has_this_apps_listener_once_even_if_the_app_is_made_ready_again():
    apps.get_app_config("notifications").ready()
    assert announce.listeners(announce.REPORT_SUBMITTED) == [on_report_submitted]
    assert announce.listeners(announce.REPORT_REOPENED) == [on_report_reopened]


def test_a_listener_that_fails_undoes_the_submission_and_the_receipts_queued_before_it(
    cast, before_deadline, monkeypatch, django_capture_on_commit_callbacks
):
    def fails(**keywords):
        assert Notification.objects.filter(kind="receipt").count() == 2, "queued by the listener before"
        raise RuntimeError("a later listener fails")

    monkeypatch.setitem(announce._listeners, announce.REPORT_SUBMITTED, [on_report_submitted, fails])
    complete(cast.report)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_report(cast.report, by=cast.owner_contact)
    assert callbacks == []
    assert not Notification.objects.exists()
    assert NeedsReport.objects.get(pk=cast.report.pk).status == NeedsReport.Status.DRAFT
    assert not NeedsReportEvent.objects.filter(report=cast.report, to_status="submitted").exists()


def test_an_announcement_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        announce.announce(announce.REPORT_SUBMITTED, report=None, event=None)


def test_a_name_needs_does_not_announce_is_refused():
    with pytest.raises(ValueError, match="needs announces no"):
        announce.listen("needs.report_decided", on_report_submitted)
    with pytest.raises(ValueError, match="needs announces no"):
        announce.announce("needs.report_decided")
