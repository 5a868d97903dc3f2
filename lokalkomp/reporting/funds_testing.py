"""The builders of the funds tests, under their first name (the code lives in tests/funds_helpers.py, beside the
tests: a module of the app may not import the project's test helpers)."""

from __future__ import annotations

from .tests.funds_helpers import Decided, decide, decided, fill_in

__all__ = ["Decided", "decide", "decided", "fill_in"]
