"""What gatherings shows on the pages of the apps before it: the network's page and the round's page.

Beside the network's needs reports, what its gatherings' organisers picked for the needs analysis,
«from the gathering on 5 October»; on the round's page, the round's published gatherings and their
picks. The picks are shown to those who may see the gathering (its organisers and the forum) and
to those it invited (audience.py); the list of gatherings on the round's page is public, as the
round's calendar is. They go into directory's and schemes' registries when GatheringsConfig.ready()
imports this module.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from lokalkomp.directory import panels as network_page
from lokalkomp.directory.models import Network
from lokalkomp.schemes import panels as round_page
from lokalkomp.schemes.models import Round

from .analysis import answer_title, picked_answers, picked_responses
from .audience import seen_among
from .models import Gathering


def picks_of(request: HttpRequest, gatherings: list[Gathering]) -> list[dict[str, Any]]:
    """For each gathering the user may see the picks of, and that has any: its picked responses and answers."""
    seen = seen_among(request.user, gatherings, with_forum=True)
    if not seen:
        return []
    responses: defaultdict[int, list[Any]] = defaultdict(list)
    for response in picked_responses([g.pk for g in seen]):
        responses[response.activity.gathering_id].append(response)
    answers: defaultdict[int, list[Any]] = defaultdict(list)
    for answer in picked_answers([g.pk for g in seen]):
        answers[answer.group.task.gathering_id].append((answer, answer_title(answer)))
    return [
        {"gathering": g, "responses": responses[g.pk], "answers": answers[g.pk]}
        for g in sorted(seen, key=lambda g: (g.date, g.pk), reverse=True)
        if responses[g.pk] or answers[g.pk]
    ]


def network_gatherings(request: HttpRequest, network: Network) -> str:
    if not request.user.is_authenticated:
        return ""  # the picks are for those the gathering invited, or who organise it
    picks = picks_of(request, list(Gathering.objects.published().with_picks().filter(network=network)))
    if not picks:
        return ""
    return render_to_string("gatherings/_picked.html", {"picks": picks, "heading_id": "gatherings-picked"}, request)


def round_gatherings(request: HttpRequest, round: Round, networks: list[Network]) -> round_page.RoundPanel:
    published = Gathering.objects.published().filter(round=round)
    gatherings = list(published.annotate_picks().select_related("office", "network", "forum").order_by("date", "pk"))
    if not gatherings:
        return round_page.RoundPanel()
    with_picks = [g for g in gatherings if g.has_picks]  # type: ignore[attr-defined]
    picks = picks_of(request, with_picks) if with_picks else []
    context = {"gatherings": gatherings, "picks": picks, "heading_id": "round-gatherings"}
    return round_page.RoundPanel(section=render_to_string("gatherings/_round_gatherings.html", context, request))


def compilation_notes(network: Network, round: Round) -> list[round_page.NeedsAnalysisNote]:
    """The picks of the round's gatherings of the network, and of the office's gatherings for everyone in it.

    Two queries. The compilation's readers (the coordinator, the forum, the Statsforvalter) see them
    all: they are what the network brings to the forum.
    """
    from django.db.models import Q
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    gatherings = {
        g.pk: g
        for g in Gathering.objects.published()
        .filter(round=round)
        .filter(Q(network=network) | Q(network__isnull=True, forum__isnull=True))
        .order_by("date", "pk")
    }
    if not gatherings:
        return []

    def name(pk: int) -> str:
        return f"{gatherings[pk].title}, {date_format(gatherings[pk].date, 'SHORT_DATE_FORMAT')}"

    notes = [
        round_page.NeedsAnalysisNote(
            gathering=name(r.activity.gathering_id),
            question=r.activity.question,
            text=r.display(),
            detail=gettext("Table %(n)s") % {"n": r.table} if r.table else "",
        )
        for r in picked_responses(list(gatherings))
    ]
    notes += [
        round_page.NeedsAnalysisNote(
            gathering=name(a.group.task.gathering_id), question=answer_title(a), text=a.text, detail=a.group.name
        )
        for a in picked_answers(list(gatherings))
    ]
    return notes


def _once(registry: list[Any], provider: Any) -> None:
    if provider not in registry:
        registry.append(provider)


_once(network_page.network_sections, network_gatherings)
_once(round_page.round_panels, round_gatherings)
_once(round_page.needs_analysis_notes, compilation_notes)
