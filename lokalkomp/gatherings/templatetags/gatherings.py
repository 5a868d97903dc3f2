"""Small filters of the gatherings' pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def mmss(seconds: int | None) -> str:
    """Seconds as minutes and seconds, 7:00; empty for no limit."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.simple_tag
def organises_gatherings(user: Any) -> bool:
    """Whether the navigation shows «Samlinger»: to those who organise gatherings.

    The predicate itself rather than `perms`: a refused `has_perm` falls through to the model
    backend's permission tables, two more queries on every page of everyone else.
    """
    from ..rules import can_add_gathering

    return bool(getattr(user, "is_authenticated", False) and can_add_gathering(user))
