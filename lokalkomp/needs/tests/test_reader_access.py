"""A reader of an office reads that office's submitted needs reports: the rule and its list filter agree."""

from __future__ import annotations

import pytest

from lokalkomp.accounts.models import REPORT_READER_ROLES, Membership, Role
from lokalkomp.needs.access import visible_reports
from lokalkomp.needs.models import NeedsReport
from lokalkomp.needs.rules import can_edit_report, can_reopen_report, can_view_report
from lokalkomp.testing import make_office, make_report, make_round, make_user


@pytest.fixture
def reader(cast):
    person = make_user("leser@example.test")
    Membership.objects.create(user=person, role=Role.READER, office=cast.office)
    return person


@pytest.fixture
def reports(cast):
    """The cast's draft, a submitted report of the same office, and a submitted one of another office."""
    submitted = make_report(make_round(cast.office, year=cast.round.year - 1), cast.report.partnership)
    elsewhere = make_report(make_round(make_office(), year=cast.round.year))
    NeedsReport.objects.filter(pk__in=[submitted.pk, elsewhere.pk]).update(status=NeedsReport.Status.SUBMITTED)
    return {
        "draft": cast.report,
        "submitted": NeedsReport.objects.get(pk=submitted.pk),
        "elsewhere": NeedsReport.objects.get(pk=elsewhere.pk),
    }


def test_the_reader_is_one_of_the_roles_that_read_submitted_reports():
    assert Role.READER in REPORT_READER_ROLES


def test_the_reader_reads_the_offices_submitted_report_and_neither_its_draft_nor_another_offices(reader, reports):
    assert {name for name, report in reports.items() if can_view_report(reader, report)} == {"submitted"}
    assert set(visible_reports(reader)) == {reports["submitted"]}


def test_the_reader_changes_nothing(reader, reports):
    assert not can_edit_report(reader, reports["submitted"])
    assert not can_reopen_report(reader, reports["submitted"])


def test_a_reopened_report_is_a_draft_again_and_the_reader_no_longer_sees_it(reader, reports):
    NeedsReport.objects.filter(pk=reports["submitted"].pk).update(status=NeedsReport.Status.DRAFT)
    reopened = NeedsReport.objects.get(pk=reports["submitted"].pk)

    assert not can_view_report(reader, reopened)
    assert not visible_reports(as_new_request(reader)).exists()


def test_a_reader_whose_membership_ended_reads_nothing(reader, reports):
    Membership.objects.filter(user=reader).update(active=False)

    assert not can_view_report(as_new_request(reader), reports["submitted"])
    assert not visible_reports(as_new_request(reader)).exists()


def as_new_request(user):
    """The same person as a new request loads them (the roles and the report scope are cached per object)."""
    return type(user).objects.get(pk=user.pk)


def test_the_reader_reads_the_submitted_report_but_not_its_change_record_of_the_draft(client, cast, reader, reports):
    """The change record holds what was typed and deleted while it was a draft: not for a reader."""
    from django.urls import reverse

    from lokalkomp.needs.rules import can_view_report_history, shows_report_history

    url = reverse("needs:report", args=[reports["submitted"].pk])
    client.force_login(reader)
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="changes"' not in page.content.decode()
    assert not can_view_report_history(reader, reports["submitted"])
    assert not shows_report_history(reader, reports["submitted"])

    client.force_login(cast.owner_contact)
    submitted_own = client.get(url)  # the same report, read by the partnership's own contact
    assert submitted_own.status_code == 200 and 'id="changes"' in submitted_own.content.decode()
    assert can_view_report_history(cast.coordinator, reports["submitted"])
