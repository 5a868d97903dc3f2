"""The needs report as a PDF that reads like the Word form, and the measures as a streamed Excel sheet."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from lokalkomp.demo.build import build
from lokalkomp.needs.documents import (
    AMOUNT_FORMAT,
    export_filename,
    measures_workbook,
    measures_workbook_chunks,
    render_report_pdf,
)
from lokalkomp.needs.models import DeclaredTotal, Measure, NeedsReport
from lokalkomp.testing import make_measure, make_report, make_round

A4_POINTS = (595.28, 841.89)
HEADER = [
    "Office",
    "Year",
    "Network",
    "Partnership",
    "Report status",
    "Scheme",
    "No.",
    "Measure",
    "Purpose",
    "Owner (kr)",
    "UH (kr)",
    "Total (kr)",
    "Semesters",
    "Target group",
    "Owner organisation",
    "UH institution",
]
# (owner, UH) of the eight measures in seed 003 (domain §5).
SEED_AMOUNTS = [
    (50_000, 174_000),
    (120_000, 125_000),
    (120_000, 125_000),
    (75_000, 114_000),
    (50_000, 241_000),
    (90_000, 90_000),
    (50_000, 50_000),
    (70_000, 0),
]


@pytest.fixture
def demo_report(db: None) -> NeedsReport:
    build()
    return NeedsReport.objects.get(partnership__name="God opplæring for alle", round__year=2024)


def pdf_pages(pdf: bytes) -> list[tuple[float, float, str]]:
    """(width, height, text) of every page, with all runs of whitespace (also no-break spaces) made one space."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(p.width, p.height, " ".join((p.extract_text() or "").split())) for p in document.pages]


_rendered: dict[str, list[tuple[float, float, str]]] = {}


def render(report: NeedsReport, language: str) -> list[tuple[float, float, str]]:
    """The demo report's pages; rendered once per language, as the demo builds the same report every time."""
    if language not in _rendered:
        with translation.override(language):
            _rendered[language] = pdf_pages(render_report_pdf(report))
    return _rendered[language]


# --- PDF ------------------------------------------------------------------------------------------


def test_the_report_pdf_is_a4_with_page_x_of_y_on_every_page(demo_report):
    pages = render(demo_report, "en")
    assert len(pages) > 8  # a page (at least) per measure, as in the form
    for number, (width, height, text) in enumerate(pages, start=1):
        assert (width, height) == pytest.approx(A4_POINTS, abs=1)
        assert f"Page {number} of {len(pages)}" in text


def test_the_norwegian_pdf_numbers_its_pages_too(demo_report):
    pages = render(demo_report, "nb")
    for number, (_width, _height, text) in enumerate(pages, start=1):
        # «Side 1 av 19» once the nb catalogue has the footer words, «Page 1 of 19» until then.
        match = re.search(r"\b(?:Side|Page) (\d+) (?:av|of) (\d+)\b", text)
        assert match, f"no page number on page {number}"
        assert (int(match[1]), int(match[2])) == (number, len(pages))


def test_the_running_header_names_the_partnership_and_year(demo_report):
    pages = render(demo_report, "en")
    assert all(text.startswith("God opplæring for alle – 2024") for _w, _h, text in pages)


def test_the_pdf_has_every_measure_and_the_computed_totals(demo_report):
    text = " ".join(page[2] for page in render(demo_report, "en"))
    names = list(demo_report.measures.values_list("name", flat=True))
    assert len(names) == 8
    for n, name in enumerate(names, start=1):
        assert f"Measure {n}" in text
        assert " ".join(name.split()) in text
    assert "Sum kr 625 000 kr 919 000 kr 1 544 000" in text
    assert "kr 50 000 kr 174 000 kr 224 000" in text


def test_the_pdf_ticks_the_schemes_like_the_form(demo_report):
    text = " ".join(page[2] for page in render(demo_report, "en"))
    assert "Desentralisert ordning ☒" in text
    assert "Regional ordning ☐" in text
    assert "Kompetanseløftet ☐" in text


def test_the_pdf_asks_each_text_with_the_forms_question_as_the_model_words_it(demo_report):
    text = " ".join(page[2] for page in render(demo_report, "en"))
    with translation.override("en"):
        assert Measure.question("anchoring") == (
            "Describe how the measure is anchored in each kindergarten and school in a way that involves staff and "
            "leaders, and in professional dialogue with UH"
        )
        for name in Measure.QUESTION_FIELDS:
            assert Measure.question(name) in text
    assert Measure.QUESTION_FIELDS == (
        "anchoring",
        "collective",
        "teacher_education",
        "long_term_plan",
        "owner_share_use",
        "partner_share_use",
    )


def test_the_pdf_shows_payment_details_formatted(demo_report):
    text = " ".join(page[2] for page in render(demo_report, "en"))
    assert "938 712 441" in text and "918 108 467" in text
    assert "4516.27.94918" in text and "7694.05.00660" in text
    assert "Payment reference God opplæring for alle God opplæring for alle" in text


def test_the_pdf_ends_with_co_determination_units_and_history(demo_report):
    last = render(demo_report, "en")[-1][2]
    assert "Hovedtillitsvalgt Kari Demosen" in last
    assert "Public schools Private schools PP services" in last
    assert "Draft Submitted" in last


def test_the_forms_own_totals_are_printed_for_comparison_and_a_mismatch_is_marked(db):
    report = make_report(make_round(year=2024), union_discussed=False)
    make_measure(report, 100, 200, name="Nettverk")
    scheme = report.measures.get().scheme
    DeclaredTotal.objects.create(report=report, scheme=scheme, owner_amount=100, partner_amount=250, total_amount=350)
    with translation.override("en"):
        text = " ".join(page[2] for page in pdf_pages(render_report_pdf(report)))
    assert f"{scheme.short_name} kr 100 kr 200 kr 300" in text
    assert f"{scheme.short_name} ≠ kr 100 kr 250 kr 350" in text


def test_the_pdf_is_rendered_in_a_fixed_number_of_queries(demo_report, django_assert_max_num_queries):
    with translation.override("en"), django_assert_max_num_queries(12):
        render_report_pdf(demo_report)


# --- Excel ----------------------------------------------------------------------------------------


def load_rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_a_bold_frozen_header_and_the_seed_amounts_as_integers(demo_report):
    with translation.override("en"), measures_workbook(Measure.objects.filter(report=demo_report)) as output:
        data = output.read()
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width == 50
    rows = list(sheet.iter_rows(min_row=2))
    assert [(r[9].value, r[10].value) for r in rows] == SEED_AMOUNTS
    assert [r[11].value for r in rows] == [o + u for o, u in SEED_AMOUNTS]
    assert all(isinstance(r[9].value, int) and r[9].number_format == AMOUNT_FORMAT for r in rows)
    first = [cell.value for cell in rows[0]]
    assert first[:9] == [
        "Statsforvalteren i Nordland",
        2024,
        "Ytre Helgeland",
        "God opplæring for alle",
        "Submitted",
        "Desentralisert ordning",
        1,
        "Datainnsamling for å analysere egne behov",
        "Assessment/analysis",
    ]
    assert first[12] == "Autumn 2024, Spring 2025"
    assert first[14:] == ["Alstahaug kommune", "Høgskolen i Innlandet"]


def test_the_export_runs_the_same_queries_for_8_and_30_measures(demo_report):
    other = make_report(make_round(year=2024))
    for n in range(30):
        make_measure(other, 1_000 * n, 500, semesters=["2024-spring"])
    counts = []
    for report in (demo_report, other):
        with CaptureQueriesContext(connection) as queries:
            rows = load_rows(b"".join(measures_workbook_chunks(Measure.objects.filter(report=report))))
        counts.append(len(queries))
        assert len(rows) == 1 + report.measures.count()
    assert counts[0] == counts[1] <= 2


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_are_dropped(db):
    report = make_report(make_round(year=2024))
    make_measure(report, 1, 2, name='=HYPERLINK("http://x.test")', target_group="Alle\x0bansatte")
    with measures_workbook(Measure.objects.filter(report=report)) as output:
        sheet = load_workbook(io.BytesIO(output.read())).active
    name, target = sheet.cell(2, 8), sheet.cell(2, 14)
    assert (name.value, name.data_type) == ('=HYPERLINK("http://x.test")', "s")
    assert target.value == "Alleansatte"


def test_export_filenames_are_slugs_with_norwegian_letters_spelt_out():
    assert export_filename("tiltak", 2024, "Ytre Helgeland") == "tiltak-2024-ytre-helgeland.xlsx"
    assert export_filename("tiltak-2024-ytre-helgeland") == "tiltak-2024-ytre-helgeland.xlsx"
    assert export_filename("Behovsmelding 2024", "God opplæring for alle", extension="pdf") == (
        "behovsmelding-2024-god-opplaering-for-alle.pdf"
    )
    assert export_filename("Lurøy/Træna") == "luroy-traena.xlsx"
    assert export_filename("!!!") == "export.xlsx"
