"""Small filters of the gatherings' pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def mmss(seconds: int | None) -> str:
    """Seconds as minutes and seconds, 7:00; empty for no limit."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
