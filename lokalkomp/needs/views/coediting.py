"""Writing a report together: who else has it open, the amounts as stored now, new measures, uses of funds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from lokalkomp.templatetags.nor import kr

from ..access import get_report_for
from ..autosave import shown
from ..models import Continuation, NeedsReport, ReportPresence

PRESENT_FOR = dt.timedelta(seconds=60)  # the page says «here» every 20 s: three missed polls and one is gone
FORGOTTEN_AFTER = dt.timedelta(days=1)
AMOUNTS = ("owner_amount", "partner_amount")


def sync_data(report: NeedsReport, *, continuations: bool = True) -> dict[str, Any]:
    """Every amount of the report as its field shows it, and each measure's own total, as stored now.

    Without `continuations`, the continuations' amounts are left out (they are in no total): one query less.
    """
    fields: dict[str, str] = {}
    texts: dict[str, str] = {}
    for m in report.measures.all():
        for name in AMOUNTS:
            fields[f"measure:{m.pk}:{name}"] = shown(getattr(m, name), name)
        texts[f"measure-total-{m.pk}"] = kr(m.total_amount)
    for rs in report.report_schemes.all():
        fields[f"scheme:{rs.pk}:co_financing_amount"] = shown(rs.co_financing_amount, "co_financing_amount")
    for c in Continuation.objects.filter(measure__report=report).only("pk", *AMOUNTS) if continuations else []:
        for name in AMOUNTS:
            fields[f"continuation:{c.pk}:{name}"] = shown(getattr(c, name), name)
    return {"fields": fields, "texts": texts}


def sync_json(report: NeedsReport, *, continuations: bool = True) -> str:
    return json.dumps(sync_data(report, continuations=continuations))


@require_POST
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    """The open form says «I am here» every ~20 s; the answer names who else is, with the amounts as stored."""
    if not request.user.is_authenticated:
        return JsonResponse({"others": []}, status=401)
    report = get_report_for(request.user, pk, light=True)
    now = timezone.now()
    ReportPresence.objects.update_or_create(report=report, user=request.user, defaults={"last_seen": now})
    ReportPresence.objects.filter(report=report, last_seen__lt=now - FORGOTTEN_AFTER).delete()
    others = sorted(
        {
            str(p.user)
            for p in ReportPresence.objects.filter(report=report, last_seen__gte=now - PRESENT_FOR)
            .exclude(user=request.user)
            .select_related("user")
        }
    )
    data = sync_data(report) | {
        "others": others,
        "totals": render_to_string(
            "needs/edit_base.html#totals", {"totals": report.totals_by_scheme()}, request=request
        ),
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response
