"""The demo's reader (leser@lokalkomp.test) reads Nordland's submitted needs reports and none of its drafts."""

import pytest
import time_machine
from django.urls import reverse

from lokalkomp.accounts.models import User
from lokalkomp.demo.build import build
from lokalkomp.needs.models import NeedsReport

TODAY = "2026-11-22 10:00 +01:00"
READER = "leser@lokalkomp.test"


@pytest.fixture
def reader(client, db):
    with time_machine.travel(TODAY, tick=False):
        build()
        client.force_login(User.objects.get(email=READER))
        yield client


def _report(year):
    return NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=year)


def test_the_reader_reads_the_offices_submitted_report(reader):
    submitted = _report(2024)
    assert submitted.status == NeedsReport.Status.SUBMITTED

    response = reader.get(submitted.get_absolute_url())

    assert response.status_code == 200
    assert "God opplæring for alle" in response.content.decode()
    assert reader.get(reverse("needs:pdf", args=[submitted.pk])).status_code == 200


def test_the_reader_does_not_see_the_draft(reader):
    draft = _report(2027)
    assert draft.status == NeedsReport.Status.DRAFT

    assert reader.get(draft.get_absolute_url()).status_code == 404
    assert reader.get(reverse("needs:edit_section", args=[draft.pk, "partnership"])).status_code == 404


def test_the_reader_may_not_change_a_submitted_report(reader):
    submitted = _report(2024)

    response = reader.post(reverse("needs:reopen", args=[submitted.pk]))

    assert response.status_code == 403
    assert _report(2024).status == NeedsReport.Status.SUBMITTED


def test_the_round_pages_list_the_submitted_reports_and_no_draft(reader):
    listed = reader.get(reverse("schemes:round", args=["nordland", 2024])).content.decode()
    current = reader.get(reverse("schemes:round", args=["nordland", 2027])).content.decode()

    assert _report(2024).get_absolute_url() in listed
    assert _report(2027).get_absolute_url() not in current
    reader.force_login(User.objects.get(email="koordinator@lokalkomp.test"))  # the network's coordinator does see it
    assert (
        _report(2027).get_absolute_url()
        in reader.get(reverse("schemes:round", args=["nordland", 2027])).content.decode()
    )
