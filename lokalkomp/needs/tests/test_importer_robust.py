"""The importer never gives a 500 and never silently changes what the form says.

Each test writes the project's own form (forms.py) with one cell made hostile or mistyped, and
checks what is read, what is stored, and that the person is told. They run on SQLite and on
PostgreSQL (integer column ranges, NUL bytes).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import replace

import pytest
from django.utils import translation

from lokalkomp.directory.models import Organisation
from lokalkomp.needs import autosave
from lokalkomp.needs.importer import ImportFileError, parse_amount, parse_needs_report, read_needs_report
from lokalkomp.needs.imports import import_report
from lokalkomp.needs.models import Continuation, DeclaredTotal, Measure, NeedsReport
from lokalkomp.needs.tests.forms import CELL_PLACEHOLDER, FormMeasure, default_form, default_text, form_text
from lokalkomp.schemes.models import Round
from lokalkomp.testing import make_office, make_round


@pytest.fixture
def round_2024(db: None) -> Round:
    return make_round(make_office(), year=2024)


def with_first_measure(**changes: object) -> str:
    form = default_form()
    form.measures[0] = replace(form.measures[0], **changes)  # type: ignore[arg-type]
    return form_text(form)


def imported(text: str, round: Round) -> tuple[NeedsReport, list[str], list[str]]:
    outcome = import_report(parse_needs_report(text), round=round, by=None, filename="skjema.txt")
    assert outcome.report is not None
    return NeedsReport.objects.get(pk=outcome.report.pk), outcome.unplaced, outcome.warnings


# --- Amounts: one rule for the form and the import ---------------------------------------------


@pytest.mark.parametrize("written", ["12 5", "400 00 000", "1,00,00", "1.000.00", "1 5 44 000", "12 345 67"])
def test_an_amount_whose_thousands_are_not_groups_of_three_is_refused(written: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(written)


@pytest.mark.parametrize("written", ["²", "1²0 000", "١٢٠ ٠٠٠", "１２０ ０００", "120 ٠٠٠", "½"])
def test_digits_of_other_scripts_and_superscripts_are_not_digits_of_an_amount(written: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(written)


def test_the_web_form_refuses_the_same_amounts_as_the_import() -> None:
    """autosave.py parses the form's amounts with the importer's parse_amount: one rule."""
    for written in ("12 5", "400 00 000", "1,00,00", "1.000.00", "²"):
        with pytest.raises(autosave.ValidationError):
            autosave.clean_value("measure", "owner_amount", written, Measure)
    assert autosave.clean_value("measure", "owner_amount", "kr 1 200 000", Measure) == 1_200_000


def test_a_mis_grouped_amount_in_a_form_is_unplaced_not_stored_as_another_number() -> None:
    parsed = parse_needs_report(with_first_measure(owner="Kr 400 00 000", partner="Kr 12 5", total="Kr 1.000.00"))
    first = parsed.measures[0]
    assert (first.owner_amount, first.partner_amount, first.declared_total) == (0, 0, None)
    assert {"Tiltak 1 – Eier: Kr 400 00 000", "Tiltak 1 – UH: Kr 12 5", "Tiltak 1 – Sum totalt: Kr 1.000.00"} <= set(
        parsed.unplaced
    )


@pytest.mark.parametrize(
    "cells",
    [
        ("NOK 1 511 235", "NOK 57 713", "Kr 1.568.948"),
        ("1 511 235 NOK", "57 713 NOK", "1 568 948 NOK"),
        ("1 511 235 kr", "57 713 kr", "1 568 948 kr"),
        ("1 511 235,-", "57 713,-", "1 568 948,-"),
    ],
)
def test_nok_or_kr_before_or_after_the_amounts_keeps_each_amount_in_its_cell(cells: tuple[str, str, str]) -> None:
    first = parse_needs_report(with_first_measure(owner=cells[0], partner=cells[1], total=cells[2])).measures[0]
    assert (first.owner_amount, first.partner_amount, first.declared_total) == (1_511_235, 57_713, 1_568_948)


def test_two_amounts_in_a_row_of_three_are_not_guessed_into_place() -> None:
    # "NOK 1 511 235 NOK 57 713" would be refused as one amount; the UH amount must not become the total.
    parsed = parse_needs_report(with_first_measure(owner="NOK 1 511 235", partner="", total="Kr 1.568.948"))
    first = parsed.measures[0]
    assert (first.owner_amount, first.partner_amount, first.declared_total) == (0, 0, None)
    assert any(line.startswith("Tiltak 1: NOK 1 511 235 | Kr 1.568.948") for line in parsed.unplaced)


def test_the_totals_table_with_nok_keeps_the_uh_amount_as_the_uh_amount() -> None:
    text = default_text(totals={"Desentralisert ordning": ("NOK 1 511 235", "NOK 57 713", "Kr 1.568.948")})
    assert parse_needs_report(text).declared_totals["dekomp"] == (1_511_235, 57_713, 1_568_948)


# --- Numbers too large for the form or for the database ------------------------------------------


@pytest.mark.parametrize("digits", [20, 30])
def test_a_20_or_30_digit_amount_is_kept_to_correct_with_a_warning_never_stored(round_2024: Round, digits: int) -> None:
    huge = "9" * digits
    report, _unplaced, warnings = imported(with_first_measure(owner=f"Kr {huge}", total=f"Kr {huge}"), round_2024)
    measure = report.measures.get(position=1)
    assert measure.owner_amount == 0 and measure.partner_amount == 90_000
    key = f"measure:{measure.pk}:owner_amount"
    assert report.pending[key].replace(" ", "") == huge
    assert any(w.startswith("Tiltak 1 – Eier:") and "mer enn skjemaet tillater" in w for w in warnings)
    # The form shows the kept value with its message, and a correction is saved (no 409, no loop).
    assert autosave.pending_error(report, key)
    result = autosave.save_field(report, key, "120 000", base="0", by=None)
    assert result.status == "saved"
    assert Measure.objects.get(pk=measure.pk).owner_amount == 120_000
    assert key not in NeedsReport.objects.get(pk=report.pk).pending


def test_an_amount_over_the_limit_in_a_continuation_or_the_totals_table_is_not_stored(round_2024: Round) -> None:
    huge = "Kr " + "1" * 25
    form = default_form(totals={"Sum": (huge, "Kr 240 000", huge)})
    form.measures[0] = replace(form.measures[0], continuations={"2026": (huge, "", CELL_PLACEHOLDER, CELL_PLACEHOLDER)})
    report, unplaced, _warnings = imported(form_text(form), round_2024)
    row = Continuation.objects.get(measure__report=report, period="2026")
    assert row.owner_amount is None and report.pending[f"continuation:{row.pk}:owner_amount"].startswith("1 111")
    assert not DeclaredTotal.objects.filter(report=report, scheme__isnull=True).exists()
    assert any("mer enn skjemaet tillater" in line for line in unplaced)


def test_a_huge_unit_count_is_kept_to_correct_with_a_message_about_counts(round_2024: Round) -> None:
    report, _unplaced, warnings = imported(default_text(units=" 99999999999999999999 0 PPTFN "), round_2024)
    assert report.public_schools is None and report.private_schools == 0
    assert report.pending[f"report:{report.pk}:public_schools"] == "99 999 999 999 999 999 999"
    (warning,) = [w for w in warnings if "antall" in w]
    assert "kroner" not in warning


def test_a_5000_digit_measure_number_is_read_as_the_next_measure_with_a_note(round_2024: Round) -> None:
    text = default_text().replace(" Tiltak 2 ", " Tiltak " + "7" * 5000 + " ", 1)
    parsed = parse_needs_report(text)
    assert [m.number for m in parsed.measures] == [1, 2, 3]
    assert any(line.startswith("Tiltak 77777777…:") for line in parsed.unplaced)
    report, _unplaced, _warnings = imported(text, round_2024)
    assert report.measures.count() == 3


def test_a_huge_declared_measure_count_is_not_read_as_a_number() -> None:
    parsed = parse_needs_report(default_text(measure_count="9" * 5000))
    assert parsed.declared_measure_count is None


# --- Unicode digits are not digits ---------------------------------------------------------------


def test_a_superscript_two_in_the_units_row_is_a_note_on_its_column_not_a_count() -> None:
    parsed = parse_needs_report(default_text(units=" ² 0 PPTYH "))
    assert (parsed.public_schools, parsed.private_schools) == (None, 0)
    assert "Offentlige skoler: ²" in parsed.unplaced


def test_other_scripts_digits_are_not_read_as_numbers_anywhere() -> None:
    text = default_text(
        units=" ١٣ ٠ PPTFN ",
        org_numbers=("٩٧٦٥٤٣٢١١", "988112232"),
        accounts=("１５０３１２３４５６２", "15069876541"),
        measure_count="３",
        year="２０２４",
    ).replace(" Tiltak 3 ", " Tiltak ³ ")
    parsed = parse_needs_report(text)
    assert (parsed.public_schools, parsed.private_schools, parsed.declared_measure_count, parsed.year) == (
        None,
        None,
        None,
        None,
    )
    owner = parsed.contacts[0]
    assert (owner.org_number, owner.account_number) == ("", "")
    assert [m.number for m in parsed.measures] == [1, 2]


# --- Cells that must not shift ------------------------------------------------------------------


def test_a_dash_for_none_in_the_units_row_keeps_the_columns_in_place() -> None:
    parsed = parse_needs_report(default_text(units=" 13 - PPTYH "))
    assert (parsed.public_schools, parsed.private_schools) == (13, 0)
    assert parsed.unplaced == ["PP-tjenester: PPTYH"]


def test_a_mistyped_e_mail_stays_with_its_own_contact_and_merges_nobody(round_2024: Round) -> None:
    text = default_text(emails=("sigrun.vatnli@@fjellvik", "eskil.brattas@haugen.no"))
    owner, partner = parse_needs_report(text).contacts
    assert (owner.name, owner.email) == ("Sigrun Vatnli", "sigrun.vatnli@@fjellvik")
    assert (partner.name, partner.email) == ("Eskil Brattås", "eskil.brattas@haugen.no")
    report, unplaced, _warnings = imported(text, round_2024)
    contacts = {
        c.participant.side: c for c in report.partnership.participants.get(side="owner", is_lead=True).contacts.all()
    }
    assert contacts["owner"].name == "Sigrun Vatnli" and contacts["owner"].email == ""
    uh = report.partnership.participants.get(side="partner", is_lead=True).contacts.get()
    assert (uh.name, uh.email) == ("Eskil Brattås", "eskil.brattas@haugen.no")
    assert any(line.startswith("E-post (Eier): sigrun.vatnli@@fjellvik") for line in unplaced)


def test_a_new_organisation_with_a_7_digit_account_gets_a_message_and_no_account(round_2024: Round) -> None:
    with translation.override("nb"):
        report, unplaced, _warnings = imported(default_text(accounts=("1234566", "00000000000")), round_2024)
    owner = Organisation.objects.get(org_number="976543211")
    assert owner.account_number == ""
    assert report.partnership.participants.get(side="owner", is_lead=True).account_number == ""
    assert any(line.startswith("Kontonr (Eier):") for line in unplaced)
    assert any(line.startswith("Kontonr (UH):") for line in unplaced)


# --- Whole files --------------------------------------------------------------------------------


def test_two_forms_in_one_file_are_refused_not_merged_into_one_report() -> None:
    with translation.override("en"), pytest.raises(ImportFileError, match="holds 2 needs report forms"):
        parse_needs_report(default_text() + "\n" + default_text())


def test_a_form_without_measures_is_imported_with_a_warning(round_2024: Round) -> None:
    text = form_text(default_form(measures=[]))
    report, _unplaced, warnings = imported(text, round_2024)
    assert report.measures.count() == 0
    assert "Fant ingen tiltak i skjemaet." in warnings


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("utf-32"),
        lambda t: t.encode("utf-16-le"),  # Notepad without a mark
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    ],
)
def test_a_utf16_or_utf32_text_file_is_read_by_its_byte_order_mark(encode: object) -> None:
    parsed = read_needs_report("skjema.txt", encode(default_text()))  # type: ignore[operator]
    assert [m.name for m in parsed.measures][:2] == [
        "Kartlegging av lesemiljøet",
        "Nettverk for språk, lesing og skriving",
    ]


def test_nul_bytes_and_invisible_characters_are_taken_out_of_every_text(round_2024: Round) -> None:
    text = default_text(names=("\u200fSigrun\x00 Vatnli\ufeff", "Eskil Brattås")).replace(
        "Kartlegging av lesemiljøet", "Kartlegging\x00 av lese\u200bmiljøet"
    )
    report, _unplaced, _warnings = imported(text, round_2024)
    assert report.measures.get(position=1).name == "Kartlegging av lesemiljøet"
    owner = report.partnership.participants.get(side="owner", is_lead=True).contacts.get()
    assert owner.name == "Sigrun Vatnli"


def test_a_text_longer_than_its_field_is_cut_and_kept_whole_among_the_unplaced(round_2024: Round) -> None:
    long = "Lang tekst. " * 2000  # 24 000 characters; the field takes 10 000
    report, unplaced, _warnings = imported(with_first_measure(description=long), round_2024)
    description = report.measures.get(position=1).description
    assert len(description) <= Measure._meta.get_field("description").max_length  # type: ignore[operator]
    assert any(line.startswith("Tiltak 1: Lang tekst.") and len(line) > 20_000 for line in unplaced)


def test_measures_with_very_long_names_and_many_of_them_import() -> None:
    many = [FormMeasure(f"Tiltak nummer {n} " + "x" * 400, "Kr 1 000", "Kr 2 000", "Kr 3 000") for n in range(60)]
    parsed = parse_needs_report(form_text(default_form(measures=many)))
    assert len(parsed.measures) == 60 and sum(m.total for m in parsed.measures) == 180_000


# --- The upload's size, checked before the file is read ---------------------------------------------


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_named_docx_is_refused_by_its_unpacked_size(settings: object) -> None:
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (31 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    with translation.override("en"), pytest.raises(ImportFileError, match="unpacks to more than 30 MB"):
        read_needs_report("skjema.docx", bomb)


def test_a_docx_with_too_many_parts_is_refused(settings: object) -> None:
    settings.IMPORT_MAX_ZIP_ENTRIES = 50  # type: ignore[attr-defined]
    many = zip_bytes({f"word/part{n}.xml": b"<x/>" for n in range(51)})
    with translation.override("en"), pytest.raises(ImportFileError, match="more than 50 parts"):
        read_needs_report("skjema.docx", many)


def test_a_docx_whose_declared_sizes_lie_is_refused_without_being_unpacked_further() -> None:
    honest = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (2 * 1024 * 1024)})
    # Declare the big part as 10 bytes in the central directory (the size python-docx would trust).
    central = honest.rindex(b"PK\x01\x02")
    lying = bytearray(honest)
    lying[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with translation.override("en"), pytest.raises(ImportFileError, match="could not be read as a Word document"):
        read_needs_report("skjema.docx", bytes(lying))


def test_a_file_over_the_upload_cap_is_refused_before_it_is_read(settings: object) -> None:
    settings.IMPORT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    with translation.override("en"), pytest.raises(ImportFileError, match="at most 2 MB can be imported"):
        read_needs_report("skjema.txt", b"x" * (3 * 1024 * 1024))


def test_an_e_mail_address_longer_than_its_field_is_unplaced_not_a_database_error(round_2024: Round) -> None:
    long_address = "a" * 250 + "@haugen.no"  # valid to the validator, longer than the 254 the column takes
    report, unplaced, _warnings = imported(
        default_text(emails=("sigrun.vatnli@fjellvik.kommune.no", long_address)), round_2024
    )
    uh = report.partnership.participants.get(side="partner", is_lead=True).contacts.get()
    assert uh.email == "" and uh.name == "Eskil Brattås"
    assert any(line.startswith("E-post (UH):") for line in unplaced)


def test_a_form_with_thousands_of_measures_is_refused_before_anything_is_written() -> None:
    many = [FormMeasure(f"Tiltak {n}", "Kr 1 000", "Kr 1 000", "Kr 2 000") for n in range(301)]
    with translation.override("nb"), pytest.raises(ImportFileError, match="høyst 300 kan importeres"):
        parse_needs_report(form_text(default_form(measures=many)))


def test_only_the_first_50_union_participants_are_read_and_the_rest_are_noted() -> None:
    people = [("Tillitsvalgt", f"Person Nummer{n}") for n in range(60)]
    parsed = parse_needs_report(default_text(participants=people))
    assert len(parsed.union_participants) == 50
    assert "Hvem som har deltatt: Tillitsvalgt Person Nummer59" in parsed.unplaced
