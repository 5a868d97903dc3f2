"""Amounts of money as people write them: the one rule is `lokalkomp.directory.amounts` (re-exported here)."""

from __future__ import annotations

from lokalkomp.directory.amounts import MAX_DIGITS, parse_amount

__all__ = ["MAX_DIGITS", "parse_amount"]
