"""What is due for a person: the deadlines that concern the roles they hold, soonest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES
from lokalkomp.accounts.rules import network_ids_coordinated, office_ids_with

from .models import Milestone, Transition


@dataclass(frozen=True)
class DueItem:
    title: str
    deadline: dt.date
    url: str
    round_label: str


def due_for(user: Any, today: dt.date | None = None) -> list[DueItem]:
    """Open deadlines for the user's draft reports, networks and offices (a fixed number of queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from lokalkomp.needs.models import NeedsReport

    today = today or timezone.localdate()
    items: list[DueItem] = []
    drafts = (
        NeedsReport.objects.filter(status=NeedsReport.Status.DRAFT, partnership__participants__contacts__user=user)
        .filter(round__milestones__governs=Transition.NEEDS_REPORTS)
        .filter(Q(round__milestones__ends_on__gte=today) | Q(round__milestones__starts_on__gte=today))
        .select_related("partnership", "round__office")
        .distinct()
    )
    deadlines = {
        (m.round_id, m.governs): m
        for m in Milestone.objects.filter(Q(starts_on__gte=today) | Q(ends_on__gte=today))
        .exclude(governs="")
        .select_related("round__office")
    }
    for report in drafts:
        milestone = deadlines[(report.round_id, Transition.NEEDS_REPORTS)]
        items.append(
            DueItem(
                _("Submit the needs report of %(partnership)s") % {"partnership": report.partnership},
                milestone.last_day,
                report.get_absolute_url(),
                str(report.round),
            )
        )
    items += _office_duties(user, deadlines.values())
    return sorted(items, key=lambda item: item.deadline)


def _office_duties(user: Any, milestones: Any) -> list[DueItem]:
    coordinated = bool(network_ids_coordinated(user)) or user.coordinated_networks.exists()
    governor_offices = office_ids_with(user, GOVERNOR_ROLES)
    forum_offices = office_ids_with(user, FORUM_ROLES)
    duties = []
    for m in milestones:
        office = m.round.office_id
        mine = (
            (m.governs == Transition.NETWORK_COMPILATION and coordinated)
            or (m.governs == Transition.RECOMMENDATION and office in forum_offices | governor_offices)
            or (m.governs == Transition.DECISION and office in governor_offices)
        )
        if mine:
            duties.append(DueItem(m.title, m.last_day, m.round.get_absolute_url(), str(m.round)))
    return duties
