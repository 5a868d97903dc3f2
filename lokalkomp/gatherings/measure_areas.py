"""The municipal plan in the needs report: a measure names the development areas it serves.

What gatherings gives needs' registries (needs/extensions.py, filled in GatheringsConfig.ready()):
the checkbox list on the measure's page, what the submitted record keeps (the areas' titles), and
the copy into a later year; and the view the list posts to. Who may choose is needs' rule: the
report's writers, while it is a draft (`measure_for_links`: 404 stranger, 403 reader, 423 locked).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokalkomp.needs.extensions import Choice, ChoiceGroup, MeasureLinks, RecordExtra, ids_text
from lokalkomp.needs.views.links import links_answer, locked_as_423, measure_for_links

from .models import MeasureArea
from .models.links import FIELD

LABEL = gettext_lazy("Development areas in the municipality's plan")


def measure_section(report: Any, measure: Any) -> MeasureLinks | None:
    """The owners' current plans' areas as a checkbox list (one query); None if no owner has a plan for the year."""
    areas = MeasureArea.for_page(report, measure)
    if not areas:
        return None
    groups: dict[str, list[Choice]] = {}
    note = _("not in the owner's plan for %(year)s") % {"year": report.round.year}
    for area in areas:
        if not (area.lk_current or area.lk_chosen):  # type: ignore[attr-defined]  # an older plan of the year
            continue
        heading = _("%(owner)s: the plan for %(period)s") % {"owner": area.plan.owner, "period": area.plan.period}
        groups.setdefault(heading, []).append(
            Choice(area.pk, area.title, area.lk_chosen, note="" if area.lk_current else note)  # type: ignore[attr-defined]
        )
    if not groups:
        return None
    return MeasureLinks(
        measure=measure.pk,
        field=FIELD,
        legend=_("Which development areas of the municipality's plan does the measure serve?"),
        help=_("The areas of the owners' plans for competence development that cover %(year)s.")
        % {"year": report.round.year},
        groups=[ChoiceGroup(heading, choices) for heading, choices in groups.items()],
        action=reverse("gatherings:measure_areas", args=[report.pk, measure.pk]),
        base=ids_text(area.pk for area in areas if area.lk_chosen),  # type: ignore[attr-defined]
    )


def recorded_rows(measure_ids: list[int]) -> QuerySet[Any]:
    """The measures' areas as needs' record reads them: (measure, area, title, owner, first, last, position)."""
    return MeasureArea.objects.filter(measure_id__in=measure_ids).values_list(
        "measure_id",
        "area_id",
        "area__title",
        "area__plan__owner__name",
        "area__plan__first_year",
        "area__plan__last_year",
        "area__position",
    )


RECORD = RecordExtra(key=FIELD, label=LABEL, rows=recorded_rows)


@require_POST
@locked_as_423
def measure_areas(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    """Which development areas the measure serves (the list of checkboxes posts them all)."""
    report, the_measure = measure_for_links(request, pk, measure)
    values = request.POST.getlist("choice")
    result = MeasureArea.choose(report, the_measure, values, base=request.POST.get("base"), by=request.user)
    return links_answer(request, report, the_measure, FIELD, result)
