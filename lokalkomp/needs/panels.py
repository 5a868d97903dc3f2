"""What needs shows on the pages of the apps before it, which may not import it.

The round's page (schemes) lists the round's reports and counts each network's; the network's page
(directory) lists the network's reports; the start page lists the drafts whose deadline is near.
Each list reads only the reports the user may read. They go into those apps' registries when
NeedsConfig.ready() imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lokalkomp.directory import panels as network_page
from lokalkomp.directory.models import Network
from lokalkomp.schemes import due
from lokalkomp.schemes import panels as round_page
from lokalkomp.schemes.models import Milestone, Round, Transition

from .access import visible_reports
from .models import NeedsReport
from .views import network as network_desk  # the network's overview of a round (views/network.py)

REPORTS_PER_PAGE = 50  # a network has about 45 reports a year; ten years on one page is too much
T = TypeVar("T")
# owner_total and partner_total are annotations of with_totals()
ROUND_REPORT_COLUMNS = (
    "pk",
    "partnership__name",
    "partnership__network__name",
    "status",
    "owner_total",
    "partner_total",
)


def round_reports(request: HttpRequest, round: Round, networks: list[Network]) -> round_page.RoundPanel:
    """The round's reports the user may read, 50 a page, and how many of them each network has."""
    reports = visible_reports(request.user).in_round(round)
    notes: dict[int, str] = {}
    if request.user.is_authenticated:
        # Counted among the reports the user may read (the list below): nobody counts others' drafts.
        # One grouped query over this round's reports (an index scan), not a join of every year's reports.
        counts = dict(reports.order_by().values_list("partnership__network_id").annotate(n=Count("pk")))
        notes = {network.pk: _count_note(counts.get(network.pk, 0)) for network in networks}
    rows = reports.with_totals().order_by("partnership__network__name", "partnership__name", "pk")
    page = Paginator(rows.values_list(*ROUND_REPORT_COLUMNS), REPORTS_PER_PAGE).get_page(request.GET.get("side"))
    context = {"page": page, "report_rows": _report_rows(page.object_list)}
    section = render_to_string("needs/_round_reports.html", context, request=request)
    return round_page.RoundPanel(section=section, network_notes=notes)


def _count_note(n: int) -> str:
    return " – " + ngettext("%(n)s needs report", "%(n)s needs reports", n) % {"n": localize(n)}


def _report_rows(rows: Any) -> list[dict[str, Any]]:
    """The rows of the round's report table as plain values: one reverse() for the page, not one per row."""
    marker = 987654321
    before, after = reverse("needs:report", args=[marker]).split(str(marker))
    statuses = dict(NeedsReport.Status.choices)
    return [
        {
            "url": f"{before}{pk}{after}",
            "partnership": partnership,
            "network": network or "–",
            "status": statuses.get(status, status),
            "owner": owner,
            "partner": partner,
            "total": owner + partner,
        }
        for pk, partnership, network, status, owner, partner in rows
    ]


def network_reports(request: HttpRequest, network: Network) -> str:
    """The network's reports the user may read, newest year first, 50 a page."""
    reports = (
        visible_reports(request.user)
        .filter(partnership__network=network)
        .with_totals()
        .select_related("partnership", "round")
        .order_by("-round__year", "partnership__name")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("side"))
    return render_to_string("needs/_network_reports.html", {"reports": page, "page": page}, request=request)


def drafts_due(user: Any, today: dt.date) -> list[due.DueItem]:
    """The drafts of the user's partnerships in rounds whose needs-report deadline has not passed."""
    deadline = Milestone.objects.filter(
        due.not_passed_q(today), round=OuterRef("round"), governs=Transition.NEEDS_REPORTS
    )
    drafts = (
        NeedsReport.objects.filter(status=NeedsReport.Status.DRAFT, partnership__participants__contacts__user=user)
        .annotate(lk_deadline=Subquery(deadline.values(last_day=Coalesce("ends_on", "starts_on"))[:1]))
        .filter(lk_deadline__isnull=False)
        .select_related("partnership", "round__office")
        .distinct()
    )
    return [
        due.DueItem(
            _("Submit the needs report of %(partnership)s") % {"partnership": report.partnership},
            report.lk_deadline,  # type: ignore[attr-defined]
            report.get_absolute_url(),
            str(report.round),
        )
        for report in drafts
    ]


# ── The round's work list (needs/worklist.py): what the apps after needs add to it ────────

compiled_report_ids: list[Callable[[Round], set[int]]] = []
"""allocation: the ids of the round's reports whose measures are in a delivered network compilation."""


@dataclass(frozen=True)
class PartnershipReminder:
    """A later app's reminder to a partnership without a report (notifications sends it as e-mail).

    `url(round, partnership_id)` is where the work list's button posts; `last_sent(round, ids)` the
    day each of those partnerships was last reminded in the round (one query for the page).
    """

    url: Callable[[Round, int], str]
    last_sent: Callable[[Round, list[int]], dict[int, dt.date]]


partnership_reminders: list[PartnershipReminder] = []  # notifications: the reminder button


def worklist_link(request: HttpRequest, round: Round, networks: list[Network]) -> round_page.RoundPanel:
    """A link to the round's work list, on the round's page, for those who may use it (no query of its own)."""
    from .rules import can_view_worklist

    if not can_view_worklist(request.user, round):
        return round_page.RoundPanel()
    section = render_to_string("needs/_worklist_link.html", {"round": round}, request=request)
    return round_page.RoundPanel(section=section)


def _once(registry: list[T], provider: T) -> None:
    if provider not in registry:
        registry.append(provider)


# Filled when NeedsConfig.ready() imports this module.
if worklist_link not in round_page.round_panels:  # first of the panels: the Statsforvalter's way in
    round_page.round_panels.insert(0, worklist_link)
_once(round_page.round_panels, network_desk.round_overview_links)  # the coordinator's way to the overview
_once(round_page.round_panels, round_reports)
_once(network_page.network_sections, network_desk.network_overview_links)
_once(network_page.network_sections, network_reports)
_once(due.due_providers, drafts_due)
