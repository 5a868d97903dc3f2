"""National scale (issue 9): the export streams from its first byte, and the access filter uses no joins."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lokalkomp.needs.access import visible_reports
from lokalkomp.needs.documents import measures_workbook_chunks
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.needs.rules import can_view_report
from lokalkomp.testing import make_measure, make_partnership, make_report, make_user, sign_in_with_two_factor


def test_the_excel_export_sends_its_first_bytes_before_it_reads_the_measures(cast):
    for n in range(3):
        make_measure(cast.report, 1_000 * n, 500, name=f"Tiltak {n}")
    chunks = measures_workbook_chunks(Measure.objects.all())
    with CaptureQueriesContext(connection) as before_first:
        first = next(chunks)
    assert first.startswith(b"PK")  # the zip's first entry is on its way
    assert len(before_first) == 0
    rest = b"".join(chunks)
    rows = list(load_workbook(io.BytesIO(first + rest)).active.iter_rows(values_only=True))
    assert [row[7] for row in rows[1:]] == ["Tiltak 0", "Tiltak 1", "Tiltak 2"]
    assert [row[11] for row in rows[1:]] == [500, 1_500, 2_500]


def test_the_export_of_all_measures_is_a_streaming_response(client, cast):
    make_measure(cast.report, 1_000, 500, name="Lesing")
    sign_in_with_two_factor(client, cast.governor)  # the Statsforvalter signs in with a TOTP code
    response = client.get(reverse("needs:measures_xlsx"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="tiltak-alle.xlsx"'
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [row[7] for row in rows[1:]] == ["Lesing"]


def test_the_list_of_readable_reports_is_exactly_what_the_report_page_allows(cast):
    elsewhere = make_report(cast.round, make_partnership(cast.office))  # in the office, not in the network
    stranger = make_user("nobody@cast.test")
    people = [
        cast.governor,
        cast.forum_member,
        cast.coordinator,
        cast.owner_contact,
        cast.partner_contact,
        cast.union_rep,
        cast.outsider,
        cast.other_coordinator,
        cast.other_office_governor,
        stranger,
    ]
    for person in people:
        listed = set(visible_reports(person).values_list("pk", flat=True))
        allowed = {r.pk for r in NeedsReport.objects.all() if can_view_report(person, r)}
        assert listed == allowed, person
    assert elsewhere.pk in set(visible_reports(cast.governor).values_list("pk", flat=True))
    assert elsewhere.pk not in set(visible_reports(cast.coordinator).values_list("pk", flat=True))


def test_the_filter_of_readable_reports_joins_no_table_that_grows_with_the_country(cast):
    sql = str(visible_reports(cast.coordinator).order_by().query)
    for table in ("needs_contact", "needs_participant", "needs_unionparticipant", "needs_partnership"):
        assert table not in sql, sql
