"""The presenter's view: the projector page with the join code, the QR code and live results.

It polls `presenter_live` with the activity's version (see the package docstring for why polling):
an unchanged version is a 204 after two small queries besides the session; a changed one renders
the results partial, in a fixed number of queries whatever the number of responses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import get_gathering_for
from .models import Activity, Gathering
from .results import results_of

POLL_MS = 1500


def join_address(gathering: Gathering) -> str:
    """The address the QR code and the screen show: the site's public address, not the request's host."""
    return settings.SITE_URL + gathering.join_url()


def qr_svg(address: str) -> SafeString:
    """The QR code as inline SVG (the `qrcode` package, which allauth's two-factor setup brings along)."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:  # without it the code and the address stand alone, large
        return mark_safe("")  # noqa: S308
    image = qrcode.make(address, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # our own generated markup, with the address only inside the path data it encodes
    return format_html('<div class="lk-qr" role="img" aria-label="{}">{}</div>', address, mark_safe(svg))  # noqa: S308


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def _live_context(gathering: Gathering, activity: Activity) -> dict[str, Any]:
    phase, seconds_left = activity.timer_state(timezone.now())
    return {
        "gathering": gathering,
        "activity": activity,
        "results": results_of(activity),
        "phase": phase,
        "seconds_left": seconds_left,
        "poll_ms": POLL_MS,
    }


@require_GET
@login_required
@never_cache
def presenter(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector page; `?aktivitet=` picks the activity, otherwise the open one (or the first)."""
    gathering = get_gathering_for(request.user, pk, write=True)
    activities = list(gathering.activities.all())
    wanted = _int(request.GET.get("aktivitet"))
    activity = next((a for a in activities if a.pk == wanted), None)
    activity = activity or next((a for a in activities if a.state == Activity.State.OPEN), None)
    activity = activity or (activities[0] if activities else None)
    address = join_address(gathering)
    context = {"gathering": gathering, "activities": activities, "address": address, "qr": qr_svg(address)}
    if activity is not None:
        context |= _live_context(gathering, activity)
    return render(request, "gatherings/presenter.html", context)


@require_GET
@login_required
@never_cache
def presenter_live(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    """204 while the activity's version is the one the screen shows (`?v=`); else the new results."""
    gathering = get_gathering_for(request.user, pk, write=True, queryset=Gathering.objects.all())
    found = Activity.objects.filter(gathering=gathering, pk=activity).first()
    if found is None:
        return HttpResponse(status=404)
    shown = _int(request.GET.get("v"))
    # The timer's countdown runs in the browser; the screen redraws when the phase changes.
    if shown == found.version and request.GET.get("p", "") == found.timer_state()[0]:
        return HttpResponse(status=204)
    return render(request, "gatherings/presenter.html#live", _live_context(gathering, found))
