"""The round page's link to the office's long-term plan, for those who may read it (schemes/rules.py)."""

from __future__ import annotations

from typing import Any

from django import template

from ..rules import can_view_long_term_plans

register = template.Library()


@register.filter
def reads_long_term_plans(user: Any, office: Any) -> bool:
    """`{% if user|reads_long_term_plans:round.office %}`: no query beyond the user's roles (cached)."""
    return bool(can_view_long_term_plans(user, office))
