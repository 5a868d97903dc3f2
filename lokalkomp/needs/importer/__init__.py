"""Import of a filled-in needs report (behovsmelding) from .docx, .pdf or .txt into plain data."""

from .amounts import parse_amount
from .parse import looks_like_needs_report, parse_needs_report, read_needs_report
from .records import (
    DeclaredTotal,
    OtherPartner,
    ParsedContact,
    ParsedContinuation,
    ParsedMeasure,
    ParsedReport,
    UnionParticipant,
)
from .text import ImportFileError, extract_text

__all__ = [
    "DeclaredTotal",
    "ImportFileError",
    "OtherPartner",
    "ParsedContact",
    "ParsedContinuation",
    "ParsedMeasure",
    "ParsedReport",
    "UnionParticipant",
    "extract_text",
    "looks_like_needs_report",
    "parse_amount",
    "parse_needs_report",
    "read_needs_report",
]
