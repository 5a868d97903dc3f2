"""One measure's assessments side by side: a column per assessment the viewer may read, a line per criterion.

The same rules as the overview's numbers: only what `can_read_assessment` allows; an assessment
written by someone disqualified from the measure's partnership is not among the columns (the
secretariat sees it apart, marked); a viewer disqualified from the partnership gets 403.
Queries: the measure, its assessments with their scores (two), who is disqualified (four) and the
measure's criteria.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lokalkomp.needs.models import Measure
from lokalkomp.schemes.models import Round

from .. import conflicts, criteria
from ..access.overview import get_overview_measure_for
from ..models import Assessment, Criterion, CriterionScore
from ..rules.assessment import can_read_assessment, sees_every_assessment
from .rows import Tally


@dataclass
class Column:
    """One assessment as the side-by-side table shows it."""

    assessor: str
    shared: bool
    recommendation: str
    comment: str
    scores: list[tuple[str, str, str]]  # per criterion: (score code, score label, comment)


@dataclass
class MeasureAssessments:
    measure: Measure
    criteria: list[Criterion]
    columns: list[Column]
    apart: list[Column]  # written by someone disqualified from the measure (the secretariat's view only)
    tallies: list[Tally]  # per criterion, over the columns
    secretariat: bool

    @property
    def lines(self) -> list[tuple[Criterion, list[tuple[str, str, str]], Tally]]:
        """The table's lines: a criterion, each column's (score, label, comment) for it, and its tally."""
        return [
            (criterion, [column.scores[n] for column in self.columns], self.tallies[n])
            for n, criterion in enumerate(self.criteria)
        ]


def measure_assessments(user: Any, round: Round, pk: int) -> MeasureAssessments:
    """The measure's assessments for the user (404 for a measure not of the round's submitted, 403 disqualified).

    Every assessment of the measure is loaded, and each is shown only if `can_read_assessment` (the
    object twin of `visible_assessments_q`) says the user may read it.
    """
    measure = get_overview_measure_for(user, round, pk)
    assessments = list(
        Assessment.objects.filter(round=round, measure=measure)
        .select_related("assessor")
        .prefetch_related("scores")
        .order_by("assessor__last_name", "assessor__first_name", "assessor_id")
    )
    found = conflicts.disqualified_by_person(round, {user.pk, *(a.assessor_id for a in assessments)})
    conflicts.remember(user, round, found[user.pk])
    partnership = measure.report.partnership_id
    if partnership in found[user.pk]:
        raise PermissionDenied(
            _("You are disqualified from the matters of %(partnership)s (forvaltningsloven § 6).")
            % {"partnership": measure.report.partnership.name}
        )
    the_criteria = criteria.for_scheme(measure.scheme, round)
    secretariat = sees_every_assessment(user, round)
    columns, apart = [], []
    for assessment in assessments:
        assessment.measure, assessment.round = measure, round
        if not can_read_assessment(user, assessment):
            continue
        column = _column(assessment, the_criteria)
        if partnership in found.get(assessment.assessor_id, set()):
            if secretariat:
                apart.append(column)
        else:
            columns.append(column)
    tallies = [Tally(label=str(c)) for c in the_criteria]
    for column in columns:
        for tally, (code, _label, _comment) in zip(tallies, column.scores, strict=True):
            tally.add(code, 1)
    return MeasureAssessments(measure, the_criteria, columns, apart, tallies, secretariat)


def _column(assessment: Assessment, the_criteria: list[Criterion]) -> Column:
    labels = dict(CriterionScore.Score.choices)
    scores = assessment.scores_by_criterion()
    cells = []
    for criterion in the_criteria:
        score = scores.get(criterion.pk)
        code = score.score if score else ""
        cells.append((code, str(labels.get(code, "")), score.comment if score else ""))
    return Column(
        assessor=str(assessment.assessor),
        shared=assessment.shared,
        recommendation=str(dict(Assessment.Recommendation.choices).get(assessment.recommendation, "")),
        comment=assessment.comment,
        scores=cells,
    )
