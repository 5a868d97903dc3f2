"""Norwegian words for the overlap finder: stop words, bokmål and nynorsk twins, stems, and lines.

The stemmer is `snowballstemmer`: the Snowball project's own stemmers generated as pure Python (BSD
3-clause, kept by the Snowball maintainers, the stemmer Sphinx's search uses, so widely installed).
Its 3.x Norwegian stemmer takes the endings of both written standards (bokmål «barnehagene», nynorsk
«barnehagane» → «barnehag»). Why this rather than the other candidates:

- PostgreSQL's `norwegian` text search configuration runs the same Snowball algorithm, but only in
  PostgreSQL, and SQLite must work too. Its ranking (`ts_rank`) scores a query against a document, not
  two documents against each other: 600 measures against 1 200 would be 600 queries or a self-join.
- pg_trgm compares letter triples, not words: every long text is «similar» to every other, and the
  shared «words» cannot be shown. PostgreSQL only as well.
- PyStemmer is the same algorithms in C. snowballstemmer uses it by itself when it is installed;
  without it a new word costs ~8 µs, and every word is stemmed once per process (cached below), so a
  round's few thousand distinct words cost a few milliseconds once.

The stop words are Snowball's Norwegian list (`data/norwegian.stop`, BSD, as PostgreSQL ships it)
and a complement written for this project (`data/complement.stop`: more nynorsk, a few bokmål words,
abbreviations). `data/variants.txt` (also ours) makes nynorsk words count as their bokmål twins
where the stemmer leaves two stems («skulen» / «skolen»). See `data/README.md`.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

import snowballstemmer

DATA = Path(__file__).resolve().parent / "data"

WORD = re.compile(r"\w+")
"""A word: «PP-tjenesten» is «PP» and «tjenesten». Numbers are words here and stop words in `term_id`
(`\\w+` is three times as fast as a letters-only class)."""

STOP = -1
"""The term of a word that is no term: a stop word, a single letter or a number."""

_COMPOUND_TAIL = 4
"""A compound's first part in variants.txt is swapped only when at least this many letters follow it."""


def read_words(path: Path) -> frozenset[str]:
    """A Snowball-style list: a word at the start of each line, a comment after «|»."""
    words = (line.split("|", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


def read_variants(path: Path) -> list[tuple[str, str]]:
    """The (word, counts as) pairs of variants.txt, in the file's order."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            pairs.append((parts[0].lower(), parts[1].lower()))
    return pairs


STOP_WORDS = read_words(DATA / "norwegian.stop") | read_words(DATA / "complement.stop")
_PAIRS = read_variants(DATA / "variants.txt")
# Compound first parts, longest first so that «høgskule-» is tried before «skule-» could be.
_HEADS = sorted(((a[:-1], b[:-1]) for a, b in _PAIRS if a.endswith("-")), key=lambda p: -len(p[0]))

_stemmer = snowballstemmer.stemmer("norwegian")
_lock = threading.Lock()  # the pure-Python stemmer keeps its state on the object: one word at a time
_term_ids: dict[str, int] = {}  # stem → term id, for every process-wide index
_word_terms: dict[str, int] = {}  # a word as written → its term id (or STOP): each word is stemmed once
_MAX_CACHED_WORDS = 2_000_000  # a bound for a long-running process; far above the country's vocabulary


cached_term = _word_terms.get
"""A word's term id if it has been seen before (None if not): the fast path of `term_id`."""


def stem(word: str) -> str:
    """Snowball's Norwegian stem of a lower-case word."""
    with _lock:
        return str(_stemmer.stemWord(word))


@cache
def _variant_stems() -> dict[str, str]:
    """Stem of a variant → stem of the word it counts as (a compound's first part counts by itself too)."""
    return {stem(a.rstrip("-")): stem(b.rstrip("-")) for a, b in _PAIRS if stem(a.rstrip("-")) != stem(b.rstrip("-"))}


def normalised_stem(word: str) -> str:
    """The stem a lower-case word counts as: its compound's first part swapped, stemmed, its variant's stem."""
    for head, twin in _HEADS:
        if word.startswith(head) and len(word) - len(head) >= _COMPOUND_TAIL:
            word = twin + word[len(head) :]
            break
    stemmed = stem(word)
    return _variant_stems().get(stemmed, stemmed)


def term_id(word: str) -> int:
    """A word as written → the id of the term it counts as, or STOP. Cached: the stemmer runs once a word."""
    found = _word_terms.get(word)
    if found is not None:
        return found
    lower = word.lower()
    if len(lower) < 2 or not lower.isalpha() or lower in STOP_WORDS:
        found = STOP
    else:
        term = normalised_stem(lower)
        with _lock:
            found = _term_ids.setdefault(term, len(_term_ids))
    if len(_word_terms) >= _MAX_CACHED_WORDS:
        _word_terms.clear()  # the ids stay; only the shortcut from words to them is rebuilt
    _word_terms[word] = found
    return found


def term_text(term: int) -> str:
    """The stem a term id stands for (for tests and debugging)."""
    for text, number in _term_ids.items():
        if number == term:
            return text
    raise KeyError(term)


def lines(text: str) -> list[str]:
    """The text's lines: its paragraphs, bullet points or, from the Word/PDF import, the form's lines.

    A pasted paragraph is the same lines wherever it is pasted (the import wraps it alike), and
    str.split is a C loop: splitting into sentences with regular expressions took most of the build.
    """
    return text.split("\n")


def line_key(line: str) -> str:
    """A line as compared for boilerplate: the spaces around it ignored."""
    return line.strip()


def display(word: str) -> str:
    """A word as a shared word is shown: lower case, except an abbreviation such as «SePU», «HINN» or «SFO»."""
    return word.lower() if word[1:].islower() else word
