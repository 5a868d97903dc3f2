"""The header's link to the office's round, for those who work on the office's rounds."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from lokalkomp.accounts.models import FORUM_ROLES, GOVERNOR_ROLES, REPORT_READER_ROLES
from lokalkomp.accounts.navigation import Place
from lokalkomp.accounts.rules import office_ids_with

from .models import Round

OFFICE_ROLES = tuple({*GOVERNOR_ROLES, *FORUM_ROLES, *REPORT_READER_ROLES})


def office_rounds(user: Any) -> list[Place]:
    """«The round», for those who work in an office: no query here, the view picks the round."""
    if not office_ids_with(user, OFFICE_ROLES):
        return []
    return [Place(gettext("The round"), reverse("schemes:my_round"), 30, "round")]


def my_rounds(user: Any) -> list[Round]:
    """The round of each office the person works in: the earliest with steps ahead, else the latest."""
    offices = office_ids_with(user, OFFICE_ROLES)
    chosen: dict[int, Round] = {}
    for round in Round.objects.current().filter(office_id__in=offices).select_related("office"):
        chosen.setdefault(round.office_id, round)
    if len(chosen) < len(offices):
        for round in Round.objects.filter(office_id__in=offices - set(chosen)).select_related("office"):
            chosen.setdefault(round.office_id, round)  # rounds are ordered newest first
    return sorted(chosen.values(), key=lambda round: round.office.name)
