"""Read a filled-in behovsmelding (needs report) into plain data, without touching the database.

The input is the text of the Word form (see text.py), of a PDF export of it, or of a text export.
The form's labels are in labels.py, its table cells are read in cells.py. Whatever content cannot
be put into a field is kept in `ParsedReport.unplaced` with the place it came from, so the person
importing can see it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..models import Measure
from .amounts import parse_amount
from .cells import (
    after_row_label,
    amount_row,
    ascii_fold,
    clean,
    inline,
    leftover,
    note,
    pair_of,
    read_yes_no,
    row_cells,
    rows_of,
    sections_of,
    split_cells,
)
from .labels import (
    AMOUNT_HEADER,
    CHECKED,
    CHROME_LINES,
    CONTACT_ROWS,
    CONTACTS_HEADER,
    CONTINUATION_HEADER,
    EMPTY,
    FILL_IN_LIST,
    FOOTER_LABELS,
    FOOTER_START,
    FORM_SCHEMES,
    FORM_START,
    FORM_TITLE,
    HEADER_LABELS,
    HEADER_WHERE,
    MARKERS,
    MEASURE_HEADING,
    MEASURE_LABELS,
    NAME_JOINERS,
    NUMBERED_ROW,
    OTHER_PARTNERS_HEADER,
    PARTICIPANTS_HEADER,
    PARTNER_KINDS,
    PERIOD_ROW,
    PLACEHOLDERS,
    PURPOSES,
    REASON_PROMPT,
    ROLE_WORD,
    SCHEME_BOX,
    SEMESTER_BOX,
    TOTAL_ROWS,
    TOTALS_HEADER,
    UNIT_COLUMNS,
    chrome_pattern,
)
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

# --- Entry points ----------------------------------------------------------------------------


def looks_like_needs_report(text: str) -> bool:
    return sum(bool(marker.search(text)) for marker in MARKERS) >= 2


MAX_MEASURES = 300
"""The largest report of the national data has 56 measures; far more is no form, and too slow to import."""
MAX_UNION_PARTICIPANTS = 50
MAX_MEASURE_NUMBER_DIGITS = 4
MAX_COUNT_DIGITS = 30
"""Longer numbers are not read at all (int() refuses beyond 4 300 digits); the importer caps the rest."""

# Control characters (NUL included: PostgreSQL refuses it in text) and invisible format characters
# (byte-order marks, zero-width spaces, direction marks, soft hyphens) hold no answer; tabs and line
# breaks stay. The parser's own placeholder sign cannot come from the file either.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f" + EMPTY + "]"
)


def visible_text(text: str) -> str:
    """The text without control and invisible format characters."""
    return _INVISIBLE.sub("", text)


def read_needs_report(filename: str, data: bytes) -> ParsedReport:
    """Extract and parse an uploaded file; ImportFileError says why it cannot be imported."""
    return parse_needs_report(extract_text(filename, data))


def parse_needs_report(text: str) -> ParsedReport:
    text = visible_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not looks_like_needs_report(text):
        raise ImportFileError(_("This does not look like a needs report form."))
    forms = max(len(FORM_TITLE.findall(text)), len(FORM_START.findall(text)))
    if forms > 1:
        raise ImportFileError(
            _("The file holds %(n)s needs report forms, one after the other. Import each form from a file of its own.")
            % {"n": forms}
        )
    text = CHROME_LINES.sub("", text.replace("\u00a0", " "))
    text = PLACEHOLDERS.sub(EMPTY, text)
    report = ParsedReport()
    header, blocks, footer = _split_document(text, report.unplaced)
    if len(blocks) > MAX_MEASURES:
        raise ImportFileError(
            _("The form has %(n)s measures; at most %(max)s can be imported from one form.")
            % {"n": len(blocks), "max": MAX_MEASURES}
        )
    _read_header(header, report)
    report.measures = [_read_measure(number, block, report.unplaced) for number, block in blocks]
    _read_footer(footer, report)
    return report


def _split_document(text: str, unplaced: list[str]) -> tuple[str, list[tuple[int, str]], str]:
    headings = list(MEASURE_HEADING.finditer(text))
    footer = FOOTER_START.search(text, headings[-1].end() if headings else 0)
    footer_start = footer.start() if footer else len(text)
    blocks = []
    for position, (heading, block) in enumerate(rows_of(headings, text[:footer_start]), 1):
        digits = heading.group(1)
        if len(digits) > MAX_MEASURE_NUMBER_DIGITS:
            note(
                unplaced,
                f"Tiltak {digits[:8]}…",
                _("the measure's number is not readable; it is measure %(n)s here") % {"n": position},
            )
        blocks.append((int(digits) if len(digits) <= MAX_MEASURE_NUMBER_DIGITS else position, block))
    header_end = headings[0].start() if headings else footer_start
    return text[:header_end], blocks, text[footer_start:]


# --- Header ----------------------------------------------------------------------------------


def _read_header(text: str, report: ParsedReport) -> None:
    sections = sections_of(text, HEADER_LABELS)
    unplaced = report.unplaced
    for key in ("", "title"):
        note(unplaced, HEADER_WHERE[key], clean(sections.get(key, "")))
    report.schemes = _read_schemes(sections.get("schemes", ""), unplaced)
    report.owner_names = inline(sections.get("owner_names", ""))
    report.network_name = inline(sections.get("network_name", ""))
    report.partner_names = inline(sections.get("partner_names", ""))
    report.contacts = _read_contacts(sections.get("contacts", ""), unplaced)
    for key in ("several_owners", "several_partners", "several_schemes"):
        answer, rest = read_yes_no(sections.get(key, ""))
        setattr(report, key, answer)
        note(unplaced, HEADER_WHERE[key], leftover(rest, FILL_IN_LIST))
    count = sections.get("measure_count", "")
    number = re.search(r"[0-9]+", count)
    if number and len(number.group()) > MAX_COUNT_DIGITS:
        number = None
    report.declared_measure_count = int(number.group()) if number else None
    note(unplaced, HEADER_WHERE["measure_count"], clean(count.replace(number.group(), " ", 1) if number else count))
    _read_totals(sections.get("totals", ""), report)


def _read_schemes(text: str, unplaced: list[str]) -> list[str]:
    codes = [_scheme_code(match.group(1)) for match in SCHEME_BOX.finditer(text) if match.group(2) in CHECKED]
    note(unplaced, HEADER_WHERE["schemes"], leftover(text, SCHEME_BOX))
    return codes


def _scheme_code(label: str) -> str:
    """The code of a scheme the form names (SCHEME_BOX finds only those names, as these patterns do)."""
    return next(code for code, pattern in _SCHEME_NAMES if pattern.fullmatch(label))


_SCHEME_NAMES = [(code, chrome_pattern(name)) for code, name in FORM_SCHEMES.items()]


def _read_totals(text: str, report: ParsedReport) -> None:
    year = re.match(r"\s*([0-9]{4})(?![0-9])", text)
    report.year = int(year.group(1)) if year else None
    rows = sections_of(text[year.end() :] if year else text, TOTAL_ROWS)
    where = HEADER_WHERE["totals"]
    note(report.unplaced, where, leftover(rows.pop(""), TOTALS_HEADER))
    for key, row in rows.items():
        text = after_row_label(row)
        if not inline(text):
            continue
        row_where = f"{where} – {_TOTAL_ROW_NAMES[key]}"
        owner, partner, total = amount_row(text, row_where, ("Eier", "UH", "Totalt"), report.unplaced)
        if (owner, partner, total) != (None, None, None):
            report.declared_totals[key] = DeclaredTotal(owner, partner, total)


_TOTAL_ROW_NAMES = {**FORM_SCHEMES, "sum": "Sum"}


# --- Contacts --------------------------------------------------------------------------------


def _read_contacts(text: str, unplaced: list[str]) -> list[ParsedContact]:
    rows = sections_of(text, CONTACT_ROWS)
    note(unplaced, "Kontaktpersoner", leftover(rows.pop(""), CONTACTS_HEADER))
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
    """The two addresses of the e-mail row, mistyped ones too (kept in their column, checked later)."""
    cells = row_cells(text, 2)
    if "\t" in text or len(cells) >= 2:
        return pair_of(cells)
    words = inline(text).split()
    found = [word.strip(",;<>()") for word in words if "@" in word]
    note(unplaced, "E-post", " ".join([*found[2:], *(word for word in words if "@" not in word)]))
    return pair_of(found[:2])


def _contact_pair(key: str, text: str, emails: tuple[str, str]) -> tuple[str, str]:
    """The owner's and the UH's value of one contact row, however the export ran them together."""
    cells = row_cells(text, 2)
    if len(cells) >= 2:
        return pair_of(cells)
    value = cells[0] if cells else ""
    if key in ("account_number", "org_number"):
        return _split_digits(value, 11 if key == "account_number" else 9)
    if key == "phone":
        tokens = value.split()
        if len(tokens) == 2 and all(len(re.sub(r"[^0-9]", "", token)) >= 8 for token in tokens):
            return tokens[0], tokens[1]
        digits = re.sub(r"[^0-9]", "", value)
        if len(digits) == 16 and not re.search(r"[^0-9\s]", value):
            return digits[:8], digits[8:]
    return _split_words(value, emails if key == "name" else ("", ""))


def _split_digits(value: str, size: int) -> tuple[str, str]:
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) == 2 * size:
        return digits[:size], digits[size:]
    tokens = value.split()
    if len(tokens) == 2:  # two numbers, at least one of them of the wrong length: each is checked on its own
        return tokens[0], tokens[1]
    return value, ""


def _check_digits(
    sides: tuple[dict[str, str], dict[str, str]], key: str, size: int, label: str, unplaced: list[str]
) -> None:
    """Keep account and organisation numbers as bare digits; anything else is shown to the user."""
    for side, side_label in zip(sides, ("Eier", "UH"), strict=True):
        digits = re.sub(r"[\s.]", "", side.get(key, ""))
        if digits and not re.fullmatch(f"[0-9]{{{size}}}", digits):
            note(unplaced, f"{label} ({side_label})", side[key])
            digits = ""
        side[key] = digits


def _split_words(text: str, hints: tuple[str, str]) -> tuple[str, str]:
    """Two cells run together ("Sigrun Vatnli Eskil Brattås"): cut before a capital letter, where
    the e-mail addresses agree, else nearest the middle."""
    words = text.split()
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half]), " ".join(words[half:])
    cuts = [k for k in range(1, len(words)) if words[k][:1].isupper() and words[k - 1].lower() not in NAME_JOINERS]
    if not cuts:
        return text, ""
    locals_ = tuple(ascii_fold(hint.partition("@")[0]) for hint in hints)

    def score(cut: int) -> tuple[int, float]:
        found = sum(ascii_fold(word) in locals_[0] for word in words[:cut]) + sum(
            ascii_fold(word) in locals_[1] for word in words[cut:]
        )
        return found, -abs(len(words) / 2 - cut)

    best = max([*cuts, len(words)] if any(locals_) else cuts, key=score)
    return " ".join(words[:best]), " ".join(words[best:])


# --- Measures --------------------------------------------------------------------------------


def _read_measure(number: int, text: str, unplaced: list[str]) -> ParsedMeasure:
    where = f"Tiltak {number}"
    parts = sections_of(text, MEASURE_LABELS)
    note(unplaced, where, clean(parts[""]))
    measure = ParsedMeasure(number=number, name=inline(parts.get("name", "")).rstrip(",; "))
    owner, partner, total = _read_amounts(parts.get("amounts", ""), where, unplaced)
    measure.owner_amount, measure.partner_amount, measure.declared_total = owner or 0, partner or 0, total
    measure.purpose, measure.description = _read_purpose(parts.get("purpose", ""), where, unplaced)
    for key in _LABELLED_TEXTS:
        setattr(measure, key, clean(parts.get(key, "")))
    measure.needs_coordinator, measure.coordinator_reason = _read_coordinator(parts.get("coordinator", ""))
    measure.semesters = _read_semesters(parts.get("semesters", ""), where, unplaced)
    measure.continuations = _read_continuations(parts.get("continuations", ""), where, unplaced)
    return measure


# The measure's texts the form asks with a label of their own; the description and the coordinator's
# reason are read with the question they answer (what the grant is for, whether coordinator funds are needed).
_LABELLED_TEXTS = [key for key in Measure.NARRATIVE_FIELDS if key in dict(MEASURE_LABELS)]


def _read_amounts(text: str, where: str, unplaced: list[str]) -> tuple[int | None, int | None, int | None]:
    return amount_row(AMOUNT_HEADER.sub(" ", text, count=1), where, ("Eier", "UH", "Sum totalt"), unplaced)


def _read_purpose(text: str, where: str, unplaced: list[str]) -> tuple[str, str]:
    """The chosen category on the question's line, and the free text some users add below it."""
    first, _newline, rest = text.strip(" \t\n").partition("\n")
    first = first.strip()
    if first.startswith(EMPTY):
        return "", clean(first + "\n" + rest)
    for code, pattern in PURPOSES:
        match = pattern.match(first)
        if match:
            return code, clean(first[match.end() :] + "\n" + rest)
    note(unplaced, f"{where} – Hva skal tilskuddet brukes til?", inline(first))
    return "", clean(rest)


def _read_coordinator(text: str) -> tuple[bool | None, str]:
    needed, rest = read_yes_no(text)
    lines = clean(rest).split("\n")
    if lines and REASON_PROMPT.fullmatch(lines[0]):
        lines = lines[1:]
    return needed, "\n".join(lines)


def _read_semesters(text: str, where: str, unplaced: list[str]) -> list[str]:
    codes = [
        _period_code(f"{match.group(1)} {match.group(2)}")
        for match in SEMESTER_BOX.finditer(text)
        if match.group(3) in CHECKED
    ]
    note(unplaced, f"{where} – Tiltakets varighet", leftover(text, SEMESTER_BOX))
    return codes


def _period_code(label: str) -> str:
    """ "Høst 2025" -> "2025-autumn", "Vår 2026" -> "2026-spring", "2026" -> "2026"."""
    season, _space, year = label.rpartition(" ")
    if not season:
        return year
    return f"{year}-{'autumn' if season.lower().startswith('h') else 'spring'}"


def _read_continuations(text: str, where: str, unplaced: list[str]) -> list[ParsedContinuation]:
    text = CONTINUATION_HEADER.sub(" ", text, count=1)
    rows = _period_rows(text)
    note(unplaced, f"{where} – videreføring", clean(text[: rows[0].start()] if rows else text))
    continuations = []
    for row, row_text in rows_of(rows, text):
        label = " ".join(row.group(1).split())
        cells = row_cells(row_text, 4)
        note(unplaced, f"{where} – videreføring {label}", " | ".join(cells[4:]))
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
    for match in PERIOD_ROW.finditer(text):
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
    sections = sections_of(text, FOOTER_LABELS)
    note(report.unplaced, "Behovsmelding", clean(sections[""]))
    report.other_partners = _read_other_partners(sections.get("other_partners", ""), report.unplaced)
    report.union_discussed, rest = read_yes_no(sections.get("union", ""))
    note(report.unplaced, "Behovsmeldingen har vært drøftet i medbestemmelse", clean(rest))
    participants = _read_participants(sections.get("participants", ""))
    report.union_participants = participants[:MAX_UNION_PARTICIPANTS]
    for person in participants[MAX_UNION_PARTICIPANTS:]:
        note(report.unplaced, "Hvem som har deltatt", f"{person.role} {person.name}".strip())
    _read_units(sections.get("units", ""), report)


def _read_other_partners(text: str, unplaced: list[str]) -> list[OtherPartner]:
    where = "Liste over andre eiere og UH i partnerskapet"
    text = OTHER_PARTNERS_HEADER.sub(" ", text, count=1)
    rows: list[re.Match[str]] = []
    for row in NUMBERED_ROW.finditer(text):
        if row.group(1) == str(len(rows) + 1):  # a number inside a wrapped name is not a new row
            rows.append(row)
    note(unplaced, where, clean(text[: rows[0].start()] if rows else text))
    partners = []
    for row, row_text in rows_of(rows, text):
        cells = row_cells(row_text, 3)
        if len(cells) < 3 and cells and (kind := re.search(r"\s(Eier|UH|Fagskole)$", cells[-1], re.I)):
            cells[-1:] = [cells[-1][: kind.start()], kind.group(1)]
        name, contact, kind_text = [*cells, "", "", ""][:3]
        note(unplaced, f"{where} {row.group(1)}", " | ".join(cells[3:]))
        kind_code = PARTNER_KINDS.get(kind_text.lower(), "")
        if kind_text and not kind_code:
            note(unplaced, f"{where} {row.group(1)} – Eier/UH", kind_text)
        if name or contact:
            partners.append(OtherPartner(name, contact, kind_code))
    return partners


def _read_participants(text: str) -> list[UnionParticipant]:
    participants = []
    for line in PARTICIPANTS_HEADER.sub(" ", text, count=1).split("\n"):
        cells = split_cells(line, 2)
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
    while cut < len(words) and (ROLE_WORD.search(words[cut]) or words[cut][:1].islower()):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _read_units(text: str, report: ParsedReport) -> None:
    header_end = 0
    for _key, label in UNIT_COLUMNS:
        match = chrome_pattern(label).search(text, header_end)
        header_end = match.end() if match else header_end
    line_end = text.find("\n", header_end)
    cells = _unit_cells(text[line_end:] if line_end >= 0 else "")
    note(report.unplaced, "Hvor mange enheter er inkludert i behovsmeldingen?", " | ".join(cells[5:]))
    for (key, label), cell in zip(UNIT_COLUMNS, cells, strict=False):
        if re.fullmatch(f"[0-9]{{1,{MAX_COUNT_DIGITS}}}", cell):
            setattr(report, key, int(cell))
        elif cell in _DASHES:  # "–" for none
            setattr(report, key, 0)
        else:
            note(report.unplaced, label, cell)


_DASHES = {"-", "–", "—"}


def _unit_cells(text: str) -> list[str]:
    if "\t" in text:
        return split_cells(text, 5)
    cells = []
    for cell in split_cells(text, 5):
        # Numbers, a lone dash (none), and words (the PP service's name) are each a cell.
        cells.extend(re.findall(r"[0-9]+|[-–—](?=\s|$)|[^0-9\s](?:[^0-9]*[^0-9\s])?", cell) if cell else [""])
    # A cell left empty without its placeholder leaves no trace in a text export; the counts
    # are typed into the right-hand columns, so the missing cells are taken to be on the left.
    return [""] * (5 - len(cells)) + cells
