"""The published gatherings in the annual cycle: on the round's calendar and in people's calendar feeds.

Registered in schemes' `calendar_sources` from GatheringsConfig.ready(): schemes comes before this
app and does not import it. The round's calendar is public, as its milestones are: it shows a
published gathering's title, date and place, never its Teams link. A person's feed holds the
gatherings that invite them and those they run, with the agenda and the Teams link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lokalkomp.schemes import ical
from lokalkomp.schemes.models import Milestone, Round

from .audience import calendar_gatherings
from .models import Gathering

FEED_DAYS_BACK = 2 * 365  # the feed holds the gatherings of the last two years and all ahead


def place_of(gathering: Gathering) -> str:
    kind = gathering.get_place_kind_display()
    return f"{gathering.place} ({kind})" if gathering.place else str(kind)


def in_round(round: Round) -> list[Milestone]:
    """The round's published gatherings as milestones (unsaved: the calendar only reads them)."""
    gatherings = Gathering.objects.published().filter(round=round).order_by("date", "pk")
    return [
        Milestone(
            round=round,
            title=_("Gathering: %(title)s") % {"title": g.title},
            starts_on=g.date,
            location=place_of(g),
            audience=Milestone.Audience.ALL,
        )
        for g in gatherings
    ]


def in_feed(request: HttpRequest, user: Any) -> list[ical.Event]:
    since = timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK)
    return [_event(request, g) for g in calendar_gatherings(user, since)]


def _event(request: HttpRequest, gathering: Gathering) -> ical.Event:
    round = gathering.round
    agenda = [f"{item.starts_at:%H:%M} {item.what}" if item.starts_at else item.what for item in gathering.agenda.all()]
    facts = [str(round), _("Invited: %(audience)s") % {"audience": gathering.get_audience_display()}, *agenda]
    if gathering.link:
        facts.append(gathering.link)
    url = request.build_absolute_uri(reverse("schemes:calendar", args=[round.office.slug, round.year]))
    return ical.Event(
        uid=f"gathering-{gathering.pk}@lokalkomp",
        first_day=gathering.date,
        last_day=gathering.date,
        summary=_("Gathering: %(title)s") % {"title": gathering.title},
        location=place_of(gathering),
        description="\n".join(facts),
        url=url,
    )
