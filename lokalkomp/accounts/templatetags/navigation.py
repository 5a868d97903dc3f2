"""The header's work places (accounts/navigation.py)."""

from __future__ import annotations

from typing import Any

from django import template

from ..navigation import Place, places_for

register = template.Library()


@register.simple_tag
def work_places(user: Any) -> list[Place]:
    return places_for(user)
