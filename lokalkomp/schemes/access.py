"""Who may see and change rounds and their annual cycle. Views call these; they never test roles inline.

Round pages and calendars are public: anyone may see a round, and an unknown round is 404.
Changing the cycle is for the Statsforvalter of the round's office (`can_edit_cycle`): 403 for
everyone else who is signed in (the views send anonymous visitors to the login first).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lokalkomp.accounts.rules import can_edit_cycle

from .models import Milestone, Round


def get_round(office: str, year: int, queryset: QuerySet[Round] | None = None) -> Round:
    """A round by its office and year; 404 if there is none."""
    queryset = queryset if queryset is not None else Round.objects.select_related("office")
    return get_object_or_404(queryset, office__slug=office, year=year)


def may_edit_cycle(user: Any, round: Round) -> bool:
    return bool(can_edit_cycle(user, round))


def get_cycle_for(user: Any, office: str, year: int) -> Round:
    """A round whose cycle the user may change, with its milestones; 404 unknown, 403 not theirs."""
    round = get_round(office, year, Round.objects.select_related("office").prefetch_related("milestones"))
    if not may_edit_cycle(user, round):
        raise PermissionDenied
    return round


def get_milestone_for(user: Any, office: str, year: int, pk: int) -> Milestone:
    """A milestone of a round whose cycle the user may change; 404 if it is not in that round."""
    round = get_cycle_for(user, office, year)
    milestone = get_object_or_404(Milestone.objects.filter(round=round), pk=pk)
    milestone.round = round
    return milestone
