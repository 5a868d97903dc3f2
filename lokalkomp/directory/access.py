"""Who may see and keep a forum's seats. Views call these; they never test roles inline.

The rules are the accounts app's (`accounts.rules.can_view_forum_seats`, `can_manage_forum_seats`),
asked by their names: the directory comes before accounts and does not import it. An office
without a forum, or a forum the user may not see, is 404; its readers get 403 when they ask to change it.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Forum, ForumMember, Office

VIEW_SEATS = "directory.view_forum_seats"
MANAGE_SEATS = "directory.manage_forum_seats"


def may_view_seats(user: Any, office: Office) -> bool:
    return bool(rules.has_perm(VIEW_SEATS, user, office))


def may_manage_seats(user: Any, office: Office) -> bool:
    return bool(rules.has_perm(MANAGE_SEATS, user, office))


def forum_of(office: Office) -> Forum | None:
    """The office's forum, if it has one (read from the office's cache when it was selected with it)."""
    try:
        return office.forum
    except Forum.DoesNotExist:
        return None


def get_forum_for(user: Any, office: str, *, write: bool = False) -> Forum:
    """The office's forum with its office; 404 unknown or not the user's to see, 403 a reader asking to change."""
    found = get_object_or_404(Forum.objects.select_related("office"), office__slug=office)
    if not may_view_seats(user, found.office):
        raise Http404
    if write and not may_manage_seats(user, found.office):
        raise PermissionDenied
    return found


def get_seat_for(user: Any, office: str, pk: int) -> ForumMember:
    """A seat of a forum the user keeps; 404 if it is not that forum's."""
    forum = get_forum_for(user, office, write=True)
    seat = get_object_or_404(ForumMember.objects.filter(forum=forum).select_related("organisation", "person"), pk=pk)
    seat.forum = forum
    return seat
