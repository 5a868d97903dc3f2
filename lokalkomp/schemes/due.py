"""What is due for a person: the deadlines that concern the roles they hold, soonest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES
from lokalkomp.accounts.rules import coordinated_network_ids, office_ids_with

from .models import Milestone, Transition


@dataclass(frozen=True)
class DueItem:
    title: str
    deadline: dt.date
    url: str
    round_label: str


def _not_passed_q(today: dt.date, prefix: str = "") -> Q:
    """Milestones whose last day (`ends_on`, or `starts_on` for a single day) is today or later."""
    return Q(**{f"{prefix}ends_on__gte": today}) | Q(
        **{f"{prefix}ends_on__isnull": True, f"{prefix}starts_on__gte": today}
    )


def due_for(user: Any, today: dt.date | None = None) -> list[DueItem]:
    """Open deadlines for the user's draft reports, networks and offices (a fixed number of queries).

    A deadline counts until the end of its last day; from the next day it is gone from the list.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    from lokalkomp.directory.models import Network
    from lokalkomp.needs.models import NeedsReport

    today = today or timezone.localdate()
    open_needs = Milestone.objects.filter(_not_passed_q(today), governs=Transition.NEEDS_REPORTS)
    drafts_q = (
        NeedsReport.objects.filter(status=NeedsReport.Status.DRAFT, partnership__participants__contacts__user=user)
        .filter(round_id__in=open_needs.values("round_id"))
        .select_related("partnership", "round__office")
        .distinct()
    )
    coordinated_offices = set(
        Network.objects.filter(pk__in=coordinated_network_ids(user)).values_list("office_id", flat=True)
    )
    governor_offices = office_ids_with(user, GOVERNOR_ROLES)
    forum_offices = office_ids_with(user, FORUM_ROLES)
    drafts = list(drafts_q)
    offices = coordinated_offices | governor_offices | forum_offices | {r.round.office_id for r in drafts}
    milestones = list(
        Milestone.objects.filter(_not_passed_q(today), round__office_id__in=offices)
        .exclude(governs="")
        .select_related("round__office")
    )
    deadlines = {(m.round_id, m.governs): m for m in milestones}
    items: list[DueItem] = []
    for report in drafts:
        milestone = deadlines.get((report.round_id, Transition.NEEDS_REPORTS))
        if milestone is None:  # cannot happen with the filter above; never a 500 on the start page
            continue
        items.append(
            DueItem(
                _("Submit the needs report of %(partnership)s") % {"partnership": report.partnership},
                milestone.last_day,
                report.get_absolute_url(),
                str(report.round),
            )
        )
    items += _office_duties(milestones, coordinated_offices, governor_offices, forum_offices)
    return sorted(items, key=lambda item: item.deadline)


def _office_duties(
    milestones: Iterable[Milestone], coordinated: set[int], governed: set[int], forum: set[int]
) -> list[DueItem]:
    """A coordinator's compilation deadlines (of the offices of their networks only), the forum's and the office's."""
    duties = []
    for m in milestones:
        office = m.round.office_id
        mine = (
            (m.governs == Transition.NETWORK_COMPILATION and office in coordinated)
            or (m.governs == Transition.RECOMMENDATION and office in forum | governed)
            or (m.governs == Transition.DECISION and office in governed)
        )
        if mine:
            duties.append(DueItem(m.title, m.last_day, m.round.get_absolute_url(), str(m.round)))
    return duties
