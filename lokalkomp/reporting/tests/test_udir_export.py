"""The export to Udir (issue 13): a workbook per office and year with the frames, the decisions per recipient
and scheme, and the reported use; for the office's Statsforvalter only; a bounded number of queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lokalkomp.reporting.funds_testing import decided as funds_decided
from lokalkomp.reporting.funds_testing import fill_in
from lokalkomp.testing import make_governor_admin, mark_reauthenticated, sign_in_with_two_factor

from .opendata_helpers import decided, many_pool_decisions

pytestmark = pytest.mark.django_db


def url(round) -> str:
    return reverse("reporting:udir_export", args=[round.office.slug, round.year])


def sheets(response) -> list[list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.worksheets) == 3
    result = []
    for sheet in book.worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True))
        result.append([tuple(row) + (None,) * (len(header) - len(row)) for row in rows])  # empty cells at the end
    return result


def governor_client(client, office):
    governor = make_governor_admin(office)
    sign_in_with_two_factor(client, governor)
    mark_reauthenticated(client, governor)
    return client


def test_the_workbook_has_the_frames_the_decisions_and_the_granted_amounts(client, cast):
    d = decided(cast)
    client.force_login(cast.governor)
    mark_reauthenticated(client, cast.governor)
    frames, decisions, reported = sheets(client.get(url(d.round)))
    scheme = d.round.schemes.order_by("pk").first()
    row = next(r for r in frames if r[0] == (scheme.short_name or scheme.name))
    assert row[1:] == (1_000_000, 50_000, 0, 470_000, 580_000)  # frame, pool, extra, granted, left
    assert sum(r[6] for r in decisions) == 470_000
    assert sum(r[4] for r in decisions) == 280_000 and sum(r[5] for r in decisions) == 190_000
    pool = d.decisions[-1]
    assert (pool.recipient_name, pool.org_number) in {(r[0], r[1]) for r in decisions}
    assert sum((r[5] or 0) + (r[6] or 0) for r in reported) == 470_000  # nothing reported yet: granted, use empty
    assert all(r[7] is None and r[8] is None for r in reported)
    assert {r[2] for r in reported} >= {"Lesing", "Skriving"}
    assert pool.account_number not in str(decisions)


def test_the_reported_use_comes_from_a_submitted_report(client):
    case = funds_decided(amounts=((100_000, 50_000),))
    line = case.report.lines.get()
    fill_in(line, used_owner=90_000, used_uh=50_000, unused_proposal="return")
    governor_client(client, case.round.office)
    _frames, _decisions, reported = sheets(client.get(url(case.round)))
    assert [(r[5], r[6], r[7], r[8], r[9]) for r in reported] == [(100_000, 50_000, None, None, None)]  # a draft
    case.report.submit(by=case.owner)
    _frames, _decisions, reported = sheets(client.get(url(case.round)))
    assert [(r[5], r[6], r[7], r[8], r[9]) for r in reported] == [(100_000, 50_000, 90_000, 50_000, 10_000)]


@pytest.mark.parametrize("extra", [0, 30])
def test_the_export_reads_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries, extra):
    d = decided(cast)
    many_pool_decisions(d.round, extra)
    client.force_login(cast.governor)
    mark_reauthenticated(client, cast.governor)
    with django_assert_max_num_queries(15):
        _frames, decisions, _reported = sheets(client.get(url(d.round)))
    assert len(decisions) == 5 + extra


def test_only_the_office_s_statsforvalter_takes_it(client, cast):
    d = decided(cast)
    for person in (cast.owner_contact, cast.forum_member, cast.other_office_governor):
        client.force_login(person)
        mark_reauthenticated(client, person)
        assert client.get(url(d.round)).status_code == 403, person
    client.logout()
    assert client.get(url(d.round)).status_code == 302
    client.force_login(cast.governor)
    mark_reauthenticated(client, cast.governor)
    assert client.get(f"/runder/{d.round.office.slug}/99999999999999999999/udir-eksport.xlsx").status_code == 404
