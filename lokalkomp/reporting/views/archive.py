"""The round's archive package (Noark 5) as a download, and its link on the round's page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from lokalkomp.schemes import panels as round_page

from ..access.archive import get_archive_round_for
from ..archive.package import build_package, package_filename
from ..rules.archive import can_export_archive


@require_GET
@login_required
def archive_package(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """The zip: arkivstruktur.xml and the documents as PDF/A (heavy: every document is rendered)."""
    round = get_archive_round_for(request.user, office, year)
    content = build_package(round, by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, package_filename(round)) or ""
    response["Cache-Control"] = "private, no-store"  # every case document of the round
    return response


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> round_page.RoundPanel:
    """On the round's page, the archive's link for the Statsforvalter (no query: cached roles)."""
    if not can_export_archive(request.user, round):
        return round_page.RoundPanel()
    return round_page.RoundPanel(
        section=render_to_string("reporting/archive_round_link.html", {"round": round}, request=request)
    )
