from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lokalkomp.directory.models import Network
from lokalkomp.needs.access import visible_reports

from .models import Round, RoundScheme


@require_GET
def round_detail(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """A round: its schemes and frames, its annual cycle, its networks and the reports the user may see."""
    round = get_object_or_404(
        Round.objects.select_related("office").prefetch_related(
            Prefetch("round_schemes", queryset=RoundScheme.objects.select_related("scheme")), "milestones"
        ),
        office__slug=office,
        year=year,
    )
    networks = Network.objects.filter(office=round.office).annotate(
        report_count=Count("partnerships__reports", filter=Q(partnerships__reports__round=round))
    )
    reports = (
        visible_reports(request.user)
        .in_round(round)
        .with_totals()
        .select_related("partnership__network")
        .order_by("partnership__network__name", "partnership__name")
    )
    return render(request, "schemes/round.html", {"round": round, "networks": networks, "reports": reports})
