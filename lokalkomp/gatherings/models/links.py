"""Which development areas of the owner's municipal plan a measure of a needs report serves.

The areas offered are those of each owner's current plan (the latest one whose period covers the
round's year) for the owners of the report's partnership. The choice is saved with `MeasureArea.choose`,
needs' compare-and-set under the draft's lock, on the report's change record. The submitted record
keeps the areas' titles as text (needs/extensions.py), so it says the same when a plan changes later.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .plans import PlanArea

FIELD = "development_areas"  # the change record's field: measure:<pk>:development_areas


class MeasureArea(models.Model):
    """A development area of a municipal plan that a measure serves (a link, one per pair)."""

    measure = models.ForeignKey(
        "needs.Measure", on_delete=models.CASCADE, related_name="plan_areas", verbose_name=_("measure")
    )
    area = models.ForeignKey(PlanArea, on_delete=models.CASCADE, related_name="measure_links", verbose_name=_("area"))

    class Meta:
        ordering = ["measure", "area__plan__first_year", "area__position", "area__pk"]
        verbose_name = _("development area of a measure")
        verbose_name_plural = _("development areas of measures")
        constraints = [models.UniqueConstraint(fields=["measure", "area"], name="measure_area_once")]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.area_id}"

    @staticmethod
    def for_page(report: Any, measure: Any) -> list[PlanArea]:
        """The areas the measure's page lists (one query): every covering plan's of the report's owners, and
        those chosen before; each with `lk_chosen` and `lk_current` (in its owner's current plan)."""
        year = report.round.year
        owners = {p.organisation_id for p in report.partnership.participants.all() if p.side == "owner"}
        chosen = MeasureArea.objects.filter(measure_id=measure.pk)
        areas: list[PlanArea] = list(
            PlanArea.objects.filter(
                Q(plan__owner_id__in=owners, plan__first_year__lte=year, plan__last_year__gte=year)
                | Q(pk__in=chosen.values("area_id"))
            )
            .annotate(lk_chosen=Exists(chosen.filter(area_id=OuterRef("pk"))))
            .select_related("plan__owner")
            .order_by("plan__owner__name", "-plan__first_year", "plan__pk", "position", "pk")
        )
        current = _current_plans(areas, owners, year)
        for area in areas:
            area.lk_current = area.plan_id in current  # type: ignore[attr-defined]
        return areas

    @classmethod
    def choose(cls, report: Any, measure: Any, values: list[str], *, base: str | None, by: Any) -> Any:
        """Name the measure's areas among those of the owners' current plans, as a compare-and-set on record."""
        from lokalkomp.needs.extensions import save_links

        def write(removed: set[int], added: set[int]) -> None:
            MeasureArea.objects.filter(measure_id=measure.pk, area_id__in=removed).delete()
            MeasureArea.objects.bulk_create(
                [MeasureArea(measure_id=measure.pk, area_id=pk) for pk in sorted(added)], ignore_conflicts=True
            )

        def current() -> dict[int, str]:
            links = cls.objects.filter(measure_id=measure.pk).select_related("area")
            return {link.area_id: link.area.title for link in links}

        offered = {area.pk: area.title for area in cls.for_page(report, measure) if area.lk_current}  # type: ignore[attr-defined]
        return save_links(
            report,
            measure,
            field=FIELD,
            values=values,
            base=base,
            offered=offered,
            current=current,
            write=write,
            by=by,
        )

    @classmethod
    def copy(cls, source: Any, copy: Any) -> None:
        """A continued measure keeps the areas that are in its owners' current plans of the new year."""
        chosen = set(cls.objects.filter(measure_id=source.pk).values_list("area_id", flat=True))
        if not chosen:
            return
        kept = [a.pk for a in cls.for_page(copy.report, copy) if a.lk_current and a.pk in chosen]  # type: ignore[attr-defined]
        MeasureArea.objects.bulk_create(
            [MeasureArea(measure_id=copy.pk, area_id=pk) for pk in kept], ignore_conflicts=True
        )


def _current_plans(areas: list[PlanArea], owners: set[int], year: int) -> set[int]:
    """Each owner's current plan among the areas' plans: the latest one that covers the year."""
    latest: dict[int, Any] = {}
    for area in areas:
        plan = area.plan
        if plan.owner_id in owners and plan.first_year <= year <= plan.last_year:
            best = latest.get(plan.owner_id)
            if best is None or (plan.first_year, plan.pk) > (best.first_year, best.pk):
                latest[plan.owner_id] = plan
    return {plan.pk for plan in latest.values()}
