"""The round page's link to the recommendation workspace, for those who may open it (no query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.schemes import panels as round_page

from ...rules.assessment import SECRETARIAT_ROLES
from ...rules.recommendation import FORUM_VOTING_ROLES


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> round_page.RoundPanel:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return round_page.RoundPanel()
    if not (user.is_superuser or round.office_id in office_ids_with(user, (*FORUM_VOTING_ROLES, *SECRETARIAT_ROLES))):
        return round_page.RoundPanel()
    section = render_to_string("allocation/recommendation_round_link.html", {"round": round}, request=request)
    return round_page.RoundPanel(section=section)
