"""A report on the use of funds for the person who writes it, or 404 (no such report, or not theirs)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from ..models.funds import FundsReport, FundsReportLine
from ..rules.funds import writable_funds_reports_q

__all__ = ["get_funds_report_for"]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def get_funds_report_for(user: Any, pk: int, *, lines: bool = False) -> FundsReport:
    """The report if the user writes it (a contact of its partnership); anyone else gets 404."""
    if not 0 < pk < ID_MAX:
        raise Http404
    queryset = (
        FundsReport.objects.with_deadlines()
        .select_related("partnership", "round", "round__office")
        .filter(writable_funds_reports_q(user), pk=pk)
    )
    if lines:
        queryset = queryset.prefetch_related(
            Prefetch("lines", queryset=FundsReportLine.objects.select_related("scheme").order_by("position", "pk")),
        )
    found = queryset.distinct().first()
    if found is None:
        raise Http404
    return found
