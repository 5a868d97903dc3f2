"""Free text and table cells of the form's text: the cells of one row, amounts, yes/no answers."""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations, pairwise

from django.utils.translation import gettext as _

from .amounts import parse_amount
from .labels import AFTER_AMOUNT, BEFORE_KR, CHECKED, EMPTY, GAP, NO, SPACED_DIGITS, YES

AmountRow = tuple[int | None, int | None, int | None]

# --- Text helpers ----------------------------------------------------------------------------


def clean(text: str) -> str:
    """Free text as written: placeholders and blank lines gone, runs of spaces made one."""
    lines = (" ".join(line.replace(EMPTY, " ").split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def inline(text: str) -> str:
    return " ".join(clean(text).split())


def note(unplaced: list[str], where: str, text: str) -> None:
    if text:
        unplaced.append(f"{where}: {text}")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII, as names appear in e-mail addresses and domains (Brattås → brattas, Træna → traena)."""
    text = text.lower().replace("ø", "o").replace("æ", "ae")
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def leftover(text: str, *chrome: re.Pattern[str]) -> str:
    for pattern in chrome:
        text = pattern.sub(" ", text)
    return clean(text)


def sections_of(text: str, labels: list[tuple[str, re.Pattern[str]]]) -> dict[str, str]:
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


def rows_of(labels: list[re.Match[str]], text: str) -> list[tuple[re.Match[str], str]]:
    """Each row label with the text up to the next one."""
    ends = [label.start() for label in labels[1:]] + [len(text)]
    return [(label, text[label.end() : end]) for label, end in zip(labels, ends[: len(labels)], strict=True)]


def read_yes_no(text: str) -> tuple[bool | None, str]:
    """The answer of a "Ja ☒ Nei ☐" question and the text around the boxes."""
    yes, no = YES.search(text), NO.search(text)
    rest = NO.sub(" ", YES.sub(" ", text, count=1), count=1)
    yes_ticked = bool(yes and yes.group(1) in CHECKED)
    no_ticked = bool(no and no.group(1) in CHECKED)
    if yes_ticked != no_ticked:
        return yes_ticked, rest
    if yes and not no:  # some questions offer only a Ja box
        return False, rest
    return None, rest


# --- Table cells -----------------------------------------------------------------------------


def split_cells(text: str, count: int, hints: tuple[re.Pattern[str], ...] = (GAP,)) -> list[str]:
    """The cells of one table row, left to right; a placeholder is an empty cell.

    A Word table arrives with tabs between its cells. PDF and text exports run the cells
    together: placeholders still mark cell borders for sure, and the hints (a wide gap, a new
    "Kr") split a cell only while the row has fewer cells than the table has columns.
    """
    text = text.strip(" \r\n")
    if "\t" in text:
        return [inline(cell) for cell in text.split("\t")]
    cells = [piece for part in re.split(f"({EMPTY})", text) if (piece := part.strip())]
    for hint in hints:
        index = 0
        while len(cells) < count and index < len(cells):
            parts = [part for part in hint.split(cells[index], maxsplit=count - len(cells)) if part.strip()]
            cells[index : index + 1] = parts or [cells[index]]
            index += len(parts) or 1
    return [inline(cell) for cell in cells]


def after_row_label(text: str) -> str:
    """In a Word table one tab separates a row's label cell from its first cell."""
    return re.sub(r"^[ ]*\t", "", text, count=1)


def row_cells(text: str, count: int) -> list[str]:
    return split_cells(after_row_label(text), count)


def pair_of(values: list[str]) -> tuple[str, str]:
    padded = [*values, "", ""]
    return padded[0], " ".join(padded[1:]).strip()


def amount_cells(text: str, count: int) -> list[str]:
    # "Kr 50 000 Kr 174 000" is cut before each currency; "50 000 kr 174 000 kr" after each.
    suffixed = re.match(r"\s*[0-9]", text) and AFTER_AMOUNT.search(text)
    cells = split_cells(text, count, (AFTER_AMOUNT, GAP) if suffixed else (BEFORE_KR, GAP))
    index = 0
    while len(cells) < count and index < len(cells):
        if SPACED_DIGITS.fullmatch(cells[index]):
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
    if len(groups) < parts or len(groups) > 20 or any(len(group) > 30 for group in groups):
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


def amount_row(text: str, where: str, labels: tuple[str, str, str], unplaced: list[str]) -> AmountRow:
    """Owner, UH and total of one row of amounts; never a guess at which amount is which.

    Without tabs or placeholders to mark the cells, two amounts could be any two of the three;
    they are kept among the unplaced (the same amount twice is the owner's, with no UH share).
    """
    cells = amount_cells(text, 3)
    note(unplaced, where, " | ".join(cells[3:]))
    marked = "\t" in text or EMPTY in text
    if not marked and 0 < len(cells) < 3:
        values = [_quiet_amount(cell) for cell in cells]
        if len(values) == 2 and values[0] is not None and values[0] == values[1]:
            note(
                unplaced, where, _("%(cells)s read as the owner's amount and the total") % {"cells": " | ".join(cells)}
            )
            return values[0], None, values[1]
        note(
            unplaced,
            where,
            _("%(cells)s (which amount is the owner's, the UH's or the total is unclear)")
            % {"cells": " | ".join(cells)},
        )
        return None, None, None
    owner, partner, total = [*cells, "", "", ""][:3]
    return (
        amount_of(owner, f"{where} – {labels[0]}", unplaced),
        amount_of(partner, f"{where} – {labels[1]}", unplaced),
        amount_of(total, f"{where} – {labels[2]}", unplaced),
    )


def _quiet_amount(cell: str) -> int | None:
    try:
        return parse_amount(cell)
    except ValueError:
        return None


def amount_of(cell: str, where: str, unplaced: list[str]) -> int | None:
    if not cell:
        return None
    try:
        return parse_amount(cell)
    except ValueError:
        note(unplaced, where, cell)
        return None
