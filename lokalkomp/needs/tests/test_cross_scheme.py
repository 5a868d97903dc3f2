"""One partnership's measures in every scheme of the round side by side (seed 003's coordinator in three)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lokalkomp.demo.build import build
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.needs.views.network import cross_scheme_rows
from lokalkomp.schemes.models import Scheme
from lokalkomp.testing import add_contact, make_measure, make_partnership, make_report, make_round

# Seed 003 (Ytre Helgeland 2024): the Desentralisert ordning's eight measures as the form states them.
DEKOMP = [
    ("Datainnsamling for å analysere egne behov", 50_000, 174_000),
    ("Tverrkommunalt nettverk barnehage og 1.–4. trinn: språk, lesing og skriving", 120_000, 125_000),
    ("Tverrkommunalt nettverk 5.–10. trinn i språk, lesing og skriving", 120_000, 125_000),
    ("Kompetansedag / arbeidsverksted språk, lesing og skriving", 75_000, 114_000),
    ("Pedagogisk analyse", 50_000, 241_000),
    ("Prøve ut arbeidsmåter innenfor språk, lesing og skriving", 90_000, 90_000),
    ("Magisk måned", 50_000, 50_000),
    ("Koordinator", 70_000, 0),
]
# The other two schemes: seed 003 states only their totals (Regional 505 000 + 794 000, Kompetanseløftet
# 300 000 + 280 000) and that the coordinator is funded in all three (70 000 each, 210 000 in all). The
# rest of each scheme is one made-up measure, so that the totals are the seed's.
REKOMP = [("Koordinator", 70_000, 0), ("Språkløype i barnehagene", 435_000, 794_000)]
KOMPETANSELOFTET = [("Inkluderende praksis i PPT", 230_000, 280_000), ("  koordinator ", 70_000, 0)]


@pytest.fixture
def seed_report(cast):
    """Seed 003's partnership in a 2024 round of the cast's office, reporting in all three schemes."""
    round = make_round(cast.office, year=2024)
    report = make_report(round, make_partnership(cast.office, cast.network))
    add_contact(report, cast.owner_contact)
    schemes = {s.code: s for s in Scheme.objects.filter(round_schemes__round=round)}
    for code, measures in (("dekomp", DEKOMP), ("rekomp", REKOMP), ("kompetanseloftet", KOMPETANSELOFTET)):
        for name, owner, partner in measures:
            make_measure(report, owner, partner, scheme=schemes[code], name=name)
    return report


def url(report):
    return reverse("needs:cross_scheme", args=[report.pk])


def body(response):
    return response.content.decode().replace("\u00a0", " ")


def test_the_coordinator_funded_in_three_schemes_is_one_row_of_210_000(client, cast, seed_report):
    client.force_login(cast.coordinator)
    response = client.get(url(seed_report))
    assert response.status_code == 200
    schemes = [s.code for s in response.context["schemes"]]
    assert sorted(schemes) == ["dekomp", "kompetanseloftet", "rekomp"]
    row = next(r for r in response.context["rows"] if r.name == "Koordinator")
    assert [(m.owner_amount, m.partner_amount) for m in row.cells] == [(70_000, 0)] * 3
    assert (row.total.owner, row.total.partner, row.total.total) == (210_000, 0, 210_000)
    assert "kr 210 000" in body(response)


def test_the_totals_per_scheme_and_overall_are_seed_003s(client, cast, seed_report):
    client.force_login(cast.owner_contact)
    response = client.get(url(seed_report))
    sums = {scheme.code: (t.owner, t.partner, t.total) for scheme, t in response.context["sums"]}
    assert sums == {
        "dekomp": (625_000, 919_000, 1_544_000),
        "rekomp": (505_000, 794_000, 1_299_000),
        "kompetanseloftet": (300_000, 280_000, 580_000),
    }
    grand = response.context["grand_total"]
    assert (grand.owner, grand.partner, grand.total) == (1_430_000, 1_993_000, 3_423_000)
    page = body(response)
    assert 'id="cross-scheme-grand-total">kr 3 423 000' in page
    for amount in ("kr 1 544 000", "kr 1 299 000", "kr 580 000"):
        assert amount in page


def test_measures_only_in_one_scheme_have_a_row_of_their_own(client, cast, seed_report):
    client.force_login(cast.coordinator)
    rows = client.get(url(seed_report)).context["rows"]
    assert len(rows) == len(DEKOMP) + 2  # the eight, and one made-up measure each in the two others
    analysis = next(r for r in rows if r.name == "Pedagogisk analyse")
    assert sum(1 for m in analysis.cells if m is not None) == 1


def test_two_measures_of_the_same_name_in_one_scheme_are_two_rows(cast):
    round = make_round(cast.office, year=2024)
    report = make_report(round)
    dekomp = Scheme.objects.get(round_schemes__round=round, code="dekomp")
    first = make_measure(report, 1, 0, scheme=dekomp, name="Samling")
    second = make_measure(report, 2, 0, scheme=dekomp, name="Samling")
    rows = cross_scheme_rows([first, second], [dekomp])
    assert [[m.pk for m in r.cells] for r in rows] == [[first.pk], [second.pk]]


def test_the_page_is_linked_from_the_report_and_the_overview(client, cast, seed_report):
    client.force_login(cast.coordinator)
    assert url(seed_report) in body(client.get(seed_report.get_absolute_url()))
    overview = reverse("needs:network_overview", args=[cast.office.slug, cast.network.slug, 2024])
    assert url(seed_report) in body(client.get(overview))
    assert overview in body(client.get(url(seed_report)))  # and back


@pytest.mark.parametrize("who", ["owner_contact", "coordinator", "governor"])
def test_those_who_read_the_report_see_it(client, cast, seed_report, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(seed_report)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "other_office_governor"])
def test_strangers_get_404(client, cast, seed_report, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(seed_report)).status_code == 404


def test_an_anonymous_visitor_gets_404(client, seed_report):
    assert client.get(url(seed_report)).status_code == 404


def test_the_page_answers_only_get(client, cast, seed_report):
    client.force_login(cast.coordinator)
    assert client.post(url(seed_report)).status_code == 405


def test_a_report_without_measures_says_so(client, cast):
    client.force_login(cast.owner_contact)
    response = client.get(url(cast.report))
    assert response.status_code == 200 and response.context["rows"] == []


def submit(report):
    """Submitted with its event and its version, as the site leaves it."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.get(pk=report.pk).record_version(by=None, event=event)


def test_a_submitted_report_shows_what_it_submitted_even_when_its_measures_are_changed_behind_its_back(
    client, cast, seed_report
):
    submit(seed_report)
    Measure.objects.filter(report=seed_report).update(owner_amount=999_000, name="Endret bak ryggen")
    seed_report.partnership.name = "Nytt navn"
    seed_report.partnership.save()
    client.force_login(cast.coordinator)
    response = client.get(url(seed_report))
    rows = {r.name: r for r in response.context["rows"]}
    assert rows["Koordinator"].total.total == 210_000 and "Endret bak ryggen" not in rows
    page = body(response)
    assert "999 000" not in page and "Nytt navn" not in page
    assert 'id="cross-scheme-grand-total">kr 3 423 000' in page  # 1 544 000 + 1 299 000 + 580 000
    assert "as the report was submitted" in page or "slik behovsmeldingen ble sendt inn" in page


def test_a_sent_back_report_shows_its_measures_as_they_are_now(client, cast, seed_report):
    submit(seed_report)
    NeedsReport.objects.get(pk=seed_report.pk).reopen(by=cast.coordinator, comment="Rett opp")
    Measure.objects.filter(report=seed_report, name="Magisk måned").update(owner_amount=60_000)
    client.force_login(cast.coordinator)
    page = body(client.get(url(seed_report)))
    assert 'id="cross-scheme-grand-total">kr 3 433 000' in page


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), response


def test_the_page_takes_the_same_at_most_15_queries_for_one_or_many_measures(client, cast, seed_report):
    make_measure(cast.report, 1_000, 2_000)
    client.force_login(cast.coordinator)
    one, response = count_queries(client, url(cast.report))
    assert len(response.context["rows"]) == 1
    many, response = count_queries(client, url(seed_report))
    assert len(response.context["rows"]) == 10
    assert one == many <= 15, (one, many)
    submit(seed_report)
    submitted, response = count_queries(client, url(seed_report))
    assert len(response.context["rows"]) == 10 and submitted <= 15, submitted


def test_the_demos_ytre_helgeland_2024_report_shows_its_schemes_and_the_forms_totals(client, db):
    with time_machine.travel("2026-11-22 10:00 +01:00", tick=False):
        build()
    report = NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)
    client.force_login(report.partnership.network.memberships.get().user)
    response = client.get(url(report))
    rows = {r.name: r for r in response.context["rows"]}
    assert len(rows) == 8 and rows["Koordinator"].total.total == 70_000
    page = body(response)
    # The demo has the Desentralisert ordning's measures; the form states the other schemes' totals.
    assert 'id="cross-scheme-grand-total">kr 1 544 000' in page
    for amount in ("kr 1 299 000", "kr 580 000", "kr 3 423 000"):
        assert amount in page
