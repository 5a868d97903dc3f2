"""The history import: earlier years' allocations from a spreadsheet (.xlsx or .csv) in seed 004's shape.

Columns, in order, under one header row: owner, owner amount, UH, UH amount, description, year, scheme,
and an eighth, «sum without a list of measures», for a year's total that the source does not break
down (then both amount columns stay empty and the scheme may be empty). Amounts follow the one strict
rule for written kroner (`lokalkomp.directory.amounts`). Nothing is saved unless every row is good:
`parse` returns the rows and the errors per row; `save` parses again, inside the transaction, and
writes the import event and all its rows, or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lokalkomp.allocation.models import DecisionLine
from lokalkomp.directory.amounts import parse_amount
from lokalkomp.directory.models import Network
from lokalkomp.needs.cleaning import MAX_AMOUNT, spaced, typed_text
from lokalkomp.schemes.models import Scheme

from ..models.history import HistoryImport, HistoryLine

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
COLUMNS = 8
TEXT_LIMITS = {"owner_name": 300, "partner_name": 300, "description": 500}


class HistoryFileError(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, empty)."""


@dataclass
class ParsedRow:
    number: int  # the row's number in the file (the header is row 1)
    year: int = 0
    scheme: Scheme | None = None
    owner_name: str = ""
    owner_amount: int | None = None
    partner_name: str = ""
    partner_amount: int | None = None
    unsplit_amount: int | None = None
    description: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def amount(self) -> int:
        return (self.owner_amount or 0) + (self.partner_amount or 0) + (self.unsplit_amount or 0)

    @property
    def is_sum_only(self) -> bool:
        return self.unsplit_amount is not None


@dataclass
class Parsed:
    rows: list[ParsedRow]
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.file_errors and not any(r.errors for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors) + len(self.file_errors)


# ── Reading the file into rows of text ──


def read_cells(upload: IO[bytes], name: str) -> list[list[str]]:
    """The file's rows as text cells (the header row left out); HistoryFileError if it is no spreadsheet."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HistoryFileError(_("The file is larger than 2 MB. Split it into several files."))
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.lower().endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise HistoryFileError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise HistoryFileError(_("The file has no rows under the header row."))
    if len(rows) - 1 > MAX_ROWS:
        raise HistoryFileError(_("The file has more than %(max)s rows. Split it.") % {"max": spaced(MAX_ROWS)})
    return rows[1:]


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (openpyxl raises many kinds for a file that is not a workbook)
        raise HistoryFileError(_("The file cannot be read as an Excel workbook.")) from error
    sheet = book.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# ── Checking each row ──


def parse(cells: list[list[str]], *, network: Network) -> Parsed:
    """Each row checked on its own, then against the app's decisions and the history already imported."""
    schemes = _schemes()
    rows = [_parse_row(n, row, schemes) for n, row in enumerate(cells, start=2)]
    _refuse_decided(rows, network)
    _refuse_imported(rows, network)
    return Parsed(rows)


def _schemes() -> dict[str, Scheme]:
    found: dict[str, Scheme] = {}
    for scheme in Scheme.objects.all():
        for key in (scheme.code, scheme.name, scheme.short_name):
            found.setdefault(key.strip().lower(), scheme)
    return found


def _parse_row(number: int, cells: list[str], schemes: dict[str, Scheme]) -> ParsedRow:
    row = ParsedRow(number)
    cells = [*cells, *[""] * COLUMNS][:COLUMNS]
    texts: list[str] = []
    for cell in cells:
        try:
            texts.append(typed_text(cell, lines=False))
        except ValidationError as error:
            row.errors.extend(error.messages)
            texts.append("")
    owner, owner_amount, partner, partner_amount, description, year, scheme, unsplit = texts
    row.owner_name, row.partner_name, row.description = owner, partner, description
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(row, name)) > limit:
            row.errors.append(_("A text is longer than %(max)s characters.") % {"max": limit})
    row.year = _year(year, row)
    row.scheme = schemes.get(scheme.lower()) if scheme else None
    if scheme and row.scheme is None:
        row.errors.append(_("Unknown scheme «%(scheme)s».") % {"scheme": scheme[:60]})
    if unsplit:
        row.unsplit_amount = _amount(unsplit, row)
        if owner_amount or partner_amount:
            row.errors.append(_("A sum without a list of measures leaves both amount columns empty."))
    else:
        row.owner_amount = _amount(owner_amount or "0", row)
        row.partner_amount = _amount(partner_amount or "0", row)
        if row.scheme is None and not scheme:
            row.errors.append(_("A measure needs its scheme."))
        if not owner and not partner:
            row.errors.append(_("A measure needs its owner or its UH."))
    return row


def _year(text: str, row: ParsedRow) -> int:
    if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    row.errors.append(_("The year must be a year such as 2022."))
    return 0


def _amount(text: str, row: ParsedRow) -> int | None:
    try:
        value = parse_amount(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_AMOUNT:
        row.errors.append(
            _("«%(text)s» is not an amount: write whole kroner from 0 to %(max)s, for example 120 000.")
            % {"text": text[:40], "max": spaced(MAX_AMOUNT)}
        )
        return 0
    return value


def _refuse_decided(rows: list[ParsedRow], network: Network) -> None:
    """No double counting: a (year, scheme) the app has decided for the network is the app's."""
    decided = set(
        DecisionLine.objects.filter(
            decision__round__office_id=network.office_id, measure__report__partnership__network=network
        )
        .values_list("decision__round__year", "scheme_id")
        .distinct()
    )
    for row in rows:
        if row.scheme is not None and (row.year, row.scheme.pk) in decided:
            row.errors.append(
                _(
                    "%(scheme)s %(year)s is already decided in lokalkomp for %(network)s: import it and it would count twice."
                )
                % {"scheme": row.scheme.short_name, "year": row.year, "network": network.name}
            )


def _refuse_imported(rows: list[ParsedRow], network: Network) -> None:
    """The same row imported before (or twice in this file) would count twice."""
    seen: set[tuple[Any, ...]] = set(
        HistoryLine.objects.filter(network=network).values_list(
            "year",
            "scheme_id",
            "owner_name",
            "owner_amount",
            "partner_name",
            "partner_amount",
            "unsplit_amount",
            "description",
        )
    )
    for row in rows:
        key = (
            row.year,
            row.scheme.pk if row.scheme else None,
            row.owner_name,
            row.owner_amount,
            row.partner_name,
            row.partner_amount,
            row.unsplit_amount,
            row.description,
        )
        if key in seen:
            row.errors.append(_("This row is already in the history (imported before, or twice in the file)."))
        seen.add(key)


# ── Saving ──


class HistoryNotAccepted(Exception):
    def __init__(self, parsed: Parsed) -> None:
        super().__init__("The history file has errors")
        self.parsed = parsed


def save(*, cells: list[list[str]], network: Network, file_name: str, by: Any) -> HistoryImport:
    """Every row, with the import event, in one transaction; HistoryNotAccepted (nothing saved) on any error."""
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()  # one import per network at a time
        parsed = parse(cells, network=network)
        if not parsed.ok:
            raise HistoryNotAccepted(parsed)
        event = HistoryImport.objects.create(
            office_id=network.office_id,
            network=network,
            file_name=file_name[:255],
            rows=len(parsed.rows),
            total=parsed.total,
            imported_by=by if getattr(by, "is_authenticated", False) else None,
        )
        HistoryLine.objects.bulk_create(
            HistoryLine(
                source=event,
                network=network,
                year=r.year,
                scheme=r.scheme,
                position=r.number,
                owner_name=r.owner_name,
                owner_amount=r.owner_amount,
                partner_name=r.partner_name,
                partner_amount=r.partner_amount,
                unsplit_amount=r.unsplit_amount,
                description=r.description,
            )
            for r in parsed.rows
        )
    return event
