"""The needs report importer reads .docx, .pdf and .txt uploads and refuses what it cannot read."""

from __future__ import annotations

import io
import os
import random
from dataclasses import asdict

import docx
import pytest
from django.conf import settings
from django.utils import translation
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from lokalkomp.needs.importer import ImportFileError, ParsedReport, extract_text, parse_needs_report, read_needs_report
from lokalkomp.needs.tests.forms import build_docx, build_pdf, default_text

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):  # run with -p no:django
    settings.configure(USE_I18N=False)


@pytest.fixture(scope="module")
def from_text() -> ParsedReport:
    return parse_needs_report(default_text())


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_pdf(default_text())


def test_it_reads_the_same_report_from_a_word_document(from_text: ParsedReport) -> None:
    from_docx = read_needs_report("behovsmelding.docx", build_docx(default_text()))
    assert asdict(from_docx) == asdict(from_text)
    assert len(from_docx.measures) == 3


def test_it_reads_the_same_report_from_a_pdf(from_text: ParsedReport, pdf_bytes: bytes) -> None:
    from_pdf = read_needs_report("behovsmelding.pdf", pdf_bytes)
    assert asdict(from_pdf) == asdict(from_text)
    assert sum(m.total for m in from_pdf.measures) == 450_000


def test_the_extracted_text_keeps_the_check_boxes(pdf_bytes: bytes) -> None:
    for text in (extract_text("a.docx", build_docx(default_text())), extract_text("a.pdf", pdf_bytes)):
        assert "Regional ordning ☐   Desentralisert ordning ☒   Kompetanseløftet ☐" in text


def test_reference_seed_003_reads_the_same_from_word_pdf_and_text(seed_003_text: str) -> None:
    from_text = parse_needs_report(seed_003_text)
    from_docx = read_needs_report("behovsmelding.docx", build_docx(seed_003_text))
    from_pdf = read_needs_report("behovsmelding.pdf", build_pdf(seed_003_text))
    assert asdict(from_docx) == asdict(from_text) == asdict(from_pdf)
    assert len(from_pdf.measures) == 8
    assert sum(m.owner_amount for m in from_pdf.measures) == 625_000
    assert sum(m.partner_amount for m in from_pdf.measures) == 919_000
    assert sum(m.total for m in from_pdf.measures) == 1_544_000


def test_it_reads_a_text_file_saved_in_windows_encoding() -> None:
    legacy = "Behovsmelding\n Tiltak 1 \nNavn på tiltak: Magisk måned\n".encode("cp1252")
    assert read_needs_report("gammel.txt", legacy).measures[0].name == "Magisk måned"


# A Word form keeps its answers in content controls, tables and check box fields.


def content_control(text: str) -> str:
    return f"<w:sdt {nsdecls('w')}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>{text}</w:t></w:r></w:sdtContent></w:sdt>"


def legacy_checkbox(checked: bool) -> str:
    state = "<w:checked/>" if checked else ""
    return (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:sizeAuto/>'
        f'<w:default w:val="0"/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>'
    )


def add_paragraph(document: WordDocument, *parts: str) -> None:
    """Text parts, with XML parts (starting with "<") added as they are."""
    paragraph = document.add_paragraph()
    for part in parts:
        if part.startswith("<"):
            paragraph._p.append(parse_xml(part))
        else:
            paragraph.add_run(part)


def add_table(document: WordDocument, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            if value.startswith("<"):
                cell.paragraphs[0]._p.append(parse_xml(value))
            else:
                cell.text = value


def word_form() -> bytes:
    document = docx.Document()
    placeholder = content_control("Klikk eller trykk her for å skrive inn tekst.")
    add_paragraph(document, "Behovsmelding – lokal kompetanseutvikling i barnehage og grunnopplæring")
    add_paragraph(
        document,
        "Behovsmeldingen gjelder: Regional ordning ",
        content_control("☐"),
        " Desentralisert ordning ",
        content_control("☒"),
        " Kompetanseløftet ",
        content_control("☐"),
    )
    add_paragraph(document, "Kontaktpersoner:")
    add_table(
        document,
        [
            ["", "Eier", "UH"],
            ["Navn", content_control("Sigrun Vatnli"), content_control("Eskil Brattås")],
            ["Funksjon", "Koordinator", placeholder],
            ["Kontonr", "1503.12.34562", "1506.98.76541"],
            ["Org. Nr", "976 543 211", "988 112 232"],
        ],
    )
    add_paragraph(document, "Tiltak 1")
    add_paragraph(document, "Navn på tiltak: ", content_control("Magisk måned"))
    add_paragraph(document, "Tilskuddet fordeles")
    add_table(document, [["Eier", "UH", "Sum totalt"], ["Kr 50 000", placeholder, "Kr 50 000"]])
    add_paragraph(document, "Hva skal tilskuddet brukes til? ", content_control("Gjennomføring av tiltak"))
    add_paragraph(
        document, "Tiltakets varighet Vår 2024 ", legacy_checkbox(True), " Høst 2024 ", legacy_checkbox(False)
    )
    add_paragraph(document, "Dersom tiltak ønskes videreført etter vår 2025 gi anslag på behov")
    add_table(
        document,
        [
            ["", "Eier", "Begrunnelse", "UH", "Begrunnelse"],
            ["Høst 2025", "", "Videreføring", "Kr 10 000", placeholder],
            ["2026", placeholder, placeholder, placeholder, placeholder],
        ],
    )
    add_paragraph(document, "Hvem er målgruppa for tiltaket?")
    block = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Alle ansatte</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(len(document.element.body) - 1, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_reads_answers_from_content_controls_tables_and_check_box_fields() -> None:
    report = read_needs_report("skjema.docx", word_form())
    assert report.schemes == ["dekomp"]
    owner, partner = report.contacts
    assert (owner.name, owner.function, owner.account_number, owner.org_number) == (
        "Sigrun Vatnli",
        "Koordinator",
        "15031234562",
        "976543211",
    )
    assert (partner.name, partner.function, partner.account_number, partner.org_number) == (
        "Eskil Brattås",
        "",
        "15069876541",
        "988112232",
    )
    (measure,) = report.measures
    assert (measure.name, measure.purpose, measure.target_group) == ("Magisk måned", "implementation", "Alle ansatte")
    assert (measure.owner_amount, measure.partner_amount, measure.declared_total) == (50_000, 0, 50_000)
    assert measure.semesters == ["2024-spring"]
    (autumn,) = measure.continuations
    assert (autumn.owner_amount, autumn.owner_reason) == (None, "Videreføring")
    assert (autumn.partner_amount, autumn.partner_reason) == (10_000, "")
    assert report.unplaced == []


# What cannot be imported is refused with a message for the user.


def import_error(filename: str, data: bytes) -> str:
    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        read_needs_report(filename, data)
    return str(raised.value)


def test_it_refuses_an_empty_file() -> None:
    assert import_error("behovsmelding.docx", b"") == "The file is empty."
    assert import_error("behovsmelding.txt", b"  \n ") == "The file is empty."


def test_it_refuses_random_bytes_named_as_a_word_document() -> None:
    noise = random.Random(3).randbytes(2000)
    assert import_error("behovsmelding.docx", noise) == "The file could not be read as a Word document (.docx)."


def test_it_refuses_random_bytes_named_as_a_pdf() -> None:
    noise = random.Random(3).randbytes(2000)
    assert import_error("behovsmelding.pdf", noise) == "The file could not be read as a PDF document."


def test_it_refuses_a_file_type_it_cannot_read() -> None:
    message = "Only Word documents (.docx), PDF files and text files (.txt) can be imported."
    assert import_error("behovsmelding.odt", b"PK\x03\x04 something") == message
    assert import_error("behovsmelding", default_text().encode()) == message
    assert import_error("behovsmelding.doc", b"\xd0\xcf\x11\xe0").startswith("Old Word documents (.doc)")


def test_it_refuses_a_word_document_that_is_not_a_needs_report() -> None:
    recipe = build_docx("Pannekaker\n\n3 egg\n5 dl melk\n3 dl hvetemel\nStekes i smør.")
    assert import_error("oppskrift.docx", recipe) == "This does not look like a needs report form."


def test_it_refuses_a_pdf_without_text() -> None:
    assert import_error("skannet.pdf", build_pdf("")) == "The file contains no text. A scanned PDF cannot be imported."
