from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lokalkomp.needs.access import visible_reports

from .models import Network

PAGE_SIZE = 50  # a network has about 45 reports a year; ten years on one page is too much


@require_GET
def network_detail(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    """A competence network: its owners, its coordinator and the reports the user may see."""
    network = get_object_or_404(
        Network.objects.select_related("office", "coordinator").prefetch_related("owners__municipality"),
        office__slug=office,
        slug=slug,
    )
    reports = (
        visible_reports(request.user)
        .filter(partnership__network=network)
        .with_totals()
        .select_related("partnership", "round")
        .order_by("-round__year", "partnership__name")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "directory/network.html", {"network": network, "reports": page, "page": page})
