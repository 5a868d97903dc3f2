"""The round's assessment for a user, or 404 (a stranger) / 403 (may see, may not do this). Views call these.

A round is found by its office and year (`/runder/<office>/<year>/vurdering/`). The round itself is
public (its page is), so someone who may not use its assessment is told no (403), not that it does
not exist. A measure that is not one of the round's submitted ones is 404.

The declaration gate lives here too: until a forum member or deputy has declared their ties for
the round, the assessment pages and the needs reports of the round's office send them to the
declaration first (`declaration_gate`, `report_gate`, `report_list_gate`; needs reads the last
two through its registries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from lokalkomp.accounts.rules import office_ids_with
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.schemes.models import Round

from .. import conflicts
from ..models import Assessment, Declaration
from ..rules.assessment import (
    ASSESSOR_ROLES,
    SECRETARIAT_ROLES,
    can_declare,
    can_read_assessment,
    can_read_declarations,
    can_set_up_assessment,
    can_view_assessments,
    is_assessor,
    must_declare,
)

__all__ = [
    "AssessmentPage",
    "declaration_gate",
    "declaration_url",
    "get_assessment_page_for",
    "get_assessment_round_for",
    "get_declaration_round_for",
    "get_declarations_for",
    "get_setup_round_for",
    "report_gate",
    "report_list_gate",
    "without_disqualified_authors",
]

ID_MAX = 2**62  # larger ids than a bigint holds are no one's: 404 before the database is asked


def _round(office: str, year: int) -> Round:
    if not 2000 <= year <= 2100:
        raise Http404
    found = Round.objects.select_related("office", "assessment_setup").filter(office__slug=office, year=year).first()
    if found is None:
        raise Http404
    return found


def get_assessment_round_for(user: Any, office: str, year: int) -> Round:
    """The round whose work list the user may open: the forum's members and deputies, the secretariat."""
    round = _round(office, year)
    if not can_view_assessments(user, round):
        raise PermissionDenied(
            _("Only the forum's members and deputies, the fagutvalg and the secretariat take part in the assessment.")
        )
    return round


def get_setup_round_for(user: Any, office: str, year: int) -> Round:
    round = _round(office, year)
    if not can_set_up_assessment(user, round):
        raise PermissionDenied(_("Only the Statsforvalter of the office sets up the round's assessment."))
    return round


def get_declaration_round_for(user: Any, office: str, year: int) -> Round:
    """The round a forum member or deputy declares their ties for."""
    round = _round(office, year)
    if not can_declare(user, round):
        raise PermissionDenied(
            _("Only the forum's members and deputies and the fagutvalg's members declare their ties for the round.")
        )
    return round


def get_declarations_for(user: Any, office: str, year: int) -> Round:
    """The round whose declarations the user may read: the secretariat (an auditor's record)."""
    round = _round(office, year)
    if not can_read_declarations(user, round):
        raise PermissionDenied(_("Only the Statsforvalter and the forum's secretariat read the declarations."))
    return round


@dataclass
class AssessmentPage:
    """What the assessment form of one measure shows: the measure, my assessment, the others' I may read."""

    measure: Measure
    mine: Assessment | None
    others: list[Assessment]


def get_assessment_page_for(user: Any, round: Round, pk: int) -> AssessmentPage:
    """One measure of the round's submitted reports for its assessor; 403 with the reason for the disqualified.

    Four queries besides the measure and the assessments: who of the assessors is disqualified, once
    for all of them (the answer for the user goes into the request's cache).
    """
    if not 0 < pk <= ID_MAX:
        raise Http404
    measure = (
        Measure.objects.select_related("report__partnership__network", "scheme")
        .filter(pk=pk, report__round=round, report__status=NeedsReport.Status.SUBMITTED)
        .first()
    )
    if measure is None:
        raise Http404
    measure.report.round = round
    if not is_assessor(user, round):
        raise PermissionDenied(
            _("Only the forum's members and deputies and the fagutvalg's members assess the measures.")
        )
    assessments = list(Assessment.objects.filter(measure=measure).select_related("assessor").prefetch_related("scores"))
    found = conflicts.disqualifications(round, {user.pk, *(a.assessor_id for a in assessments)})
    partnership = measure.report.partnership_id
    conflicts.remember(user, round, set(found[user.pk]))
    if partnership in found[user.pk]:
        ties = "; ".join(sorted(conflicts.describe(tie) for tie in found[user.pk][partnership]))
        raise PermissionDenied(
            _("You are disqualified from the matters of %(partnership)s (forvaltningsloven § 6): you %(ties)s.")
            % {"partnership": measure.report.partnership.name, "ties": ties}
        )
    mine = None
    others = []
    for assessment in assessments:
        assessment.measure, assessment.round = measure, round
        if assessment.assessor_id == user.pk:
            mine = assessment
        elif partnership not in found[assessment.assessor_id] and can_read_assessment(user, assessment):
            others.append(assessment)
    return AssessmentPage(measure=measure, mine=mine, others=others)


def without_disqualified_authors(assessments: list[Assessment], found: dict[int, set[int]]) -> list[Assessment]:
    """The assessments whose authors are not disqualified from the measure (`found`: disqualified_by_person).

    Reads `assessment.measure.report.partnership_id`: load the assessments with their measures' reports.
    """
    return [a for a in assessments if a.measure.report.partnership_id not in found.get(a.assessor_id, set())]


# ── The declaration gate ────────────────────────────────────────────────────────────────


def declaration_url(round: Round, next_url: str = "") -> str:
    url = reverse("allocation:declaration", args=[round.office.slug, round.year])
    return f"{url}?{urlencode({'neste': next_url})}" if next_url else url


def declaration_gate(user: Any, round: Round, next_url: str = "") -> str:
    """Where a member or deputy who has not declared their ties for the round goes first ('' if nowhere)."""
    return declaration_url(round, next_url) if must_declare(user, round) else ""


def report_gate(user: Any, report: Any) -> str:
    """needs.access.report_gates: a forum member reads the round's reports only after declaring their ties.

    Someone who reads the report for another reason (its contact person, its network's coordinator,
    a union representative named on it) reads it as before.
    """
    from lokalkomp.needs.rules import coordinates_report_network, is_named_union_rep, is_report_contact

    round = report.round
    if not must_declare(user, round):
        return ""
    if is_report_contact(user, report) or coordinates_report_network(user, report) or is_named_union_rep(user, report):
        return ""
    return declaration_url(round, report.get_absolute_url())


def report_list_gate(user: Any) -> Q | None:
    """needs.access.report_list_gates: the reports a member or deputy does not see in lists until they declare.

    The reports of the rounds of their offices they have not declared for, except their own
    partnerships' and those they are named on (needs' report scope, already read for the list).
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    offices = office_ids_with(user, ASSESSOR_ROLES) - office_ids_with(user, SECRETARIAT_ROLES)
    if not offices:
        return None
    from lokalkomp.needs.rules import report_scope

    declared = Declaration.objects.filter(person_id=user.pk).values("round_id")
    undeclared = Round.objects.filter(office_id__in=offices).exclude(pk__in=declared).values("pk")
    scope = report_scope(user)
    q = Q(round_id__in=undeclared)
    if scope.partnerships:
        q &= ~Q(partnership_id__in=scope.partnerships)
    if scope.reports:
        q &= ~Q(pk__in=scope.reports)
    return q
