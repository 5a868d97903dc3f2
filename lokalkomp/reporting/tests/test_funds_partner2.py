"""A measure's «partner 2» in the report on the use of funds: a recipient of its own, so that used + unused =
granted holds per recipient (owner, the report's UH, partner 2), on the form, in the checks, in the follow-up,
in the statistics and in the Udir export; and lines opened before are split by the migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from lokalkomp.allocation.tests.steps_helpers import as_asked
from lokalkomp.allocation.tests.test_second_partner_decisions import decide, ntnu, r  # noqa: F401 - fixtures
from lokalkomp.needs.models import Contact
from lokalkomp.testing import make_user

from ..followup import unused_per_side
from ..funds_checks import line_problems
from ..models import FundsReport, FundsReportLine
from ..statistics.queries import reported_use
from .funds_helpers import fill_in
from .test_followup_pages import governor_of

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture
def report(r, ntnu):  # noqa: F811 - the fixtures above
    """«Regning» decided as asked: 50 000 to the owner, 90 000 on the UH side, of which 30 000 to NTNU."""
    as_asked(r.recommendation, r.c)
    decide(r)
    found = FundsReport.open_for(partnership=r.c.report.partnership, round=r.round)
    found.steps = r  # the decided round, for the tests that need its office
    return found


def test_partner_2_is_granted_apart_from_the_reports_uh(report, ntnu):  # noqa: F811
    line = report.lines.get()
    assert (line.granted_owner, line.granted_uh, line.granted_partner2) == (50_000, 60_000, 30_000)
    assert line.partner2_name == "NTNU" and line.has_partner2
    assert line.granted == 140_000


def test_used_and_unused_add_up_to_granted_per_recipient(report):
    line = report.lines.get()
    fill_in(line, used_owner=50_000, used_uh=60_000, used_partner2=20_000, unused_proposal="return")
    line.refresh_from_db()
    assert (line.unused_owner, line.unused_uh, line.unused_partner2) == (0, 0, 10_000)
    for side in ("owner", "uh", "partner2"):
        assert getattr(line, f"used_{side}") + getattr(line, f"unused_{side}") == getattr(line, f"granted_{side}")
    assert line.used + line.unused == line.granted == 140_000
    assert not line_problems(line)
    assert unused_per_side(report) == {"owner": 0, "partner": 0, "partner2": 10_000}


def test_partner_2_cannot_use_more_than_it_was_granted_nor_the_uh_take_partner_2s_share(report):
    line = report.lines.get()
    fill_in(line, used_uh=90_000, used_partner2=0, unused_proposal="return")  # the old lump sum on the UH
    line.refresh_from_db()
    assert [p.field for p in line_problems(line)] == ["used_uh"]
    fill_in(line, used_partner2=30_001)
    line.refresh_from_db()
    assert "used_partner2" in [p.field for p in line_problems(line)]


def test_the_form_asks_partner_2s_use_and_the_follow_up_and_statistics_count_it(report):
    steps = report.steps
    line = report.lines.get()
    contact = make_user()
    participant = report.partnership.participants.get(side="owner")
    Contact.objects.create(participant=participant, user=contact, name="Kontakt", email=contact.email)
    client = Client()
    client.force_login(contact)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'name="line:{line.pk}:used_partner2"' in page and 'data-granted-partner2="30000"' in page
    assert "NTNU" in page

    fill_in(line, used_partner2=20_000, unused_proposal="return")
    report.submit(by=contact)
    governor = Client()
    governor.force_login(governor_of(steps.round.office))
    url = reverse("reporting:followup_report", args=[steps.round.office.slug, steps.round.year, report.pk])
    follow_up = governor.get(url).content.decode()
    assert 'data-unused="10000"' in follow_up
    [row] = [row for row in reported_use(steps.round.office) if row.granted == 140_000]
    assert row.used == 130_000


def test_a_line_without_partner_2_shows_no_field_for_it(report):
    line = report.lines.get()
    FundsReportLine.objects.filter(pk=line.pk).update(granted_partner2=0, partner2_name="")
    contact = make_user()
    participant = report.partnership.participants.get(side="owner")
    Contact.objects.create(participant=participant, user=contact, name="Kontakt", email=contact.email)
    client = Client()
    client.force_login(contact)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "used_partner2" not in page and "data-granted-partner2" not in page


def test_the_migration_splits_a_line_opened_before(report):
    """A line as it was opened before: partner 2's 30 000 in the UH's 90 000, and 85 000 reported used by «UH»."""
    line = report.lines.get()
    FundsReportLine.objects.filter(pk=line.pk).update(
        granted_uh=90_000, granted_partner2=0, partner2_name="", used_uh=85_000, used_partner2=0
    )
    migration = importlib.import_module("lokalkomp.reporting.migrations.0006_funds_partner2")
    migration.split_partner2(apps, None)
    line.refresh_from_db()
    assert (line.granted_uh, line.granted_partner2, line.partner2_name) == (60_000, 30_000, "NTNU")
    assert (line.used_uh, line.used_partner2) == (60_000, 25_000)  # what the UH could not have used alone
    assert line.granted == 140_000 and line.used == 85_000  # nothing lost, nothing added
    migration.split_partner2(apps, None)  # a second run changes nothing
    line.refresh_from_db()
    assert (line.granted_uh, line.granted_partner2) == (60_000, 30_000)
