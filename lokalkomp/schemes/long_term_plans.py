"""The forum's long-term plan (langsiktig plan, e.g. 2023–2026) of an office, and its goals.

A plan covers a period of whole years, and an office's plans never overlap, so a round's year has
at most one plan. Its goals are an ordered list; a measure of a needs report names the goals it
serves (`needs.Measure.goals`). Every change goes through a method here and is on the audit record
(`AuditEvent.record_change`), with the office, so the Statsforvalter's audit page shows it.

The apps after schemes say how many of their rows name a goal through `goal_uses` (needs fills it
with its measures): a goal that something names is not removed, since the link would go with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100  # as a round's years
LONGEST_PERIOD = 10  # years a plan spans at most, beyond its first
GOAL_LENGTH = 500
MAX_GOALS = 50  # a plan with more goals is no longer a plan to choose from

# Apps after schemes: how many of their rows name each goal (goal ids → count), one query each.
goal_uses: dict[str, Callable[[list[int]], dict[int, int]]] = {}


def uses_of(goal_ids: Iterable[int]) -> dict[int, int]:
    """How many rows of the later apps name each goal (absent: none)."""
    ids = list(goal_ids)
    counts: dict[int, int] = {}
    if not ids:
        return counts
    for count in goal_uses.values():
        for pk, n in count(ids).items():
            counts[pk] = counts.get(pk, 0) + n
    return counts


def period_text(first_year: int, last_year: int) -> str:
    return str(first_year) if first_year == last_year else f"{first_year}–{last_year}"


def _record(key: str, plan: LongTermPlan, *, old: Any = "", new: Any = "", by: Any, source: str) -> None:
    from lokalkomp.accounts.models import AuditEvent

    AuditEvent.record_change(
        key, object_repr=f"{plan.office}: {plan}", old=old, new=new, by=by, source=source, office_id=plan.office_id
    )


class LongTermPlanQuerySet(models.QuerySet["LongTermPlan"]):
    def covering(self, year: int) -> LongTermPlanQuerySet:
        """The plans whose period includes the year (for one office: at most one)."""
        return self.filter(first_year__lte=year, last_year__gte=year)

    def overlapping(self, first_year: int, last_year: int) -> LongTermPlanQuerySet:
        return self.filter(first_year__lte=last_year, last_year__gte=first_year)


class LongTermPlan(models.Model):
    """The forum's long-term plan of an office for a period of years, with its goals."""

    office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="long_term_plans", verbose_name=_("office")
    )
    first_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. “Long-term plan for competence development in kindergarten and school”."),
    )

    objects = LongTermPlanQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-first_year"]
        verbose_name = _("long-term plan")
        verbose_name_plural = _("long-term plans")
        constraints = [
            models.UniqueConstraint(fields=["office", "first_year"], name="one_long_term_plan_per_office_and_start"),
            models.CheckConstraint(
                condition=Q(first_year__gte=FIRST_YEAR, last_year__lte=LAST_YEAR, last_year__gte=F("first_year"))
                & Q(last_year__lte=F("first_year") + LONGEST_PERIOD),
                name="long_term_plan_period_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.title or gettext("Long-term plan %(period)s") % {"period": self.period}

    @property
    def period(self) -> str:
        return period_text(self.first_year, self.last_year)

    @property
    def label(self) -> str:
        """The plan as a choice is headed and as a record keeps it: «Langsiktig plan 2023–2026»."""
        name = gettext("Long-term plan %(period)s") % {"period": self.period}
        return f"{name}: {self.title}" if self.title else name

    @classmethod
    def check_period(cls, office_id: int, first_year: int, last_year: int, *, exclude: int | None = None) -> None:
        """ValidationError if the period is not sane or overlaps another plan of the office."""
        if not (FIRST_YEAR <= first_year <= last_year <= LAST_YEAR):
            raise ValidationError(
                gettext("The period runs from a year to the same or a later year, between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if last_year - first_year > LONGEST_PERIOD:
            raise ValidationError(gettext("A plan spans at most %(n)s years.") % {"n": LONGEST_PERIOD + 1})
        others = cls.objects.filter(office_id=office_id).overlapping(first_year, last_year)
        other = (others.exclude(pk=exclude) if exclude is not None else others).first()
        if other is not None:
            raise ValidationError(
                gettext("The period overlaps %(plan)s (%(period)s). An office has one plan for each year.")
                % {"plan": other, "period": other.period}
            )

    @classmethod
    def make(
        cls, *, office: Any, first_year: int, last_year: int, title: str = "", by: Any, source: str = "form"
    ) -> Any:
        """A new plan of the office, on record; ValidationError if its period is taken."""
        with transaction.atomic():
            _lock_office(office.pk)
            cls.check_period(office.pk, first_year, last_year)
            plan = cls.objects.create(office=office, first_year=first_year, last_year=last_year, title=title)
            _record(f"longtermplan:{plan.pk}:added", plan, new=f"{plan.period} {title}".strip(), by=by, source=source)
        return plan

    def change(self, *, first_year: int, last_year: int, title: str, by: Any, source: str = "form") -> list[str]:
        """Change the period or the title, each change on record; returns the fields changed."""
        new = {"first_year": first_year, "last_year": last_year, "title": title}
        with transaction.atomic():
            _lock_office(self.office_id)
            stored = LongTermPlan.objects.select_for_update().get(pk=self.pk)
            changed = [name for name, value in new.items() if getattr(stored, name) != value]
            if not changed:
                return []
            LongTermPlan.check_period(self.office_id, first_year, last_year, exclude=self.pk)
            for name in changed:
                setattr(self, name, new[name])
            self.save(update_fields=changed)
            for name in changed:
                _record(
                    f"longtermplan:{self.pk}:{name}",
                    self,
                    old=getattr(stored, name),
                    new=new[name],
                    by=by,
                    source=source,
                )
        return changed

    def remove(self, *, by: Any, source: str = "form") -> None:
        """Remove the plan and its goals; refused while something names one of its goals."""
        with transaction.atomic():
            goals = list(self.goals.select_for_update().order_by("position", "pk"))
            named = sum(uses_of(g.pk for g in goals).values())
            if named:
                raise ValidationError(
                    ngettext(
                        "%(n)s measure names a goal of this plan, so it cannot be removed.",
                        "%(n)s measures name goals of this plan, so it cannot be removed.",
                        named,
                    )
                    % {"n": named}
                )
            old = "\n".join([f"{self.period} {self.title}".strip(), *(g.text for g in goals)])
            _record(f"longtermplan:{self.pk}:removed", self, old=old, by=by, source=source)
            self.delete()

    def add_goal(self, text: str, *, by: Any, source: str = "form") -> PlanGoal:
        """A goal at the end of the list, on record."""
        with transaction.atomic():
            list(LongTermPlan.objects.select_for_update().filter(pk=self.pk).values_list("pk"))  # one at a time
            goals = self.goals.all()
            if goals.count() >= MAX_GOALS:
                raise ValidationError(gettext("A plan has at most %(n)s goals.") % {"n": MAX_GOALS})
            position = (goals.aggregate(top=Max("position"))["top"] or 0) + 1
            goal = PlanGoal.objects.create(plan=self, position=position, text=text)
            _record(f"plangoal:{goal.pk}:added", self, new=text, by=by, source=source)
        return goal


def _lock_office(office_id: int) -> None:
    """Changes to an office's plans take turns, so two overlapping periods are never both accepted."""
    from lokalkomp.directory.models import Office

    list(Office.objects.select_for_update().filter(pk=office_id).values_list("pk"))


class PlanGoal(models.Model):
    """A goal of a long-term plan, in the plan's order."""

    plan = models.ForeignKey(LongTermPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    position = models.PositiveSmallIntegerField(_("number"), default=0)
    text = models.CharField(_("goal"), max_length=GOAL_LENGTH)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("goal in the long-term plan")
        verbose_name_plural = _("goals in the long-term plan")

    def __str__(self) -> str:
        return self.text

    def change_text(self, text: str, *, by: Any, source: str = "form") -> bool:
        """A new wording, on record; False if it is the same. A submitted report keeps the wording it chose."""
        with transaction.atomic():
            stored = PlanGoal.objects.select_for_update().get(pk=self.pk)
            if stored.text == text:
                return False
            PlanGoal.objects.filter(pk=self.pk).update(text=text)
            self.text = text
            _record(f"plangoal:{self.pk}:text", self.plan, old=stored.text, new=text, by=by, source=source)
        return True

    def remove(self, *, by: Any, source: str = "form") -> None:
        """Remove the goal; refused while a measure names it (the choice would go with it)."""
        with transaction.atomic():
            list(PlanGoal.objects.select_for_update().filter(pk=self.pk).values_list("pk"))
            named = uses_of([self.pk]).get(self.pk, 0)
            if named:
                raise ValidationError(
                    ngettext(
                        "%(n)s measure names this goal, so it cannot be removed. Change its wording instead.",
                        "%(n)s measures name this goal, so it cannot be removed. Change its wording instead.",
                        named,
                    )
                    % {"n": named}
                )
            _record(f"plangoal:{self.pk}:removed", self.plan, old=self.text, by=by, source=source)
            self.delete()
            _renumber(self.plan)

    def move(self, *, up: bool, by: Any, source: str = "form") -> bool:
        """One place up or down the list, on record; False at the end of the list."""
        with transaction.atomic():
            goals = list(self.plan.goals.select_for_update().order_by("position", "pk"))
            index = next((i for i, g in enumerate(goals) if g.pk == self.pk), None)
            if index is None:
                return False
            other = index - 1 if up else index + 1
            if not 0 <= other < len(goals):
                return False
            goals[index], goals[other] = goals[other], goals[index]
            _renumber(self.plan, goals)
            _record(f"plangoal:{self.pk}:position", self.plan, old=index + 1, new=other + 1, by=by, source=source)
        return True


def _renumber(plan: LongTermPlan, goals: list[PlanGoal] | None = None) -> None:
    """Positions 1, 2, 3 … in the given order (else the stored one)."""
    ordered = goals if goals is not None else list(plan.goals.order_by("position", "pk"))
    for position, goal in enumerate(ordered, start=1):
        if goal.position != position:
            PlanGoal.objects.filter(pk=goal.pk).update(position=position)
            goal.position = position
