"""The presenter's view: the projector page with the join code, the QR code and live results.

It polls `presenter_live` with the activity's version (see the package docstring for why polling):
an unchanged version is a 204 after two small queries besides the session. A changed one answers,
for statements per table, with only what is new since the screen's version (`new_statements`):
each new statement appended to its table by an htmx out-of-band swap, the count redrawn, and a new
poller with the new version. Anything else (another kind, a hidden or approved response, an edit,
a reset, more statements than the screen has room for) redraws the whole results view, in a fixed
number of queries whatever the number of responses.

Why «since N» is exact: an answer raises the activity's version first and stores it on the
response, in one transaction, and the raise holds the activity's row lock until the commit. So once
the poll reads version V, every response up to V is committed and none above it is counted, and a
version step that is not one new response (moderation, an edit) shows as a gap in the count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import get_gathering_for
from .models import Activity, Gathering, Response
from .results import MAX_STATEMENTS, Results, results_of

POLL_MS = 1500
# After an answer with news the screen asks again this soon: while answers arrive (a hall of 300 answering
# at once) each poll brings what came during the one before, instead of waiting out POLL_MS each time.
SOON_MS = 250


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
    # Statements: exactly the responses up to the version the poller carries, so that «since» adds the rest.
    upto = activity.version if activity.kind == Activity.Kind.STATEMENTS else None
    return {
        "gathering": gathering,
        "activity": activity,
        "results": results_of(activity, upto=upto),
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
    """204 while the activity's version is the one the screen shows (`?v=`); else what is new, or the results."""
    gathering = get_gathering_for(request.user, pk, write=True, queryset=Gathering.objects.all())
    found = Activity.objects.filter(gathering=gathering, pk=activity).first()
    if found is None:
        return HttpResponse(status=404)
    shown = _int(request.GET.get("v"))
    # The timer's countdown runs in the browser; the screen redraws when the phase changes.
    phase = found.timer_state()[0]
    if request.GET.get("p", "") != phase:
        shown = None
    if shown == found.version:
        return HttpResponse(status=204)
    # A page from before the poller had its own element polls with #live as its target: it wants the view.
    old_page = request.headers.get("HX-Target") == "live"
    new = None if shown is None or old_page else new_statements(found, shown)
    if new is not None:
        context = new | {"gathering": gathering, "phase": phase, "poll_ms": POLL_MS, "soon_ms": SOON_MS}
        return render(request, "gatherings/presenter.html#news", context)
    context = _live_context(gathering, found) | {"soon_ms": SOON_MS}
    reply = render(request, "gatherings/presenter.html#live", context)
    reply["HX-Retarget"], reply["HX-Reswap"] = "#live", "outerHTML"  # the poller sits inside #live
    return reply


def new_statements(activity: Activity, since: int) -> dict[str, Any] | None:
    """What the screen at version `since` lacks: the statements since, by table; None where it must redraw.

    Each version step of a statements activity is one new response, unless something else changed
    (a response hidden or approved, the activity edited, reset, opened or closed): then the versions
    after `since` are more than the responses that carry them, and the screen redraws.
    """
    steps = activity.version - since
    if activity.kind != Activity.Kind.STATEMENTS or not 0 < steps <= MAX_STATEMENTS:
        return None
    rows = list(
        Response.objects.filter(activity=activity, version__gt=since, version__lte=activity.version)
        .order_by("version")
        .values("pk", "table", "text", "name", "approved", "hidden")
    )
    if len(rows) != steps:
        return None
    # One grouped count: the room's total, those waiting, and which tables the screen already has.
    tables = (
        Response.objects.filter(activity=activity, version__lte=activity.version, hidden=False)
        .order_by()
        .values("table")
        .annotate(shown=Count("pk", filter=Q(approved=True)), pending=Count("pk", filter=Q(approved=False)))
    )
    shown = {t["table"]: t["shown"] for t in tables}
    total = sum(shown.values())
    if total > MAX_STATEMENTS:  # the full view makes room by table; appending would not
        return None
    waiting = sum(t["pending"] for t in tables) if activity.moderated or activity.profanity_filter else 0
    fresh = [r for r in rows if r["approved"] and not r["hidden"]]
    for row in fresh:
        # what is left is what the screen has (.get: a hide since the first query is the next poll's redraw)
        shown[row["table"]] = shown.get(row["table"], 0) - 1
    on_screen = {table for table, n in shown.items() if n > 0}
    results = Results(total=total, pending=waiting)
    return {"activity": activity, "results": results, "tables": _placed(on_screen, fresh)}


def _placed(on_screen: set[int | None], fresh: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The new statements by table, each table with where it goes: appended to its list, or a new section.

    A new table goes after the nearest smaller table on the screen (tables run up, «no table» last),
    as the full view orders them; the out-of-band swaps run in this order, so one placed earlier counts.
    """
    by_table: dict[int | None, list[Mapping[str, Any]]] = {}
    for row in fresh:
        by_table.setdefault(row["table"], []).append(row)
    placed = []
    numbered = sorted(n for n in on_screen if n is not None)
    for number in sorted(by_table, key=lambda n: (n is None, n or 0)):
        if number in on_screen:
            where = ""
        elif number is None:
            where = "beforeend:#tables"
        else:
            before = [n for n in numbered if n < number]
            where = f"afterend:#table-{before[-1]}" if before else "afterbegin:#tables"
            numbered = sorted([*numbered, number])
        placed.append({"number": number, "items": by_table[number], "where": where})
    return placed
