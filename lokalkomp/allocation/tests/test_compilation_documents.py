"""A delivered version as PDF and Excel: what was delivered, never the live list, and never cached."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from openpyxl import load_workbook

from lokalkomp.allocation.models import Compilation
from lokalkomp.needs.models import Measure

from .compilation_helpers import DEKOMP, REKOMP, compilation_of, in_english, submitted_report, url

pytestmark = pytest.mark.cast(year=2024)


@pytest.fixture(autouse=True)
def english(client):
    return in_english(client)


@pytest.fixture
def delivered(cast):
    submitted_report(
        cast,
        [("Datainnsamling for å analysere egne behov", 50_000, 174_000), ("Koordinator", 70_000, 0)],
        name="Ytre Helgeland",
        codes=[DEKOMP, REKOMP],
    )
    compilation = compilation_of(cast)
    coordinator = compilation.entries.get(measure__name="Koordinator")
    compilation.mark(coordinator, recommended=False, reason="Dekkes av kommunene", expected_version=None, by=None)
    compilation.set_comment("Nettverket ønsker lesing først.", base="", by=None)
    compilation.refresh_from_db()
    return compilation.deliver(by=cast.coordinator, expected_version=None)


def pdf_text(response):
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages).replace("\xa0", " ")


def test_the_pdf_holds_the_delivered_list_totals_reasons_and_comment(client, cast, delivered):
    client.force_login(cast.forum_member)
    response = client.get(url(cast, "compilation_pdf", number=1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "sammenstilling-2024-" in response["Content-Disposition"] and "-v1.pdf" in response["Content-Disposition"]
    content = pdf_text(response)
    for expected in (
        "Datainnsamling for å",  # the name wraps in its column
        "kr 224 000",
        "Ytre Helgeland",
        "Not recommended: Dekkes av kommunene",
        "Nettverket ønsker lesing først.",
        "kr 294 000",  # all schemes
        "version 1",
    ):
        assert expected in content, expected


def test_the_pdf_shows_what_was_delivered_not_what_the_report_says_later(client, cast, delivered):
    Measure.objects.filter(name="Koordinator").update(name="Endret etterpå", owner_amount=1)
    client.force_login(cast.governor)
    content = pdf_text(client.get(url(cast, "compilation_pdf", number=1)))
    assert "Koordinator" in content and "Endret etterpå" not in content


def test_the_excel_sheet_has_one_row_per_measure_and_a_sum_per_scheme(client, cast, delivered):
    client.force_login(cast.coordinator)
    response = client.get(url(cast, "compilation_xlsx", number=1))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment") and ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [row for row in book.active.iter_rows(values_only=True)]
    assert rows[0][:3] == ("Scheme", "Priority", "Measure")
    assert rows[1][:4] == ("Desentralisert ordning", 1, "Datainnsamling for å analysere egne behov", "Ytre Helgeland")
    assert rows[1][7:11] == (50_000, 174_000, 224_000, "Yes")
    assert rows[2][0] == "Regional ordning" and rows[2][10:12] == ("No", "Dekkes av kommunene")
    sums = {row[0]: row[7:10] for row in rows if str(row[0]).startswith("Sum")}
    assert sums["Sum Desentralisert ordning"] == (50_000, 174_000, 224_000)
    assert sums["Sum, all schemes"] == (120_000, 174_000, 294_000)
    assert rows[-1][:3] == ("The network's comment", None, "Nettverket ønsker lesing først.")


def test_a_version_that_does_not_exist_is_not_found(client, cast, delivered):
    client.force_login(cast.governor)
    assert client.get(url(cast, "compilation_pdf", number=2)).status_code == 404
    assert client.get(url(cast, "compilation_xlsx", number=0)).status_code == 404
    path = url(cast, "compilation_pdf", number=1).replace("/1/pdf/", "/99999999999999999999999/pdf/")
    assert client.get(path).status_code == 404


def test_the_pages_are_not_kept_by_a_browser_or_a_proxy(client, cast, delivered):
    client.force_login(cast.governor)
    assert client.get(url(cast))["Cache-Control"] == "private, no-store"
    assert client.get(url(cast, "compilation_versions"))["Cache-Control"] == "private, no-store"


def test_the_documents_of_a_reopened_compilation_are_still_those_delivered(client, cast, delivered):
    compilation = Compilation.objects.get(pk=delivered.compilation_id)
    compilation.reopen(by=cast.governor, comment="Rett opp")
    client.force_login(cast.forum_member)
    assert client.get(url(cast, "compilation_pdf", number=1)).status_code == 200
