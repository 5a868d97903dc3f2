from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Network
from .panels import network_sections


@require_GET
def network_detail(request: HttpRequest, office: str, slug: str) -> HttpResponse:
    """A competence network: its office and owners, and what later apps add (its coordinators, the reports)."""
    network = get_object_or_404(
        Network.objects.select_related("office").prefetch_related("owners__municipality"),
        office__slug=office,
        slug=slug,
    )
    sections = [section(request, network) for section in network_sections]
    return render(request, "directory/network.html", {"network": network, "sections": sections})
