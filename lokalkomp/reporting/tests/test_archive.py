"""The archive export (Noark 5): a round's case documents as PDF/A, their arkivstruktur.xml valid against the
vendored schema, each file in the zip with the checksum and size the XML gives. The page, the worker's job and
the download are tested in test_archive_jobs.py."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from typing import Any

import pytest
from django.urls import reverse
from lxml import etree

from lokalkomp.allocation.models import CompilationVersion, Decision
from lokalkomp.allocation.tests.payment_helpers import decided_round
from lokalkomp.needs.models.events import NeedsReportVersion
from lokalkomp.reporting.archive import noark
from lokalkomp.reporting.archive.package import InvalidPackage, build_package
from lokalkomp.reporting.archive.sources import INCOMING, INTERNAL, OUTGOING, ArchiveDocument, sources

pytestmark = pytest.mark.cast(year=2024)

N = {"n": noark.NS}
XSI_TYPE = f"{{{noark.XSI}}}type"


def read(content: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, etree.fromstring(archive.read("arkivstruktur.xml"))


def xmp(pdf: bytes) -> str:
    """The PDF's XMP metadata stream, inflated."""
    found = re.search(rb"/Type /Metadata/Subtype /XML/Filter /FlateDecode/Length (\d+)>>\nstream\n", pdf)
    assert found, "no XMP metadata stream"
    return zlib.decompress(pdf[found.end() : found.end() + int(found.group(1))]).decode()


def check_package(content: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    """What every package must hold: valid XML, each file present with its checksum and size, each one PDF/A-2u."""
    archive, root = read(content)
    schema = noark.schema()
    assert schema.validate(root), schema.error_log
    objects = root.findall(".//n:dokumentobjekt", N)
    assert objects
    listed = set()
    for element in objects:
        path = element.findtext("n:referanseDokumentfil", namespaces=N)
        data = archive.read(path)
        listed.add(path)
        assert element.findtext("n:sjekksum", namespaces=N) == hashlib.sha256(data).hexdigest()
        assert element.findtext("n:sjekksumAlgoritme", namespaces=N) == "SHA256"
        assert int(element.findtext("n:filstoerrelse", namespaces=N)) == len(data)
        assert data.startswith(b"%PDF-")
        metadata = xmp(data)
        assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="U"' in metadata
    in_zip = {name for name in archive.namelist() if name.startswith("dokumenter/")}
    assert in_zip == listed  # nothing unlisted, nothing missing
    assert {"arkivstruktur.xsd", "metadatakatalog.xsd"} <= set(archive.namelist())
    return archive, root


@pytest.fixture
def r(cast: Any) -> Any:
    return decided_round(cast)


def test_a_decided_round_exports_every_record_as_a_journal_entry(r: Any) -> None:
    content = build_package(r.round, by=r.governor)
    _, root = check_package(content)
    case = root.find("n:arkivdel/n:mappe", N)
    assert case.get(XSI_TYPE) == "saksmappe"
    assert case.findtext("n:saksaar", namespaces=N) == "2024"
    entries = case.findall("n:registrering", N)
    assert all(entry.get(XSI_TYPE) == "journalpost" for entry in entries)
    kinds = [entry.findtext("n:journalposttype", namespaces=N) for entry in entries]
    reports = NeedsReportVersion.objects.filter(report__round=r.round).count()
    compilations = CompilationVersion.objects.filter(compilation__round=r.round).count()
    assert kinds.count(INCOMING) == reports + compilations and reports > 0
    assert kinds.count(OUTGOING) == len(r.decisions) == 4
    assert kinds.count(INTERNAL) >= 1  # the final recommendation with its meeting
    numbers = [int(entry.findtext("n:journalpostnummer", namespaces=N)) for entry in entries]
    assert numbers == list(range(1, len(entries) + 1))
    # each decision letter is addressed to its recipient, sent by the office with its case officer
    letters = [entry for entry in entries if entry.findtext("n:journalposttype", namespaces=N) == OUTGOING]
    recipients = {
        entry.findtext(
            "n:korrespondansepart[n:korrespondanseparttype='Mottaker']/n:korrespondansepartNavn", namespaces=N
        )
        for entry in letters
    }
    assert recipients == {d.recipient_name for d in r.decisions}
    officers = {entry.findtext("n:korrespondansepart/n:saksbehandler", namespaces=N) for entry in letters}
    assert officers == {str(r.governor)}
    assert case.findtext("n:saksansvarlig", namespaces=N) == str(r.governor)


def test_the_system_ids_are_the_same_in_every_export(r: Any) -> None:
    first = read(build_package(r.round, by=r.governor))[1]
    again = read(build_package(r.round, by=r.governor))[1]
    ids = [e.text for e in first.iter(f"{{{noark.NS}}}systemID")]
    assert ids == [e.text for e in again.iter(f"{{{noark.NS}}}systemID")]
    assert len(ids) == len(set(ids))


def test_a_registered_source_adds_its_documents_and_odd_text_is_cleaned(r: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    def extra(round: Any) -> list[ArchiveDocument]:
        return [
            ArchiveDocument(
                key="test:1",
                title="Oppfølgingsbrev\x00 \x07",  # characters XML cannot hold are dropped
                kind=OUTGOING,
                document_type="Brev",
                dated=timezone.make_aware(dt.datetime(2024, 6, 20, 12)),
                author="",  # empty: the schema wants something
                parties=(),
                filename="vedtaksbrev-2024-x.pdf",
                html=lambda: "<html lang='nb'><head><title>x</title></head><body><p>Brev</p></body></html>",
            )
        ]

    sources.append(extra)
    try:
        _, root = check_package(build_package(r.round, by=r.governor))
    finally:
        sources.remove(extra)
    titles = [e.findtext("n:tittel", namespaces=N) for e in root.findall(".//n:registrering", N)]
    assert "Oppfølgingsbrev" in titles


def test_a_package_that_breaks_the_schema_is_refused(r: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: an XML without its case's status does not pass the vendored schema."""
    from lokalkomp.reporting.archive import package

    written = package.arkivstruktur

    def broken(*args: Any, **kwargs: Any) -> bytes:
        return written(*args, **kwargs).replace(b"<saksstatus>Under behandling</saksstatus>", b"")

    monkeypatch.setattr(package, "arkivstruktur", broken)
    with pytest.raises(InvalidPackage):
        build_package(r.round, by=r.governor)


def url(round: Any) -> str:
    return reverse("reporting:archive", args=[round.office.slug, round.year])


def test_the_round_page_links_it_for_the_statsforvalter_only(
    client: Any, r: Any, django_assert_max_num_queries: Any
) -> None:
    page = reverse("schemes:round", args=[r.round.office.slug, r.round.year])
    client.force_login(r.governor)
    with django_assert_max_num_queries(15):
        response = client.get(page)
    assert response.status_code == 200
    assert f'href="{url(r.round)}"' in response.content.decode()
    client.force_login(r.secretary)
    assert 'id="round-archive-link"' not in client.get(page).content.decode()
    client.logout()
    assert 'id="round-archive-link"' not in client.get(page).content.decode()


def test_the_decisions_are_read_from_their_record(r: Any) -> None:
    """The letter's recipient in the package is the decision's recorded name, even if the organisation is renamed."""
    decision = Decision.objects.filter(round=r.round).order_by("number").first()
    assert decision is not None
    organisation = decision.recipient
    organisation.name = "Omdøpt etterpå"
    organisation.save()
    _, root = read(build_package(r.round, by=r.governor))
    names = {e.text for e in root.iter(f"{{{noark.NS}}}korrespondansepartNavn")}
    assert decision.recipient_name in names and "Omdøpt etterpå" not in names
