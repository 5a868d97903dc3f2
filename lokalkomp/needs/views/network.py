"""The network's desk (kompetansenettverk): its partnerships' reports of a round side by side, and one
partnership's measures across the round's schemes.

The overview is for those who receive the network's reports: its coordinator and the office's
Statsforvalter and forum secretariat (`rules.can_view_network_overview`). Each of them may read every
report it lists (`can_view_report`: the coordinator through the partnership's network, the others
through the round's office), so the list is not filtered report by report. Sending a report back is
the reopen view (writing.py), which the overview's forms post to and which comes back here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from lokalkomp.directory.models import Network
from lokalkomp.schemes import panels as round_page
from lokalkomp.schemes.models import Round, Scheme

from ..access import get_network_round_for, get_report_for
from ..checks import Problem, problems_of_many
from ..forms import SendBackForm
from ..marks import marks_for, report_marks
from ..models import (
    DeclaredTotal,
    Measure,
    NeedsReport,
    NeedsReportEvent,
    Participant,
    Partnership,
    Totals,
    UnionParticipant,
)
from ..rules import can_reopen_report, can_view_network_overview

TOP_PROBLEMS = 3  # the checklist's first problems shown in a row; the report's own page has them all
ROUNDS_LINKED = 5  # the network page links the overviews of the office's latest rounds


# ── The overview: every report of the network's partnerships in a round ─────────────────────


@dataclass
class ReportRow:
    report: NeedsReport
    status: str  # "submitted", "sent_back" (a reopened draft) or "draft"
    owners: list[Participant]
    partners: list[Participant]
    cells: list[tuple[Scheme, Totals]]  # per scheme column
    total: Totals
    problems: list[Problem]
    marks: list[str] = field(default_factory=list)
    reopened: dict[str, Any] | None = None  # for a sent-back report: when and why
    may_send_back: bool = False

    @property
    def top_problems(self) -> list[Problem]:
        return self.problems[:TOP_PROBLEMS]

    @property
    def more_problems(self) -> int:
        return max(len(self.problems) - TOP_PROBLEMS, 0)


def report_status(report: NeedsReport) -> str:
    """Submitted, sent back (a draft opened again by the network or the Statsforvalter), or draft."""
    if report.status == NeedsReport.Status.SUBMITTED:
        return "submitted"
    return "sent_back" if report.reopened else "draft"


@require_GET
@login_required
def overview(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """Every report of the network's partnerships in the round: status, totals per scheme, the checklist."""
    the_network, round = get_network_round_for(request.user, office, network, year)
    return render(request, "needs/network_overview.html", overview_context(request, the_network, round))


def overview_context(request: HttpRequest, network: Network, round: Round) -> dict[str, Any]:
    schemes = [rs.scheme for rs in round.round_schemes.select_related("scheme")]
    partnerships = list(
        Partnership.objects.filter(network=network).prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
    )
    by_pk = {p.pk: p for p in partnerships}
    # Why a sent-back report was reopened: its latest reopening, asked in the reports' own query.
    reopenings = NeedsReportEvent.objects.filter(report=OuterRef("pk"), to_status=NeedsReport.Status.DRAFT)
    reopenings = reopenings.exclude(from_status="").order_by("-at", "-pk")
    reports = list(
        NeedsReport.objects.filter(round=round, partnership__network=network)
        .annotate(
            lk_has_union_participants=Exists(UnionParticipant.objects.filter(report=OuterRef("pk"))),
            lk_reopened_at=Subquery(reopenings.values("at")[:1]),
            lk_reopened_note=Subquery(reopenings.values("note")[:1]),
        )
        .order_by("partnership__name", "pk")
    )
    for report in reports:  # the rows already loaded, not a query per report
        report.partnership = by_pk[report.partnership_id]
        report.round = round
    checklists = problems_of_many(reports, schemes={s.pk: s for s in schemes})
    for report in reports:  # a report's own measures may name a scheme the round no longer has
        schemes += [s for s in report.totals_by_scheme() if s not in schemes]
    rows = _rows(request, round, reports, schemes, checklists)
    reported = {r.partnership_id for r in reports}
    return {
        "network": network,
        "round": round,
        "schemes": schemes,
        "rows": rows,
        "counts": {
            status: sum(1 for row in rows if row.status == status) for status in ("submitted", "sent_back", "draft")
        },
        "without_report": [_sides(p) | {"partnership": p} for p in partnerships if p.pk not in reported],
        "sums": _sums(rows, schemes),
        "shows_marks": bool(report_marks),
        "send_back_form": SendBackForm(),
        "next": request.get_full_path(),
    }


def _rows(
    request: HttpRequest,
    round: Round,
    reports: list[NeedsReport],
    schemes: list[Scheme],
    checklists: dict[int, list[Problem]],
) -> list[ReportRow]:
    marks = marks_for(round, [r.pk for r in reports]) if report_marks else {}
    rows = []
    for report in reports:
        totals = report.totals_by_scheme()
        status = report_status(report)
        found = checklists[report.pk]
        if status == "submitted":  # it passed the checklist when it came; the deadline is no longer its problem
            found = [p for p in found if p.code != "deadline"]
        rows.append(
            ReportRow(
                report=report,
                status=status,
                cells=[(scheme, totals.get(scheme, Totals())) for scheme in schemes],
                total=sum(totals.values(), Totals()),
                problems=found,
                marks=marks.get(report.pk, []),
                reopened=_reopened(report) if status == "sent_back" else None,
                may_send_back=status == "submitted" and bool(can_reopen_report(request.user, report)),
                **_sides(report.partnership),
            )
        )
    return rows


def _sides(partnership: Partnership) -> dict[str, list[Participant]]:
    """The partnership's owners and partner institutions (UH), the paid one first (the participants' order)."""
    participants = list(partnership.participants.all())
    return {
        "owners": [p for p in participants if p.side == Participant.Side.OWNER],
        "partners": [p for p in participants if p.side == Participant.Side.PARTNER],
    }


def _reopened(report: NeedsReport) -> dict[str, Any] | None:
    """When and why a sent-back report was opened again (the annotations of `overview_context`)."""
    at = getattr(report, "lk_reopened_at", None)
    return None if at is None else {"at": at, "note": getattr(report, "lk_reopened_note", "")}


def _sums(rows: list[ReportRow], schemes: list[Scheme]) -> dict[str, dict[str, Any]]:
    """The network's sums per scheme: of the submitted reports, and of all."""
    sums = {}
    for name, chosen in (("submitted", [r for r in rows if r.status == "submitted"]), ("all", rows)):
        cells = [sum((row.cells[i][1] for row in chosen), Totals()) for i in range(len(schemes))]
        sums[name] = {"cells": list(zip(schemes, cells, strict=True)), "total": sum(cells, Totals()), "n": len(chosen)}
    return sums


# ── Links to the overview: the round's page and the network's page (their registries) ───────


def overview_url(network: Network, round: Round) -> str:
    return reverse("needs:network_overview", args=[network.office.slug, network.slug, round.year])


def round_overview_links(request: HttpRequest, round: Round, networks: list[Network]) -> round_page.RoundPanel:
    """On the round's page: the overviews of the networks the user receives reports for (no query)."""
    mine = [n for n in networks if can_view_network_overview(request.user, n)]
    if not mine:
        return round_page.RoundPanel()
    links = [(network, overview_url(network, round)) for network in mine]
    section = render_to_string("needs/network_round_links.html", {"round": round, "links": links}, request=request)
    return round_page.RoundPanel(section=section)


def network_overview_links(request: HttpRequest, network: Network) -> str:
    """On the network's page: its overviews of the office's latest rounds, for those who may see them."""
    if not can_view_network_overview(request.user, network):
        return ""
    rounds = list(Round.objects.filter(office_id=network.office_id).order_by("-year")[:ROUNDS_LINKED])
    links = [(round, overview_url(network, round)) for round in rounds]
    return render_to_string("needs/network_links.html", {"network": network, "links": links}, request=request)


# ── One partnership's measures in every scheme of the round, side by side ───────────────────


@dataclass
class CrossRow:
    """Measures of the same name in different schemes (a coordinator funded in three), as one row."""

    name: str
    schemes: list[Scheme]
    cells: list[Measure | None]  # per scheme column, in the order of `schemes`
    total: Totals

    @property
    def columns(self) -> list[tuple[Scheme, Measure | None]]:
        return list(zip(self.schemes, self.cells, strict=True))


@require_GET
def cross_scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's measures as rows, its schemes as column groups (owner, UH, total), with the sums."""
    report = get_report_for(request.user, pk, light=True)
    prefetch_related_objects(
        [report], Prefetch("declared_totals", queryset=DeclaredTotal.objects.select_related("scheme"))
    )
    totals = report.totals_by_scheme()
    schemes = list(totals)  # the report's schemes, then any its measures name besides
    rows = cross_scheme_rows(list(report.measures.all()), schemes)
    context = {
        "report": report,
        "schemes": schemes,
        "rows": rows,
        "sums": [(s, totals[s]) for s in schemes],
        "grand_total": sum(totals.values(), Totals()),
        "declared": list(report.declared_totals.all()),
        "overview": _overview_of(request, report),
    }
    return render(request, "needs/cross_scheme.html", context)


def cross_scheme_rows(measures: list[Measure], schemes: list[Scheme]) -> list[CrossRow]:
    """A row per measure name: the same name in several schemes is one row, in the order they first come."""
    column = {scheme.pk: i for i, scheme in enumerate(schemes)}
    rows: list[CrossRow] = []
    by_name: dict[str, list[CrossRow]] = {}
    for measure in measures:
        key = " ".join(measure.name.split()).casefold()
        i = column[measure.scheme_id]
        row = next((r for r in by_name.get(key, []) if key and r.cells[i] is None), None)
        if row is None:
            row = CrossRow(name=measure.name, schemes=schemes, cells=[None] * len(schemes), total=Totals())
            rows.append(row)
            by_name.setdefault(key, []).append(row)
        row.cells[i] = measure
        row.total = row.total + measure.totals
    return rows


def _overview_of(request: HttpRequest, report: NeedsReport) -> str:
    """The network's overview the report is in, if the user may see it (a link back)."""
    network = report.partnership.network
    if network is None or not can_view_network_overview(request.user, network):
        return ""
    return overview_url(network, report.round)
