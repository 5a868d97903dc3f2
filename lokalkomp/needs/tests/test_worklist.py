"""The Statsforvalter's work list of a round: counts, partnerships without a report, the list, its filters and export."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.needs import panels, worklist
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.needs.rules import can_view_report, can_view_worklist, worklist_rounds_q
from lokalkomp.schemes.models import Round, Scheme
from lokalkomp.testing import (
    add_contact,
    give_totp,
    make_governor_admin,
    make_measure,
    make_network,
    make_office,
    make_partnership,
    make_report,
    make_round,
    make_user,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def no_compilations(monkeypatch):
    """No app tells which reports are compiled, unless a test says so (allocation registers one)."""
    monkeypatch.setattr(panels, "compiled_report_ids", [])


def url(round: Round, name: str = "needs:worklist") -> str:
    return reverse(name, args=[round.office.slug, round.year])


def page(client, round: Round, **params) -> str:
    response = client.get(url(round), params)
    assert response.status_code == 200
    return response.content.decode()


def submitted(report: NeedsReport) -> NeedsReport:
    """Submitted with its event and first version, as the site leaves it."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    report.record_version(by=None, event=event)
    return report


def named(partnership, name: str):
    partnership.name = name
    partnership.save()
    return partnership


@pytest.fixture
def year(cast):
    """The cast's 2027 round and the office's 2026 round, with one partnership in each state.

    Alfa: reported in 2026, a draft in 2027. Bravo: reported in 2026, nothing in 2027 (not started).
    Charlie: submitted in 2027, in another network. Delta: submitted and sent back in 2027. Echo: reported in 2026,
    no contact person. Foxtrot: new, never reported. Golf: another office's, reported there in 2026.
    """
    last = make_round(cast.office, year=2026)
    other_network = make_network(cast.office)
    alfa = named(cast.report.partnership, "Alfa")
    make_report(last, alfa, status=NeedsReport.Status.SUBMITTED)
    make_measure(cast.report, owner=100_000, partner=50_000)
    bravo = named(make_partnership(cast.office, cast.network), "Bravo")
    add_contact(make_report(last, bravo), make_user("bravo@example.test"))
    charlie_report = make_report(cast.round, named(make_partnership(cast.office, other_network), "Charlie"))
    make_measure(charlie_report, owner=200_000, partner=300_000)
    submitted(charlie_report)
    delta_report = submitted(make_report(cast.round, named(make_partnership(cast.office, cast.network), "Delta")))
    delta_report.reopen(by=cast.governor, comment="Rett opp egenandelen")
    echo = named(make_partnership(cast.office, None), "Echo")
    make_report(last, echo)
    named(make_partnership(cast.office, cast.network), "Foxtrot")
    foreign = make_office()
    make_report(make_round(foreign, year=2026), named(make_partnership(foreign), "Golf"))
    return SimpleNamespace(
        last=last,
        other_network=other_network,
        bravo=bravo,
        echo=echo,
        charlie=charlie_report,
        delta=delta_report,
    )


def counts(html: str) -> dict[str, int]:
    found = re.findall(r'id="count-(\w+)"><span class="lk-step-n">(\d+)</span>', html)
    return {status: int(n) for status, n in found}


def report_names(html: str) -> list[str]:
    table = html.split('id="worklist-reports"')[1].split("</table>")[0] if 'id="worklist-reports"' in html else ""
    return re.findall(r'<a class="ds-link" href="/behovsmeldinger/\d+/">([^<]+)</a>', table)


def missing_names(html: str) -> list[str]:
    if 'id="missing-partnerships"' not in html:
        return []
    table = html.split('id="missing-partnerships"')[1].split("</table>")[0]
    return re.findall(r'<tr id="missing-\d+"><td data-label="[^"]+">([^<]+)</td>', table)


# ── The counts and the partnerships without a report ──────────────────────────────────────


def test_the_counts_say_how_many_reports_are_in_each_status_and_who_has_not_started(client, cast, year):
    client.force_login(cast.governor)
    html = page(client, cast.round)
    assert counts(html) == {"not_started": 2, "draft": 1, "sent_back": 1, "submitted": 1}
    assert missing_names(html) == ["Bravo", "Echo"]  # by network (Echo has none: last), never Foxtrot or Golf


def test_each_count_is_a_link_that_filters_the_list(client, cast, year):
    client.force_login(cast.governor)
    html = page(client, cast.round)
    links = dict(re.findall(r'<a href="\?([^"#]*)#[\w-]+" id="count-(\w+)"', html))
    links = {status: query for query, status in links.items()}
    assert report_names(page(client, cast.round, status="draft")) == ["Alfa"]
    assert links["draft"] == "status=draft"
    assert report_names(page(client, cast.round, status="sent_back")) == ["Delta"]
    assert report_names(page(client, cast.round, status="submitted")) == ["Charlie"]
    not_started = page(client, cast.round, status="not_started")
    assert report_names(not_started) == [] and missing_names(not_started) == ["Bravo", "Echo"]
    assert 'aria-current="step"' in page(client, cast.round, status="draft")


def test_the_compiled_count_appears_when_an_app_registers_the_compiled_reports(client, cast, year, monkeypatch):
    client.force_login(cast.governor)
    assert "count-compiled" not in page(client, cast.round)
    monkeypatch.setattr(panels, "compiled_report_ids", [lambda round: {year.charlie.pk}])

    html = page(client, cast.round)
    assert counts(html) == {"not_started": 2, "draft": 1, "sent_back": 1, "submitted": 0, "compiled": 1}
    assert report_names(page(client, cast.round, status="compiled")) == ["Charlie"]
    assert report_names(page(client, cast.round, status="submitted")) == []


def test_a_registry_that_knows_no_compiled_report_shows_zero(client, cast, year, monkeypatch):
    monkeypatch.setattr(panels, "compiled_report_ids", [lambda round: set()])
    client.force_login(cast.governor)
    assert counts(page(client, cast.round))["compiled"] == 0


def test_the_network_filter_applies_to_the_counts_and_the_partnerships_without_a_report(client, cast, year):
    client.force_login(cast.governor)
    html = page(client, cast.round, network=cast.network.pk)
    assert counts(html) == {"not_started": 1, "draft": 1, "sent_back": 1, "submitted": 0}
    assert missing_names(html) == ["Bravo"]
    assert report_names(html) == ["Alfa", "Delta"]
    no_network = page(client, cast.round, network="0")
    assert missing_names(no_network) == ["Echo"] and report_names(no_network) == []


# ── The list ──────────────────────────────────────────────────────────────────────────────


def test_the_list_shows_each_report_with_network_status_submitted_date_and_totals(client, cast, year):
    client.force_login(cast.governor)
    html = page(client, cast.round)
    assert report_names(html) == ["Alfa", "Delta", "Charlie"]  # by network name, then partnership
    charlie_row = html.split(">Charlie</a>")[1].split("</tr>")[0]
    assert year.other_network.name in charlie_row
    assert "Sendt inn" in charlie_row
    assert year.charlie.versions.get().submitted_at.astimezone().strftime("%d.%m.%Y") in charlie_row
    assert "kr\u00a0500\u00a0000" in charlie_row and "kr\u00a0200\u00a0000" in charlie_row
    table = html.split('id="worklist-reports"')[1].split("</table>")[0]
    assert 'class="ds-table lk-reflow"' in html.split('id="worklist-reports"')[0][-120:]
    assert re.findall(r"<td(?![^>]*data-label)", table) == []  # every cell labelled for phones


def test_the_list_can_be_sorted_by_total(client, cast, year):
    client.force_login(cast.governor)
    assert report_names(page(client, cast.round, sort="total")) == ["Charlie", "Alfa", "Delta"]
    assert report_names(page(client, cast.round, sort="partnership")) == ["Alfa", "Charlie", "Delta"]


def test_a_late_draft_the_statsforvalter_reopens_is_still_a_draft_not_sent_back(client, cast, year):
    NeedsReport.objects.get(pk=cast.report.pk).reopen(
        by=cast.governor
    )  # Alfa: never submitted, open after the deadline
    client.force_login(cast.governor)
    html = page(client, cast.round)
    assert counts(html) == {"not_started": 2, "draft": 1, "sent_back": 1, "submitted": 1}
    assert report_names(page(client, cast.round, status="draft")) == ["Alfa"]
    assert report_names(page(client, cast.round, status="sent_back")) == ["Delta"]
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx")))
    statuses = {row[0]: row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"Alfa": "Utkast", "Delta": "Sendt tilbake", "Charlie": "Sendt inn"}


def test_a_submitted_report_shows_its_submitted_totals_when_its_measures_are_changed_behind_its_back(
    client, cast, year
):
    Measure.objects.filter(report=year.charlie).update(owner_amount=999_000)  # a script, the admin, a bug
    make_measure(year.charlie, 1, 1)
    make_measure(cast.report, 600_000, 0)  # Alfa, a draft: its measures as they are now (750 000)
    client.force_login(cast.governor)
    html = page(client, cast.round)
    charlie_row = html.split(">Charlie</a>")[1].split("</tr>")[0]
    assert "kr\u00a0500\u00a0000" in charlie_row and "kr\u00a0200\u00a0000" in charlie_row
    assert "999" not in html
    assert report_names(page(client, cast.round, sort="total")) == ["Alfa", "Charlie", "Delta"]
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx")))
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["Charlie"][-3:] == (200_000, 300_000, 500_000)
    assert rows["Alfa"][-3:] == (700_000, 50_000, 750_000)
    assert not any(999_000 in row or 999_001 in row for row in rows.values())


@pytest.fixture
def three_schemes(cast):
    """A 2024 round of another office with its three schemes; one report with measures in two of them."""
    office = make_office()
    round = make_round(office, year=2024)
    governor = make_governor_admin(office)
    dekomp, rekomp = Scheme.objects.get(code="dekomp", valid_from__year__lte=2024), None
    rekomp = round.schemes.exclude(pk=dekomp.pk).order_by("code").first()
    report = make_report(round, named(make_partnership(office, make_network(office)), "Ytre"))
    make_measure(report, 625_000, 919_000, scheme=dekomp)
    make_measure(report, 505_000, 794_000, scheme=rekomp)
    other = make_report(round, named(make_partnership(office), "Indre"))
    make_measure(other, 1_000, 2_000, scheme=rekomp)
    return SimpleNamespace(round=round, governor=governor, dekomp=dekomp, rekomp=rekomp, report=report)


def test_the_totals_are_per_scheme_and_in_all(client, three_schemes):
    client.force_login(three_schemes.governor)
    html = page(client, three_schemes.round)
    row = html.split(">Ytre</a>")[1].split("</tr>")[0]
    assert "kr\u00a01\u00a0544\u00a0000" in row  # dekomp: 625 000 + 919 000
    assert "kr\u00a01\u00a0299\u00a0000" in row  # rekomp: 505 000 + 794 000
    assert "kr\u00a02\u00a0843\u00a0000" in row  # in all
    assert row.count("<td") == 3 + 3 + 1  # after the partnership: network, status, submitted; three schemes; total


def test_the_scheme_filter_keeps_the_reports_that_cover_the_scheme(client, three_schemes):
    client.force_login(three_schemes.governor)
    NeedsReport.objects.get(partnership__name="Indre").report_schemes.exclude(scheme=three_schemes.rekomp).delete()
    assert report_names(page(client, three_schemes.round, scheme=three_schemes.dekomp.pk)) == ["Ytre"]
    assert report_names(page(client, three_schemes.round, scheme=three_schemes.rekomp.pk)) == ["Ytre", "Indre"]


@pytest.mark.parametrize(
    "params",
    [
        {"network": "²"},
        {"network": "9" * 30},
        {"scheme": "abc"},
        {"scheme": "-1"},
        {"status": "x\x00y"},
        {"sort": "pk; drop table"},
        {"side": "²", "mside": "99999999999999999999"},
        {"network": "1e3", "scheme": " 1", "status": "DRAFT"},
    ],
)
def test_garbage_in_the_filters_is_left_out_with_a_message_never_an_error(client, cast, year, params):
    client.force_login(cast.governor)
    html = page(client, cast.round, **params)
    assert report_names(html) == ["Alfa", "Delta", "Charlie"]
    if set(params) & {"network", "scheme", "status", "sort"}:
        assert 'id="ignored-filters"' in html
    response = client.get(url(cast.round, "needs:worklist_xlsx"), params)
    assert response.status_code == 200


def test_the_list_is_paginated_and_the_pages_keep_the_filters(client, cast, year, monkeypatch):
    monkeypatch.setattr(worklist, "REPORTS_PER_PAGE", 1)
    client.force_login(cast.governor)
    html = page(client, cast.round, network=cast.network.pk)
    assert report_names(html) == ["Alfa"]
    assert f"network={cast.network.pk}&amp;side=2" in html
    assert report_names(page(client, cast.round, network=cast.network.pk, side=2)) == ["Delta"]


def one_query_compilations(round):
    """As allocation's registration: one query for the round's compiled reports (here: the submitted ones)."""
    return set(
        NeedsReport.objects.filter(round=round, status=NeedsReport.Status.SUBMITTED).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("n", [1, 30])
def test_the_page_costs_at_most_15_queries_whatever_the_number_of_reports(client, cast, n, monkeypatch):
    monkeypatch.setattr(panels, "compiled_report_ids", [one_query_compilations])
    last = make_round(cast.office, year=2026)
    second = make_network(cast.office)
    for i in range(n - 1):
        report = make_report(cast.round, make_partnership(cast.office, second if i % 2 else cast.network))
        make_measure(report, owner=1000, partner=500)
        if i % 3 == 0:
            submitted(report)
    for _i in range(n):
        add_contact(make_report(last, make_partnership(cast.office, second)), make_user())
    client.force_login(cast.governor)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, cast.round)
    assert len(report_names(html)) == n
    assert len(missing_names(html)) == min(n, worklist.MISSING_PER_PAGE)
    assert len(queries) <= 15, "\n".join(q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as export:
        assert client.get(url(cast.round, "needs:worklist_xlsx")).status_code == 200
    assert len(export) <= 15


def test_the_number_of_queries_does_not_grow_with_the_reports(client, cast, monkeypatch):
    monkeypatch.setattr(panels, "compiled_report_ids", [one_query_compilations])
    client.force_login(cast.governor)
    with CaptureQueriesContext(connection) as one:
        page(client, cast.round)
    second = make_network(cast.office)
    for i in range(29):
        make_measure(make_report(cast.round, make_partnership(cast.office, second if i % 2 else None)), owner=5)
    with CaptureQueriesContext(connection) as thirty:
        page(client, cast.round)
    assert len(one) == len(thirty)


# ── The export ────────────────────────────────────────────────────────────────────────────


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def test_the_export_has_the_reports_with_money_as_numbers_in_kroner(client, three_schemes):
    client.force_login(three_schemes.governor)
    response = client.get(url(three_schemes.round, "needs:worklist_xlsx"))
    assert 'filename="arbeidsliste-2024-' in response["Content-Disposition"]
    book = workbook(response)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Partnerskap", "Kompetansenettverk", "Status", "Sendt inn")
    assert len(header) == 4 + 3 * 3 + 3
    ytre = next(row for row in rows[1:] if row[0] == "Ytre")
    assert ytre[-3:] == (1_130_000, 1_713_000, 2_843_000)
    assert 1_544_000 in ytre and 1_299_000 in ytre
    cell = next(c for c in sheet[2 if rows[1][0] == "Ytre" else 3] if c.value == 2_843_000)
    assert "kr" in cell.number_format
    assert [row[0] for row in rows[1:]] == ["Ytre", "Indre"]  # in a network first, then without one


def test_the_export_takes_the_pages_filters(client, cast, year):
    client.force_login(cast.governor)
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx"), {"status": "draft"}))
    assert [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["Alfa"]
    assert len(book.worksheets) == 1  # the partnerships without a report are not drafts
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx"), {"network": year.other_network.pk}))
    assert [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["Charlie"]
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx")))
    missing = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[3]) for row in missing] == [("Bravo", 1), ("Echo", 0)]


def test_a_name_that_looks_like_a_formula_stays_text(client, cast, year):
    named(cast.report.partnership, "=SUM(A1:A9)")
    client.force_login(cast.governor)
    book = workbook(client.get(url(cast.round, "needs:worklist_xlsx")))
    cell = next(c for row in book.worksheets[0].iter_rows(min_row=2) for c in row if c.value == "=SUM(A1:A9)")
    assert cell.data_type == "s"


# ── Who may use it ────────────────────────────────────────────────────────────────────────


def forum_secretary(cast):
    secretary = make_user()
    Membership.objects.create(user=secretary, role=Role.FORUM_SECRETARY, office=cast.office)
    give_totp(secretary)
    return secretary


@pytest.mark.parametrize("name", ["needs:worklist", "needs:worklist_xlsx"])
def test_the_statsforvalter_and_the_forum_secretariat_may_use_it_and_nobody_else(client, cast, year, name):
    allowed = [cast.governor, make_governor_admin(cast.office), forum_secretary(cast)]
    refused = [cast.forum_member, cast.coordinator, cast.owner_contact, cast.outsider, cast.other_office_governor]
    for user in allowed:
        client.force_login(user)
        assert client.get(url(cast.round, name)).status_code == 200, user
    for user in refused:
        client.force_login(user)
        assert client.get(url(cast.round, name)).status_code == 403, user
    client.logout()
    assert client.get(url(cast.round, name))["Location"].startswith(reverse("account_login"))


def test_an_unknown_round_is_not_found_and_the_page_takes_get_only(client, cast):
    client.force_login(cast.governor)
    assert client.get(reverse("needs:worklist", args=[cast.office.slug, 1999])).status_code == 404
    assert client.get(reverse("needs:worklist", args=["nowhere", cast.round.year])).status_code == 404
    assert client.post(url(cast.round)).status_code == 405
    assert client.post(url(cast.round, "needs:worklist_xlsx")).status_code == 405


def test_the_forum_secretariat_reads_the_list_without_reminder_buttons(client, cast, year):
    client.force_login(forum_secretary(cast))
    html = page(client, cast.round)
    assert missing_names(html) == ["Bravo", "Echo"]
    assert "/varsler/paminnelse/" not in html


def test_every_report_on_the_list_is_one_its_reader_may_read(cast, year):
    """The list is the round's reports: whoever may read the work list may read each of them."""
    for user in (cast.governor, make_governor_admin(cast.office), forum_secretary(cast)):
        assert can_view_worklist(user, cast.round)
        assert all(can_view_report(user, r) for r in NeedsReport.objects.filter(round=cast.round))


def test_the_q_twin_lists_the_rounds_the_predicate_allows(cast, year):
    rounds = Round.objects.all()
    for user in (cast.governor, cast.forum_member, cast.coordinator, cast.other_office_governor, forum_secretary(cast)):
        listed = set(rounds.filter(worklist_rounds_q(user)))
        assert listed == {r for r in rounds if can_view_worklist(user, r)}, user


def test_the_round_page_links_to_the_work_list_for_those_who_may_use_it(client, cast):
    round_page = reverse("schemes:round", args=[cast.office.slug, cast.round.year])
    client.force_login(cast.governor)
    assert url(cast.round) in client.get(round_page).content.decode()
    for user in (cast.forum_member, cast.coordinator, cast.other_office_governor):
        client.force_login(user)
        assert url(cast.round) not in client.get(round_page).content.decode()
    client.logout()
    assert url(cast.round) not in client.get(round_page).content.decode()
