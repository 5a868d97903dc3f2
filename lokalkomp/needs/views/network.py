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
from typing import Any, Protocol

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Exists, JSONField, OuterRef, Prefetch, Subquery, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from lokalkomp.accounts.models import User
from lokalkomp.directory.models import Network
from lokalkomp.schemes import panels as round_page
from lokalkomp.schemes.models import Round, Scheme

from ..access import get_network_round_for, get_report_for
from ..checks import Problem, problems_of_many
from ..forms import SendBackForm
from ..marks import marks_for, report_marks
from ..models import (
    NeedsReport,
    NeedsReportEvent,
    NeedsReportVersion,
    Participant,
    Partnership,
    Totals,
    UnionParticipant,
)
from ..records import RecordedParticipant, RecordedScheme, ReportRecord, latest_version
from ..rules import can_reopen_report, can_view_network_overview

TOP_PROBLEMS = 3  # the checklist's first problems shown in a row; the report's own page has them all
ROUNDS_LINKED = 5  # the network page links the overviews of the office's latest rounds


# ── The overview: every report of the network's partnerships in a round ─────────────────────


Column = Scheme | RecordedScheme  # a scheme of the round, or one a report names besides (by its code)


@dataclass
class ReportRow:
    report: NeedsReport
    name: str  # the partnership's name, as the submitted report gave it
    status: str  # "submitted", "sent_back" (submitted, then opened again) or "draft"
    owners: list[Participant] | list[RecordedParticipant]
    partners: list[Participant] | list[RecordedParticipant]
    cells: list[tuple[Column, Totals]]  # per scheme column
    total: Totals
    problems: list[Problem]
    marks: list[str] = field(default_factory=list)
    reopened: dict[str, Any] | None = None  # for a sent-back report: when, why and by whom
    may_send_back: bool = False

    @property
    def top_problems(self) -> list[Problem]:
        return self.problems[:TOP_PROBLEMS]

    @property
    def more_problems(self) -> int:
        return max(len(self.problems) - TOP_PROBLEMS, 0)


def report_status(report: NeedsReport) -> str:
    """Submitted, sent back (`sent_back_q`: the annotation of `with_reopening`), or draft."""
    if report.status == NeedsReport.Status.SUBMITTED:
        return "submitted"
    return "sent_back" if getattr(report, "lk_sent_back", False) else "draft"


@require_GET
@login_required
def overview(request: HttpRequest, office: str, network: str, year: int) -> HttpResponse:
    """Every report of the network's partnerships in the round: status, totals per scheme, the checklist."""
    the_network, round = get_network_round_for(request.user, office, network, year)
    return render(request, "needs/network_overview.html", overview_context(request, the_network, round))


def overview_reports(network: Network, round: Round) -> list[NeedsReport]:
    """The network's reports of the round, each with its latest version's data once submitted (its record)
    and, while it is sent back, who sent it back, when and why: all asked in the reports' own query."""
    latest = NeedsReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values("data")[:1]
    reopening = NeedsReportEvent.objects.filter(pk=OuterRef("lk_reopening_id"))
    actor = {f"lk_reopened_by_{name}": Subquery(reopening.values(f"actor__{name}")[:1]) for name in ACTOR_FIELDS}
    return list(
        NeedsReport.objects.filter(round=round, partnership__network=network)
        .with_reopening()
        .annotate(
            lk_record=Case(
                When(status=NeedsReport.Status.SUBMITTED, then=Subquery(latest)),
                default=None,
                output_field=JSONField(),
            ),
            lk_has_union_participants=Exists(UnionParticipant.objects.filter(report=OuterRef("pk"))),
            lk_reopened_at=Subquery(reopening.values("at")[:1]),
            lk_reopened_note=Subquery(reopening.values("note")[:1]),
            **actor,
        )
        .order_by("partnership__name", "pk")
    )


ACTOR_FIELDS = ("first_name", "last_name", "email")  # what a person's name is made of (User.__str__)


def overview_context(request: HttpRequest, network: Network, round: Round) -> dict[str, Any]:
    schemes: list[Column] = [rs.scheme for rs in round.round_schemes.select_related("scheme")]
    partnerships = list(
        Partnership.objects.filter(network=network).prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
    )
    by_pk = {p.pk: p for p in partnerships}
    reports = overview_reports(network, round)
    for report in reports:  # the rows already loaded, not a query per report
        report.partnership = by_pk[report.partnership_id]
        report.round = round
    # A submitted report passed the checklist when it came, and its live rows are not what it said.
    drafts = [r for r in reports if r.status == NeedsReport.Status.DRAFT]
    checklists = problems_of_many(drafts, schemes={s.pk: s for s in schemes if isinstance(s, Scheme)})
    totals = {report.pk: _totals_by_code(report) for report in reports}
    known = {s.code for s in schemes}
    for by_code in totals.values():  # a report's own measures may name a scheme the round no longer has
        for code, (scheme, _t) in by_code.items():
            if code not in known:
                known.add(code)
                schemes.append(scheme)
    rows = _rows(request, round, reports, schemes, checklists, totals)
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


def _record(report: NeedsReport) -> ReportRecord | None:
    """What a submitted report said (its latest version's data, `overview_reports`); None for a draft."""
    data = getattr(report, "lk_record", None)
    return ReportRecord.from_data(data) if data is not None else None


def _totals_by_code(report: NeedsReport) -> dict[str, tuple[Column, Totals]]:
    """The report's totals per scheme, by the scheme's code: from its record once submitted, else its measures."""
    record = _record(report)
    totals = record.totals_by_scheme() if record else report.totals_by_scheme()
    return {scheme.code: (scheme, t) for scheme, t in totals.items()}


def _rows(
    request: HttpRequest,
    round: Round,
    reports: list[NeedsReport],
    schemes: list[Column],
    checklists: dict[int, list[Problem]],
    totals: dict[int, dict[str, tuple[Column, Totals]]],
) -> list[ReportRow]:
    marks = marks_for(round, [r.pk for r in reports]) if report_marks else {}
    rows = []
    for report in reports:
        status = report_status(report)
        record = _record(report)
        by_code = totals[report.pk]
        cells = [(scheme, by_code[scheme.code][1] if scheme.code in by_code else Totals()) for scheme in schemes]
        rows.append(
            ReportRow(
                report=report,
                name=record.partnership if record else report.partnership.name,
                status=status,
                cells=cells,
                total=sum((t for _s, t in by_code.values()), Totals()),
                problems=checklists.get(report.pk, []),
                marks=marks.get(report.pk, []),
                reopened=_reopened(report) if status == "sent_back" else None,
                may_send_back=status == "submitted" and bool(can_reopen_report(request.user, report)),
                **(_recorded_sides(record) if record else _sides(report.partnership)),
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


def _recorded_sides(record: ReportRecord) -> dict[str, list[RecordedParticipant]]:
    """The owners and partner institutions a submitted report named, in its order."""
    return {"owners": record.of_side(Participant.Side.OWNER), "partners": record.of_side(Participant.Side.PARTNER)}


def _reopened(report: NeedsReport) -> dict[str, Any] | None:
    """When, why and by whom a sent-back report was opened again (the annotations of `overview_reports`)."""
    at = getattr(report, "lk_reopened_at", None)
    if at is None:
        return None
    names = {name: getattr(report, f"lk_reopened_by_{name}", None) or "" for name in ACTOR_FIELDS}
    by = str(User(**names)) if any(names.values()) else ""  # named as everywhere: the full name, else the e-mail
    return {"at": at, "note": getattr(report, "lk_reopened_note", ""), "by": by}


def _sums(rows: list[ReportRow], schemes: list[Column]) -> dict[str, dict[str, Any]]:
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


class Amounts(Protocol):
    """A measure, or a measure as a submitted version recorded it."""

    name: str
    owner_amount: int
    partner_amount: int

    @property
    def scheme(self) -> Column: ...

    @property
    def totals(self) -> Totals: ...


@dataclass
class CrossRow:
    """Measures of the same name in different schemes (a coordinator funded in three), as one row."""

    name: str
    schemes: list[Column]
    cells: list[Amounts | None]  # per scheme column, in the order of `schemes`
    total: Totals

    @property
    def columns(self) -> list[tuple[Column, Amounts | None]]:
        return list(zip(self.schemes, self.cells, strict=True))


@require_GET
def cross_scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's measures as rows, its schemes as column groups (owner, UH, total), with the sums.

    A submitted report's from its record (its latest version), as its own page shows it; a draft's from its rows.
    """
    report = get_report_for(request.user, pk, record=True)
    version = latest_version(report) if report.status == NeedsReport.Status.SUBMITTED else None
    record = ReportRecord.from_data(version.data, version) if version else None
    measures: list[Any] = list(record.measures) if record else list(report.measures.all())  # both have amounts
    totals: dict[Any, Totals] = record.totals_by_scheme() if record else report.totals_by_scheme()
    schemes = list(totals)  # the report's schemes, then any its measures name besides
    context = {
        "report": report,
        "name": record.partnership if record else report.partnership.name,
        "schemes": schemes,
        "rows": cross_scheme_rows(measures, schemes),
        "sums": [(s, totals[s]) for s in schemes],
        "grand_total": sum(totals.values(), Totals()),
        "declared": list(record.declared_totals if record else report.declared_totals.all()),
        "overview": _overview_of(request, report),
    }
    return render(request, "needs/cross_scheme.html", context)


def cross_scheme_rows(measures: list[Amounts], schemes: list[Column]) -> list[CrossRow]:
    """A row per measure name: the same name in several schemes is one row, in the order they first come."""
    column = {scheme.code: i for i, scheme in enumerate(schemes)}
    rows: list[CrossRow] = []
    by_name: dict[str, list[CrossRow]] = {}
    for measure in measures:
        key = " ".join(measure.name.split()).casefold()
        i = column[measure.scheme.code]
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
