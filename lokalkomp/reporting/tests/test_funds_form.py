"""The owner's form for the report on the use of funds: list, page, autosave and its conflicts, submit, PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lokalkomp.reporting.funds_testing import decided, fill_in
from lokalkomp.reporting.models import FundsReport, FundsReportLine
from lokalkomp.testing import make_user

pytestmark = pytest.mark.django_db


def _save(client, report, field, value, version=None, line=None):
    line = line or report.lines.get()
    key = f"line:{line.pk}:{field}"
    report.refresh_from_db()
    data = {"key": key, key: value, "version": str(report.version if version is None else version)}
    return client.post(reverse("reporting:funds_save", args=[report.pk]), data)


@pytest.fixture
def case():
    return decided(amounts=((100_000, 50_000), (30_000, 10_000)))


def test_mine_lists_the_partnerships_reports(client, case, django_assert_max_num_queries):
    decided()  # another partnership's
    client.force_login(case.partner)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("reporting:funds_mine"))
    assert response.status_code == 200
    assert f'data-report="{case.report.pk}"'.encode() in response.content
    assert response.content.count(b"data-report=") == 1


def test_the_form_has_a_section_per_measure_within_the_query_budget(client, case, django_assert_max_num_queries):
    client.force_login(case.owner)
    with django_assert_max_num_queries(15):
        response = client.get(case.report.get_absolute_url())
    assert response.status_code == 200
    lines = list(case.report.lines.order_by("position"))
    for line in lines:
        assert f'id="line-{line.pk}"'.encode() in response.content
    assert b'data-granted="190000"' in response.content
    assert f'name="line:{lines[0].pk}:pupil_voice"'.encode() in response.content
    assert f'name="line:{lines[0].pk}:results_staff"'.encode() not in response.content  # not under dekomp


def test_autosave_saves_and_raises_the_version(client, case):
    client.force_login(case.owner)
    response = _save(client, case.report, "used_owner", "90 000", line=case.report.lines.get(position=1))
    assert response.status_code == 200
    assert case.report.lines.get(position=1).used_owner == 90_000
    case.report.refresh_from_db()
    assert case.report.version == 2
    assert b'id="funds-version" name="version" value="2"' in response.content
    assert b'id="funds-checks"' in response.content  # the checks panel comes along


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, case):
    client.force_login(case.owner)
    line = case.report.lines.get(position=1)
    assert _save(client, case.report, "anchoring", "Eier skriver", version=1, line=line).status_code == 200
    other = client.__class__()
    other.force_login(case.partner)
    response = _save(other, case.report, "anchoring", "UH skriver", version=1, line=line)
    assert response.status_code == 409
    assert FundsReportLine.objects.get(pk=line.pk).anchoring == "Eier skriver"
    assert b'value="2"' in response.content  # the page learns the version now


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("used_owner", "12\x0034"),
        ("used_owner", "9" * 30),
        ("used_owner", "1000000000001"),
        ("used_owner", "-5"),
        ("outcome", "bogus"),
        ("anchoring", "a\x00b"),
        ("anchoring", "x" * 10_001),
    ],
)
def test_bad_input_gets_a_message_not_a_500(client, case, field, value):
    client.force_login(case.owner)
    response = _save(client, case.report, field, value, line=case.report.lines.get(position=1))
    assert response.status_code == 422
    case.report.refresh_from_db()
    assert case.report.version == 1


def test_unknown_fields_and_other_reports_lines_are_refused(client, case):
    other = decided()
    client.force_login(case.owner)
    key = f"line:{other.report.lines.get().pk}:used_owner"
    response = client.post(
        reverse("reporting:funds_save", args=[case.report.pk]), {"key": key, key: "5", "version": "1"}
    )
    assert response.status_code == 400
    key = f"line:{case.report.lines.get(position=1).pk}:granted_owner"
    response = client.post(
        reverse("reporting:funds_save", args=[case.report.pk]), {"key": key, key: "5", "version": "1"}
    )
    assert response.status_code == 400
    assert other.report.lines.get().used_owner == 0
    assert case.report.lines.get(position=1).granted_owner == 100_000


def test_submit_is_refused_while_checks_fail_then_goes_through(client, case):
    client.force_login(case.owner)
    url = reverse("reporting:funds_submit", args=[case.report.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    case.report.refresh_from_db()
    assert case.report.status == FundsReport.Status.DRAFT
    assert int(response.content.split(b'data-problems="')[1].split(b'"')[0]) > 0
    for line in case.report.lines.all():
        fill_in(line)
    assert client.post(url).status_code == 302
    case.report.refresh_from_db()
    assert case.report.status == FundsReport.Status.SUBMITTED
    assert case.report.versions.count() == 1
    # a submitted report is a record: autosave is refused
    response = _save(client, case.report, "anchoring", "Endret", line=case.report.lines.get(position=1))
    assert response.status_code == 423
    assert case.report.lines.get(position=1).anchoring == "Svar."


def test_the_pdf(client, case):
    client.force_login(case.partner)
    response = client.get(reverse("reporting:funds_pdf", args=[case.report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_strangers_get_404(client, case):
    client.force_login(make_user())
    for name in ("funds_report", "funds_pdf"):
        assert client.get(reverse(f"reporting:{name}", args=[case.report.pk])).status_code == 404
    assert client.post(reverse("reporting:funds_submit", args=[case.report.pk])).status_code == 404
    assert client.get(reverse("reporting:funds_report", args=[10**19])).status_code == 404
