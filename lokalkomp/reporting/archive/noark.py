"""The package's metadata in the structure of Noark 5's `arkivstruktur.xml` (schema version 5.0, in `schema/`).

    arkiv (the office's grant archive) → arkivdel (the round) → mappe xsi:type="saksmappe" (the round's case)
      → registrering xsi:type="journalpost" (one document each: its parties, dates, case officer)
        → dokumentbeskrivelse (the main document) → dokumentobjekt (the file, its SHA256 and format)

One case (saksmappe) per round, not per recipient: a round is one administrative case with one frame, one
recommendation and one set of decisions taken together, and the compilations and the recommendation belong to
every recipient at once; each recipient is the korrespondansepart of its own journal entry (its letter, its
reports), so an archivist finds a recipient's documents by the party. The coded values (journalposttype,
journalstatus, variantformat …) are the standard's own Norwegian words.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from lokalkomp.schemes.models import Round

from .pdfa import FORMAT, FORMAT_DETAILS
from .sources import INCOMING, ArchiveDocument

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_DIR = Path(__file__).parent / "schema"
SYSTEM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://lokalkomp.no/archive/noark5")
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class ArchivedFile:
    """A document as written into the package."""

    document: ArchiveDocument
    path: str  # «dokumenter/vedtaksbrev-2024-nordland-001.pdf»
    sha256: str
    size: int


def system_id(round: Round, key: str) -> str:
    """A stable systemID: the same round and document give the same id in every export."""
    return str(uuid.uuid5(SYSTEM_NAMESPACE, f"{round.pk}:{key}"))


def _text(value: object) -> str:
    """Text the schema accepts: no characters XML cannot hold, never empty (every field there has minLength 1)."""
    return NOT_XML.sub("", str(value)).strip() or "–"


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: dt.datetime) -> str:
    return timezone.localtime(value).date().isoformat()


def _add(parent: etree._Element, name: str, value: object | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        element.text = _text(value)
    return element


def arkivstruktur(round: Round, files: list[ArchivedFile], *, by: str, case_officer: str, at: dt.datetime) -> bytes:
    """The XML document (UTF-8, with its declaration)."""
    office = round.office
    exported = _when(at)
    root = etree.Element(f"{{{NS}}}arkiv", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} arkivstruktur.xsd")
    _add(root, "systemID", system_id(round, f"arkiv:{office.pk}"))
    _add(root, "tittel", _("Grants for competence development, %(office)s") % {"office": office.name})
    _add(root, "opprettetDato", exported)
    _add(root, "opprettetAv", by)
    _add(root, "avsluttetDato", exported)  # an export is a closed extract: the schema makes these mandatory
    _add(root, "avsluttetAv", by)
    creator = _add(root, "arkivskaper")
    _add(creator, "arkivskaperID", office.slug)
    _add(creator, "arkivskaperNavn", office.name)

    part = _add(root, "arkivdel")
    _add(part, "systemID", system_id(round, "arkivdel"))
    _add(part, "tittel", _("Round %(year)s") % {"year": round.year})
    _add(part, "arkivdelstatus", "Aktiv periode")
    _add(part, "opprettetDato", exported)
    _add(part, "opprettetAv", by)
    _add(part, "avsluttetDato", exported)
    _add(part, "avsluttetAv", by)
    _add(part, "arkivperiodeStartDato", dt.date(round.year, 1, 1).isoformat())
    _add(part, "arkivperiodeSluttDato", dt.date(round.year, 12, 31).isoformat())

    case = _add(part, "mappe")
    case.set(f"{{{XSI}}}type", "saksmappe")
    first = min((f.document.dated for f in files), default=at)
    _add(case, "systemID", system_id(round, "saksmappe"))
    _add(case, "mappeID", f"{round.year}/{round.pk}")
    _add(
        case, "tittel", _("Allocation of the grants %(year)s, %(office)s") % {"year": round.year, "office": office.name}
    )
    _add(case, "opprettetDato", _when(first))
    _add(case, "opprettetAv", case_officer)
    _add(case, "avsluttetDato", exported)
    _add(case, "avsluttetAv", by)
    for number, archived in enumerate(files, start=1):
        _journal_entry(case, round, number, archived, by=by, at=exported)
    _add(case, "saksaar", round.year)
    _add(case, "sakssekvensnummer", round.pk)
    _add(case, "saksdato", _day(first))
    _add(case, "administrativEnhet", office.name)
    _add(case, "saksansvarlig", case_officer)
    _add(case, "saksstatus", "Under behandling")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _journal_entry(
    case: etree._Element, round: Round, number: int, archived: ArchivedFile, *, by: str, at: str
) -> None:
    document = archived.document
    dated = _when(document.dated)
    entry = _add(case, "registrering")
    entry.set(f"{{{XSI}}}type", "journalpost")
    _add(entry, "systemID", system_id(round, f"journalpost:{document.key}"))
    _add(entry, "opprettetDato", dated)
    _add(entry, "opprettetAv", document.author)
    _add(entry, "arkivertDato", at)
    _add(entry, "arkivertAv", by)

    description = _add(entry, "dokumentbeskrivelse")
    _add(description, "systemID", system_id(round, f"dokumentbeskrivelse:{document.key}"))
    _add(description, "dokumenttype", document.document_type)
    _add(description, "dokumentstatus", "Dokumentet er ferdigstilt")
    _add(description, "tittel", document.title)
    _add(description, "forfatter", document.author)
    _add(description, "opprettetDato", dated)
    _add(description, "opprettetAv", document.author)
    _add(description, "dokumentmedium", "Elektronisk arkiv")
    _add(description, "tilknyttetRegistreringSom", "Hoveddokument")
    _add(description, "dokumentnummer", 1)
    _add(description, "tilknyttetDato", at)
    _add(description, "tilknyttetAv", by)
    file = _add(description, "dokumentobjekt")
    _add(file, "systemID", system_id(round, f"dokumentobjekt:{document.key}"))
    _add(file, "versjonsnummer", 1)
    _add(file, "variantformat", "Arkivformat")
    _add(file, "format", FORMAT)
    _add(file, "formatDetaljer", FORMAT_DETAILS)
    _add(file, "opprettetDato", at)
    _add(file, "opprettetAv", by)
    _add(file, "referanseDokumentfil", archived.path)
    _add(file, "sjekksum", archived.sha256)
    _add(file, "sjekksumAlgoritme", "SHA256")
    _add(file, "filstoerrelse", archived.size)

    _add(entry, "registreringsID", f"{round.year}/{number}")
    _add(entry, "tittel", document.title)
    _add(entry, "forfatter", document.author)
    for party in document.parties:
        element = _add(entry, "korrespondansepart")
        _add(element, "korrespondanseparttype", party.kind)
        _add(element, "korrespondansepartNavn", party.name)
        if party.email:
            _add(element, "epostadresse", party.email)
        if party.case_officer:
            _add(element, "administrativEnhet", round.office.name)
            _add(element, "saksbehandler", party.case_officer)

    _add(entry, "journalaar", round.year)
    _add(entry, "journalsekvensnummer", number)
    _add(entry, "journalpostnummer", number)
    _add(entry, "journalposttype", document.kind)
    _add(entry, "journalstatus", "Arkivert")
    _add(entry, "journaldato", _day(document.dated))
    _add(entry, "dokumentetsDato", _day(document.dated))
    _add(entry, "mottattDato" if document.kind == INCOMING and document.received else "sendtDato", dated)


def schema() -> etree.XMLSchema:
    """The vendored Noark 5 schema (it imports metadatakatalog.xsd from beside it)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "arkivstruktur.xsd")))
