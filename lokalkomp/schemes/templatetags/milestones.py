"""`{{ milestone|work_url:user }}`: where the work a deadline closes is done (see panels.milestone_links)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import panels

register = template.Library()


@register.filter
def work_url(milestone: Any, user: Any) -> str:
    return panels.work_url(milestone, user)
