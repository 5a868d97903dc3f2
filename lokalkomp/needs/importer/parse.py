"""Read a filled-in behovsmelding (needs report) into plain data, without touching the database.

The input is the text of the Word form (see text.py), of a PDF export of it, or of a text export.
Labels are found by their words with any whitespace in between, because the three exports wrap
the same label at different places. Whatever content cannot be put into a field is kept in
`ParsedReport.unplaced` with the place it came from, so the person importing can see it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import NamedTuple

from django.utils.translation import gettext as _

from .amounts import parse_amount
from .text import ImportFileError, extract_text

EMPTY = "\ue000"
"""Stands in for a Word placeholder while parsing, so an empty table cell keeps its place."""

_CHECKED = "☒☑"
_BOX = "([☒☑☐])"


@dataclass
class ParsedContact:
    side: str  # "owner" or "partner" (UH)
    name: str = ""
    function: str = ""
    phone: str = ""
    email: str = ""
    account_number: str = ""  # 11 digits
    org_number: str = ""  # 9 digits
    payment_reference: str = ""  # "Ev. merkes"


@dataclass
class ParsedContinuation:
    period_label: str  # as on the form: "Høst 2025", "2026"
    period: str  # "2025-autumn", "2026"
    owner_amount: int | None = None
    owner_reason: str = ""
    partner_amount: int | None = None
    partner_reason: str = ""


@dataclass
class ParsedMeasure:
    number: int
    name: str = ""
    owner_amount: int = 0
    partner_amount: int = 0
    declared_total: int | None = None  # "Sum totalt" as written, never trusted over the parts
    purpose: str = ""  # assessment, planning, implementation, coordinator or ""
    description: str = ""
    anchoring: str = ""
    collective: str = ""
    teacher_education: str = ""
    long_term_plan: str = ""
    owner_share_use: str = ""
    partner_share_use: str = ""
    needs_coordinator: bool | None = None
    coordinator_reason: str = ""
    semesters: list[str] = field(default_factory=list)  # "2024-spring", "2024-autumn", ...
    continuations: list[ParsedContinuation] = field(default_factory=list)
    target_group: str = ""

    @property
    def total(self) -> int:
        return self.owner_amount + self.partner_amount


class DeclaredTotal(NamedTuple):
    owner: int | None
    partner: int | None
    total: int | None


class OtherPartner(NamedTuple):
    name: str
    contact: str
    kind: str  # "owner", "partner" or ""


class UnionParticipant(NamedTuple):
    role: str
    name: str


@dataclass
class ParsedReport:
    schemes: list[str] = field(default_factory=list)  # rekomp, dekomp, kompetanseloftet
    owner_names: str = ""
    network_name: str = ""
    partner_names: str = ""
    contacts: list[ParsedContact] = field(default_factory=list)
    several_owners: bool | None = None
    several_partners: bool | None = None
    several_schemes: bool | None = None
    declared_measure_count: int | None = None
    declared_totals: dict[str, DeclaredTotal] = field(default_factory=dict)  # scheme code or "sum"
    year: int | None = None
    measures: list[ParsedMeasure] = field(default_factory=list)
    other_partners: list[OtherPartner] = field(default_factory=list)
    union_discussed: bool | None = None
    union_participants: list[UnionParticipant] = field(default_factory=list)
    municipal_kindergartens: int | None = None
    private_kindergartens: int | None = None
    public_schools: int | None = None
    private_schools: int | None = None
    pp_services: int | None = None
    unplaced: list[str] = field(default_factory=list)


# --- Patterns --------------------------------------------------------------------------------


def _words(phrase: str) -> str:
    """A regex for a phrase of the form, whatever whitespace or line breaks sit between its words."""
    return r"\s+".join("[–-]" if word in "–-" else re.escape(word) for word in phrase.split())


def _line_label(pattern: str) -> re.Pattern[str]:
    return re.compile(r"^[ \t]*(?:" + pattern + r")(?!\w)[ \t]*[?:]?", re.IGNORECASE | re.MULTILINE)


def _label(start: str, end: str = "") -> re.Pattern[str]:
    """A question found by its first and last words; the middle may be reworded between form versions."""
    return _line_label(_words(start) + (r"[\s\S]{0,200}?" + _words(end) if end else ""))


def _chrome(phrase: str) -> re.Pattern[str]:
    return re.compile(_words(phrase), re.IGNORECASE)


_PLACEHOLDERS = re.compile(
    "|".join(
        _words(text) + r"\.?"
        for text in (
            "Klikk eller trykk her for å skrive inn tekst",
            "Velg et element",
            "Click or tap here to enter text",
            "Choose an item",
        )
    ),
    re.IGNORECASE,
)
# Page footers and the hyperlink to the forum's long-term plan repeated on every page.
_CHROME_LINES = re.compile(
    r"^[ \t]*(?:Side:?\s*\d+\s*/\s*\d+|https?://\S*langsiktig-plan\S*)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
_MEASURE_HEADING = re.compile(r"^[ \t]*Tiltak[ \t]+(\d+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_FOOTER_START = _line_label(
    r"Liste\s+over\s+andre\s+eiere|Behovsmeldingen\s+har\s+vært\s+drøftet|Hvor\s+mange\s+enheter"
)
_MARKERS = (
    re.compile("Behovsmelding", re.IGNORECASE),
    _MEASURE_HEADING,
    re.compile(_words("Navn på tiltak"), re.IGNORECASE),
)

_HEADER_LABELS = [
    ("title", _label("Behovsmelding – lokal kompetanseutvikling", "grunnopplæring")),
    ("schemes", _label("Behovsmeldingen gjelder")),
    ("owner_names", _line_label(r"Eier\s*:")),
    ("network_name", re.compile(r"Kompetansenettverk\s*:?", re.IGNORECASE)),
    ("partner_names", _line_label(r"Universitet\s*/\s*Høgskole")),
    ("contacts", _label("Kontaktpersoner")),
    ("several_owners", _label("Partnerskapet består av flere eiere")),
    ("several_partners", _label("Partnerskapet består av flere UH")),
    ("several_schemes", _label("Partnerskapet leverer behovsmelding i flere ordninger")),
    ("measure_count", _label("Totalt antall tiltak", "tilskudd til")),
    ("totals", _label("Total sum det meldes behov for")),
]
_HEADER_WHERE = {
    "": "Behovsmelding",
    "title": "Behovsmelding",
    "schemes": "Behovsmeldingen gjelder",
    "contacts": "Kontaktpersoner",
    "several_owners": "Partnerskapet består av flere eiere?",
    "several_partners": "Partnerskapet består av flere UH?",
    "several_schemes": "Partnerskapet leverer behovsmelding i flere ordninger?",
    "measure_count": "Totalt antall tiltak",
    "totals": "Total sum det meldes behov for",
}
_SCHEME_BOX = re.compile(
    r"(Regional\s+ordning|Desentralisert\s+ordning|Kompetanseløftet)[^☒☑☐\n]{0,80}?\s*" + _BOX, re.I
)
_TOTAL_ROWS = [
    ("rekomp", _label("Regional ordning")),
    ("dekomp", _label("Desentralisert ordning")),
    ("kompetanseloftet", _line_label(r"Kompetanseløftet(?:\s+for\s+spesialpedagogikk\s+og\s+inkluderende\s+praksis)?")),
    ("sum", _label("Sum")),
]
_CONTACT_ROWS = [
    ("name", _label("Navn")),
    ("function", _label("Funksjon")),
    ("phone", _label("Telefon")),
    ("email", _line_label(r"E-?post")),
    ("account_number", _line_label(r"Konto(?:nr|nummer)\.?")),
    ("org_number", _line_label(r"Org\.?\s*(?:nr|nummer)\.?")),
    ("payment_reference", _line_label(r"Ev\.?\s*merkes")),
]
_MEASURE_LABELS = [
    ("name", _label("Navn på tiltak")),
    ("amounts", _label("Tilskuddet fordeles")),
    ("purpose", _label("Hva skal tilskuddet brukes til")),
    ("anchoring", _label("Beskriv hvordan tiltaket er forankret i den enkelte", "dialog med UH")),
    ("collective", _label("Beskriv hvordan tiltakene skal fremme kollektive prosesser", "barnehagen eller skolen")),
    ("teacher_education", _label("Beskriv hvordan dette samarbeidet bidrar", "lærerutdanningen")),
    ("long_term_plan", _label("Beskriv hvordan dette tiltaket er forankret i langsiktig plan")),
    ("owner_share_use", _label("Eiers tilskudd skal brukes", "måte")),
    ("partner_share_use", _label("UH sitt tilskudd skal brukes", "måte")),
    ("coordinator", _label("Det er behov for å bruke midler til koordinator", "tiltaket")),
    ("semesters", _label("Tiltakets varighet")),
    ("continuations", _label("Dersom tiltak ønskes videreført", "behov")),
    ("target_group", _label("Hvem er målgruppa for tiltaket")),
]
_NARRATIVES = ("anchoring", "collective", "teacher_education", "long_term_plan", "owner_share_use", "partner_share_use")
_PURPOSES = [
    ("assessment", re.compile(r"Vurdering\s*/\s*analyse", re.I)),
    ("planning", re.compile(r"Planlegging\s+av\s+tiltak", re.I)),
    ("implementation", re.compile(r"Gjennomføring\s+av\s+tiltak", re.I)),
    ("coordinator", re.compile(r"Koordinator(?!\w)", re.I)),
]
_AMOUNT_HEADER = _chrome("Eier UH Sum totalt")
_TOTALS_HEADER = _chrome("Ordning Eier UH Totalt")
_CONTACTS_HEADER = _chrome("Eier UH")
_PARTICIPANTS_HEADER = _chrome("Rolle Navn")
# The instruction left above the coordinator answer in one of the seed's measures.
_REASON_PROMPT = re.compile(r"Begrunn(?:else)?\s*[:.…]*", re.I)
_SEMESTER_BOX = re.compile(r"(Vår|Høst)\s+(\d{4})\s*" + _BOX, re.I)
_CONTINUATION_HEADER = _chrome("Eier Begrunnelse UH Begrunnelse")
_PERIOD_ROW = re.compile(r"^[ \t]*((?:Vår|Høst)[ \t]+\d{4}|\d{4})(?=\s|$)", re.MULTILINE | re.IGNORECASE)
_FOOTER_LABELS = [
    ("other_partners", _label("Liste over andre eiere og UH", "partnerskapet")),
    ("union", _label("Behovsmeldingen har vært drøftet i medbestemmelse")),
    ("participants", _label("Hvem som har deltatt")),
    ("units", _label("Hvor mange enheter er inkludert", "behovsmeldingen")),
]
_OTHER_PARTNERS_HEADER = re.compile(r"Navn\s+på\s+eier\s*/\s*UH\s+Kontaktperson\s+Eier\s*/\s*UH", re.I)
_NUMBERED_ROW = re.compile(r"^[ \t]*(\d{1,2})(?=\s|$)", re.MULTILINE)
_PARTNER_KINDS = {"eier": "owner", "uh": "partner", "fagskole": "partner"}
_ROLE_WORD = re.compile(
    r"tillitsvalgt|verneombud|forbund|organisasjon|representant|^(?:HTV|TV|FO|LO|YS|Delta|Unio|Parat)$", re.I
)
_UNIT_COLUMNS = [
    ("municipal_kindergartens", "Kommunale barnehager"),
    ("private_kindergartens", "Private barnehager"),
    ("public_schools", "Offentlige skoler"),
    ("private_schools", "Private skoler"),
    ("pp_services", "PP-tjenester"),
]
_YES = re.compile(r"(?<!\w)Ja\s*" + _BOX, re.I)
_NO = re.compile(r"(?<!\w)Nei\s*" + _BOX, re.I)
_FILL_IN_LIST = re.compile(r"\(\s*Fyll\s+ut\s+liste\s*\)", re.I)
_GAP = re.compile(r" {2,}")
_BEFORE_KR = re.compile(r"\s+(?=kr\.?\s*\d)", re.I)
_SPACED_DIGITS = re.compile(r"\d+(?: \d+)+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_JOINERS = {"og", "i", "fra", "for", "av", "ved", "på", "til", "med", "&", "-", "–", "/"}


# --- Entry points ----------------------------------------------------------------------------


def looks_like_needs_report(text: str) -> bool:
    return sum(bool(marker.search(text)) for marker in _MARKERS) >= 2


def read_needs_report(filename: str, data: bytes) -> ParsedReport:
    """Extract and parse an uploaded file; ImportFileError says why it cannot be imported."""
    return parse_needs_report(extract_text(filename, data))


def parse_needs_report(text: str) -> ParsedReport:
    if not looks_like_needs_report(text):
        raise ImportFileError(_("This does not look like a needs report form."))
    text = _CHROME_LINES.sub("", text.replace("\r\n", "\n").replace("\u00a0", " "))
    text = _PLACEHOLDERS.sub(EMPTY, text)
    header, blocks, footer = _split_document(text)
    report = ParsedReport()
    _read_header(header, report)
    report.measures = [_read_measure(number, block, report.unplaced) for number, block in blocks]
    _read_footer(footer, report)
    return report


def _split_document(text: str) -> tuple[str, list[tuple[int, str]], str]:
    headings = list(_MEASURE_HEADING.finditer(text))
    footer = _FOOTER_START.search(text, headings[-1].end() if headings else 0)
    footer_start = footer.start() if footer else len(text)
    blocks = [(int(heading.group(1)), block) for heading, block in _rows(headings, text[:footer_start])]
    header_end = headings[0].start() if headings else footer_start
    return text[:header_end], blocks, text[footer_start:]


# --- Text helpers ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Free text as written: placeholders and blank lines gone, runs of spaces made one."""
    lines = (" ".join(line.replace(EMPTY, " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _inline(text: str) -> str:
    return " ".join(_clean(text).split())


def _note(unplaced: list[str], where: str, text: str) -> None:
    if text:
        unplaced.append(f"{where}: {text}")


def _leftover(text: str, *chrome: re.Pattern[str]) -> str:
    for pattern in chrome:
        text = pattern.sub(" ", text)
    return _clean(text)


def _sections(text: str, labels: list[tuple[str, re.Pattern[str]]]) -> dict[str, str]:
    """Cut text at the labels, looked for in form order; a label the user deleted is skipped.

    Text before the first label is under the key "".
    """
    cuts: list[tuple[int, int, str]] = []
    position = 0
    for key, pattern in labels:
        match = pattern.search(text, position)
        if match:
            cuts.append((match.start(), match.end(), key))
            position = match.end()
    if not cuts:
        return {"": text}
    sections = {"": text[: cuts[0][0]]}
    starts = [start for start, _end, _key in cuts[1:]] + [len(text)]
    for (_start, end, key), stop in zip(cuts, starts, strict=True):
        sections[key] = text[end:stop]
    return sections


def _rows(labels: list[re.Match[str]], text: str) -> list[tuple[re.Match[str], str]]:
    """Each row label with the text up to the next one."""
    ends = [label.start() for label in labels[1:]] + [len(text)]
    return [(label, text[label.end() : end]) for label, end in zip(labels, ends[: len(labels)], strict=True)]


def _read_yes_no(text: str) -> tuple[bool | None, str]:
    """The answer of a "Ja ☒ Nei ☐" question and the text around the boxes."""
    yes, no = _YES.search(text), _NO.search(text)
    rest = _NO.sub(" ", _YES.sub(" ", text, count=1), count=1)
    yes_ticked = bool(yes and yes.group(1) in _CHECKED)
    no_ticked = bool(no and no.group(1) in _CHECKED)
    if yes_ticked != no_ticked:
        return yes_ticked, rest
    if yes and not no:  # some questions offer only a Ja box
        return False, rest
    return None, rest


# --- Table cells -----------------------------------------------------------------------------


def _split_cells(text: str, count: int, hints: tuple[re.Pattern[str], ...] = (_GAP,)) -> list[str]:
    """The cells of one table row, left to right; a placeholder is an empty cell.

    A Word table arrives with tabs between its cells. PDF and text exports run the cells
    together: placeholders still mark cell borders for sure, and the hints (a wide gap, a new
    "Kr") split a cell only while the row has fewer cells than the table has columns.
    """
    text = text.strip(" \r\n")
    if "\t" in text:
        return [_inline(cell) for cell in text.split("\t")]
    cells = [piece for part in re.split(f"({EMPTY})", text) if (piece := part.strip())]
    for hint in hints:
        index = 0
        while len(cells) < count and index < len(cells):
            parts = [part for part in hint.split(cells[index], maxsplit=count - len(cells)) if part.strip()]
            cells[index : index + 1] = parts or [cells[index]]
            index += len(parts) or 1
    return [_inline(cell) for cell in cells]


def _after_row_label(text: str) -> str:
    """In a Word table one tab separates a row's label cell from its first cell."""
    return re.sub(r"^[ ]*\t", "", text, count=1)


def _row_cells(text: str, count: int) -> list[str]:
    return _split_cells(_after_row_label(text), count)


def _pair(values: list[str]) -> tuple[str, str]:
    padded = [*values, "", ""]
    return padded[0], " ".join(padded[1:]).strip()


def _amount_cells(text: str, count: int) -> list[str]:
    cells = _split_cells(text, count, (_BEFORE_KR, _GAP))
    index = 0
    while len(cells) < count and index < len(cells):
        if _SPACED_DIGITS.fullmatch(cells[index]):
            parts = _split_digit_groups(cells[index], count - len(cells) + 1)
            cells[index : index + 1] = parts
            index += len(parts)
        else:
            index += 1
    return cells


def _split_digit_groups(text: str, parts: int) -> list[str]:
    """Split "625 000 919 000 1 5 44 000" into amounts: owner and UH add up to the total, and
    otherwise thousands come in groups of three."""
    groups = text.split()
    if len(groups) < parts or len(groups) > 20:
        return [text]

    def score(cuts: tuple[int, ...]) -> tuple[bool, int]:
        numbers = [groups[a:b] for a, b in pairwise((0, *cuts, len(groups)))]
        values = [int("".join(number)) for number in numbers]
        adds_up = len(values) == 3 and values[0] + values[1] == values[2]
        return adds_up, sum(_is_thousands(number) for number in numbers)

    best = max(combinations(range(1, len(groups)), parts - 1), key=score)
    return [" ".join(groups[a:b]) for a, b in pairwise((0, *best, len(groups)))]


def _is_thousands(groups: list[str]) -> bool:
    head_ok = groups == ["0"] or (len(groups[0]) <= 3 and not groups[0].startswith("0"))
    return head_ok and all(len(group) == 3 for group in groups[1:])


def _amount(cell: str, where: str, unplaced: list[str]) -> int | None:
    if not cell:
        return None
    try:
        return parse_amount(cell)
    except ValueError:
        _note(unplaced, where, cell)
        return None


# --- Header ----------------------------------------------------------------------------------


def _read_header(text: str, report: ParsedReport) -> None:
    sections = _sections(text, _HEADER_LABELS)
    unplaced = report.unplaced
    for key in ("", "title"):
        _note(unplaced, _HEADER_WHERE[key], _clean(sections.get(key, "")))
    report.schemes = _read_schemes(sections.get("schemes", ""), unplaced)
    report.owner_names = _inline(sections.get("owner_names", ""))
    report.network_name = _inline(sections.get("network_name", ""))
    report.partner_names = _inline(sections.get("partner_names", ""))
    report.contacts = _read_contacts(sections.get("contacts", ""), unplaced)
    for key in ("several_owners", "several_partners", "several_schemes"):
        answer, rest = _read_yes_no(sections.get(key, ""))
        setattr(report, key, answer)
        _note(unplaced, _HEADER_WHERE[key], _leftover(rest, _FILL_IN_LIST))
    count = sections.get("measure_count", "")
    number = re.search(r"\d+", count)
    report.declared_measure_count = int(number.group()) if number else None
    _note(unplaced, _HEADER_WHERE["measure_count"], _clean(count.replace(number.group(), " ", 1) if number else count))
    _read_totals(sections.get("totals", ""), report)


def _read_schemes(text: str, unplaced: list[str]) -> list[str]:
    codes = [_scheme_code(match.group(1)) for match in _SCHEME_BOX.finditer(text) if match.group(2) in _CHECKED]
    _note(unplaced, _HEADER_WHERE["schemes"], _leftover(text, _SCHEME_BOX))
    return codes


def _scheme_code(label: str) -> str:
    folded = label.lower()
    if folded.startswith("regional"):
        return "rekomp"
    return "dekomp" if folded.startswith("desentral") else "kompetanseloftet"


def _read_totals(text: str, report: ParsedReport) -> None:
    year = re.match(r"\s*(\d{4})(?!\d)", text)
    report.year = int(year.group(1)) if year else None
    rows = _sections(text[year.end() :] if year else text, _TOTAL_ROWS)
    where = _HEADER_WHERE["totals"]
    _note(report.unplaced, where, _leftover(rows.pop(""), _TOTALS_HEADER))
    for key, row in rows.items():
        cells = _amount_cells(_after_row_label(row), 3)
        _note(report.unplaced, where, " | ".join(cells[3:]))
        if any(cells[:3]):
            owner, partner, total = (_amount(cell, where, report.unplaced) for cell in [*cells, "", ""][:3])
            report.declared_totals[key] = DeclaredTotal(owner, partner, total)


# --- Contacts --------------------------------------------------------------------------------


def _read_contacts(text: str, unplaced: list[str]) -> list[ParsedContact]:
    rows = _sections(text, _CONTACT_ROWS)
    _note(unplaced, "Kontaktpersoner", _leftover(rows.pop(""), _CONTACTS_HEADER))
    emails = _emails(rows.get("email", ""), unplaced)
    sides: tuple[dict[str, str], dict[str, str]] = ({}, {})
    for key, row in rows.items():
        pair = emails if key == "email" else _contact_pair(key, row, emails)
        for side, value in zip(sides, pair, strict=True):
            side[key] = value
    _check_digits(sides, "account_number", 11, "Kontonr", unplaced)
    _check_digits(sides, "org_number", 9, "Org. nr", unplaced)
    contacts = [ParsedContact(side=side, **values) for side, values in zip(("owner", "partner"), sides, strict=True)]
    return [contact for contact, values in zip(contacts, sides, strict=True) if any(values.values())]


def _emails(text: str, unplaced: list[str]) -> tuple[str, str]:
    if "\t" in text:
        return _pair(_row_cells(text, 2))
    found = _EMAIL.findall(text)
    _note(unplaced, "E-post", " ".join([*found[2:], _leftover(text, _EMAIL)]).strip())
    return _pair(found[:2])


def _contact_pair(key: str, text: str, emails: tuple[str, str]) -> tuple[str, str]:
    """The owner's and the UH's value of one contact row, however the export ran them together."""
    cells = _row_cells(text, 2)
    if len(cells) >= 2:
        return _pair(cells)
    value = cells[0] if cells else ""
    if key in ("account_number", "org_number"):
        return _split_digits(value, 11 if key == "account_number" else 9)
    if key == "phone":
        tokens = value.split()
        if len(tokens) == 2 and all(len(re.sub(r"\D", "", token)) >= 8 for token in tokens):
            return tokens[0], tokens[1]
        digits = re.sub(r"\D", "", value)
        if len(digits) == 16 and not re.search(r"[^\d\s]", value):
            return digits[:8], digits[8:]
    return _split_words(value, emails if key == "name" else ("", ""))


def _split_digits(value: str, size: int) -> tuple[str, str]:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 2 * size:
        return digits[:size], digits[size:]
    return value, ""


def _check_digits(
    sides: tuple[dict[str, str], dict[str, str]], key: str, size: int, label: str, unplaced: list[str]
) -> None:
    """Keep account and organisation numbers as bare digits; anything else is shown to the user."""
    for side, side_label in zip(sides, ("Eier", "UH"), strict=True):
        digits = re.sub(r"[\s.]", "", side.get(key, ""))
        if digits and not (digits.isdigit() and len(digits) == size):
            _note(unplaced, f"{label} ({side_label})", side[key])
            digits = ""
        side[key] = digits


def _split_words(text: str, hints: tuple[str, str]) -> tuple[str, str]:
    """Two cells run together ("Tone Dalen Kjersti Håland"): cut before a capital letter, where
    the e-mail addresses agree, else nearest the middle."""
    words = text.split()
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half]), " ".join(words[half:])
    cuts = [k for k in range(1, len(words)) if words[k][:1].isupper() and words[k - 1].lower() not in _NAME_JOINERS]
    if not cuts:
        return text, ""
    locals_ = tuple(_fold(hint.partition("@")[0]) for hint in hints)

    def score(cut: int) -> tuple[int, float]:
        found = sum(_fold(word) in locals_[0] for word in words[:cut]) + sum(
            _fold(word) in locals_[1] for word in words[cut:]
        )
        return found, -abs(len(words) / 2 - cut)

    best = max([*cuts, len(words)] if any(locals_) else cuts, key=score)
    return " ".join(words[:best]), " ".join(words[best:])


def _fold(text: str) -> str:
    """Lower-case ASCII, as names appear in e-mail addresses (Håland -> haland)."""
    text = text.lower().replace("ø", "o").replace("æ", "ae")
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


# --- Measures --------------------------------------------------------------------------------


def _read_measure(number: int, text: str, unplaced: list[str]) -> ParsedMeasure:
    where = f"Tiltak {number}"
    parts = _sections(text, _MEASURE_LABELS)
    _note(unplaced, where, _clean(parts[""]))
    measure = ParsedMeasure(number=number, name=_inline(parts.get("name", "")).rstrip(",; "))
    owner, partner, total = _read_amounts(parts.get("amounts", ""), where, unplaced)
    measure.owner_amount, measure.partner_amount, measure.declared_total = owner or 0, partner or 0, total
    measure.purpose, measure.description = _read_purpose(parts.get("purpose", ""), where, unplaced)
    for key in _NARRATIVES:
        setattr(measure, key, _clean(parts.get(key, "")))
    measure.needs_coordinator, measure.coordinator_reason = _read_coordinator(parts.get("coordinator", ""))
    measure.semesters = _read_semesters(parts.get("semesters", ""), where, unplaced)
    measure.continuations = _read_continuations(parts.get("continuations", ""), where, unplaced)
    measure.target_group = _clean(parts.get("target_group", ""))
    return measure


def _read_amounts(text: str, where: str, unplaced: list[str]) -> tuple[int | None, int | None, int | None]:
    cells = _amount_cells(_AMOUNT_HEADER.sub(" ", text, count=1), 3)
    _note(unplaced, f"{where} – Tilskuddet fordeles", " | ".join(cells[3:]))
    cells = [*cells, "", "", ""][:3]
    labels = ("Eier", "UH", "Sum totalt")
    owner, partner, total = (
        _amount(cell, f"{where} – {label}", unplaced) for cell, label in zip(cells, labels, strict=True)
    )
    return owner, partner, total


def _read_purpose(text: str, where: str, unplaced: list[str]) -> tuple[str, str]:
    """The chosen category on the question's line, and the free text some users add below it."""
    first, _newline, rest = text.strip(" \t\n").partition("\n")
    first = first.strip()
    if first.startswith(EMPTY):
        return "", _clean(first + "\n" + rest)
    for code, pattern in _PURPOSES:
        match = pattern.match(first)
        if match:
            return code, _clean(first[match.end() :] + "\n" + rest)
    _note(unplaced, f"{where} – Hva skal tilskuddet brukes til?", _inline(first))
    return "", _clean(rest)


def _read_coordinator(text: str) -> tuple[bool | None, str]:
    needed, rest = _read_yes_no(text)
    lines = _clean(rest).split("\n")
    if lines and _REASON_PROMPT.fullmatch(lines[0]):
        lines = lines[1:]
    return needed, "\n".join(lines)


def _read_semesters(text: str, where: str, unplaced: list[str]) -> list[str]:
    codes = [
        _period_code(f"{match.group(1)} {match.group(2)}")
        for match in _SEMESTER_BOX.finditer(text)
        if match.group(3) in _CHECKED
    ]
    _note(unplaced, f"{where} – Tiltakets varighet", _leftover(text, _SEMESTER_BOX))
    return codes


def _period_code(label: str) -> str:
    """ "Høst 2025" -> "2025-autumn", "Vår 2026" -> "2026-spring", "2026" -> "2026"."""
    season, _space, year = label.rpartition(" ")
    if not season:
        return year
    return f"{year}-{'autumn' if season.lower().startswith('h') else 'spring'}"


def _read_continuations(text: str, where: str, unplaced: list[str]) -> list[ParsedContinuation]:
    text = _CONTINUATION_HEADER.sub(" ", text, count=1)
    rows = _period_rows(text)
    _note(unplaced, f"{where} – videreføring", _clean(text[: rows[0].start()] if rows else text))
    continuations = []
    for row, row_text in _rows(rows, text):
        label = " ".join(row.group(1).split())
        cells = _row_cells(row_text, 4)
        _note(unplaced, f"{where} – videreføring {label}", " | ".join(cells[4:]))
        continuation = _continuation(label, [*cells, "", "", "", ""][:4])
        if _has_content(continuation):
            continuations.append(continuation)
    return continuations


def _has_content(row: ParsedContinuation) -> bool:
    amounts = (row.owner_amount, row.partner_amount)
    return any(amount is not None for amount in amounts) or bool(row.owner_reason or row.partner_reason)


def _period_rows(text: str) -> list[re.Match[str]]:
    """Row labels in rising order; a year at the start of a wrapped reason is not a new row."""
    rows: list[re.Match[str]] = []
    for match in _PERIOD_ROW.finditer(text):
        if not rows or _period_key(match.group(1)) > _period_key(rows[-1].group(1)):
            rows.append(match)
    return rows


def _period_key(label: str) -> tuple[int, int]:
    season, _space, year = " ".join(label.split()).rpartition(" ")
    return int(year), 1 if season.lower().startswith("h") else 0


def _continuation(label: str, cells: list[str]) -> ParsedContinuation:
    owner_amount, owner_reason = _amount_and_reason(cells[0], cells[1])
    partner_amount, partner_reason = _amount_and_reason(cells[2], cells[3])
    return ParsedContinuation(label, _period_code(label), owner_amount, owner_reason, partner_amount, partner_reason)


def _amount_and_reason(amount: str, reason: str) -> tuple[int | None, str]:
    """Some users write a word where the amount goes ("Videreføring"); it stays with the reason."""
    if not amount:
        return None, reason
    try:
        return parse_amount(amount), reason
    except ValueError:
        return None, "\n".join(text for text in (amount, reason) if text)


# --- Footer ----------------------------------------------------------------------------------


def _read_footer(text: str, report: ParsedReport) -> None:
    sections = _sections(text, _FOOTER_LABELS)
    _note(report.unplaced, "Behovsmelding", _clean(sections[""]))
    report.other_partners = _read_other_partners(sections.get("other_partners", ""), report.unplaced)
    report.union_discussed, rest = _read_yes_no(sections.get("union", ""))
    _note(report.unplaced, "Behovsmeldingen har vært drøftet i medbestemmelse", _clean(rest))
    report.union_participants = _read_participants(sections.get("participants", ""))
    _read_units(sections.get("units", ""), report)


def _read_other_partners(text: str, unplaced: list[str]) -> list[OtherPartner]:
    where = "Liste over andre eiere og UH i partnerskapet"
    text = _OTHER_PARTNERS_HEADER.sub(" ", text, count=1)
    rows: list[re.Match[str]] = []
    for row in _NUMBERED_ROW.finditer(text):
        if row.group(1) == str(len(rows) + 1):  # a number inside a wrapped name is not a new row
            rows.append(row)
    _note(unplaced, where, _clean(text[: rows[0].start()] if rows else text))
    partners = []
    for row, row_text in _rows(rows, text):
        cells = _row_cells(row_text, 3)
        if len(cells) < 3 and cells and (kind := re.search(r"\s(Eier|UH|Fagskole)$", cells[-1], re.I)):
            cells[-1:] = [cells[-1][: kind.start()], kind.group(1)]
        name, contact, kind_text = [*cells, "", "", ""][:3]
        _note(unplaced, f"{where} {row.group(1)}", " | ".join(cells[3:]))
        kind_code = _PARTNER_KINDS.get(kind_text.lower(), "")
        if kind_text and not kind_code:
            _note(unplaced, f"{where} {row.group(1)} – Eier/UH", kind_text)
        if name or contact:
            partners.append(OtherPartner(name, contact, kind_code))
    return partners


def _read_participants(text: str) -> list[UnionParticipant]:
    participants = []
    for line in _PARTICIPANTS_HEADER.sub(" ", text, count=1).split("\n"):
        cells = _split_cells(line, 2)
        if len(cells) == 1 and cells[0]:
            cells = list(_split_role(cells[0]))
        role, name = [*cells, "", ""][:2]
        if role or name:
            participants.append(UnionParticipant(role, " ".join([name, *cells[2:]]).strip()))
    return participants


def _split_role(text: str) -> tuple[str, str]:
    """ "Hovedtillitsvalgt Utdanningsforbundet Kari Nordmann": role words first, then the name."""
    words = text.split()
    cut = 1
    while cut < len(words) and (_ROLE_WORD.search(words[cut]) or words[cut][:1].islower()):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _read_units(text: str, report: ParsedReport) -> None:
    header_end = 0
    for _key, label in _UNIT_COLUMNS:
        match = _chrome(label).search(text, header_end)
        header_end = match.end() if match else header_end
    line_end = text.find("\n", header_end)
    cells = _unit_cells(text[line_end:] if line_end >= 0 else "")
    _note(report.unplaced, "Hvor mange enheter er inkludert i behovsmeldingen?", " | ".join(cells[5:]))
    for (key, label), cell in zip(_UNIT_COLUMNS, cells, strict=False):
        if cell.isdigit():
            setattr(report, key, int(cell))
        else:
            _note(report.unplaced, label, cell)


def _unit_cells(text: str) -> list[str]:
    if "\t" in text:
        return _split_cells(text, 5)
    cells = []
    for cell in _split_cells(text, 5):
        cells.extend(re.findall(r"\d+|[^\d\s](?:[^\d]*[^\d\s])?", cell) if cell else [""])
    # A cell left empty without its placeholder leaves no trace in a text export; the counts
    # are typed into the right-hand columns, so the missing cells are taken to be on the left.
    return [""] * (5 - len(cells)) + cells
