"""What apps later in the year show on a round's page: schemes comes before them and may not import them.

Such an app appends a function to `round_panels` when it is loaded (from its AppConfig.ready()). The
round's view calls each with the request, the round and the round's networks, and shows what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from lokalkomp.accounts.models import User
    from lokalkomp.directory.models import Network

    from . import ical
    from .models import Milestone, Round


@dataclass(frozen=True)
class RoundPanel:
    """One app's part of a round's page."""

    section: str = ""  # HTML: a section of its own, after the networks
    network_notes: Mapping[int, str] = field(default_factory=dict)  # text after a network's name, by its id


round_panels: list[Callable[[HttpRequest, Round, list[Network]], RoundPanel]] = []  # needs: the round's reports
# Money available in a round from elsewhere, per scheme (pk) in kroner, shown on the frames page
# (reporting: the unused funds of the year before whose transfer the Statsforvalter accepted).
frame_additions: list[Callable[[Round], dict[int, int]]] = []


@dataclass(frozen=True)
class CalendarSource:
    """A later app's entries in the annual cycle (gatherings): on a round's calendar, and in a person's feed.

    `in_round(round)` gives unsaved milestones for the round's month-by-month calendar (public, as
    the round is); `in_feed(request, user)` the iCalendar events of the feed's owner.
    """

    in_round: Callable[[Round], list[Milestone]]
    in_feed: Callable[[HttpRequest, User], list[ical.Event]]


calendar_sources: list[CalendarSource] = []  # gatherings: its published gatherings


@dataclass(frozen=True)
class NeedsAnalysisNote:
    """Something said at a gathering that its organisers picked for the network's needs analysis."""

    gathering: str  # «Nettverkssamling, 05.10.2023»
    question: str  # the activity's question or the group task's question
    text: str
    detail: str = ""  # «Bord 3», or the group's name


# What a network's compilation of a round takes in besides its reports: (network, round) → notes. The
# compilation shows them, and its delivered record keeps them as text.
needs_analysis_notes: list[Callable[[Network, Round], list[NeedsAnalysisNote]]] = []  # gatherings


# Where the work a deadline closes is done, by the transition it governs: (milestone, user) → an
# address, or "" for someone with nothing to do there. The annual cycle links the deadline's title to
# it (templatetags/milestones.py), and «Mine oppgaver» goes there.
milestone_links: dict[str, Callable[[Milestone, Any], str]] = {}  # allocation: the networks' compilations


def work_url(milestone: Milestone, user: Any) -> str:
    link = milestone_links.get(milestone.governs)
    return link(milestone, user) if link else ""
