"""Which measures resemble each other: TF-IDF over Norwegian stems, cosine similarity, an inverted index.

Each measure becomes a vector of weighted terms (stems, `text.py`): its name and its texts are
weighted apart (1 + ln of a term's count, times the term's inverse document frequency), each made
unit length, and the name's vector is added with `NAME_WEIGHT`, so that a name of eight words counts
about as much as two pages of text. The similarity of two measures is the cosine of their vectors.

A sentence that a partnership writes in `BOILERPLATE_REPEATS` or more of its measures in a year is
left out before weighing: seed 003 pastes the same paragraph about the UH's teacher education into
eight of its nine measures, and those would otherwise all resemble each other through it.

Memory is O(measures × their distinct terms): a vector is two compact arrays, and the inverted index
(term → measures, by weight) holds each entry once more. A query adds up weights only over the
postings of its own terms, at most `max_postings` of each, heaviest first, and computes the exact
cosine of the `candidates` best; a measure that shares only words that every other measure has too is
not looked at, and would not have scored high.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from .text import STOP, WORD, _word_terms, display, sentence_key, sentences, term_id

_word_terms_get = _word_terms.get

NAME_WEIGHT = 1.0
"""How much the name's unit vector counts beside the texts' unit vector (1.0: as much as all the texts)."""

THRESHOLD = 0.25
"""The cosine below which two measures are not shown as alike (a score under 25)."""

BOILERPLATE_REPEATS = 3
"""A sentence a partnership repeats in this many of its measures of a year says nothing about any one."""

_BOILERPLATE_MIN_WORDS = 3  # shorter sentences («Veiledning», «Reise- og oppholdsutgifter») stay
MAX_POSTINGS = 60
"""A query reads at most this many measures of each of its terms, those where the term weighs most."""

PROBE_TERMS = 12
"""A query looks for candidates through its this many heaviest terms."""

CANDIDATES = 15
"""The candidates of a query whose exact cosine is computed (when the look-up was not exhaustive)."""

SHARED_WORDS = 8
"""How many shared words a match shows, those that add most to the score first."""


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
        self.terms: list[array[int]] = []
        self.weights: list[array[float]] = []
        self.surfaces: list[tuple[str, ...]] = []
        self.df: dict[int, int] = {}
        counted = self._count()
        self._weigh(counted)
        wanted = None if searchable is None else set(searchable)
        self._post(None if wanted is None else [m.pk in wanted for m in self.measures])

    def __len__(self) -> int:
        return len(self.measures)

    # --- building -------------------------------------------------------------------------------

    def _count(self) -> list[tuple[dict[int, int], dict[int, int]]]:
        """Each measure's term counts in its name and in its texts (less boilerplate); fills terms and surfaces."""
        bodies = self._without_boilerplate()
        counted = []
        df = self.df
        for m, body_text in zip(self.measures, bodies, strict=True):
            seen: dict[int, str] = {}
            name = _counts(m.title, seen)
            body = _counts(body_text, seen)
            for term in seen:
                df[term] = df.get(term, 0) + 1
            self.surfaces.append(tuple(display(word) for word in seen.values()))
            self.terms.append(array("i", seen))
            counted.append((name, body))
        return counted

    def _without_boilerplate(self) -> list[str]:
        """Each measure's texts less the sentences its partnership repeats in BOILERPLATE_REPEATS of that year's."""
        bodies = [m.text for m in self.measures]
        groups: dict[object, list[int]] = {}
        for i, m in enumerate(self.measures):
            if (group := _group(m)) is not None:
                groups.setdefault(group, []).append(i)
        for members in groups.values():
            if len(members) < BOILERPLATE_REPEATS:
                continue
            split = {i: [(s, sentence_key(s, _BOILERPLATE_MIN_WORDS)) for s in sentences(bodies[i])] for i in members}
            times: dict[str, int] = {}
            for parts in split.values():
                for key in {key for _s, key in parts if key}:
                    times[key] = times.get(key, 0) + 1
            repeated = {key for key, n in times.items() if n >= BOILERPLATE_REPEATS}
            for i, parts in split.items():
                if any(key in repeated for _s, key in parts):
                    bodies[i] = "\n".join(s for s, key in parts if key not in repeated)
        return bodies

    def _weigh(self, counted: list[tuple[dict[int, int], dict[int, int]]]) -> None:
        n = len(self.measures)
        idf = {t: math.log((1 + n) / (1 + df)) + 1.0 for t, df in self.df.items()}
        for i, (name, body) in enumerate(counted):
            name_vector = _unit({t: (1.0 + math.log(c)) * idf[t] for t, c in name.items()})
            body_vector = _unit({t: (1.0 + math.log(c)) * idf[t] for t, c in body.items()})
            joined = {t: NAME_WEIGHT * name_vector.get(t, 0.0) + body_vector.get(t, 0.0) for t in self.terms[i]}
            vector = _unit(joined)
            order = sorted(range(len(self.terms[i])), key=lambda k: -vector[self.terms[i][k]])
            self.terms[i] = array("i", (self.terms[i][k] for k in order))
            self.weights.append(array("f", (vector[t] for t in self.terms[i])))
            self.surfaces[i] = tuple(self.surfaces[i][k] for k in order)

    def _post(self, searchable: list[bool] | None) -> None:
        """The inverted index: term → (measures, weights), heaviest first."""
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
        self.postings: dict[int, tuple[array[int], array[float]]] = {}
        for t, docs in ids.items():
            ws = weights[t]
            order = sorted(range(len(ws)), key=ws.__getitem__, reverse=True)
            self.postings[t] = (array("i", (docs[k] for k in order)), array("f", (ws[k] for k in order)))

    # --- asking ---------------------------------------------------------------------------------

    def matches(self, pk: int, *, top: int = 5, threshold: float = THRESHOLD) -> list[Match]:
        """The `top` measures most like measure `pk` with a cosine of at least `threshold`, best first."""
        i = self.position[pk]
        terms, ws = self.terms[i], self.weights[i]
        if not terms or top <= 0:
            return []
        scores: dict[int, float] = {}
        get = scores.get
        limit = self.max_postings
        exact = len(terms) <= self.probe_terms
        for t, wq in islice(zip(terms, ws), self.probe_terms):  # heaviest first
            posted = self.postings.get(t)
            if posted is None:
                continue
            docs, weights = posted
            if len(docs) > limit:
                exact = False
                docs, weights = docs[:limit], weights[:limit]
            for d, w in zip(docs, weights):
                scores[d] = get(d, 0.0) + wq * w
        scores.pop(i, None)
        if exact:
            best = heapq.nlargest(top, scores.items(), key=itemgetter(1))
        else:
            query = dict(zip(terms, ws))
            rough = heapq.nlargest(max(self.candidates, top), scores, key=get)
            best = heapq.nlargest(top, ((d, self._cosine(query, d)) for d in rough), key=itemgetter(1))
        own = self.measures[i]
        return [
            Match(
                measure=self.measures[d],
                score=min(100, round(score * 100)),
                shared_words=self._shared(i, d),
                same_partnership=own.same_partnership(self.measures[d]),
            )
            for d, score in best
            if score >= threshold
        ]

    def _cosine(self, query: dict[int, float], d: int) -> float:
        get = query.get
        return sum(get(t, 0.0) * w for t, w in zip(self.terms[d], self.weights[d], strict=True))

    def _shared(self, i: int, d: int) -> tuple[str, ...]:
        """The words measure i shares with measure d that add most to their score, as measure i writes them."""
        other = dict(zip(self.terms[d], self.weights[d], strict=True))
        shares = [
            (w * other[t], k) for k, (t, w) in enumerate(zip(self.terms[i], self.weights[i], strict=True)) if t in other
        ]
        shares.sort(reverse=True)
        return tuple(self.surfaces[i][k] for _share, k in shares[:SHARED_WORDS])


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
    """Whose boilerplate a measure's sentences are checked against: its partnership's in its year."""
    key = m.owner_key
    return None if key is None else (key, m.year)


def _counts(text: str, seen: dict[int, str]) -> dict[int, int]:
    """The text's terms and how often each occurs; remembers in `seen` the first way each term was written."""
    counts: dict[int, int] = {}
    known = _word_terms_get
    for word, n in Counter(WORD.findall(text)).items():
        t = known(word)
        if t is None:
            t = term_id(word)
        if t == STOP:
            continue
        counts[t] = counts.get(t, 0) + n
        if t not in seen:
            seen[t] = word
    return counts


def _unit(vector: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}
