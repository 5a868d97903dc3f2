"""The overlap finder (issue 11): a round against last year's, and all ~150 000 measures of ten years.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lokalkomp_bench .venv/bin/python bench/overlap.py
    .venv/bin/python bench/overlap.py --synthetic     # no database: 150 000 measures from the generator's words

With the national data (`generate_national --years 10`) it measures:

* `round`    — `overlaps_for_round` on the newest round with 600 submitted measures, the cache emptied: the
               submitted records of the round and of last year's (one query), the index, each measure's
               top 5. Then the target's size: 600 of the round's measures against those 600 and 600 of
               last year's (`find_overlaps`), the median of 5 runs; index and look-ups apart.
* `national` — every measure of every year and office (drafts too, from the live rows): the time to
               build one index over all of them, to look up one round's measures in it, and to look up
               every measure (each one's top 5 in the whole country, ten years); the peak memory.
* `rounds`   — the finder as the forum uses it, for all 100 rounds: each round against last year's.

`--synthetic` makes the same number of measures from the generator's pools (themes, formats and
sentences of `lokalkomp.demo.national.vocabulary`, the same proportions: 3–10 measures a report,
60 % with a coordinator) when there is no national database. Times are wall clock and CPU
(process time); the machine has 2 cores, so the load average is printed at the end.

Target (issue 11): a round of 600 and last year's 600 well under 300 ms; the whole country measured.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from common import peak_rss_mb, setup_django

TARGET_MS = 300.0


@contextmanager
def timed(label: str, results: dict[str, tuple[float, float]]) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    results[label] = (time.perf_counter() - wall, time.process_time() - cpu)


def show(label: str, seconds: tuple[float, float], extra: str = "") -> None:
    wall, cpu = seconds
    unit, scale = ("ms", 1000) if wall < 10 else ("s", 1)
    print(f"  {label:<58} {wall * scale:8.1f} {unit} wall {cpu * scale:8.1f} {unit} CPU  {extra}")


def national_texts() -> list[Any]:
    """Every measure in the database as a MeasureText, from the live rows (drafts included)."""
    from lokalkomp.allocation.overlap import MeasureText
    from lokalkomp.needs.models import Measure

    fields = Measure.NARRATIVE_FIELDS
    rows = Measure.objects.order_by("pk").values_list(
        "pk",
        "report__round__year",
        "name",
        "report__partnership__name",
        "report__partnership__network__name",
        "scheme__short_name",
        "report__partnership_id",
        "report_id",
        "report__round__office_id",
        *fields,
    )
    texts, offices = [], []
    for row in rows.iterator(chunk_size=5000):
        pk, year, name, partnership, network, scheme, partnership_id, report_id, office = row[:9]
        texts.append(
            MeasureText(
                pk=pk,
                year=year,
                title=name,
                text="\n".join(row[9:]),
                partnership=partnership,
                network=network or "",
                scheme=scheme,
                partnership_id=partnership_id,
                report_id=report_id,
            )
        )
        offices.append(office)
    return list(zip(texts, offices, strict=True))


def synthetic_texts(count: int, seed: int = 1) -> list[Any]:
    """`count` measures in 10 offices × 10 years, written from the generator's pools as it writes them."""
    from lokalkomp.allocation.overlap import MeasureText
    from lokalkomp.demo.national.vocabulary import FORMATS, SENTENCES, TEXT_LENGTHS, THEMES

    rng = random.Random(seed)
    per_round = count // 100
    out: list[Any] = []
    for office in range(10):
        teams = [(office * 1000 + k, rng.choice(THEMES)) for k in range(per_round // 7)]
        for year in range(2018, 2028):
            made = 0
            for team, team_theme in teams:
                if made >= per_round:
                    break
                for _position in range(rng.randint(3, 10)):
                    theme = team_theme if rng.random() < 0.5 else rng.choice(THEMES)
                    text = "\n".join(
                        "\n".join(rng.choice(SENTENCES[kind]).format(t=theme) for _ in range(rng.randint(*span)))
                        for kind, span in TEXT_LENGTHS.items()
                    )
                    name = rng.choice(FORMATS).format(t=theme)
                    measure = MeasureText(
                        pk=len(out) + 1, year=year, title=name, text=text, partnership=f"P{team}", partnership_id=team
                    )
                    out.append((measure, office))
                    made += 1
                if rng.random() < 0.6:
                    text = "Koordinatorfunksjon for partnerskapet."
                    coordinator = MeasureText(
                        pk=len(out) + 1,
                        year=year,
                        title="Koordinator",
                        text=text,
                        partnership=f"P{team}",
                        partnership_id=team,
                    )
                    out.append((coordinator, office))
                    made += 1
    return out[:count]


def round_part(results: dict[str, tuple[float, float]]) -> None:
    """`overlaps_for_round` on a real round, and the target's 600 + 600 with `find_overlaps`."""
    from django.core.cache import cache
    from django.db.models import Count, Q

    from lokalkomp.allocation.overlap import find_overlaps, overlaps_for_round, texts_for_round
    from lokalkomp.schemes.models import Round

    # The newest round with at least 600 submitted measures (the newest year is mostly drafts) and a year before it.
    submitted = Count("needs_reports__measures", filter=Q(needs_reports__status="submitted"))
    rounds = Round.objects.annotate(submitted=submitted).filter(submitted__gte=600).order_by("-year", "-submitted")
    round = next(r for r in rounds if Round.objects.filter(office=r.office, year=r.year - 1).exists())
    cache.clear()
    with timed("overlaps_for_round", results):
        rows = overlaps_for_round(round)
    with timed("overlaps_for_round again (cached)", results):
        overlaps_for_round(round)
    texts = texts_for_round(round)
    with timed("texts_for_round", results):
        texts_for_round(round)
    this = [t for t in texts if t.year == round.year][:600]
    last = [t for t in texts if t.year == round.year - 1][:600]
    print(f"\nround: {round} — {len(rows)} submitted measures this year, {len(texts) - len(rows)} last year")
    show("overlaps_for_round (cache emptied: load, index, top 5 each)", results["overlaps_for_round"])
    show("  of which texts_for_round (1 query)", results["texts_for_round"])
    show("overlaps_for_round again (from the cache)", results["overlaps_for_round again (cached)"])
    target(this, last, find_overlaps)


def target(this: list[Any], last: list[Any], find_overlaps: Callable[..., Any]) -> None:
    from lokalkomp.allocation.overlap import OverlapIndex

    runs: list[tuple[float, float, float, float]] = []
    for _ in range(6):
        wall, cpu = time.perf_counter(), time.process_time()
        index = OverlapIndex([*this, *last])
        built_wall, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
        for t in this:
            index.matches(t.pk)
        runs.append((built_wall, built_cpu, time.perf_counter() - wall, time.process_time() - cpu))
    runs = runs[1:]  # the first run stems every word once (the cache the others use)
    medians = [statistics.median(run[k] for run in runs) for k in range(4)]
    found = find_overlaps(this, among=[*this, *last])
    matched = sum(1 for v in found.values() if v)
    # CPU: the process's own time, what the code costs; wall adds the wait for a core, which on this
    # 2-core machine shared with other test runs can be several times more (see the load average).
    verdict = f"CPU {'MET' if medians[3] * 1000 < TARGET_MS else 'MISSED'}, wall {'MET' if medians[2] * 1000 < TARGET_MS else 'MISSED'}"
    print(f"\ntarget: {len(this)} measures against {len(this)} + {len(last)} (median of 5, words already stemmed)")
    show("index", (medians[0], medians[1]))
    show("index and top 5 of each", (medians[2], medians[3]), f"target < {TARGET_MS:.0f} ms: {verdict}")
    print(f"  {matched} of {len(this)} measures have a match at or above the threshold")


def national_part(pairs: list[Any], results: dict[str, tuple[float, float]], sample: int | None) -> None:
    from lokalkomp.allocation.overlap import OverlapIndex

    texts = [t for t, _office in pairs]
    baseline = peak_rss_mb()
    with timed("index", results):
        index = OverlapIndex(texts)
    entries = sum(len(t) for t in index.terms)
    print(f"\nnational: {len(texts)} measures, {len(index.df)} distinct terms, {entries} entries in the vectors")
    show("index of every measure", results["index"], f"peak RSS {peak_rss_mb():.0f} MB (before {baseline:.0f} MB)")
    by_round: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for t, office in pairs:
        by_round[(office, t.year)].append(t)
    newest = max(year for _office, year in by_round)
    key = max((k for k in by_round if k[1] == newest - 1), key=lambda k: len(by_round[k]))
    one = by_round[key]
    with timed("one round", results):
        for t in one:
            index.matches(t.pk)
    show(f"top 5 of one round's {len(one)} measures in the whole country", results["one round"])
    asked = texts if sample is None else texts[:: max(1, len(texts) // sample)]
    with timed("all", results):
        for t in asked:
            index.matches(t.pk)
    wall, cpu = results["all"]
    if sample is None:
        show("top 5 of every measure in the whole country", (wall, cpu))
    else:
        scale = len(texts) / len(asked)
        show(f"top 5 of {len(asked)} measures, times {scale:.0f} (estimate for all)", (wall * scale, cpu * scale))
    rounds_part(by_round, results)


def rounds_part(by_round: dict[tuple[int, int], list[Any]], results: dict[str, tuple[float, float]]) -> None:
    """Each round's measures against the round and the office's round a year before, as the forum asks."""
    from lokalkomp.allocation.overlap import OverlapIndex

    count = 0
    with timed("rounds", results):
        for (office, year), texts in sorted(by_round.items()):
            index = OverlapIndex([*texts, *by_round.get((office, year - 1), [])])
            for t in texts:
                index.matches(t.pk)
            count += 1
    show(f"every round against last year's ({count} rounds, one index each)", results["rounds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", action="store_true", help="no database: measures from the generator's pools")
    parser.add_argument("--count", type=int, default=150_000, help="measures to synthesise (with --synthetic)")
    parser.add_argument("--sample", type=int, default=None, help="look up only this many for «every measure»")
    args = parser.parse_args()
    setup_django()
    results: dict[str, tuple[float, float]] = {}
    if args.synthetic:
        with timed("load", results):
            pairs = synthetic_texts(args.count)
        show(f"synthesised {len(pairs)} measures", results["load"])
        this = [t for t, office in pairs if office == 0 and t.year == 2026][:600]
        last = [t for t, office in pairs if office == 0 and t.year == 2025][:600]
        from lokalkomp.allocation.overlap import find_overlaps

        target(this, last, find_overlaps)
    else:
        from common import require_national_data

        require_national_data()
        round_part(results)
        with timed("load", results):
            pairs = national_texts()
        print()
        show(f"read {len(pairs)} measures (live rows, .values())", results["load"])
    national_part(pairs, results, args.sample)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average at the end: {load}  (python {sys.version.split()[0]}, 2 cores)")


if __name__ == "__main__":
    main()
