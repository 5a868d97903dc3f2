"""The history import: a good file, bad rows with their messages, nothing saved on any error, the event."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lokalkomp.allocation.models import Decision, DecisionLine
from lokalkomp.reporting.models import HistoryImport, HistoryLine
from lokalkomp.reporting.statistics import history_import
from lokalkomp.testing import make_cast, make_measure, make_organisation, sign_in_with_two_factor

pytestmark = pytest.mark.django_db

HEADER = "Eier;Beløp eier;UH;Beløp UH;Beskrivelse;År;Ordning;Sum uten tiltaksliste\n"


def csv_file(*rows: str, name: str = "historikk.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(rows) + "\n").encode("utf-8"), content_type="text/csv")


def decide(measure: Any, *, side: str = "owner", amount: int = 100_000, n: int = 1) -> DecisionLine:
    """An ordinary decision for the measure's round, made directly (as the decision helper's records are)."""
    recipient = make_organisation(name=f"Mottaker {n}")
    decision = Decision.objects.create(
        round=measure.report.round,
        number=f"{measure.report.round.year}-STAT-{measure.pk}-{side}-{n}",
        recipient=recipient,
        recipient_name=recipient.name,
        side=side,
    )
    return DecisionLine.objects.create(
        decision=decision, measure=measure, scheme=measure.scheme, description=measure.name, amount=amount
    )


@pytest.fixture
def cast():
    return make_cast(year=2024)


def _cells(upload: SimpleUploadedFile) -> list[list[str]]:
    return history_import.read_cells(upload, upload.name or "")


def test_a_good_file_is_saved_whole_with_its_event(cast):
    scheme = cast.round.schemes.order_by("code").first()
    upload = csv_file(
        f"Hemnes;kr 40 000,00;Nord u;175 800,-;Kompetansetiltak;2022;{scheme.code};",
        ";;;;Årets sum;2021;;3 559 240",
    )
    event = history_import.save(cells=_cells(upload), network=cast.network, file_name="h.csv", by=cast.governor)
    assert (event.rows, event.total, event.imported_by, event.file_name) == (2, 3_775_040, cast.governor, "h.csv")
    lines = list(HistoryLine.objects.order_by("year"))
    assert [(x.year, x.owner_amount, x.partner_amount, x.unsplit_amount) for x in lines] == [
        (2021, None, None, 3_559_240),
        (2022, 40_000, 175_800, None),
    ]
    assert lines[0].is_sum_only and lines[0].scheme is None
    assert lines[1].scheme == scheme


@pytest.mark.parametrize(
    "row",
    [
        "Hemnes;12 5;Nord u;0;x;2022;dekomp;",  # not thousands groups of three
        "Hemnes;1,00,00;Nord u;0;x;2022;dekomp;",
        "Hemnes;99999999999999999999999;Nord u;0;x;2022;dekomp;",  # beyond any column
        "Hemnes;100;Nord u;0;x;1899;dekomp;",  # no such year
        "Hemnes;100;Nord u;0;x;2022;ingen-slik;",  # no such scheme
        "Hemnes;100;Nord u;0;x;2022;;",  # a measure without its scheme
        ";100;;0;x;2022;dekomp;",  # neither owner nor UH
        "Hemnes;100;Nord u;0;x;2022;;500",  # both a split and a sum
        "Hem\x00nes;100;Nord u;0;x;2022;dekomp;",  # a NUL byte (PostgreSQL stores none)
        "Hemnes;100;Nord u;0;" + "x" * 501 + ";2022;dekomp;",  # too long
    ],
)
def test_a_bad_row_is_refused_with_its_message_and_nothing_is_saved(cast, row):
    good = "Hemnes;100;Nord u;200;ok;2022;dekomp;"
    cells = _cells(csv_file(good, row))
    parsed = history_import.parse(cells, network=cast.network)
    assert not parsed.ok
    assert [r.number for r in parsed.rows if r.errors] == [3]
    assert all(message.strip() for message in parsed.rows[1].errors)
    with pytest.raises(history_import.HistoryNotAccepted):
        history_import.save(cells=cells, network=cast.network, file_name="h.csv", by=cast.governor)
    assert HistoryLine.objects.count() == 0
    assert HistoryImport.objects.count() == 0


def test_a_year_and_scheme_decided_in_the_app_is_refused(cast):
    measure = make_measure(cast.report, owner=100_000, partner=0)
    decide(measure)
    row = f"Hemnes;100;Nord u;0;x;2024;{measure.scheme.code};"
    parsed = history_import.parse(_cells(csv_file(row)), network=cast.network)
    assert not parsed.ok
    assert "2024" in parsed.rows[0].errors[0]


def test_the_same_row_is_not_imported_twice(cast):
    row = ";;;;Årets sum;2021;;3 559 240"
    history_import.save(cells=_cells(csv_file(row)), network=cast.network, file_name="a.csv", by=None)
    parsed = history_import.parse(_cells(csv_file(row)), network=cast.network)
    assert not parsed.ok
    assert HistoryLine.objects.count() == 1


def test_an_excel_workbook_is_read_like_a_csv(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Eier", "Beløp eier", "UH", "Beløp UH", "Beskrivelse", "År", "Ordning"])
    sheet.append(["Rana", 20000, "Nord u", "100 000", "Tverrfaglig nettverk", 2022, "dekomp"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("h.xlsx", data.getvalue())
    parsed = history_import.parse(_cells(upload), network=cast.network)
    assert parsed.ok and parsed.total == 120_000


@pytest.mark.parametrize(
    ("name", "content"),
    [("h.txt", b"x"), ("h.xlsx", b"not a workbook"), ("h.csv", HEADER.encode()), ("h.csv", b"a" * 2_000_001)],
)
def test_a_file_that_is_no_history_is_refused_whole(name, content):
    with pytest.raises(history_import.HistoryFileError):
        history_import.read_cells(io.BytesIO(content), name)


def _page(cast: Any) -> str:
    return reverse("reporting:statistics_history", kwargs={"office": cast.office.slug})


def test_the_page_previews_and_saves_only_on_save(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    upload = csv_file("Hemnes;100;Nord u;200;ok;2022;dekomp;", ";;;;Årets sum;2021;;1 000")
    response = client.post(_page(cast), {"network": cast.network.pk, "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-ok="1"' in page and 'data-total="1300"' in page
    assert HistoryLine.objects.count() == 0
    save = reverse("reporting:statistics_history_save", kwargs={"office": cast.office.slug})
    assert client.post(save).status_code == 302
    assert HistoryLine.objects.count() == 2
    event = HistoryImport.objects.get()
    assert (event.rows, event.total, event.imported_by) == (2, 1300, cast.governor)
    assert client.post(save).status_code == 302  # the staged file is gone: nothing more is saved
    assert HistoryLine.objects.count() == 2


def test_the_page_shows_the_errors_per_row_and_offers_no_save(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    upload = csv_file("Hemnes;12 5;Nord u;200;ok;2022;dekomp;", "Rana;100;;0;ok;2022;dekomp;")
    response = client.post(_page(cast), {"network": cast.network.pk, "file": upload})
    page = response.content.decode()
    assert 'data-ok="0"' in page and 'data-row="2" data-errors="1"' in page and 'id="history-save"' not in page
    assert 'data-row="3">' in page


def test_the_page_keeps_a_missing_network_or_file_as_a_message(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    assert client.post(_page(cast), {"network": "x\x00"}).status_code == 400
    bad = SimpleUploadedFile("h.xlsx", b"nope")
    assert client.post(_page(cast), {"network": cast.network.pk, "file": bad}).status_code == 400


def test_others_may_not_import(client, cast):
    client.force_login(cast.owner_contact)
    assert client.get(_page(cast)).status_code == 403
    client.logout()
    assert client.get(_page(cast)).status_code == 302


def test_the_import_page_stays_within_its_queries(client, cast, django_assert_max_num_queries):
    sign_in_with_two_factor(client, cast.governor)
    rows = [f"Eier {i};{i} 000;UH;0;Tiltak {i};2022;dekomp;" for i in range(1, 200)]
    with django_assert_max_num_queries(15):
        response = client.post(_page(cast), {"network": cast.network.pk, "file": csv_file(*rows)})
    assert 'data-ok="1"' in response.content.decode()


def test_nul_bytes_and_huge_numbers_through_the_page_are_messages_not_errors(client, cast):
    sign_in_with_two_factor(client, cast.governor)
    upload = csv_file("Hem\x00nes;100;Nord u;0;x\x00;2022;dekomp;", "Rana;9" * 30 + ";Nord u;0;x;2022;dekomp;")
    response = client.post(_page(cast), {"network": cast.network.pk, "file": upload})
    assert response.status_code == 200
    assert 'data-ok="0"' in response.content.decode()
    save = reverse("reporting:statistics_history_save", kwargs={"office": cast.office.slug})
    assert client.post(save).status_code == 302
    assert HistoryLine.objects.count() == 0
