"""Amounts of money as people write them on the form: "Kr 50 000", "120 000,-", "kr 40 000,00"."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY_BEFORE = re.compile(r"^(?:kr\.?|nok)\s*", re.IGNORECASE)
# Øre are always zero on these forms, so ",00" and ",-" only close the amount.
_CURRENCY_AFTER = re.compile(r"\s*(?:,-|,–|[.,]00|kr\.?|nok)$", re.IGNORECASE)
# Digits with spaces anywhere between them: the seed's totals table has "1 5 44 000".
_SPACED_DIGITS = re.compile(r"\d+(?: \d+)*")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_amount(s: str) -> int:
    """Whole Norwegian kroner from a written amount; ValueError for anything that is not one."""
    text = _WHITESPACE.sub(" ", s).strip()
    text = _CURRENCY_BEFORE.sub("", text)
    while True:
        shorter = _CURRENCY_AFTER.sub("", text)
        if shorter == text:
            break
        text = shorter
    if _SPACED_DIGITS.fullmatch(text):
        return int(text.replace(" ", ""))
    if _DOTTED_THOUSANDS.fullmatch(text):
        return int(text.replace(".", ""))
    raise ValueError(f"Not an amount in whole kroner: {s!r}")
