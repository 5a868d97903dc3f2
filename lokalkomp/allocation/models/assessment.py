"""The forum's assessment (vurdering) of each measure against the round's criteria, and habilitet.

The criteria are data on the scheme version (never hard-coded); a round may add Trøndelag's four
central questions (seed 002). An assessment is private to its assessor until shared; the
secretariat sees all. A member tied to an owner or partner institution of a partnership is
disqualified from its measures (forvaltningsloven § 6): that follows from the memberships and from
the member's own declaration per round, which is an append-only record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 4000


class StaleAssessment(Exception):
    """The form was loaded from an older version (another tab, or another device, saved since)."""

    def __init__(self, current: Assessment) -> None:
        super().__init__("The assessment has changed since the form was loaded.")
        self.current = current


class SharedAssessment(Exception):
    """A shared assessment is final: it is not changed any more."""


class Criterion(models.Model):
    """One allocation criterion (tildelingskriterium) of a scheme version, or a central question."""

    class Set(models.TextChoices):
        CRITERIA = "criteria", _("Allocation criteria")
        CENTRAL_QUESTIONS = "central_questions", _("Central questions (Trøndelag)")

    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scheme")
    )
    set = models.CharField(_("set"), max_length=30, choices=Set.choices, default=Set.CRITERIA)
    number = models.PositiveSmallIntegerField(_("number"))
    short = models.CharField(_("in brief"), max_length=80)
    text = models.TextField(_("criterion"), max_length=1000)

    class Meta:
        ordering = ["scheme", "set", "number"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "set", "number"], name="criterion_number_once_per_set"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short}"


class AssessmentSetup(models.Model):
    """How a round is assessed: whether the central questions are asked beside the criteria."""

    round = models.OneToOneField(
        "schemes.Round", on_delete=models.CASCADE, related_name="assessment_setup", verbose_name=_("round")
    )
    central_questions = models.BooleanField(_("ask the four central questions too"), default=False)

    class Meta:
        verbose_name = _("assessment setup")
        verbose_name_plural = _("assessment setups")

    def __str__(self) -> str:
        return str(self.round)

    @classmethod
    def set_central_questions(cls, round: Any, value: bool, *, by: Any) -> bool:
        """Ask the four central questions in the round, or not; an event when it changes. True if it changed."""
        from lokalkomp.accounts.models import AuditEvent, ChangeSource

        with transaction.atomic():
            setup, _created = cls.objects.select_for_update().get_or_create(round=round)
            if setup.central_questions == value:
                return False
            old, setup.central_questions = setup.central_questions, value
            setup.save(update_fields=["central_questions"])
            AuditEvent.record_change(
                f"round:{round.pk}:central_questions",
                object_repr=round,
                old=old,
                new=value,
                by=by,
                source=ChangeSource.FORM,
                office_id=round.office_id,
            )
        round.assessment_setup = setup
        return True


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def in_round(self, round: Any) -> AssessmentQuerySet:
        return self.filter(round=round)

    def by(self, user: Any) -> AssessmentQuerySet:
        return self.filter(assessor=user)

    def shared(self) -> AssessmentQuerySet:
        return self.filter(shared=True)


class Assessment(models.Model):
    class Recommendation(models.TextChoices):
        PRIORITISE = "prioritise", _("Prioritise")
        POSSIBLE = "possible", _("Possible")
        DO_NOT_FUND = "do_not_fund", _("Do not fund")

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("round")
    )
    measure = models.ForeignKey(
        "needs.Measure", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("measure")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("assessor")
    )
    recommendation = models.CharField(
        _("overall recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    shared = models.BooleanField(_("shared with the forum"), default=False)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "measure", "assessor"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["measure", "assessor"], name="one_assessment_per_measure_and_person"),
            models.CheckConstraint(condition=Q(shared=False) | Q(shared_at__isnull=False), name="shared_has_a_date"),
        ]
        indexes = [models.Index(fields=["round", "shared"], name="assessment_round_shared")]

    def __str__(self) -> str:
        return f"{self.measure_id} / {self.assessor_id}"

    @property
    def status(self) -> str:
        return "shared" if self.shared else "draft"

    def scores_by_criterion(self) -> dict[int, CriterionScore]:
        """The scores, by criterion id (reads the prefetched scores)."""
        return {score.criterion_id: score for score in self.scores.all()}

    @classmethod
    def write(
        cls,
        *,
        measure: Any,
        assessor: Any,
        version: int,
        recommendation: str,
        comment: str,
        scores: Mapping[int, tuple[str, str]],
    ) -> tuple[Assessment, bool]:
        """Save what the form says, if the form was loaded from the version now stored (compare-and-set).

        `version` 0 is a form for an assessment not yet started. `scores` maps a criterion id to its
        (score, comment). Returns the assessment and whether anything changed (an unchanged save bumps
        nothing). Raises StaleAssessment with the stored one when someone saved since, SharedAssessment
        when it is shared (final).
        """
        try:
            with transaction.atomic():
                return cls._write(measure, assessor, version, recommendation, comment, scores)
        except IntegrityError:
            # Another tab started the same assessment a moment ago: theirs is the stored one now.
            current = cls.objects.get(measure=measure, assessor=assessor)
            raise StaleAssessment(current) from None

    @classmethod
    def _write(
        cls,
        measure: Any,
        assessor: Any,
        version: int,
        recommendation: str,
        comment: str,
        scores: Mapping[int, tuple[str, str]],
    ) -> tuple[Assessment, bool]:
        current = cls.objects.select_for_update().filter(measure=measure, assessor=assessor).first()
        if current is None:
            current = cls.objects.create(
                round_id=measure.report.round_id,
                measure=measure,
                assessor=assessor,
                recommendation=recommendation,
                comment=comment,
            )
            current._save_scores(scores, existing={})
            return current, True
        if current.shared:
            raise SharedAssessment
        if current.version != version:
            raise StaleAssessment(current)
        existing = {score.criterion_id: score for score in current.scores.all()}
        changed = current._save_scores(scores, existing=existing)
        if changed or (current.recommendation, current.comment) != (recommendation, comment):
            current.recommendation, current.comment = recommendation, comment
            current.version += 1
            current.save(update_fields=["recommendation", "comment", "version", "updated_at"])
            return current, True
        return current, False

    def _save_scores(self, scores: Mapping[int, tuple[str, str]], *, existing: dict[int, CriterionScore]) -> bool:
        new, changed = [], []
        for criterion_id, (score, comment) in scores.items():
            row = existing.get(criterion_id)
            if row is None:
                if score or comment:
                    new.append(CriterionScore(assessment=self, criterion_id=criterion_id, score=score, comment=comment))
            elif (row.score, row.comment) != (score, comment):
                row.score, row.comment = score, comment
                changed.append(row)
        CriterionScore.objects.bulk_create(new)
        CriterionScore.objects.bulk_update(changed, ["score", "comment"])
        return bool(new or changed)

    def missing(self, criteria: Iterable[Criterion]) -> list[str]:
        """What must be answered before the assessment can be shared: every criterion's score, the recommendation."""
        scored = {score.criterion_id for score in self.scores.all() if score.score}
        gaps = [str(criterion) for criterion in criteria if criterion.pk not in scored]
        if not self.recommendation:
            gaps.append(str(_("the overall recommendation")))
        return gaps

    def share(self, *, by: Any, now: dt.datetime | None = None) -> None:
        """Share the assessment with the forum. Final: it cannot be changed or withdrawn afterwards (an event)."""
        from lokalkomp.accounts.models import AuditEvent, ChangeSource

        with transaction.atomic():
            updated = Assessment.objects.filter(pk=self.pk, shared=False, version=self.version).update(
                shared=True, shared_at=now or timezone.now(), version=self.version + 1
            )
            if not updated:
                raise StaleAssessment(Assessment.objects.get(pk=self.pk))
            self.refresh_from_db(fields=["shared", "shared_at", "version"])
            AuditEvent.record_change(
                f"assessment:{self.pk}:shared",
                object_repr=f"{self.measure} – {self.assessor}",
                old=False,
                new=True,
                by=by,
                source=ChangeSource.FORM,
                office_id=self.round.office_id,
            )


class CriterionScore(models.Model):
    class Score(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    score = models.CharField(_("score"), max_length=10, choices=Score.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)

    class Meta:
        ordering = ["assessment", "criterion__set", "criterion__number"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.criterion_id} {self.score}"


class DeclarationQuerySet(models.QuerySet["Declaration"]):
    """Declarations are appended, never changed: the latest per person and round counts."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("A declaration is a record and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A declaration is a record and cannot be deleted.")

    def latest_per_person(self) -> DeclarationQuerySet:
        """Each person's latest declaration among these (per round: filter by round first)."""
        newer = Declaration.objects.filter(round=models.OuterRef("round"), person=models.OuterRef("person")).filter(
            Q(at__gt=models.OuterRef("at")) | Q(at=models.OuterRef("at"), pk__gt=models.OuterRef("pk"))
        )
        return self.filter(~models.Exists(newer))


class Declaration(models.Model):
    """A person's declaration of ties (habilitetserklæring) for a round: an auditor can read every one."""

    round = models.ForeignKey(
        "schemes.Round", on_delete=models.PROTECT, related_name="declarations", verbose_name=_("round")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("person")
    )
    at = models.DateTimeField(_("declared"), auto_now_add=True)
    no_other_ties = models.BooleanField(_("I have no other ties"), default=False)
    organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+", verbose_name=_("organisations I am tied to")
    )
    ties = models.TextField(_("other ties"), max_length=COMMENT_MAX, blank=True)
    # The organisations' names as they were on the day: the record does not change when one is renamed.
    organisation_names = models.JSONField(_("organisations as named on the day"), default=list, blank=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "person", "at", "pk"]
        verbose_name = _("declaration of ties")
        verbose_name_plural = _("declarations of ties")

    def __str__(self) -> str:
        return f"{self.person} {self.round}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A declaration is a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A declaration is a record and cannot be deleted.")

    @classmethod
    def declare(
        cls, *, round: Any, person: Any, no_other_ties: bool, organisations: Iterable[Any], ties: str
    ) -> Declaration:
        """A new declaration (the only way one is written): the latest counts, every earlier one is kept."""
        chosen = sorted(organisations, key=lambda organisation: (organisation.name, organisation.pk))
        with transaction.atomic():
            declaration = cls.objects.create(
                round=round,
                person=person,
                no_other_ties=no_other_ties,
                ties=ties,
                organisation_names=[organisation.name for organisation in chosen],
            )
            declaration.organisations.add(*chosen)
        return declaration
