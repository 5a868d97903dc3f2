"""Plain text out of an uploaded needs report: a Word document, a PDF export of it, or text.

Word tables come out one row per line with a tab between the cells, so the parser can tell the
cells apart; PDF and text exports only give words, and the parser falls back on the placeholders.
"""

from __future__ import annotations

import codecs
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pdfplumber
from django.conf import settings
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from pdfplumber.utils.exceptions import PdfminerException

logger = logging.getLogger(__name__)


class ImportFileError(ValueError):
    """The upload cannot be read as a needs report; the message is meant for the user."""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Formatting, field codes, deleted text and the legacy copy of a text box hold no answers.
_NOT_TEXT = {_W + "pPr", _W + "rPr", _W + "sdtPr", _W + "instrText", _W + "delText", _MC_FALLBACK}
# Content controls and custom XML wrap paragraphs, rows and cells without being one.
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}
# Check boxes drawn with a symbol font (Wingdings, MS Gothic) instead of a character.
_SYMBOL_BOXES = {"F0FE": "☒", "F0FD": "☒", "F078": "☒", "2612": "☒", "F0A8": "☐", "F06F": "☐", "2610": "☐"}

XmlElement = Any  # lxml ships no type information


MAX_PDF_PAGES = 300


def extract_text(filename: str, data: bytes) -> str:
    """The text of an uploaded form, or ImportFileError saying why it cannot be read."""
    check_upload_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    suffix = Path(filename).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        if suffix == ".doc":
            raise ImportFileError(_("Old Word documents (.doc) cannot be read. Save the file as .docx and try again."))
        raise ImportFileError(_("Only Word documents (.docx), PDF files and text files (.txt) can be imported."))
    try:
        text = reader(data).replace("\r\n", "\n").replace("\r", "\n")
    except ImportFileError:
        raise
    except Exception as error:  # a broken file can fail deep inside python-docx, lxml or pdfminer
        logger.warning("Could not read an uploaded %s: %r", suffix, error)
        raise ImportFileError(_("The file could not be read. Save it again as .docx or PDF and try again.")) from error
    if not text.strip():
        raise ImportFileError(_("The file contains no text. A scanned PDF cannot be imported."))
    return text


def check_upload_size(size: int) -> None:
    """Refuse a file larger than settings.IMPORT_MAX_UPLOAD_BYTES before it is read."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportFileError(
            _("The file is %(size)s; at most %(max)s can be imported.")
            % {"size": _megabytes(size), "max": _megabytes(limit)}
        )


def _megabytes(size: int) -> str:
    """ "10 MB", "40,2 MB"; under a megabyte in kB."""
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} kB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0") + " MB"


def _check_unpacked_size(data: bytes) -> None:
    """A .docx is a zip: refuse one that unpacks to too much (a "zip bomb") before python-docx reads it.

    Both what the zip declares and what it actually unpacks to are counted, since the declared
    sizes can lie.
    """
    limit, max_entries = settings.IMPORT_MAX_UNPACKED_BYTES, settings.IMPORT_MAX_ZIP_ENTRIES
    too_large = ImportFileError(
        _("The Word document unpacks to more than %(max)s, which no needs report form does.")
        % {"max": _megabytes(limit)}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise ImportFileError(
                    _("The Word document holds more than %(max)s parts, which no needs report form does.")
                    % {"max": max_entries}
                )
            if sum(entry.file_size for entry in entries) > limit:
                raise too_large
            unpacked = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            raise too_large
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
        RuntimeError,
        ValueError,
    ) as error:
        raise ImportFileError(_("The file could not be read as a Word document (.docx).")) from error


def _read_docx(data: bytes) -> str:
    _check_unpacked_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    # A renamed zip, spreadsheet or broken file fails in any of these ways.
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as error:
        raise ImportFileError(_("The file could not be read as a Word document (.docx).")) from error
    lines: list[str] = []
    _read_blocks(document.element.body, lines)
    return "\n".join(lines)


def _read_blocks(element: XmlElement, lines: list[str]) -> None:
    for child in element:
        if child.tag == _W + "p":
            lines.append("".join(_inline_text(child)))
        elif child.tag == _W + "tbl":
            _read_table(child, lines)
        elif child.tag in _WRAPPERS:
            _read_blocks(child, lines)


def _read_table(table: XmlElement, lines: list[str]) -> None:
    for row in _children(table, "tr"):
        cells = []
        for cell in _children(row, "tc"):
            cell_lines: list[str] = []
            _read_blocks(cell, cell_lines)
            cells.append("\n".join(cell_lines))
        lines.append("\t".join(cells))


def _children(element: XmlElement, name: str) -> Iterator[XmlElement]:
    for child in element:
        if child.tag == _W + name:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, name)


def _inline_text(element: XmlElement) -> Iterator[str]:
    """The text of a paragraph, including what users typed into content controls.

    python-docx's Paragraph.text skips content controls, and the form's answers all live in them.
    """
    for child in element:
        tag = child.tag
        if tag in _NOT_TEXT:
            continue
        if tag == _W + "t":
            yield child.text or ""
        elif tag in (_W + "tab", _W + "ptab"):
            yield "\t"
        elif tag in (_W + "br", _W + "cr"):
            yield "\n"
        elif tag == _W + "sym":
            yield _SYMBOL_BOXES.get((child.get(_W + "char") or "").upper(), "")
        elif tag == _W + "checkBox":
            yield _legacy_checkbox(child)
        else:
            yield from _inline_text(child)


def _legacy_checkbox(box: XmlElement) -> str:
    """Old-style form check boxes are a field with a state, not a character."""
    for name in ("checked", "default"):
        state = box.find(_W + name)
        if state is not None:
            return "☐" if state.get(_W + "val") in ("0", "false", "off") else "☒"
    return "☐"


def _read_pdf(data: bytes) -> str:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ImportFileError(
                    _("The PDF has %(n)s pages; a needs report form has far fewer (at most %(max)s can be imported).")
                    % {"n": len(pdf.pages), "max": MAX_PDF_PAGES}
                )
            # Blank characters kept: a wide gap is the only trace of a table cell border.
            pages = [page.extract_text(keep_blank_chars=True) or "" for page in pdf.pages]
    except ImportFileError:
        raise
    except (PdfminerException, ValueError, KeyError, TypeError) as error:
        raise ImportFileError(_("The file could not be read as a PDF document.")) from error
    return "\n".join(pages)


# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _read_txt(data: bytes) -> str:
    """UTF-8, or what the byte-order mark says (Notepad's "Unicode" is UTF-16), or Windows' cp1252."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportFileError(_("The file could not be read as a text file.")) from error
    if b"\x00" in data:
        utf16 = _utf16_without_mark(data)
        if utf16 is None:
            raise ImportFileError(
                _("The file could not be read as a text file. Save it as text in UTF-8 and try again.")
            )
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file could not be read as a text file.")) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file could not be read as a text file.")) from error


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 text without its mark has a zero in every other byte (for Latin letters)."""
    sample = data[:4000]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


_READERS: dict[str, Callable[[bytes], str]] = {".docx": _read_docx, ".pdf": _read_pdf, ".txt": _read_txt}
