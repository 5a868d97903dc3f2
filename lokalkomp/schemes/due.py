"""What is due for a person: the deadlines that concern the roles they hold, soonest first (the start page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES
from lokalkomp.accounts.rules import coordinated_network_ids, office_ids_with
from lokalkomp.directory.models import Network

from .models import Milestone, Transition
from .panels import work_url


@dataclass(frozen=True)
class DueItem:
    title: str
    deadline: dt.date
    url: str
    round_label: str


# Later apps add what is due in their part of the year (needs: the drafts of the user's partnerships).
due_providers: list[Callable[[Any, dt.date], list[DueItem]]] = []


def not_passed_q(today: dt.date) -> Q:
    """Milestones whose last day (`ends_on`, or `starts_on` for a single day) is today or later."""
    return Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today)


def due_for(user: Any, today: dt.date | None = None) -> list[DueItem]:
    """Open deadlines for the user's networks and offices, and what later apps add (a fixed number of queries).

    A deadline counts until the end of its last day; from the next day it is gone from the list.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    items = [item for provider in due_providers for item in provider(user, today)]
    coordinated_offices = set(
        Network.objects.filter(pk__in=coordinated_network_ids(user)).values_list("office_id", flat=True)
    )
    governor_offices = office_ids_with(user, GOVERNOR_ROLES)
    forum_offices = office_ids_with(user, FORUM_ROLES)
    milestones = (
        Milestone.objects.filter(
            not_passed_q(today), round__office_id__in=coordinated_offices | governor_offices | forum_offices
        )
        .exclude(governs="")
        .select_related("round__office")
    )
    items += _office_duties(milestones, coordinated_offices, governor_offices, forum_offices, user)
    return sorted(items, key=lambda item: item.deadline)


def _office_duties(
    milestones: Iterable[Milestone], coordinated: set[int], governed: set[int], forum: set[int], user: Any = None
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
            url = work_url(m, user) or m.round.get_absolute_url()  # the page where the work is done (a later app's)
            duties.append(DueItem(m.title, m.last_day, url, str(m.round)))
    return duties
