"""What the workspace page shows: the lines grouped by scheme and network in the network's order, the totals
against the frames and the problems, in a bounded number of queries whatever the number of measures.

Other pages add links to the page's header through `register_header_link` (the what-ifs' list, the
suggestion): a function of (request, recommendation) that gives (text, url) pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ...conflicts import disqualified_partnership_ids
from ...models import Assessment, CompilationEntry
from ...models.recommendation import Recommendation, RecommendationLine
from ...recommendation_checks import Checks, FrameTotal, check

HeaderLink = Callable[[HttpRequest, Recommendation], list[tuple[str, str]]]
HEADER_LINKS: list[HeaderLink] = []


def register_header_link(function: HeaderLink) -> HeaderLink:
    """Add links to the workspace's header (usable as a decorator)."""
    if function not in HEADER_LINKS:
        HEADER_LINKS.append(function)
    return function


@dataclass
class Row:
    line: RecommendationLine
    priority: int | None = None
    recommended: bool = True
    not_recommended_reason: str = ""
    assessments: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    frames: str = ""  # the keys of the frames the line counts in, for the page's script
    url: str = ""  # where the line's amounts are posted
    presets: dict[str, str] = field(default_factory=dict)  # preset → where it is posted

    @property
    def shared(self) -> int:
        return sum(self.assessments.values())


@dataclass
class Group:
    scheme: str
    network: str
    rows: list[Row]


@dataclass
class Page:
    recommendation: Recommendation
    groups: list[Group]
    checks: Checks
    hidden: int  # lines not shown (habilitet); they count in the totals
    fixed: dict[str, int]  # per frame key: the total of the lines not on the page
    editable: bool
    links: list[tuple[str, str]]

    @property
    def totals(self) -> list[FrameTotal]:
        return self.checks.totals


def round_url(round: Any, name: str, *args: Any) -> str | None:
    try:
        return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])
    except NoReverseMatch:
        return None


def _shared(round_id: int, kind: str) -> Coalesce:
    counted = (
        Assessment.objects.filter(round_id=round_id, measure=OuterRef("measure_id"), shared=True, recommendation=kind)
        .order_by()
        .values("measure")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# The measure's long texts, not shown nor checked here: left in the database.
LONG_TEXTS = [
    f"measure__{name}"
    for name in (
        "description",
        "anchoring",
        "collective",
        "teacher_education",
        "long_term_plan",
        "owner_share_use",
        "partner_share_use",
        "coordinator_reason",
        "semesters",
        "target_group",
    )
]


def lines_of(recommendation: Recommendation) -> list[RecommendationLine]:
    """The lines with their measures and, in the same query, the network's priority and mark and the counts of
    the shared assessments by recommendation."""
    round_id = recommendation.round_id
    entry = CompilationEntry.objects.filter(compilation__round_id=round_id, measure=OuterRef("measure_id"))
    return list(
        recommendation.lines.select_related("measure__scheme", "measure__report__partnership__network")
        .defer(*LONG_TEXTS)
        .annotate(
            priority=Subquery(entry.values("position")[:1]),
            network_recommended=Subquery(entry.values("recommended")[:1]),
            network_reason=Subquery(entry.values("reason")[:1]),
            **{f"shared_{kind}": _shared(round_id, kind) for kind in Assessment.Recommendation.values},
        )
        .order_by(
            "measure__scheme__code", "measure__report__partnership__network__name", "measure__position", "measure_id"
        )
    )


_PK = 2_147_483_647  # a stand-in line number: the URLs are reversed once per page, not once per row


def _line_urls(round: Any) -> tuple[str, dict[str, str]]:
    """The line's URL and each preset's, with `_PK` standing in for the line."""
    line = round_url(round, "recommendation_line", _PK) or ""
    presets = {
        preset: round_url(round, "recommendation_preset", _PK, preset) or ""
        for preset in RecommendationLine.Preset.values
    }
    return line, presets


def _for_line(url: str, pk: int) -> str:
    head, found, tail = url.rpartition(f"/{_PK}/")
    return f"{head}/{pk}/{tail}" if found else url


def hidden_report_ids(user: Any, round: Any, lines: list[RecommendationLine]) -> frozenset[int]:
    disqualified = disqualified_partnership_ids(user, round)
    return frozenset(line.measure.report_id for line in lines if line.measure.report.partnership_id in disqualified)


def totals_only(request: HttpRequest, recommendation: Recommendation) -> Page:
    """The totals and the problems without the rows (the answer to a saved line): no annotations, no rows."""
    lines = list(
        recommendation.lines.select_related("measure__scheme", "measure__report__partnership__network")
        .defer(*LONG_TEXTS)
        .order_by("measure_id")
    )
    return build(request, recommendation, lines=lines, rows=False)


def build(
    request: HttpRequest,
    recommendation: Recommendation,
    *,
    lines: list[RecommendationLine] | None = None,
    rows: bool = True,
) -> Page:
    round = recommendation.round
    lines = lines_of(recommendation) if lines is None else lines
    hidden = hidden_report_ids(request.user, round, lines)
    checks = check(recommendation, lines, hidden=hidden)
    problems = checks.by_line
    shares = {(t.scheme_pk, t.network_pk) for t in checks.totals if t.network_pk}
    fixed: dict[str, int] = defaultdict(int)
    grouped: dict[tuple[str, str], list[Row]] = {}
    shown = 0
    line_url, preset_urls = _line_urls(round) if rows else ("", {})
    for line in lines:
        measure = line.measure
        network = measure.report.partnership.network
        keys = [f"{measure.scheme_id}-all"]
        if network is not None and (measure.scheme_id, network.pk) in shares:
            keys.append(f"{measure.scheme_id}-{network.pk}")
        if measure.report_id in hidden:
            for key in keys:
                fixed[key] += line.total
            continue
        if not rows:
            shown += 1
            continue
        shown += 1
        row = Row(
            line=line,
            priority=getattr(line, "priority", None) or None,
            recommended=getattr(line, "network_recommended", None) is not False,
            not_recommended_reason=getattr(line, "network_reason", None) or "",
            assessments={
                kind: n for kind in Assessment.Recommendation.values if (n := getattr(line, f"shared_{kind}", 0))
            },
            problems=[p.message for p in problems.get(line.pk, [])],
            frames=" ".join(keys),
            url=_for_line(line_url, line.pk),
            presets={preset: _for_line(url, line.pk) for preset, url in preset_urls.items()},
        )
        scheme_name = measure.scheme.short_name or measure.scheme.name
        grouped.setdefault((scheme_name, network.name if network else _("No network")), []).append(row)
    groups = [
        Group(scheme=scheme, network=network, rows=sorted(rows, key=_by_priority))
        for (scheme, network), rows in grouped.items()
    ]
    links = [link for function in HEADER_LINKS for link in function(request, recommendation)] if rows else []
    return Page(
        recommendation=recommendation,
        groups=groups,
        checks=checks,
        hidden=len(lines) - shown,
        fixed=dict(fixed),
        editable=recommendation.is_editable,
        links=links,
    )


def _by_priority(row: Row) -> tuple[int, int, int]:
    return (row.priority is None, row.priority or 0, row.line.measure_id)
