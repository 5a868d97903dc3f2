"""A profanity filter for Norwegian, that an activity may switch on: a response with a swear word is
held for the presenter to approve, instead of being shown to the room.

The words are a small list kept with the app (`data/profanity_no.txt`, with its source and licence).
A text matches when one of its whole words, folded, is a folded word of the list: folding ignores
case, writes æ/ø/å as ae/o/a, reads the digits people type for letters (f4en, h3lvete) and squeezes
repeated letters (faaaen). Whole words only, so «Helgeland» or «skuffet» never match, and the
filter holds a response back for a person to look at; it never deletes or changes what was written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).resolve().parent / "data" / "profanity_no.txt"
LETTERS_TYPED_AS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
NORDIC = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o"})
WORD = re.compile(r"[^\W_]+")
REPEATS = re.compile(r"(.)\1+")


def fold(word: str) -> str:
    """A word as the filter compares it (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", word).casefold().translate(LETTERS_TYPED_AS).translate(NORDIC)
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return REPEATS.sub(r"\1", folded)


@cache
def folded_words() -> frozenset[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def words_of(text: str) -> list[str]:
    """The text's words, with the digits and signs typed for letters read as letters first."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold().translate(LETTERS_TYPED_AS))


def is_profane(*texts: str) -> bool:
    listed = folded_words()
    return any(fold(word) in listed for text in texts if text for word in words_of(text))
