"""A submitted version's totals per scheme: written with it, never changed, and what the lists of many reports sum.

The round's page and the network's page list reports with their totals, summed in the database: a
submitted report's as it submitted them (its latest version's), a draft's from its measures now.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lokalkomp.needs.models import Measure, NeedsReport, NeedsReportVersion, NeedsReportVersionTotal
from lokalkomp.needs.records import load, record_of, serialise
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import complete, make_measure, make_partnership, make_report, make_round

back_fill_migration = importlib.import_module("lokalkomp.needs.migrations.0012_version_totals")


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def fresh(report: NeedsReport) -> NeedsReport:
    return NeedsReport.objects.get(pk=report.pk)


def other_scheme(report: NeedsReport) -> Scheme:
    """A second scheme of the report (a 2024 round has three)."""
    return report.report_schemes.order_by("scheme__code")[1].scheme


def submit(report: NeedsReport) -> NeedsReport:
    """Submitted with its event and its version, as the site leaves it (the checklist is not what is tested)."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report = fresh(report)
    report.record_version(by=None, event=event)
    return report


@pytest.fixture
def report(cast) -> NeedsReport:
    """A 2024 draft of the cast's partnership (three schemes): owner kr 120 000 and UH kr 50 000 in its first
    scheme, kr 7 000 and kr 3 000 in its second."""
    draft = make_report(make_round(cast.office, year=2024), cast.report.partnership)
    make_measure(draft, 120_000, 50_000)
    make_measure(draft, 7_000, 3_000, scheme=other_scheme(draft), name="Koordinator")
    return draft


def submitted(report: NeedsReport) -> NeedsReport:
    return submit(report)


def changed_behind_its_back(report: NeedsReport) -> None:
    """A script, the admin or a bug changes the live measures of a submitted report."""
    Measure.objects.filter(report=report).update(owner_amount=999_000, partner_amount=1)


def totals_in_list(report: NeedsReport, schemes: Sequence[int] = ()) -> dict[str, object]:
    row = NeedsReport.objects.with_totals(schemes).values().get(pk=report.pk)
    return {key: value for key, value in row.items() if key.startswith(("owner_", "partner_"))}


# ── The rows ──────────────────────────────────────────────────────────────────────────────


def test_a_submission_writes_its_totals_per_scheme_with_its_version(report):
    report = submitted(report)
    version = report.versions.get()
    recorded = {s.code: (t.owner, t.partner) for s, t in record_of(report).totals_by_scheme().items()}
    rows = {t.scheme.code: (t.owner_amount, t.partner_amount) for t in version.totals.select_related("scheme")}
    assert rows == recorded
    assert sorted(rows.values()) == [(0, 0), (7_000, 3_000), (120_000, 50_000)]  # the third scheme has none


def test_the_site_submitting_a_report_writes_its_totals_too(cast):
    complete(cast.report, owner=120_000)
    fresh(cast.report).submit(by=cast.owner_contact)
    rows = NeedsReportVersionTotal.objects.filter(version__report=cast.report)
    assert list(rows.values_list("owner_amount", "partner_amount")) == [(120_000, 50_000)]


def test_sent_back_and_submitted_again_its_second_version_has_totals_of_its_own(cast, report):
    report = submitted(report)
    report.reopen(by=cast.coordinator, comment="Rett opp")
    Measure.objects.filter(report=report, name="Koordinator").update(owner_amount=8_000)
    submitted(fresh(report))
    first, second = report.versions.order_by("number")
    assert sorted(first.totals.values_list("owner_amount", flat=True)) == [0, 7_000, 120_000]
    assert sorted(second.totals.values_list("owner_amount", flat=True)) == [0, 8_000, 120_000]


def test_a_versions_totals_cannot_be_changed_or_deleted(report):
    row = submitted(report).versions.get().totals.exclude(owner_amount=0).first()
    row.owner_amount = 1
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        NeedsReportVersionTotal.objects.filter(pk=row.pk).update(owner_amount=1)
    with pytest.raises(TypeError):
        NeedsReportVersionTotal.objects.filter(pk=row.pk).delete()
    assert NeedsReportVersionTotal.objects.get(pk=row.pk).owner_amount != 1


def test_the_back_fill_gives_a_version_kept_before_them_its_totals_from_its_own_data(report):
    # a version as one was kept before its totals were: data only
    version = NeedsReportVersion.objects.create(
        report=report, number=1, submitted_at=timezone.now(), data=serialise(load(report.pk))
    )
    changed_behind_its_back(report)  # the data says 120 000, the measures now 999 000

    back_fill_migration.back_fill(apps, None)

    rows = {t.scheme.code: (t.owner_amount, t.partner_amount) for t in version.totals.select_related("scheme")}
    assert rows == {
        s.code: (t.owner, t.partner) for s, t in record_of(submit_status(report)).totals_by_scheme().items()
    }
    assert sorted(rows.values()) == [(0, 0), (7_000, 3_000), (120_000, 50_000)]


def submit_status(report: NeedsReport) -> NeedsReport:
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    return fresh(report)


def test_the_back_fill_reads_the_data_as_the_record_does():
    ids = {"dekomp": 1, "rekomp": 2}
    data = {
        "schemes": [{"code": "dekomp"}, {"code": "rekomp"}],
        "measures": [
            {"scheme": {"code": "dekomp"}, "owner_amount": 5, "partner_amount": None},
            {"scheme": {"code": "dekomp"}, "owner_amount": 1, "partner_amount": 2},
            {"scheme": {"code": "gone"}, "owner_amount": 9, "partner_amount": 9},  # no such scheme: left out
        ],
    }
    assert back_fill_migration.version_totals(data, ids) == [(1, 6, 2), (2, 0, 0)]
    assert back_fill_migration.version_totals({}, ids) == []


# ── The lists' sums ───────────────────────────────────────────────────────────────────────


def test_the_lists_sum_a_submitted_report_as_it_was_submitted_and_a_draft_as_it_is(cast, report):
    report = submitted(report)
    scheme = other_scheme(report)
    changed_behind_its_back(report)
    assert totals_in_list(report, [scheme.pk]) == {
        "owner_total": 127_000,
        "partner_total": 53_000,
        f"owner_{scheme.pk}": 7_000,
        f"partner_{scheme.pk}": 3_000,
    }
    draft = make_report(report.round, make_partnership(cast.office, cast.network))
    make_measure(draft, 10, 20, scheme=scheme)
    make_measure(draft, 1, 2)
    assert totals_in_list(draft, [scheme.pk]) == {
        "owner_total": 11,
        "partner_total": 22,
        f"owner_{scheme.pk}": 10,
        f"partner_{scheme.pk}": 20,
    }


def test_a_sent_back_report_is_summed_from_its_measures_again(cast, report):
    report = submitted(report)
    report.reopen(by=cast.coordinator, comment="Rett opp")
    changed_behind_its_back(report)
    assert totals_in_list(report) == {"owner_total": 1_998_000, "partner_total": 2}


def test_a_scheme_the_submitted_report_has_no_measure_in_sums_to_zero_not_to_its_live_rows(report):
    report = submitted(report)
    third = report.report_schemes.order_by("scheme__code")[2].scheme
    make_measure(report, 5_000, 5_000, scheme=third)  # added behind its back, in a scheme it did not use
    assert totals_in_list(report, [third.pk]) == {
        "owner_total": 127_000,
        "partner_total": 53_000,
        f"owner_{third.pk}": 0,
        f"partner_{third.pk}": 0,
    }


def test_a_report_submitted_before_versions_were_kept_is_summed_from_its_measures(report):
    submit_status(report)  # no version
    assert totals_in_list(report) == {"owner_total": 127_000, "partner_total": 53_000}


# ── The round's page and the network's page ─────────────────────────────────────────────────


def round_url(round) -> str:
    return reverse("schemes:round", args=[round.office.slug, round.year])


def test_the_round_page_and_the_network_page_show_what_the_report_submitted(client, cast, report):
    submitted(report)
    changed_behind_its_back(report)
    client.force_login(cast.governor)
    for url in (round_url(report.round), cast.network.get_absolute_url()):
        page = text(client.get(url))
        row = page.split(f'href="{report.get_absolute_url()}"')[1].split("</tr>")[0]
        assert "kr 127 000" in row and "kr 53 000" in row and "kr 180 000" in row, url
        assert "999 000" not in page, url


def add_reports(cast, round, n: int) -> None:
    """n more reports in the cast's network: every third submitted, the others drafts, each with two measures."""
    for i in range(n):
        report = make_report(round, make_partnership(cast.office, cast.network))
        make_measure(report, 1_000, 500)
        make_measure(report, 2_000, 500, scheme=other_scheme(report))
        if i % 3 == 0:
            submitted(report)


@pytest.mark.parametrize("name", ["round", "network"])
def test_the_round_page_and_the_network_page_take_at_most_15_queries_for_1_report_or_30(client, cast, report, name):
    url = round_url(report.round) if name == "round" else cast.network.get_absolute_url()
    submitted(report)
    client.force_login(cast.governor)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_reports(cast, report.round, 29)
    with CaptureQueriesContext(connection) as thirty:
        page = text(client.get(url))
    assert page.count('href="/behovsmeldinger/') >= 30
    assert len(one) == len(thirty) <= 15, "\n".join(q["sql"] for q in thirty.captured_queries)
