"""Builders for the assessment's tests: submitted measures, assessors who have declared, their URLs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from lokalkomp.accounts.models import Membership, Role, User
from lokalkomp.needs.models import Measure, NeedsReport
from lokalkomp.testing import give_totp, make_measure, make_partnership, make_report, make_user

from ..models import Declaration


def submit(report: NeedsReport) -> NeedsReport:
    """The report submitted, with its event and its first version, as a submission on the site leaves it."""
    event = report.events.create(from_status=NeedsReport.Status.DRAFT, to_status=NeedsReport.Status.SUBMITTED)
    NeedsReport.objects.filter(pk=report.pk).update(status=NeedsReport.Status.SUBMITTED)
    report.refresh_from_db()
    report.record_version(by=None, event=event)
    return report


def submitted_measure(round: Any, *, network: Any = None, name: str = "", count: int = 1) -> Measure:
    """A new partnership's submitted report in the round with `count` measures; returns the first."""
    report = make_report(round, make_partnership(round.office, network))
    measures = [make_measure(report, 100_000, 50_000, name=f"{name or 'Tiltak'} {n + 1}") for n in range(count)]
    submit(report)
    return measures[0]


def make_assessor(round: Any, *, role: str = Role.FORUM_MEMBER, declared: bool = True, email: str = "") -> User:
    """A forum member (or deputy) of the round's office, with two-factor set up and, if `declared`, no other ties."""
    user = make_user(email or None)
    Membership.objects.create(user=user, role=role, office=round.office)
    give_totp(user)
    if declared:
        Declaration.declare(round=round, person=user, no_other_ties=True, organisations=[], ties="")
    return user


def owner_of(measure: Measure) -> Any:
    return measure.report.partnership.participants.get(side="owner").organisation


def url(name: str, round: Any, *args: Any) -> str:
    return reverse(f"allocation:{name}", args=[round.office.slug, round.year, *args])


def form_data(
    criteria: list[Any], *, version: int = 0, score: str = "met", recommendation: str = "prioritise", **extra: Any
) -> dict[str, Any]:
    """A filled-in assessment form: every criterion scored `score` with a comment."""
    data: dict[str, Any] = {"version": version, "recommendation": recommendation, "comment": "Godt begrunnet."}
    for criterion in criteria:
        data[f"score-{criterion.pk}"] = score
        data[f"comment-{criterion.pk}"] = f"Om {criterion.short}"
    data.update(extra)
    return data
