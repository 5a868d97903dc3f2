"""Measures (tiltak) of a needs report: the money, the form's texts, the semesters and the continuation estimates.

Every list of a measure's fields is written here once (`Measure.NARRATIVE_FIELDS` and the lists
derived from it); the form, the checklist, the record, the PDF, the import and the copy into a
later report read them. The form's question for a field is its help text (`Measure.question`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Sum
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lokalkomp.schemes.models import Use

from .report import LONG_TEXT, SHORT_TEXT, NeedsReport, SplitAmounts, Totals

SEASONS = {"": 0, "spring": 1, "autumn": 2}


def semester_codes(year: int) -> list[str]:
    """The semesters a measure of a round can run: spring and autumn of the year, spring of the next."""
    return [f"{year}-spring", f"{year}-autumn", f"{year + 1}-spring"]


def continuation_periods(year: int) -> list[str]:
    """The periods a measure of a round may continue into (videreføring): next autumn, then two whole years."""
    return [f"{year + 1}-autumn", str(year + 2), str(year + 3)]


def period_order(code: str) -> tuple[int, int]:
    """Semester and period codes in time order: «2025-spring», «2025-autumn», «2026» …"""
    year, _sep, season = code.partition("-")
    return (int(year) if year.isascii() and year.isdigit() else 0, SEASONS.get(season, 0))


class MeasureQuerySet(models.QuerySet["Measure"]):
    def totals(self) -> Totals:
        sums = self.aggregate(owner=Sum("owner_amount", default=0), partner=Sum("partner_amount", default=0))
        return Totals(sums["owner"], sums["partner"])


class Measure(SplitAmounts, models.Model):
    """A measure (tiltak) with its money split between owner and UH."""

    NARRATIVE_FIELDS = (
        "description",
        "anchoring",
        "collective",
        "teacher_education",
        "long_term_plan",
        "owner_share_use",
        "partner_share_use",
        "coordinator_reason",
        "target_group",
    )
    """The measure's texts, in the order of the form."""

    REQUIRED_NARRATIVES = ("anchoring", "collective", "teacher_education", "long_term_plan")
    """The texts a measure must have before its report is submitted (a coordinator measure needs none)."""

    # The texts the Word form asks as questions of their own, in its order: the description (under what the
    # grant is for), the coordinator's reason (under its yes/no) and the target group (last) have their places.
    QUESTION_FIELDS = tuple(
        f for f in NARRATIVE_FIELDS if f not in ("description", "coordinator_reason", "target_group")
    )

    ANSWER_FIELDS = (
        "name",
        "owner_amount",
        "partner_amount",
        "purpose",
        "needs_coordinator",
        "semesters",
        *NARRATIVE_FIELDS,
    )
    """Everything a person answers about a measure, in the order of the record and of its changes."""

    report = models.ForeignKey(
        NeedsReport, on_delete=models.CASCADE, related_name="measures", verbose_name=_("needs report")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="measures", verbose_name=_("scheme")
    )
    position = models.PositiveIntegerField(_("number"), default=0)
    name = models.CharField(_("name of measure"), max_length=300)
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), default=0)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), default=0)
    purpose = models.CharField(
        _("what the grant is for"),
        max_length=30,
        choices=Use.choices,
        blank=True,
        help_text=_("What is the grant to be used for?"),
    )
    description = models.TextField(_("description"), max_length=LONG_TEXT, blank=True)
    anchoring = models.TextField(
        _(
            "how the measure is anchored in each kindergarten and school, with staff and leaders and in dialogue with UH"
        ),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "Describe how the measure is anchored in each kindergarten and school in a way that involves staff and "
            "leaders, and in professional dialogue with UH"
        ),
    )
    collective = models.TextField(
        _("how the measure promotes collective processes of professional development"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_(
            "Describe how the measures promote collective processes of professional development that develop the "
            "kindergarten or school"
        ),
    )
    teacher_education = models.TextField(
        _("how the collaboration strengthens teacher education"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Describe how this collaboration helps strengthen teacher education"),
    )
    long_term_plan = models.TextField(
        _("how the measure is anchored in the long-term plan"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("Describe how this measure is anchored in the long-term plan"),
    )
    owner_share_use = models.TextField(
        _("how the owner's share is used"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("The owner's grant will be used as follows"),
    )
    partner_share_use = models.TextField(
        _("how the UH share is used"),
        max_length=LONG_TEXT,
        blank=True,
        help_text=_("The UH's grant will be used as follows"),
    )
    needs_coordinator = models.BooleanField(
        _("needs coordinator funds"),
        null=True,
        blank=True,
        help_text=_("Are coordinator funds needed for this measure?"),
    )
    coordinator_reason = models.TextField(_("why coordinator funds are needed"), max_length=SHORT_TEXT, blank=True)
    semesters = models.JSONField(
        _("duration (semesters)"), default=list, blank=True, help_text=_("Duration of the measure")
    )
    target_group = models.TextField(
        _("target group"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Who is the target group of the measure?"),
    )
    # «Partner 2» (Trøndelag's model, seed 002): a second development partner chosen for this measure, possibly
    # outside the county, that receives `second_partner_amount` of the UH share from the forum's priorities. It is
    # not a participant of the partnership, so its account number is the register's, recorded at submission.
    second_partner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures_as_second_partner",
        verbose_name=_("partner 2"),
        help_text=_(
            "Another university, university college or vocational college for this measure, possibly outside the "
            "county. It receives its part of the UH amount directly."
        ),
    )
    second_partner_amount = models.PositiveBigIntegerField(
        _("partner 2's part of the UH amount (kr)"),
        default=0,
        help_text=_("How much of the UH amount goes to partner 2"),
    )
    continued_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuations_in_later_reports",
        verbose_name=_("continued from"),
    )
    # The goals of the office's long-term plan the measure serves; `long_term_plan` explains how.
    # Chosen on the measure's page (needs/goals.py), each change on the change record.
    goals: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "schemes.PlanGoal", blank=True, related_name="measures", verbose_name=_("goals in the long-term plan")
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["report", "position", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name

    @property
    def first_partner_amount(self) -> int:
        """The UH amount less partner 2's part: what the report's own UH receives."""
        return max(self.partner_amount - self.second_partner_amount, 0)

    @classmethod
    def question(cls, name: str) -> str:
        """The form's question for a field: its help text (the Word form's wording), else its label.

        capfirst keeps «UH» (str.capitalize would give «uh»).
        """
        field = cls._meta.get_field(name)
        return capfirst(str(getattr(field, "help_text", "") or getattr(field, "verbose_name", name)))


class Continuation(models.Model):
    """An estimate of what a measure needs in a later period, if it is continued."""

    ESTIMATE_FIELDS = ("owner_amount", "owner_reason", "partner_amount", "partner_reason")
    """What a person estimates for a period, in the form's order."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="continuations", verbose_name=_("measure")
    )
    period = models.CharField(_("period"), max_length=20, help_text=_("“2025-autumn” or a year such as “2026”."))
    owner_amount = models.PositiveBigIntegerField(_("owner amount (kr)"), null=True, blank=True)
    owner_reason = models.TextField(_("owner: reason"), max_length=SHORT_TEXT, blank=True)
    partner_amount = models.PositiveBigIntegerField(_("UH amount (kr)"), null=True, blank=True)
    partner_reason = models.TextField(_("UH: reason"), max_length=SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["measure", "period"]
        verbose_name = _("continuation estimate")
        verbose_name_plural = _("continuation estimates")
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="continuation_once_per_period")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period}"
