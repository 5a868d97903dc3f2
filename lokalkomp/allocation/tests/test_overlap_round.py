"""The overlap finder on a round: the submitted record of this year's and last year's reports, in few queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from lokalkomp.allocation.overlap import overlaps_for_round, texts_for_round
from lokalkomp.needs.models import Measure, NeedsReport, UnionParticipant
from lokalkomp.testing import complete, make_measure, make_office, make_partnership, make_report, make_round, make_user

pytestmark = pytest.mark.django_db

REQUIRED: dict[str, Any] = {name: "Skrevet." for name in Measure.REQUIRED_NARRATIVES}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def submitted_report(round, partnership=None, **measures: str) -> NeedsReport:
    """A report submitted as a partnership submits it, with a measure per name → description given."""
    report = make_report(round, partnership)
    complete(report)  # «Lesing i barnehagen», and what the checklist asks
    UnionParticipant.objects.create(report=report, role="Hovedtillitsvalgt", name="Tillitsvalgt")
    for name, description in measures.items():
        make_measure(
            report,
            10_000,
            0,
            name=name,
            description=description,
            purpose="implementation",
            semesters=[f"{round.year}-spring"],
            **REQUIRED,
        )
    report.submit(by=make_user())
    return NeedsReport.objects.get(pk=report.pk)


@pytest.fixture
def rounds():
    office = make_office()
    return make_round(office, year=2027), make_round(office, year=2026)


def test_it_reads_the_submitted_record_and_not_the_live_rows(rounds):
    this_year, _last = rounds
    report = submitted_report(this_year, Matematikk="Utforskende matematikk på mellomtrinnet.")
    Measure.objects.filter(report=report, name="Matematikk").update(name="Endret bak ryggen", description="")
    texts = {t.title: t for t in texts_for_round(this_year)}
    assert set(texts) == {"Lesing i barnehagen", "Matematikk"}
    maths = texts["Matematikk"]
    assert "Utforskende matematikk" in maths.text and "Skrevet." in maths.text
    assert (maths.year, maths.report_id, maths.partnership_id) == (2027, report.pk, report.partnership_id)
    assert maths.partnership == report.partnership.name and maths.scheme


def test_it_takes_last_years_round_of_the_office_and_leaves_out_drafts_other_offices_and_older_years(rounds):
    this_year, last_year = rounds
    partnership = make_partnership(this_year.office)
    submitted_report(this_year, partnership, Nå="I år.")
    submitted_report(last_year, partnership, Før="I fjor.")
    codes = tuple(last_year.schemes.values_list("code", flat=True))  # no co-financing to fill in
    submitted_report(make_round(this_year.office, year=2025, schemes=codes), None, Gammel="For to år siden.")
    submitted_report(make_round(make_office(), year=2027), None, Annet="Et annet embete.")
    draft = make_report(this_year)
    make_measure(draft, name="Utkast")
    reopened = submitted_report(this_year, None, Sendt_tilbake="Sendt tilbake.")
    reopened.reopen(by=make_user(), comment="Rett opp")
    titles = [(t.year, t.title) for t in texts_for_round(this_year)]
    assert titles == [(2027, "Lesing i barnehagen"), (2027, "Nå"), (2026, "Lesing i barnehagen"), (2026, "Før")]


def test_a_report_sent_back_and_submitted_again_is_read_from_its_latest_version(rounds):
    this_year, _last = rounds
    report = submitted_report(this_year, Matematikk="Første versjon.")
    report.reopen(by=make_user(), comment="Skriv mer")
    Measure.objects.filter(report=report, name="Matematikk").update(description="Andre versjon.")
    NeedsReport.objects.get(pk=report.pk).submit(by=make_user())
    (maths,) = [t for t in texts_for_round(this_year) if t.title == "Matematikk"]
    assert "Andre versjon." in maths.text and "Første" not in maths.text


def test_it_reads_any_number_of_reports_in_one_query(rounds, django_assert_num_queries):
    this_year, last_year = rounds
    for round in (this_year, last_year, this_year):
        submitted_report(round, None, Lesing="Lesing.", Skriving="Skriving.")
    with django_assert_num_queries(1):
        texts = texts_for_round(this_year)
    assert len(texts) == 9


def test_the_rounds_measures_get_their_matches_from_this_year_and_last_year(rounds):
    this_year, last_year = rounds
    first, second = make_partnership(this_year.office), make_partnership(this_year.office)
    submitted_report(
        this_year,
        first,
        **{"Språkutvikling i barnehagen": "Språk og samtaler med barna.", "Språkutvikling på skolen": "Språk."},
    )
    submitted_report(last_year, second, **{"Språkutvikling i barnehagane": "Språk og samtalar med borna."})
    submitted_report(this_year, second, Klasseledelse="Relasjoner og struktur i klasserommet.")
    found = {t.title: (t, matches) for t, matches in overlaps_for_round(this_year)}
    assert {t.year for t, _m in found.values()} == {2027}  # last year's measures are matches, not rows
    language, matches = found["Språkutvikling i barnehagen"]
    top = matches[0]
    assert (top.measure.title, top.measure.year, top.same_partnership) == ("Språkutvikling i barnehagane", 2026, False)
    assert "språkutvikling" in top.shared_words and top.score >= 50
    assert all(m.measure.pk != language.pk for m in matches)
    marks = {(m.measure.title, m.measure.year): m.same_partnership for m in matches}
    assert marks[("Språkutvikling på skolen", 2027)] is True  # the same report's: shown, and marked
    assert "Klasseledelse" not in {title for title, _year in marks}


def test_the_matches_are_kept_until_a_report_of_the_two_rounds_changes(rounds, django_assert_num_queries):
    this_year, last_year = rounds
    submitted_report(this_year, None, **{"Språkutvikling i barnehagen": "Språk."})
    first = overlaps_for_round(this_year)
    with django_assert_num_queries(2):  # the cache's key and the texts; nothing computed
        again = overlaps_for_round(this_year)
    assert again == first
    submitted_report(last_year, None, **{"Språkutvikling i barnehagane": "Språk."})
    after = dict((t.title, m) for t, m in overlaps_for_round(this_year))
    assert "Språkutvikling i barnehagane" in [m.measure.title for m in after["Språkutvikling i barnehagen"]]
