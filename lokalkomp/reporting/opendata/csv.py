"""The open data as CSV: the grants and the frames of a round, with a header line; no cell a spreadsheet runs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

GRANT_COLUMNS = (
    "decision",
    "kind",
    "decided_on",
    "recipient",
    "org_number",
    "side",
    "scheme",
    "scheme_name",
    "network",
    "measure",
    "amount",
    "owner_amount",
    "uh_amount",
)
FRAME_COLUMNS = ("scheme", "scheme_name", "frame", "pool", "extra", "granted")


def safe(value: Any) -> str:
    """A cell: numbers plain, a date ISO, a text on one line that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value).replace("\x00", "").replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t"} else text


def write(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe(row[c]) for c in columns])
    return buffer.getvalue()
