from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
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


# Error pages for production (DEBUG=False): in the user's language, in the site's layout, saying what to do.
# 403 and 404 are Django's own views with our 403.html and 404.html; 400, 500 and a refused CSRF token are here.
logger = logging.getLogger(__name__)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form's security token expired or was missing (a stale tab, blocked cookies)."""
    return render(request, "403_csrf.html", {"back": request.META.get("HTTP_REFERER", "")}, status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page needs nothing that may be what failed: no database, no session, no context processors."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:  # the template itself failed: a last page with no template at all
        logger.exception("The 500 page could not be rendered")
        text = _("Something went wrong on our side. Try again in a few minutes.")
        return HttpResponseServerError(f"<!doctype html><title>lokalkomp</title><p>{text}</p>")
