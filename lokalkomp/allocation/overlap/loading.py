"""The measures of a round as the finder reads them: from the submitted record, with last year's beside them.

A submitted report is a record (`needs.records`): the forum assesses what the partnership submitted,
and the live rows may be changed behind a record's back (by the admin, a script, a bug; needs' own
test does exactly that). So the texts come from each submitted report's latest `NeedsReportVersion`,
the same data the report page shows, in one query. Reports that are drafts now (never submitted, or
sent back and not yet submitted again) are not in the finder: their texts are still being written.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Sum

from lokalkomp.needs.models import Measure, NeedsReport, NeedsReportVersion

from . import index
from .index import Match, MeasureText, OverlapIndex

if TYPE_CHECKING:
    from lokalkomp.schemes.models import Round

CACHE_SECONDS = 24 * 3600
_CACHE_SCHEMA = 2  # raise when the algorithm or the cached shape changes


def _submitted_versions(round: Round) -> Any:
    """The latest version of each report now submitted in the round and in the office's round a year before."""
    latest = NeedsReportVersion.objects.filter(report=OuterRef("report")).order_by("-number").values("number")[:1]
    return NeedsReportVersion.objects.filter(
        report__round__office_id=round.office_id,
        report__round__year__in=(round.year, round.year - 1),
        report__status=NeedsReport.Status.SUBMITTED,
        number=Subquery(latest),
    )


def texts_for_round(round: Round) -> list[MeasureText]:
    """The submitted measures of the round and of the office's round the year before, as submitted. One query.

    This year's first; within a year by partnership name and the measures' order in the report.
    """
    rows = (
        _submitted_versions(round)
        .order_by("-report__round__year", "report__partnership__name", "report_id")
        .values(
            "report_id",
            "report__partnership_id",
            "report__round__year",
            "data__partnership",
            "data__network",
            "data__measures",
        )
    )
    return [text for row in rows for text in _texts(row)]


def _texts(row: dict[str, Any]) -> list[MeasureText]:
    measures = row["data__measures"] or []
    return [
        MeasureText(
            pk=int(m["id"]),
            year=row["report__round__year"],
            title=str(m.get("name") or ""),
            text="\n".join(str(m.get(name) or "") for name in Measure.NARRATIVE_FIELDS),
            partnership=str(row["data__partnership"] or ""),
            network=str(row["data__network"] or ""),
            scheme=str((m.get("scheme") or {}).get("short_name") or (m.get("scheme") or {}).get("name") or ""),
            partnership_id=row["report__partnership_id"],
            report_id=row["report_id"],
        )
        for m in sorted(measures, key=lambda m: (m.get("position") or 0, m.get("id") or 0))
        if m.get("id") is not None
    ]


def overlaps_for_round(round: Round, *, top: int = 5) -> list[tuple[MeasureText, list[Match]]]:
    """Each of the round's submitted measures with its closest matches in this year's and last year's.

    The matches are computed once per state of the two rounds' reports and kept in the cache: the key
    changes with every save, submission or reopening of a report there (each raises its `version`).
    Queries: one for the key, one for the texts (and the cache's own, for the database cache).
    """
    return _overlaps(round, top, _cache_key(round, top))


def _overlaps(round: Round, top: int, key: str) -> list[tuple[MeasureText, list[Match]]]:
    found: dict[str, Any] | None = cache.get(key)
    texts = texts_for_round(round)
    if found is None:
        matches = _compute(texts, round.year, top)
        cache.set(key, _entry(texts, matches, round.year), CACHE_SECONDS)
    else:
        by_pk = {t.pk: t for t in texts}
        matches = {
            pk: [Match(by_pk[other], score, words, same) for other, score, words, same in rows if other in by_pk]
            for pk, rows in found["matches"].items()
        }
    return [(t, matches.get(t.pk, [])) for t in texts if t.year == round.year]


def shown_overlaps(round: Round, *, top: int = 5) -> list[tuple[MeasureText, list[Match]]]:
    """What the finder's page shows: `overlaps_for_round`, but the measures without their texts (`text` is "").

    From the cache, one query (the key): the entry keeps what a page shows of each measure there, so
    the texts (some 2.5 MB of JSON for two rounds of 600 measures) are read only to compute the matches.
    """
    key = _cache_key(round, top)
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        return [
            (_shown(t), [dataclasses.replace(m, measure=_shown(m.measure)) for m in matches])
            for t, matches in _overlaps(round, top, key)
        ]
    measures = {pk: MeasureText(pk, *fields) for pk, fields in found["measures"].items()}
    return [
        (
            measures[pk],
            [
                Match(measures[other], score, words, same)
                for other, score, words, same in found["matches"].get(pk, ())
                if other in measures
            ],
        )
        for pk in found["order"]
    ]


def _shown(text: MeasureText) -> MeasureText:
    return dataclasses.replace(text, text="")


def _entry(texts: list[MeasureText], matches: dict[int, list[Match]], year: int) -> dict[str, Any]:
    """What the cache keeps: the matches by pk, the round's measures in order, and what a page shows of
    those and of their matches (all of MeasureText but the texts, in its fields' order)."""
    shown = {t.pk: t for t in texts if t.year == year}
    shown.update((m.measure.pk, m.measure) for ms in matches.values() for m in ms)
    return {
        "matches": {
            pk: [(m.measure.pk, m.score, m.shared_words, m.same_partnership) for m in ms] for pk, ms in matches.items()
        },
        "order": [t.pk for t in texts if t.year == year],
        "measures": {
            pk: (t.year, t.title, "", t.partnership, t.network, t.scheme, t.partnership_id, t.report_id)
            for pk, t in shown.items()
        },
    }


def _compute(texts: list[MeasureText], year: int, top: int) -> dict[int, list[Match]]:
    finder = OverlapIndex(texts)
    return {t.pk: finder.matches(t.pk, top=top) for t in texts if t.year == year}


def _cache_key(round: Round, top: int) -> str:
    """Names the state of the two rounds' reports: how many, and the sum of their `version` (raised by every change)."""
    state = NeedsReport.objects.filter(
        round__office_id=round.office_id, round__year__in=(round.year, round.year - 1)
    ).aggregate(reports=Count("pk"), versions=Sum("version"))
    settings = (index.NAME_WEIGHT, index.THRESHOLD, index.BOILERPLATE_REPEATS, index.MAX_POSTINGS, top)
    raw = f"{_CACHE_SCHEMA}:{round.office_id}:{round.year}:{sorted(state.items())}:{settings}"
    return "allocation:overlap:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
