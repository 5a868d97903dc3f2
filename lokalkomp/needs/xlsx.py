"""A small streaming writer of one-sheet .xlsx files: the bytes leave as the rows are made.

An .xlsx file is a zip of XML parts. `zipfile` writes an entry to a stream it cannot seek in
(with a data descriptor after each entry), so the sheet's XML is compressed and handed on in
blocks while the rows are still being read from the database: memory stays flat and the first
bytes go out before the query has finished. openpyxl (even write-only) builds the whole file
before the first byte, and spends most of its time on cell objects; here a row is one string.

Strings are written inline (`t="inlineStr"`), so a text is never read as a formula; numbers as
numbers. Styles are fixed: 0 plain, 1 bold (the header), 2 amounts («#,##0»), 3 wrapped text.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

PLAIN, BOLD, AMOUNT, WRAPPED = 0, 1, 2, 3
CELL_MAX = 32_767  # Excel's limit on the characters in one cell
# Characters XML 1.0 cannot hold (openpyxl drops the same ones).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text(value: str) -> str:
    """A string as XML text that Excel accepts: no control characters, at most 32 767 characters."""
    return escape(ILLEGAL.sub("", value)[:CELL_MAX])


class _Pipe:
    """What zipfile writes into: a buffer the generator empties after each block of rows."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_sheet(
    title: str,
    header: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence[object]],
    *,
    styles: Sequence[int],
    rows_per_block: int = 500,
) -> Iterator[bytes]:
    """The .xlsx file as blocks of bytes: a bold, frozen header and one row per item of `rows`.

    `styles[i]` is the style of column i: PLAIN, AMOUNT (for integers) or WRAPPED (texts with line
    breaks wrap whatever the column's style). None is an empty cell, an int or a float a number,
    anything else its text. The first block leaves before `rows` is first asked for a row.
    """
    pipe = _Pipe()
    letters = [column_letter(i) for i in range(1, len(header) + 1)]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # type: ignore[call-overload]
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title[:31]))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1)
            )
            head = "".join(
                f'<c r="{letter}1" s="{BOLD}" t="inlineStr"><is><t>{text(str(label))}</t></is></c>'
                for letter, label in zip(letters, header, strict=True)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
                    ' state="frozen"/></sheetView></sheetViews>'
                    f"<cols>{cols}</cols><sheetData>"
                    f'<row r="1">{head}</row>'
                ).encode()
            )
            yield pipe.take()
            block: list[str] = []
            number = 1
            for row in rows:
                number += 1
                block.append(_row(number, row, letters, styles))
                if len(block) == rows_per_block:
                    sheet.write("".join(block).encode())
                    block = []
                    yield pipe.take()
            sheet.write(("".join(block) + "</sheetData></worksheet>").encode())
    yield pipe.take()


def _row(number: int, values: Sequence[object], letters: Sequence[str], styles: Sequence[int]) -> str:
    cells = []
    for letter, value, style in zip(letters, values, styles, strict=True):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float):
            cells.append(f'<c r="{letter}{number}" s="{style}"><v>{value}</v></c>')
            continue
        string = str(value)
        wrapped = WRAPPED if "\n" in string else style if style == WRAPPED else PLAIN
        space = ' xml:space="preserve"' if string[:1].isspace() or string[-1:].isspace() else ""
        cells.append(f'<c r="{letter}{number}" s="{wrapped}" t="inlineStr"><is><t{space}>{text(string)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'
