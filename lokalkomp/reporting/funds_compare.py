"""What changed between two versions of a report on the use of funds, measure by measure and field by field.

`compare(a, b)` takes two versions' data (`FundsReport.snapshot()`: a line per decided measure) and gives,
per measure, every field with its value in each version, formatted for people («kr 120 000»), and whether
it changed. The needs report's `diff` is not reused: it reads the needs report's own record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lokalkomp.templatetags.nor import format_kroner

from .models.funds import FundsReportLine

Formatter = Callable[[Any], str]
Line = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One field of a measure in both versions: its name, its label, and the old and the new value."""

    name: str
    label: str
    old: str
    new: str
    differs: bool
    amount: bool = False


@dataclass(frozen=True)
class MeasureComparison:
    """One measure's fields in both versions; `state` is "added" or "removed" when only one version has it."""

    key: str
    name: str
    scheme: str
    fields: list[Field]
    state: str = ""

    @property
    def changed(self) -> int:
        return sum(1 for f in self.fields if f.differs)


def _kroner(value: Any) -> str:
    return "–" if value is None else format_kroner(value)


def _plain(value: Any) -> str:
    return "–" if value in (None, "") else str(value)


def _choice(choices: list[tuple[str, Any]]) -> Formatter:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value)) if value else "–"


def _label(name: str) -> str:
    return capfirst(str(getattr(FundsReportLine._meta.get_field(name), "verbose_name", name)))


def _get(name: str) -> Callable[[Line], Any]:
    return lambda line: line.get(name)


def _unused(side: str) -> Callable[[Line], int | None]:
    """Derived, as on the form: granted − used for one recipient (never stored)."""

    def unused(line: Line) -> int | None:
        granted, used = line.get(f"granted_{side}"), line.get(f"used_{side}")
        return None if granted is None or used is None else granted - used

    return unused


def _fields() -> Iterator[tuple[str, str, Callable[[Line], Any], Formatter, bool]]:
    """(name, label, value of a line, format, is an amount) in the order of the form."""
    for name in ("granted_owner", "granted_uh", "granted_partner2", "used_owner", "used_uh", "used_partner2"):
        yield name, _label(name), _get(name), _kroner, True
    yield "unused_owner", _("Unused by the owner (kr)"), _unused("owner"), _kroner, True
    yield "unused_uh", _("Unused by UH (kr)"), _unused("uh"), _kroner, True
    yield "unused_partner2", _("Unused by partner 2 (kr)"), _unused("partner2"), _kroner, True
    yield "cofinancing_amount", _label("cofinancing_amount"), _get("cofinancing_amount"), _kroner, True
    choices = {
        "cofinancing_form": FundsReportLine.CoFinancingForm.choices,
        "unused_proposal": FundsReportLine.UnusedProposal.choices,
        "outcome": FundsReportLine.Outcome.choices,
    }
    for name in FundsReportLine.CHOICE_FIELDS:
        yield name, _label(name), _get(name), _choice(choices[name]), False
    for name in FundsReportLine.TEXT_FIELDS:
        yield name, _label(name), _get(name), _plain, False


def _key(line: Line) -> str:
    return f"{line.get('measure')}-{line.get('scheme')}"


def _matched(old: list[Line], new: list[Line]) -> Iterator[tuple[Line | None, Line | None]]:
    """Pairs of (old, new) lines of the same measure and scheme, in the new order, then the removed ones."""
    before = {_key(line): line for line in old}
    seen = set()
    for line in new:
        seen.add(_key(line))
        yield before.get(_key(line)), line
    for line in old:
        if _key(line) not in seen:
            yield line, None


def compare(a: dict[str, Any], b: dict[str, Any], *, schemes: dict[str, str] | None = None) -> list[MeasureComparison]:
    """Every measure of version data `a` and `b`, each with all its fields; a text field empty in both is left out,
    and so are partner 2's amounts where both are zero or missing (a measure without a partner 2).

    `schemes` names the schemes by code (their short names); a code not in it is shown as it is.
    """
    schemes = schemes or {}
    fields = list(_fields())
    measures = []
    for before, after in _matched(a.get("lines", []), b.get("lines", [])):
        line = after or before or {}
        rows = []
        for name, label, value_of, fmt, amount in fields:
            old = value_of(before) if before is not None else None
            new = value_of(after) if after is not None else None
            if not amount and old in (None, "") and new in (None, ""):
                continue
            if name.endswith("partner2") and not old and not new:  # a measure without a partner 2
                continue
            rows.append(Field(name, label, fmt(old), fmt(new), old != new, amount))
        state = "added" if before is None else "removed" if after is None else ""
        scheme = str(line.get("scheme", ""))
        measures.append(
            MeasureComparison(_key(line), str(line.get("name", "")), schemes.get(scheme, scheme), rows, state)
        )
    return measures
