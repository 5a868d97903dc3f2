"""A round's archive package: a zip with `arkivstruktur.xml`, the Noark 5 schema, and each document as PDF/A.

    arkivstruktur.xml            the metadata (noark.py), validated against the vendored schema before it is written
    arkivstruktur.xsd, metadatakatalog.xsd
    dokumenter/<file>.pdf         one PDF/A-2u per journal entry, named in the XML with its SHA256 and size

Cost: the documents are read with a handful of queries per source (plus what each document's own HTML reads,
as its own PDF does), and every document is rendered by WeasyPrint: about half a second to a second each, so a
round of 40 documents takes some 20–40 s. It is a download the Statsforvalter asks for once a round.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

from django.utils import timezone
from lxml import etree

from lokalkomp.allocation.models import Decision
from lokalkomp.needs.documents import export_filename
from lokalkomp.schemes.models import Round

from .noark import SCHEMA_DIR, ArchivedFile, arkivstruktur, schema
from .pdfa import html_to_pdfa
from .sources import documents_of

DOCUMENTS = "dokumenter"


class InvalidPackage(Exception):
    """The XML written does not validate against the Noark 5 schema (a bug: never sent to the user)."""


def package_filename(round: Round) -> str:
    """«arkiv-2024-nordland.zip»."""
    return export_filename("arkiv", round.year, round.office.name, extension="zip")


def case_officer(round: Round, fallback: str) -> str:
    """The case officer (saksansvarlig): who decided the round's first decision, else the one exporting."""
    decision = (
        Decision.objects.filter(round=round, decided_by__isnull=False)
        .select_related("decided_by")
        .order_by("decided_at", "pk")
        .first()
    )
    return str(decision.decided_by) if decision else fallback


def build_package(round: Round, *, by: Any, at: dt.datetime | None = None) -> bytes:
    """The zip's bytes (raises InvalidPackage if the XML would not validate)."""
    at = at or timezone.now()
    exporter = str(by)
    buffer = io.BytesIO()
    files: list[ArchivedFile] = []
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in documents_of(round):
            path = _unique(f"{DOCUMENTS}/{document.filename}", used)
            pdf = html_to_pdfa(document.html())
            archive.writestr(path, pdf)
            files.append(ArchivedFile(document, path, hashlib.sha256(pdf).hexdigest(), len(pdf)))
        xml = arkivstruktur(round, files, by=exporter, case_officer=case_officer(round, exporter), at=at)
        parsed = etree.fromstring(xml)
        validator = schema()
        if not validator.validate(parsed):
            raise InvalidPackage(str(validator.error_log))
        archive.writestr("arkivstruktur.xml", xml)
        for name in ("arkivstruktur.xsd", "metadatakatalog.xsd"):
            archive.write(SCHEMA_DIR / name, name)
    return buffer.getvalue()


def _unique(path: str, used: set[str]) -> str:
    stem, dot, extension = path.rpartition(".")
    candidate, n = path, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}{dot}{extension}"
    used.add(candidate)
    return candidate
