"""`{% report_changes report as changes %}`: the report's latest changes, for needs/_history.html."""

from __future__ import annotations

from django import template

from lokalkomp.needs.history import Change, report_history
from lokalkomp.needs.models import NeedsReport

register = template.Library()


@register.simple_tag
def report_changes(report: NeedsReport) -> list[Change]:
    return report_history(report)
