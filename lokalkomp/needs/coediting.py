"""Writing a report together: who else has it open, the amounts as stored now, new measures, uses of funds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lokalkomp.schemes.models import Use
from lokalkomp.templatetags.nor import kr

from . import actions
from .access import get_report_for
from .editing import SaveResult, save_fields, shown
from .models import Continuation, Measure, NeedsReport, ReportPresence
from .sections import section_context

PRESENT_FOR = dt.timedelta(seconds=60)  # the page says «here» every 20 s: three missed polls and one is gone
FORGOTTEN_AFTER = dt.timedelta(days=1)
AMOUNTS = ("owner_amount", "partner_amount")
NEW_MEASURE_FIELDS = ("name", "scheme", "owner_amount", "partner_amount")


def purposes(measure: Measure) -> list[tuple[str, str]]:
    """The uses of funds the measure's scheme allows (and the one chosen, if it is not, marked as such)."""
    scheme = measure.scheme
    allowed = [(code, str(label)) for code, label in Use.choices if scheme.allows_use(code)]
    if measure.purpose and measure.purpose not in {code for code, _label in allowed}:
        allowed.append(
            (
                measure.purpose,
                _("%(use)s (not allowed in %(scheme)s)")
                % {"use": measure.get_purpose_display(), "scheme": scheme.short_name},
            )
        )
    return allowed


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
        "totals": render_to_string("needs/_totals.html", {"totals": report.totals_by_scheme()}, request=request),
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store"
    return response


def new_measure_context(
    request: HttpRequest,
    report: NeedsReport,
    *,
    posted: QueryDict | None = None,
    results: list[SaveResult] | None = None,
) -> dict[str, Any]:
    """The blank form of a new measure: nothing exists until it is saved."""
    context = section_context(request, report, "measures")
    errors = {r.key.rsplit(":", 1)[-1]: r.error for r in results or [] if not r.ok and r.error}
    schemes = [(rs.scheme_id, rs.scheme.short_name) for rs in report.report_schemes.all()]
    context.update(
        {
            "measure_number": len(report.measures.all()) + 1,
            "new_schemes": schemes if len(schemes) > 1 else [],
            "new_values": {name: posted.get(f"new:{name}", "") if posted else "" for name in NEW_MEASURE_FIELDS},
            "new_errors": errors,
        }
    )
    return context


def create_measure(report: NeedsReport, posted: QueryDict, *, by: Any) -> tuple[Measure | None, list[SaveResult]]:
    """Create a measure from its first save, with what was typed; nothing is created if a value is refused."""
    name = posted.get("new:name", "").strip()
    if not name:
        return None, [SaveResult("new:name", "invalid", error=_("Give the measure a name before you save it."))]
    with transaction.atomic():
        measure = actions.add_measure(report, by=by)
        fields = [f for f in NEW_MEASURE_FIELDS if posted.get(f"new:{f}", "").strip()]
        results = save_fields(
            report, [(f"measure:{measure.pk}:{f}", posted.getlist(f"new:{f}"), None) for f in fields], by=by
        )
        if not all(r.ok for r in results):
            transaction.set_rollback(True)
            return None, results
    return measure, results
