"""Who may assess, who sees which assessments, and who is disqualified (habilitet).

The forum's members and deputies, and a fagutvalg's members, assess the measures of the round's
submitted reports, each their own, privately until they share it (sharing is final). The secretariat (the forum secretary and the
Statsforvalter) sees every assessment, shared or not, runs the round's setup and reads the
declarations of ties. Nobody sees an assessment of a measure of a partnership they are disqualified
from (conflicts.py), and nobody assesses one. Each object rule has a Q twin for lists.

`visible_assessments_q`, `sees_every_assessment` and `SECRETARIAT_ROLES` are the contract the
overview reads.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from lokalkomp.accounts.models import GOVERNOR_ROLES, Role
from lokalkomp.accounts.rules import governs_round_office, is_superuser, office_ids_with

from ..conflicts import disqualified_partnership_ids

__all__ = [
    "ASSESSOR_ROLES",
    "SECRETARIAT_ROLES",
    "assessable_measures_q",
    "assessment_rounds_q",
    "assesses_in_round",
    "can_assess_measure",
    "can_declare",
    "can_read_assessment",
    "can_read_declarations",
    "can_set_up_assessment",
    "can_view_assessments",
    "is_assessor",
    "must_declare",
    "sees_every_assessment",
    "visible_assessments_q",
    "visible_declarations_q",
]

# The forum's secretariat is the Statsforvalter's: its secretary and the office's governors.
SECRETARIAT_ROLES = (Role.FORUM_SECRETARY, *GOVERNOR_ROLES)
# Who assesses: the forum's members and deputies, and the fagutvalg's members where an office has a
# fagutvalg (a professional committee that assesses next to or instead of the forum; it is also one of
# accounts' REPORT_READER_ROLES). They declare their ties and are disqualified like a forum member.
ASSESSOR_ROLES = (Role.FORUM_MEMBER, Role.FORUM_DEPUTY, Role.FAGUTVALG_MEMBER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def sees_every_assessment(user: Any, round: Any) -> bool:
    """The secretariat sees everyone's assessments, shared or not."""
    return bool(getattr(user, "is_superuser", False)) or round.office_id in office_ids_with(user, SECRETARIAT_ROLES)


def is_assessor(user: Any, round: Any) -> bool:
    """A forum member or deputy, or a fagutvalg member, of the round's office."""
    return round.office_id in office_ids_with(user, ASSESSOR_ROLES)


# ── The round's assessment (its work list, its setup, the declarations) ────────────────


@rules.predicate
def assesses_in_round(user: Any, round: Any) -> bool:
    return is_assessor(user, round)


@rules.predicate
def is_secretariat_of_round(user: Any, round: Any) -> bool:
    return round.office_id in office_ids_with(user, SECRETARIAT_ROLES)


can_view_assessments = is_superuser | assesses_in_round | is_secretariat_of_round
can_see_every_assessment = is_superuser | is_secretariat_of_round
can_set_up_assessment = is_superuser | governs_round_office
can_declare = assesses_in_round
can_read_declarations = is_superuser | is_secretariat_of_round

rules.add_perm("allocation.view_assessment_list", can_view_assessments)
rules.add_perm("allocation.view_every_assessment", can_see_every_assessment)
rules.add_perm("allocation.set_up_assessment", can_set_up_assessment)
rules.add_perm("allocation.declare_ties", can_declare)
rules.add_perm("allocation.view_declarations", can_read_declarations)


def assessment_rounds_q(user: Any) -> Q:
    """Rounds (on Round) whose assessment work list the user may open, as `can_view_assessments`."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(office_id__in=office_ids_with(user, (*ASSESSOR_ROLES, *SECRETARIAT_ROLES)))


def visible_declarations_q(user: Any) -> Q:
    """Declarations (on Declaration) the user may read: the secretariat's offices' (and each person their own)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(round__office_id__in=office_ids_with(user, SECRETARIAT_ROLES)) | Q(person_id=user.pk)


def must_declare(user: Any, round: Any) -> bool:
    """A member or deputy who has not declared their ties for the round yet (the secretariat never has to).

    One query per request and round, cached on the user object.
    """
    if not is_assessor(user, round) or sees_every_assessment(user, round):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_lokalkomp_declared", {})
    if round.pk not in cache:
        from ..models import Declaration

        cache[round.pk] = Declaration.objects.filter(round_id=round.pk, person_id=user.pk).exists()
    return not cache[round.pk]


# ── A measure: who assesses it ──────────────────────────────────────────────────────────


@rules.predicate
def assesses_submitted_measure(user: Any, measure: Any) -> bool:
    """A member or deputy of the measure's office, for a measure of a submitted report."""
    report = measure.report
    return report.status == report.Status.SUBMITTED and is_assessor(user, report.round)


@rules.predicate
def is_disqualified_from_measure(user: Any, measure: Any) -> bool:
    report = measure.report
    return report.partnership_id in disqualified_partnership_ids(user, report.round)


can_assess_measure = assesses_submitted_measure & ~is_disqualified_from_measure
rules.add_perm("allocation.assess_measure", can_assess_measure)


def assessable_measures_q(user: Any, round: Any) -> Q:
    """The measures (on Measure) of the round the user assesses, as `can_assess_measure`."""
    if not _signed_in(user) or not is_assessor(user, round):
        return Q(pk__in=[])
    q = Q(report__round=round, report__status="submitted")
    disqualified = disqualified_partnership_ids(user, round)
    if disqualified:
        q &= ~Q(report__partnership_id__in=disqualified)
    return q


# ── An assessment: who reads it ─────────────────────────────────────────────────────────


@rules.predicate
def can_read_assessment(user: Any, assessment: Any) -> bool:
    """One's own and the shared ones (the secretariat: all), never one of a partnership one is disqualified from.

    As `visible_assessments_q`; reads `assessment.round` and `assessment.measure.report`.
    """
    if not _signed_in(user):
        return False
    round = assessment.round
    if assessment.measure.report.partnership_id in disqualified_partnership_ids(user, round):
        return False
    return sees_every_assessment(user, round) or assessment.assessor_id == user.pk or assessment.shared


def visible_assessments_q(user: Any, round: Any) -> Q:
    """The assessments of the round the user may read: their own and the shared ones (the secretariat: all),
    never those of a partnership the user is disqualified from.

    Assessments written by someone disqualified from the measure are left out by the overview, which
    asks `conflicts.disqualified_by_person` for every assessor at once (`access.assessment.by_qualified`).
    """
    if not _signed_in(user):
        return Q(pk__in=[])
    q = Q(round=round)
    if not sees_every_assessment(user, round):
        q &= Q(assessor=user) | Q(shared=True)
    disqualified = disqualified_partnership_ids(user, round)
    if disqualified:
        q &= ~Q(measure__report__partnership_id__in=disqualified)
    return q
