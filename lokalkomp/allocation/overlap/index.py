"""Which measures resemble each other: TF-IDF over Norwegian stems, cosine similarity, an inverted index.

Each measure becomes a vector of weighted terms (stems, `text.py`): its name and its texts are
weighted apart (1 + ln of a term's count, times the term's inverse document frequency), each made
unit length, and the name's vector is added with `NAME_WEIGHT`, so that a name of eight words counts
about as much as two pages of text. The similarity of two measures is the cosine of their vectors.

A line (a paragraph, a bullet point, a line of the imported form) that a partnership writes in
`BOILERPLATE_REPEATS` or more of its measures in a year is left out before weighing: seed 003 pastes the same paragraph about the UH's teacher education into
seven of its eight measures, and those would otherwise all resemble each other through it.

Memory is O(measures × their distinct terms): a vector is two compact arrays (term ids, float32
weights), and the inverted index (term → measures) holds each entry once more; the texts are split
into lines one partnership at a time. A look-up reads only the postings of the query's heaviest
terms (`PROBE_TERMS`), at most `MAX_POSTINGS` of each (those where the term weighs most), counts
which measures turn up most (one C loop: `Counter`), and computes the exact cosine of the
`CANDIDATES` first. So a score shown is always exact; what the shortcut can miss is a measure that
shares only words that hundreds of others have too, and that would not have scored high. On the
generator's texts (the worst case: 200 distinct stems in a round) the shortcut finds 99 % of the
exact top five's score; a corpus small enough to read whole is answered exactly.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import add, mul
from sys import intern

from .text import STOP, WORD, cached_term, display, line_key, lines, term_id

NAME_WEIGHT = 1.0
"""How much the name's unit vector counts beside the texts' unit vector (1.0: as much as all the texts)."""

THRESHOLD = 0.25
"""The cosine below which two measures are not shown as alike (a score under 25)."""

BOILERPLATE_REPEATS = 3
"""A line a partnership repeats in this many of its measures of a year says nothing about any one."""

_BOILERPLATE_MIN_WORDS = 3  # shorter lines («Veiledning», «Reise- og oppholdsutgifter») stay

MAX_POSTINGS = 100
"""A query reads at most this many measures of each of its terms, those where the term weighs most."""

PROBE_TERMS = 8
"""A query looks for candidates through its this many heaviest terms."""

CANDIDATES = 20
"""The candidates of a query whose exact cosine is computed (when the look-up was not exhaustive)."""

WEIGHT_STEPS = 3
"""How many times the heaviest probe's list is counted (a lighter probe's, by its weight, at least once)."""

SHARED_WORDS = 8
"""How many shared words a match shows, those that add most to the score first."""

_EMPTY: tuple[array[int], array[int]] = (array("I"), array("I"))


@dataclass(frozen=True, slots=True)
class MeasureText:
    """What the finder reads of a measure: its name (title), its texts in one string, and whose it is."""

    pk: int
    year: int
    title: str
    text: str = ""
    partnership: str = ""
    network: str = ""
    scheme: str = ""
    partnership_id: int | None = None
    report_id: int | None = None

    @property
    def owner_key(self) -> object:
        """Whose measure it is, for «the same partnership» (None: unknown, never the same as another's)."""
        return self.partnership_id if self.partnership_id is not None else (self.partnership or None)

    def same_partnership(self, other: MeasureText) -> bool:
        key = self.owner_key
        return key is not None and key == other.owner_key


@dataclass(frozen=True, slots=True)
class Match:
    """A measure that resembles another: how much (0–100), through which words, and whether it is a sibling."""

    measure: MeasureText
    score: int
    shared_words: tuple[str, ...]
    same_partnership: bool


class OverlapIndex:
    """The measures' vectors and the inverted index over those that may be found (`searchable`).

    Every measure given is weighed (the inverse document frequencies count them all), and each can ask
    for its matches; only the searchable ones (all, by default) are found. A pk given twice counts once.
    """

    def __init__(
        self,
        measures: Iterable[MeasureText],
        *,
        searchable: Iterable[int] | None = None,
        max_postings: int = MAX_POSTINGS,
        probe_terms: int = PROBE_TERMS,
        candidates: int = CANDIDATES,
    ) -> None:
        unique: dict[int, MeasureText] = {}
        for m in measures:
            unique.setdefault(m.pk, m)
        self.measures = list(unique.values())
        self.position = {m.pk: i for i, m in enumerate(self.measures)}
        self.max_postings = max_postings
        self.probe_terms = probe_terms
        self.candidates = candidates
        self.terms: list[array[int]] = [array("i")] * len(self.measures)
        self.weights: list[array[float]] = [array("f")] * len(self.measures)
        self.surfaces: list[tuple[str, ...]] = [()] * len(self.measures)
        self.df: Counter[int] = Counter()
        counted = self._count()
        self._weigh(counted)
        wanted = None if searchable is None else set(searchable)
        self._post(None if wanted is None else [m.pk in wanted for m in self.measures])

    def __len__(self) -> int:
        return len(self.measures)

    # --- building -------------------------------------------------------------------------------

    def _count(self) -> list[tuple[array[int], array[int]]]:
        """Each measure's terms (in `terms`, first seen first) and their counts in its name and in its texts.

        Partnership by partnership, so that only one partnership's texts are split into lines at a time.
        """
        counted: list[tuple[array[int], array[int]]] = [_EMPTY] * len(self.measures)
        df = self.df
        for i, body in self._bodies():
            name, name_words = _counts(self.measures[i].title)
            text, text_words = _counts(body)
            seen = text_words | name_words  # term → the first way it was written, in the name if it is there
            df.update(seen.keys())
            self.terms[i] = array("i", seen)
            self.surfaces[i] = tuple(map(intern, seen.values()))  # one string per word, not one per measure
            counted[i] = (
                array("I", map(name.get, seen, repeat(0))),
                array("I", map(text.get, seen, repeat(0))),
            )
        return counted

    def _bodies(self) -> Iterator[tuple[int, str]]:
        """Each measure's position and texts, less the lines its partnership repeats (BOILERPLATE_REPEATS)."""
        groups: dict[object, list[int]] = {}
        for i, m in enumerate(self.measures):
            group = _group(m)
            if group is None:
                yield i, m.text
            else:
                groups.setdefault(group, []).append(i)
        for members in groups.values():
            if len(members) < BOILERPLATE_REPEATS:
                yield from ((i, self.measures[i].text) for i in members)
                continue
            split = {i: lines(self.measures[i].text) for i in members}
            keys = {i: list(map(line_key, parts)) for i, parts in split.items()}
            times: Counter[str] = Counter()
            for row in keys.values():
                times.update(set(row))
            repeated = {
                k for k, n in times.items() if n >= BOILERPLATE_REPEATS and k.count(" ") >= _BOILERPLATE_MIN_WORDS - 1
            }
            for i, parts in split.items():
                if repeated and not repeated.isdisjoint(keys[i]):
                    yield i, "\n".join(s for s, key in zip(parts, keys[i], strict=True) if key not in repeated)
                else:
                    yield i, self.measures[i].text

    def _weigh(self, counted: list[tuple[array[int], array[int]]]) -> None:
        """Each measure's unit vector, its terms heaviest first (a query probes those first)."""
        n = len(self.measures)
        idf = {t: math.log((1 + n) / (1 + df)) + 1.0 for t, df in self.df.items()}
        for i, (name, body) in enumerate(counted):
            terms = self.terms[i]
            idfs = list(map(idf.__getitem__, terms))
            in_name = list(map(mul, map(_tf(name), name), idfs))
            in_body = list(map(mul, map(_tf(body), body), idfs))
            a, b = _inverse_norm(in_name) * NAME_WEIGHT, _inverse_norm(in_body)
            joined = list(map(add, map(mul, in_name, repeat(a)), map(mul, in_body, repeat(b))))
            unit = _inverse_norm(joined)
            order = sorted(range(len(terms)), key=joined.__getitem__, reverse=True)
            self.terms[i] = array("i", map(terms.__getitem__, order))
            self.weights[i] = array("f", map(mul, map(joined.__getitem__, order), repeat(unit)))
            self.surfaces[i] = tuple(map(self.surfaces[i].__getitem__, order))
            counted[i] = _EMPTY  # the counts are done with

    def _post(self, searchable: list[bool] | None) -> None:
        """The inverted index: term → the measures that have it; a long list ordered by the term's weight there."""
        ids: dict[int, array[int]] = {}
        weights: dict[int, array[float]] = {}
        for i, (terms, ws) in enumerate(zip(self.terms, self.weights, strict=True)):
            if searchable is not None and not searchable[i]:
                continue
            for t, w in zip(terms, ws, strict=True):
                if t not in ids:
                    ids[t], weights[t] = array("i"), array("f")
                ids[t].append(i)
                weights[t].append(w)
        self.postings: dict[int, array[int]] = {}
        for t, docs in ids.items():
            if len(docs) > self.max_postings:  # a query reads the first max_postings: those where t weighs most
                ws = weights[t]
                docs = array("i", (docs[k] for k in sorted(range(len(ws)), key=ws.__getitem__, reverse=True)))
            self.postings[t] = docs

    # --- asking ---------------------------------------------------------------------------------

    def matches(self, pk: int, *, top: int = 5, threshold: float = THRESHOLD) -> list[Match]:
        """The `top` measures most like measure `pk` with a cosine of at least `threshold`, best first.

        The candidates are the measures that appear most often in the postings of the query's
        `probe_terms` heaviest terms (counted in C by `Counter`); the `candidates` first of them get
        their exact cosine. When the query has no more terms than that and no list was cut short,
        every measure that shares a term is a candidate, and the answer is exact.
        """
        i = self.position[pk]
        terms, ws = self.terms[i], self.weights[i]
        if not terms or top <= 0:
            return []
        limit = self.max_postings
        # Each probe's list counts 1–3 times by the term's weight beside the heaviest's: a rare theme word
        # outweighs a common word of the form, and the counting stays one C loop.
        lists = [
            self.postings[t][:limit] * max(1, round(w / ws[0] * WEIGHT_STEPS))
            for t, w in islice(zip(terms, ws, strict=True), self.probe_terms)
            if t in self.postings
        ]
        seen = Counter(chain.from_iterable(lists))
        seen.pop(i, None)
        if len(terms) <= self.probe_terms and all(len(self.postings.get(t, ())) <= limit for t in terms):
            rough: Iterable[int] = seen  # every measure that shares a term
        else:
            rough = sorted(seen, key=seen.__getitem__, reverse=True)[: max(self.candidates, top)]  # sorted: C
        query = dict(zip(terms, ws, strict=True))
        cosine = self._cosine
        best = sorted(zip(map(cosine, repeat(query), rough), rough, strict=True), reverse=True)[:top]
        own = self.measures[i]
        return [
            Match(
                measure=self.measures[d],
                score=min(100, round(score * 100)),
                shared_words=self._shared(i, d),
                same_partnership=own.same_partnership(self.measures[d]),
            )
            for score, d in best
            if score >= threshold
        ]

    def similarity(self, a: int, b: int) -> float:
        """The exact cosine of two measures (by pk), whatever a look-up would have found."""
        i, j = self.position[a], self.position[b]
        return self._cosine(dict(zip(self.terms[i], self.weights[i], strict=True)), j)

    def _cosine(self, query: dict[int, float], d: int) -> float:
        # map() keeps the loop in C: a generator expression here was most of a look-up's time
        return sum(map(mul, map(query.get, self.terms[d], repeat(0.0)), self.weights[d]))

    def _shared(self, i: int, d: int) -> tuple[str, ...]:
        """The words measure i shares with measure d that add most to their score, as measure i writes them."""
        other = dict(zip(self.terms[d], self.weights[d], strict=True))
        adds = list(map(mul, self.weights[i], map(other.get, self.terms[i], repeat(0.0))))
        best = sorted(range(len(adds)), key=adds.__getitem__, reverse=True)[:SHARED_WORDS]
        return tuple(display(self.surfaces[i][k]) for k in best if adds[k])


def find_overlaps(
    measures: Iterable[MeasureText],
    *,
    among: Iterable[MeasureText] | None = None,
    top: int = 5,
    threshold: float = THRESHOLD,
) -> dict[int, list[Match]]:
    """Each measure's `top` closest matches among `among` (by default, among the measures themselves).

    Never a measure with itself. Matches in the same partnership are kept and marked. The weights
    count every measure given, in `measures` and in `among`.
    """
    asked = list(measures)
    pool = asked if among is None else list(among)
    index = OverlapIndex([*asked, *pool], searchable=[m.pk for m in pool])
    return {m.pk: index.matches(m.pk, top=top, threshold=threshold) for m in asked}


def _group(m: MeasureText) -> object:
    """Whose boilerplate a measure's lines are checked against: its partnership's in its year."""
    key = m.owner_key
    return None if key is None else (key, m.year)


def _counts(text: str) -> tuple[Counter[int], dict[int, str]]:
    """The text's terms with how often each occurs, and the first way each was written.

    Every step is a C loop (map, Counter, dict of zip): a Python loop over the words took most of the build.
    """
    words = WORD.findall(text)
    terms = list(map(cached_term, words))
    if None in terms:  # words not seen before in this process: stem them
        terms = [term_id(w) if t is None else t for t, w in zip(terms, words, strict=True)]
    counts: Counter[int] = Counter(terms)  # type: ignore[arg-type]  # no None left
    first: dict[int, str] = dict(zip(reversed(terms), reversed(words), strict=True))  # type: ignore[arg-type]
    counts.pop(STOP, None)
    first.pop(STOP, None)
    return counts, first


def _inverse_norm(vector: list[float]) -> float:
    norm = math.sqrt(sum(map(mul, vector, vector)))
    return 1.0 / norm if norm else 0.0


_TF = [0.0] + [1.0 + math.log(c) for c in range(1, 4096)]


def _tf(counts: array[int]) -> Callable[[int], float]:
    """A term's weight for how often it occurs, 1 + ln(count) (0 when it does not): a table look-up in C
    unless a count is past the table (a text of one word repeated thousands of times)."""
    if not counts or max(counts) < len(_TF):
        return _TF.__getitem__
    return lambda count: 1.0 + math.log(count) if count else 0.0
