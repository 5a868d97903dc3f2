"""A gathering's results as a PDF, beside the Excel export: what the room saw, and the groups' answers.

Rendered in the request, as the needs report's PDF is when it is small: a gathering has a handful
of activities, and what each prints is bounded (the word cloud's 80 words, 300 statements, 30
arguments; see results.py), so a page renders in well under a second. No resource is fetched:
the fonts are the system's, the word cloud is text in sizes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from weasyprint import HTML

from .access import get_gathering_for
from .models import Gathering, GroupAnswer, TaskGroup
from .results import results_of


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"The gathering's PDF loads no external resources ({url}).")


def pdf_context(gathering: Gathering) -> dict[str, Any]:
    activities = [(a, results_of(a)) for a in gathering.activities.all()]
    groups = Prefetch(
        "groups",
        queryset=TaskGroup.objects.select_related("owner").prefetch_related(
            Prefetch("answers", queryset=GroupAnswer.objects.all())
        ),
    )
    tasks = []
    for task in gathering.tasks.prefetch_related(groups):
        rows = []
        for group in task.groups.all():
            answers = group.answers_by_key()
            rows.append((group, [(q, answers.get(q["key"])) for q in task.question_list]))
        tasks.append((task, rows))
    return {
        "gathering": gathering,
        "agenda": list(gathering.agenda.all()),
        "activities": activities,
        "tasks": tasks,
        "printed_at": timezone.localtime(),
        "language": translation.get_language(),
    }


def results_pdf_bytes(gathering: Gathering) -> bytes:
    html = render_to_string("gatherings/results_pdf.html", pdf_context(gathering))
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


@require_GET
@login_required
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The results for the organisers, as the Excel export: nothing hidden or waiting for approval."""
    gathering = get_gathering_for(request.user, pk, write=True)
    response = HttpResponse(results_pdf_bytes(gathering), content_type="application/pdf")
    name = slugify(f"{gathering.title[:60]} {gathering.date:%Y-%m-%d}") or "samling"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
