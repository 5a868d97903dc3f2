"""The round's archive package (Noark 5): its page, the press that asks the worker for it, its download, and
its link on the round's page.

Making the package prints every document again (a minute or more for a round), so it is never made in a
request: «Lag arkivpakke» queues a job (archive/jobs.py), the page shows how it stands and asks again every
few seconds (htmx) while it is queued or being made, and the ready zip is downloaded through `archive_download`,
which checks the same predicate as the page (the zip is never at a public URL).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lokalkomp.schemes import panels as round_page

from ..access.archive import get_archive_round_for
from ..archive.jobs import request_package
from ..archive.package import package_filename
from ..models.archive import ArchiveJob
from ..rules.archive import can_export_archive

EARLIER = 10  # the page lists the round's latest jobs, the record of who asked for the package and when


@require_GET
@login_required
def archive_page(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """How the round's package stands (queued, being made, ready, failed), with the button and the download."""
    round = get_archive_round_for(request.user, office, year)
    jobs = list(ArchiveJob.objects.of_round(round).select_related("requested_by")[:EARLIER])
    context = {
        "round": round,
        "jobs": jobs,
        "latest": jobs[0] if jobs else None,
        "ready": next((job for job in jobs if job.status == ArchiveJob.Status.READY), None),
    }
    partial = "#archive-status" if request.headers.get("HX-Request") else ""
    return render(request, f"reporting/archive.html{partial}", context)


@require_POST
@login_required
def archive_make(request: HttpRequest, office: str, year: int) -> HttpResponse:
    """«Lag arkivpakke»: queue the package for the worker, or find the one already queued."""
    round = get_archive_round_for(request.user, office, year)
    _job, created = request_package(round, by=request.user, language=get_language())
    if created:
        messages.success(request, _("The archive package is queued. This page shows it when it is ready."))
    else:
        messages.info(request, _("The archive package is already being made; it was not queued again."))
    return redirect("reporting:archive", office=round.office.slug, year=round.year)


@require_GET
@login_required
def archive_download(request: HttpRequest, office: str, year: int, pk: int) -> FileResponse:
    """A ready package's zip, for those who may export the round's archive."""
    round = get_archive_round_for(request.user, office, year)
    job = ArchiveJob.objects.filter(round=round, pk=pk, status=ArchiveJob.Status.READY).first()
    if job is None:
        raise Http404(_("No such archive package."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The archive package's file is gone; make the package again.")) from None
    response = FileResponse(handle, as_attachment=True, filename=package_filename(round))
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"  # every case document of the round
    return response


def round_panel(request: HttpRequest, round: Any, networks: list[Any]) -> round_page.RoundPanel:
    """On the round's page, the archive's link for the Statsforvalter (no query: cached roles)."""
    if not can_export_archive(request.user, round):
        return round_page.RoundPanel()
    return round_page.RoundPanel(
        section=render_to_string("reporting/archive_round_link.html", {"round": round}, request=request)
    )
