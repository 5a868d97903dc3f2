"""The demo's reports on the use of funds: 2023's submitted (seed 004's measures), Ytre Helgeland's 2024 a draft.

The demo is built once for the module, in a transaction rolled back after its last test.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from lokalkomp.allocation.models import DecisionLine
from lokalkomp.demo.build import build
from lokalkomp.demo.reporting_funds import build as build_again
from lokalkomp.reporting.models import FundsReport, FundsReportEvent
from lokalkomp.testing import rolled_back_afterwards

TODAY = "2026-11-22 10:00 +01:00"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_afterwards():
        with time_machine.travel(TODAY, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            build()
        yield


def test_2023s_decided_partnerships_have_submitted_reports(_built, db):
    reports = list(FundsReport.objects.filter(round__year=2023).prefetch_related("lines"))
    assert reports
    assert {r.status for r in reports} <= {"submitted", "accepted", "returned"}  # the follow-up's demo acts on some
    decided = set(
        DecisionLine.objects.filter(decision__round__year=2023, measure__isnull=False).values_list("measure", flat=True)
    )
    assert {line.measure_id for r in reports for line in r.lines.all()} == decided
    for report in reports:
        assert report.problems() == []
        assert report.versions.order_by("number").first().submitted_at.date() == dt.date(2024, 6, 12)
        assert sum(line.granted for line in report.lines.all()) == sum(
            DecisionLine.objects.filter(
                decision__round__year=2023, measure__report__partnership=report.partnership
            ).values_list("amount", flat=True)
        )
    assert FundsReport.objects.with_deadlines().filter(round__year=2023).first().due_on == dt.date(2024, 6, 17)


def test_ytre_helgelands_2024_report_is_a_draft_to_fill_in(_built, db, client, django_assert_max_num_queries):
    report = FundsReport.objects.get(round__year=2024, partnership__name="God opplæring for alle")
    assert report.status == "draft" and report.lines.exists()
    assert client.login(email="eier@lokalkomp.test", password="demo")
    with django_assert_max_num_queries(15):
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert f'data-line="{report.lines.first().pk}"'.encode() in response.content


def test_loading_again_changes_nothing(_built, db):
    events = FundsReportEvent.objects.count()
    build_again()
    assert FundsReportEvent.objects.count() == events
