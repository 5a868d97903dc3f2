"""Where a round's archive documents come from: a small registry that each part of the year adds to.

A source is a function of the round that returns `ArchiveDocument`s (the submitted needs reports, the delivered
compilations, the final recommendation with its meeting, the decision letters; the reports on the use of funds
and the follow-up letters when their parts register them). Each document names its parties and dates and gives
its HTML, the same HTML its own PDF is printed from: the archive prints it again as PDF/A.

    from lokalkomp.reporting.archive.sources import ArchiveDocument, Party, register

    def my_documents(round):
        for letter in Letter.objects.filter(round=round):
            yield ArchiveDocument(key=f"letter:{letter.pk}", ...)

    register(my_documents)   # from the app's AppConfig.ready() (lokalkomp/reporting/archive/registrations.py)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round

# Noark 5 journalposttype (M082): the standard's own words, not the UI's.
INCOMING = "Inngående dokument"
OUTGOING = "Utgående dokument"
INTERNAL = "Organinternt dokument for oppfølging"

# Noark 5 korrespondanseparttype (M087).
SENDER = "Avsender"
RECIPIENT = "Mottaker"
INTERNAL_SENDER = "Intern avsender"
INTERNAL_RECIPIENT = "Intern mottaker"


@dataclass(frozen=True)
class Party:
    """A korrespondansepart: who sent or received the document."""

    kind: str  # SENDER, RECIPIENT, INTERNAL_SENDER, INTERNAL_RECIPIENT
    name: str
    email: str = ""
    case_officer: str = ""  # saksbehandler, on the office's own side


@dataclass(frozen=True)
class ArchiveDocument:
    """One journal entry (journalpost) with its main document."""

    key: str  # stable and unique in the round ("needs-report:12:v2"): the systemIDs are derived from it
    title: str
    kind: str  # INCOMING, OUTGOING, INTERNAL
    document_type: str  # Noark 5 dokumenttype (M083): "Rapport", "Brev", "Møteprotokoll" …
    dated: dt.datetime  # when the document was made (submitted, delivered, decided)
    author: str
    parties: tuple[Party, ...]
    filename: str  # «behovsmelding-2024-….pdf»: unique in the round
    html: Callable[[], str] = field(compare=False)  # rendered only when the package is written
    received: bool = False  # mottattDato (incoming) rather than sendtDato (outgoing)


Source = Callable[["Round"], Iterable[ArchiveDocument]]

sources: list[Source] = []


def register(source: Source) -> None:
    """Add a source once (an AppConfig.ready() may run twice in tests)."""
    if source not in sources:
        sources.append(source)


def documents_of(round: Round) -> list[ArchiveDocument]:
    """All the round's documents, oldest first (the journal's order)."""
    found = [document for source in sources for document in source(round)]
    return sorted(found, key=lambda d: (d.dated, d.key))
