"""The municipality's plan (kommunens plan) for competence development: one per owner and period.

It begins at a gathering (the municipal-level group task goes through its seven content elements)
and lives on after it, edited by the owner's people. The first element, the development areas and
their content, is also a list of areas (`PlanArea`): the owner's measures in a needs report are to
name the areas they serve (a link the needs app will hold; see the package docstring).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2015
LONGEST_PERIOD = 10

# The seven content elements of the plan's template (seed 000), in its order: field name, label.
PLAN_ELEMENTS: list[tuple[str, Any]] = [
    ("development_areas", _("Development areas and content")),
    ("goals", _("Goals")),
    ("organisation", _("Organisation and anchoring of the work")),
    ("implementation", _("Carrying out the competence development")),
    ("other_measures", _("Other measures at local level")),
    ("financing", _("Financing")),
    ("challenges", _("Challenges and opportunities")),
]
PLAN_FIELDS = [name for name, _label in PLAN_ELEMENTS]


class MunicipalPlan(models.Model):
    owner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="competence_plans", verbose_name=_("owner")
    )
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    development_areas = models.TextField(_("development areas and content"), blank=True, max_length=10_000)
    goals = models.TextField(_("goals"), blank=True, max_length=10_000)
    organisation = models.TextField(_("organisation and anchoring"), blank=True, max_length=10_000)
    implementation = models.TextField(_("carrying out the competence development"), blank=True, max_length=10_000)
    other_measures = models.TextField(_("other measures at local level"), blank=True, max_length=10_000)
    financing = models.TextField(_("financing"), blank=True, max_length=10_000)
    challenges = models.TextField(_("challenges and opportunities"), blank=True, max_length=10_000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["owner__name", "-first_year"]
        verbose_name = _("municipality's plan")
        verbose_name_plural = _("municipalities' plans")
        constraints = [
            models.UniqueConstraint(fields=["owner", "first_year", "last_year"], name="one_plan_per_owner_and_period"),
            models.CheckConstraint(
                condition=Q(first_year__gte=FIRST_YEAR, last_year__gte=models.F("first_year"))
                & Q(last_year__lte=models.F("first_year") + LONGEST_PERIOD),
                name="plan_period_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:plan", args=[self.pk])

    @property
    def period(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"

    def elements(self) -> list[tuple[str, Any, str]]:
        """(field, label, text) for each of the seven content elements."""
        return [(name, label, getattr(self, name)) for name, label in PLAN_ELEMENTS]

    def take_from_group(self, group: Any, *, by: Any) -> list[str]:
        """Fills the plan's empty elements with a group's answers to them; returns the elements filled.

        An element the owner's people have written is never overwritten by a group's notes.
        """
        answers = {a.key: a.text for a in group.answers.all() if a.text}
        filled = [name for name in PLAN_FIELDS if not getattr(self, name).strip() and answers.get(name)]
        if not filled:
            return []
        for name in filled:
            setattr(self, name, answers[name])
        self.save(update_fields=[*filled, "updated_at"])
        PlanEvent.objects.create(
            plan=self, actor=by, kind=PlanEvent.Kind.FROM_GROUP, detail=f"{group.task.gathering} – {group}"[:300]
        )
        return filled


class PlanArea(models.Model):
    """A development area of the plan, with what it holds."""

    plan = models.ForeignKey(MunicipalPlan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("plan"))
    title = models.CharField(_("development area"), max_length=200)
    content = models.TextField(_("content"), blank=True, max_length=5000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("development area")
        verbose_name_plural = _("development areas")
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="area_title_unique_per_plan")]

    def __str__(self) -> str:
        return self.title


class PlanEvent(models.Model):
    """An append-only record of who changed the plan, and how."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Plan created")
        EDITED = "edited", _("Plan edited")
        AREA_ADDED = "area_added", _("Development area added")
        AREA_REMOVED = "area_removed", _("Development area removed")
        FROM_GROUP = "from_group", _("Filled in from a group's answers")

    plan = models.ForeignKey(MunicipalPlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
