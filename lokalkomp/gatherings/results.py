"""What an activity's responses add up to, for the presenter's view and the export.

Each function reads a fixed number of queries, whatever the number of responses: the grouping and
counting happen in the database, and only the rows the view shows come back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Subquery, Window
from django.db.models.functions import Lower, RowNumber, Trim

from .models import Activity, Response

MAX_WORDS = 80
MAX_STATEMENTS = 300
MAX_ARGUMENTS = 30
POSITIONS = [Response.Position.AGREE, Response.Position.PARTLY, Response.Position.DISAGREE]


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class Table:
    """One table's statements on the screen; `more` were left off to make room for the other tables."""

    number: int | None
    items: list[dict[str, Any]]
    more: int = 0


@dataclass
class Results:
    total: int = 0
    words: list[dict[str, Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    arguments: list[dict[str, Any]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    pending: int = 0


def results_of(activity: Activity, *, upto: int | None = None) -> Results:
    """The results of one activity, by its kind; with `upto`, of the responses up to that version only."""
    responses = Response.objects.filter(activity=activity)
    if upto is not None:  # what the screen then has is exactly what the poll's «since upto» adds to
        responses = responses.filter(version__lte=upto)
    shown = responses.shown()
    builders: dict[str, Callable[[Activity, Any], Results]] = {
        Activity.Kind.ONE_WORD: _word_cloud,
        Activity.Kind.STATEMENTS: _statements,
        Activity.Kind.STATEMENT_GAME: _statement_game,
        Activity.Kind.MULTIPLE_CHOICE: _choices,
        Activity.Kind.SCALE: _scale,
    }
    builder = builders.get(activity.kind)
    results = builder(activity, shown) if builder else Results()
    if activity.moderated or activity.profanity_filter:
        results.pending = responses.pending().count()
    return results


def _word_cloud(activity: Activity, shown: Any) -> Results:
    rows = list(
        shown.annotate(word=Lower(Trim("text")))
        .exclude(word="")
        .values("word")
        .annotate(n=Count("pk"), shown_as=Min("text"))
        .order_by("-n", "word")[:MAX_WORDS]
    )
    top = max((r["n"] for r in rows), default=1)
    words = [{"text": r["shown_as"].strip(), "count": r["n"], "size": _size(r["n"], top)} for r in rows]
    total = shown.exclude(text="").count() if len(rows) == MAX_WORDS else sum(r["n"] for r in rows)
    return Results(total=total, words=sorted(words, key=lambda w: w["text"].lower()))


def _size(count: int, top: int) -> int:
    """1 (smallest) to 6 (the most given word)."""
    if top <= 1:
        return 3
    return 1 + round(5 * (count - 1) / (top - 1))


def _statements(activity: Activity, shown: Any) -> Results:
    """Every table with its newest statements, as many each as MAX_STATEMENTS allows (a big table gives way)."""
    counts = {r["table"]: r["n"] for r in shown.values("table").annotate(n=Count("pk")).order_by()}
    keep = per_table_cap(list(counts.values()), MAX_STATEMENTS)
    newest = Window(RowNumber(), partition_by=[F("table")], order_by=[F("created").desc(), F("pk").desc()])
    rows = (
        shown.annotate(newest=newest)
        .filter(newest__lte=keep)
        .order_by(F("table").asc(nulls_last=True), "version", "created", "pk")  # as the poll appends them
        .values("pk", "table", "text", "name")
    )
    tables = []
    for number, items in groupby(rows, key=lambda r: r["table"]):
        listed = list(items)
        tables.append(Table(number, listed, more=counts.get(number, 0) - len(listed)))
    return Results(total=sum(counts.values()), tables=tables)


def per_table_cap(counts: list[int], budget: int) -> int:
    """The most statements each table shows so that all tables together show at most `budget` (at least one each)."""
    cap = max(counts, default=0)
    if sum(counts) <= budget:
        return cap
    low, high = 1, cap
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(n, middle) for n in counts) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _statement_game(activity: Activity, shown: Any) -> Results:
    counts = {(r["round"], r["position"]): r["n"] for r in shown.values("round", "position").annotate(n=Count("pk"))}
    rounds = []
    for number in (1, 2) if activity.round == 2 else (1,):
        row = [counts.get((number, p), 0) for p in POSITIONS]
        total = sum(row)
        rounds.append(
            {
                "number": number,
                "total": total,
                "bars": [Bar(str(p.label), n, _percent(n, total)) for p, n in zip(POSITIONS, row, strict=True)],
            }
        )
    first = Response.objects.filter(activity=OuterRef("activity"), participant=OuterRef("participant"), round=1)
    moved = (
        shown.filter(round=2)
        .annotate(before=Subquery(first.values("position")[:1]))
        .exclude(before=None)
        .values("before", "position")
        .annotate(n=Count("pk"))
        .order_by("before", "position")
    )
    labels = dict(Response.Position.choices)
    moves = [
        {
            "before": labels.get(m["before"], ""),
            "after": labels.get(m["position"], ""),
            "count": m["n"],
            "stayed": m["before"] == m["position"],
        }
        for m in moved
    ]
    arguments = list(
        shown.filter(round=activity.round)
        .exclude(text="")
        .order_by("-created", "-pk")
        .values("position", "text", "table", "name")[:MAX_ARGUMENTS]
    )
    for argument in arguments:
        argument["label"] = labels.get(argument["position"], "")
    current = rounds[-1]["total"]
    return Results(total=current, rounds=rounds, moved=moves, arguments=arguments)


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _choices(activity: Activity, shown: Any) -> Results:
    counts = dict(shown.exclude(choice=None).values_list("choice").annotate(n=Count("pk")))
    total = sum(counts.values())
    bars = [Bar(label, counts.get(i, 0), _percent(counts.get(i, 0), total)) for i, label in enumerate(activity.choices)]
    return Results(total=total, bars=bars)


def _scale(activity: Activity, shown: Any) -> Results:
    counts = dict(shown.exclude(value=None).values_list("value").annotate(n=Count("pk")))
    low, high = activity.scale_bounds
    total = sum(counts.values())
    bars = [Bar(str(v), counts.get(v, 0), _percent(counts.get(v, 0), total)) for v in range(low, high + 1)]
    mean = sum(v * n for v, n in counts.items()) / total if total else None
    return Results(total=total, bars=bars, mean=mean)
