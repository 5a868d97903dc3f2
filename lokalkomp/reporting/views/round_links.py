"""On the round's page: where the year goes after the money (statistics and open data for everyone; the follow-up
and the Udir export for the round's Statsforvalter). No query: the predicates read the cached roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from lokalkomp.schemes import panels as round_page

from ..rules.followup import can_follow_up
from ..rules.opendata import can_export_to_udir


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> round_page.RoundPanel:
    context = {
        "round": round,
        "follows_up": can_follow_up(request.user, round),
        "exports": can_export_to_udir(request.user, round),
    }
    return round_page.RoundPanel(section=render_to_string("reporting/round_links.html", context, request=request))


def register() -> None:
    if round_panel not in round_page.round_panels:
        round_page.round_panels.append(round_panel)
