"""Amounts of money as people write them: "Kr 50 000", "120 000,-", "kr 40 000,00", "kr. 1.544.000".

One rule for the web form, the import and the budget frames: whole kroner in ASCII digits, either
unbroken ("120000") or in thousands groups of exactly three digits, split by spaces or by dots
("1 544 000", "1.544.000"). Anything else ("12 5", "400 00 000", "1,00,00", "1.000.00", "²") is refused rather
than guessed at, because a guess silently changes the amount.

It lives in directory, the lowest app, so that every app may read amounts the same way (needs
re-exports it from `needs.importer.amounts`).
"""

from __future__ import annotations

import re

MAX_DIGITS = 30
"""Longer digit strings are refused outright; callers check their own (much lower) caps."""

_WHITESPACE = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200a]+")
_CURRENCY = r"(?:kr\.?|nok)"
_GROUPED = r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+"
# Øre are always zero on these forms, so ",00" and ",-" only close the amount, once.
_AMOUNT = re.compile(
    rf"(?:{_CURRENCY} ?)?(?P<number>{_GROUPED})(?P<decimals>,00|,-|,–|\.00|\.-)?(?: ?{_CURRENCY})?",
    re.IGNORECASE,
)
_CURRENCY_ONLY_ONCE = re.compile(rf"{_CURRENCY}.*[0-9].*{_CURRENCY}", re.IGNORECASE)


def parse_amount(s: str) -> int:
    """Whole Norwegian kroner from a written amount; ValueError for anything that is not one."""
    text = _WHITESPACE.sub(" ", s).strip()
    match = _AMOUNT.fullmatch(text)
    if match is None or _CURRENCY_ONLY_ONCE.search(text):
        raise ValueError(f"Not an amount in whole kroner: {s[:60]!r}")
    number = match.group("number")
    if "." in number and match.group("decimals") in (".00", ".-"):
        raise ValueError(f"A dot both groups thousands and marks øre: {s[:60]!r}")
    digits = number.replace(" ", "").replace(".", "")
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"Too many digits for an amount: {len(digits)}")
    return int(digits)
