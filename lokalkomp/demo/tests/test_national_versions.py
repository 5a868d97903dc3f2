"""The national data's submitted reports are records too: each has its version 1, as a submission keeps it."""

from __future__ import annotations

import pytest

from lokalkomp.demo import national
from lokalkomp.needs.models import NeedsReport, NeedsReportVersion
from lokalkomp.needs.records import load, serialise

pytestmark = pytest.mark.django_db


def test_every_generated_submitted_report_has_version_1_tied_to_its_submission_as_submit_keeps_it():
    national.generate(years=2, scale=0.01, last_year=2027, seed=1, log=lambda _line: None)
    submitted = NeedsReport.objects.submitted()
    assert submitted.exists()
    versions = NeedsReportVersion.objects.select_related("event")
    assert sorted(v.report_id for v in versions) == sorted(submitted.values_list("pk", flat=True))
    assert not NeedsReportVersion.objects.exclude(report__status="submitted").exists()
    for version in versions:
        assert (version.number, version.event.to_status, version.event.report_id) == (1, "submitted", version.report_id)
        assert (version.submitted_at, version.submitted_by_id) == (version.event.at, version.event.actor_id)
    for sample in (versions.order_by("pk").first(), versions.order_by("pk").last()):
        assert sample.data == serialise(load(sample.report_id))
