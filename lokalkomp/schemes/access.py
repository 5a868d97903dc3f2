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
from lokalkomp.directory.models import Office

from .models import LongTermPlan, Milestone, PlanGoal, Round, RoundScheme
from .rules import can_edit_frames, can_edit_long_term_plans, can_view_long_term_plans


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


# The office's long-term plan: its Statsforvalter keeps it, the office's forum reads it (schemes/rules.py).


def get_plan_office_for(user: Any, office: str, *, write: bool = False) -> Office:
    """An office whose long-term plans the user may read (or keep); 404 unknown, 403 not theirs."""
    found = get_object_or_404(Office, slug=office)
    if not can_view_long_term_plans(user, found) or (write and not can_edit_long_term_plans(user, found)):
        raise PermissionDenied
    return found


def get_long_term_plan_for(user: Any, office: str, pk: int) -> LongTermPlan:
    """A plan of an office whose plans the user keeps; 404 if it is not that office's."""
    found = get_plan_office_for(user, office, write=True)
    plan = get_object_or_404(LongTermPlan.objects.filter(office=found), pk=pk)
    plan.office = found
    return plan


def get_plan_goal_for(user: Any, office: str, plan: int, pk: int) -> PlanGoal:
    """A goal of a plan the user keeps; 404 if it is not that plan's."""
    found = get_long_term_plan_for(user, office, plan)
    goal = get_object_or_404(PlanGoal.objects.filter(plan=found), pk=pk)
    goal.plan = found
    return goal


# A round's budget frames: the Statsforvalter of its office changes them (schemes/rules.py, can_edit_frames).


def may_edit_frames(user: Any, round: Round) -> bool:
    return bool(can_edit_frames(user, round))


def get_frames_for(user: Any, office: str, year: int) -> Round:
    """A round whose frames the user may change; 404 unknown, 403 not theirs."""
    round = get_round(office, year)
    if not may_edit_frames(user, round):
        raise PermissionDenied
    return round


def get_round_scheme_for(user: Any, office: str, year: int, pk: int) -> RoundScheme:
    """A scheme of a round whose frames the user may change, with its key; 404 if it is not that round's."""
    round = get_frames_for(user, office, year)
    queryset = RoundScheme.objects.filter(round=round).select_related("scheme", "distribution_key")
    round_scheme = get_object_or_404(queryset, pk=pk)
    round_scheme.round = round
    return round_scheme
