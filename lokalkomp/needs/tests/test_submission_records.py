"""What a submission said stays what its receipt and its page show: reports submitted before versions were
kept get their version 1 from a migration, and a receipt shows its own submission, not the draft reopened since."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.needs.models import Measure, NeedsReport, NeedsReportEvent, NeedsReportVersion, Participant
from lokalkomp.needs.records import load, serialise
from lokalkomp.testing import RenamedModels, complete, make_measure, make_partnership, make_report

DEADLINE = dt.date(2026, 12, 15)
BEFORE = "2026-12-10 12:00 +01:00"
OLD_ACCOUNT, NEW_ACCOUNT = "76940500660", "15031234503"

migration = importlib.import_module("lokalkomp.needs.migrations.0007_version_earlier_submissions")


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def with_a_complete_report(cast):
    complete(cast.report)  # one measure: owner kr 100 000, UH kr 50 000


pytestmark = pytest.mark.cast(deadline=DEADLINE, then=with_a_complete_report)


def submitted_before_versions(cast) -> NeedsReportEvent:
    """A report submitted the way it was before versions were kept: a status and an event, no version."""
    with time_machine.travel(BEFORE, tick=False):
        NeedsReport.objects.filter(pk=cast.report.pk).update(status=NeedsReport.Status.SUBMITTED)
        NeedsReportEvent.objects.create(report=cast.report, actor=cast.owner_contact, from_status="", to_status="draft")
        return NeedsReportEvent.objects.create(
            report=cast.report,
            actor=cast.owner_contact,
            from_status="draft",
            to_status="submitted",
            code="submitted",
            params={"to": "Nettverk"},
        )


def test_the_migration_keeps_a_report_submitted_before_versions_as_version_1_of_its_last_submission(cast):
    event = submitted_before_versions(cast)
    migration.snapshot_earlier_submissions(RenamedModels(), None)
    version = NeedsReportVersion.objects.get(report=cast.report)
    assert (version.number, version.event, version.submitted_by, version.submitted_at) == (
        1,
        event,
        cast.owner_contact,
        event.at,
    )
    # Its frozen serialiser writes exactly what `records.serialise` writes.
    assert version.data == serialise(load(cast.report.pk))


def test_after_the_migration_the_old_submitted_page_ignores_later_edits_of_the_partnership(client, cast):
    submitted_before_versions(cast)
    migration.snapshot_earlier_submissions(RenamedModels(), None)
    partnership = cast.report.partnership
    Participant.objects.filter(partnership=partnership, side="partner", is_lead=True).update(account_number=NEW_ACCOUNT)
    client.force_login(cast.partner_contact)
    page = text(client.get(reverse("needs:report", args=[cast.report.pk])))
    assert "7694.05.00660" in page and "1503.12.34503" not in page


def test_the_migration_leaves_versioned_and_draft_reports_alone_and_can_run_twice(cast):
    with time_machine.travel(BEFORE, tick=False):
        NeedsReport.objects.get(pk=cast.report.pk).submit(by=cast.owner_contact)
    other = make_report(cast.round, make_partnership(cast.office))  # a draft
    migration.snapshot_earlier_submissions(RenamedModels(), None)
    migration.snapshot_earlier_submissions(RenamedModels(), None)
    assert list(NeedsReportVersion.objects.filter(report=cast.report).values_list("number", flat=True)) == [1]
    assert not NeedsReportVersion.objects.filter(report=other).exists()


def test_the_receipt_page_after_a_reopening_shows_what_that_submission_said_not_the_draft(client, cast):
    with time_machine.travel(BEFORE, tick=False):
        NeedsReport.objects.get(pk=cast.report.pk).submit(by=cast.owner_contact)
        NeedsReport.objects.get(pk=cast.report.pk).reopen(by=cast.coordinator)
    Measure.objects.filter(report=cast.report).update(owner_amount=900_000)
    make_measure(cast.report, 10_000, 0, name="Nytt tiltak")
    client.force_login(cast.owner_contact)
    page = text(client.get(reverse("needs:receipt", args=[cast.report.pk])))
    assert 'id="reopened-note"' in page
    assert '<dd id="receipt-measures">1</dd>' in page
    assert "kr 150 000" in page and "kr 910 000" not in page and "kr 960 000" not in page


def test_the_preview_names_its_problems_in_a_region_labelled_by_its_heading(client, cast):
    Measure.objects.filter(report=cast.report).delete()  # incomplete: the preview lists what to fix
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(cast.owner_contact)
        page = text(client.get(reverse("needs:preview", args=[cast.report.pk])))
    assert '<section class="ds-error-summary" tabindex="-1" aria-labelledby="preview-problems-heading"' in page
    assert '<div class="ds-error-summary"' not in page
