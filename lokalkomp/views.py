from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lokalkomp.schemes.due import due_for
from lokalkomp.schemes.models import Round


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the current round's annual cycle and what is due for the user."""
    rounds = list(Round.objects.current().select_related("office"))
    current = rounds[0] if rounds else Round.objects.select_related("office").first()
    milestones = list(current.milestones.all()) if current else []
    return render(
        request,
        "home.html",
        {
            "current": current,
            "rounds": rounds,
            "milestones": milestones,
            "due": due_for(request.user),
        },
    )


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: 200 when the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
