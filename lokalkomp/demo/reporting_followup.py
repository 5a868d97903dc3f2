"""The Statsforvalter's follow-up of Nordland's 2023 reports on the use of funds, through the model's methods.

Of the submitted 2023 reports (reporting_funds.py), in the order of the partnerships' names:

- the first is accepted;
- the second is sent back for more, with a comment (the partnership sees it at the top of its form);
- the third has the owner's unused funds claimed back (a claim with its letter, and a negative row on the
  2023 payment list), and is then accepted.

The case officer of Nordland (the first active one) does it. Loading again changes nothing: a report that
is no longer submitted is passed over, and a report with a claim gets no second one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.allocation.models import Decision
from lokalkomp.reporting.models import Claim, FundsReport
from lokalkomp.schemes.models import Round

COMMENT = "Skriv litt mer om hvordan elevene ble hørt, og hva dere gjør videre med det ubrukte beløpet."
REASON = "Ubrukte midler etter rapporten om bruk av midler for 2023, som partnerskapet foreslår å betale tilbake."


def build() -> None:
    round = Round.objects.filter(office__slug="nordland", year=2023).select_related("office").first()
    if round is None:
        return
    reports = list(FundsReport.objects.in_round(round).select_related("partnership").order_by("partnership__name"))
    officer = _officer(round)
    with transaction.atomic():
        if len(reports) > 0:
            _accept(reports[0], officer)
        if len(reports) > 1:
            _ask_for_more(reports[1], officer)
        if len(reports) > 2:
            _claim_and_accept(round, reports[2], officer)


def _officer(round: Round) -> Any:
    membership = (
        Membership.objects.current()
        .filter(office=round.office, role=Role.CASE_OFFICER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _accept(report: FundsReport, by: Any) -> None:
    if report.status == FundsReport.Status.SUBMITTED:
        report.accept(by=by)


def _ask_for_more(report: FundsReport, by: Any) -> None:
    if report.status == FundsReport.Status.SUBMITTED:
        report.return_for_more(by=by, comment=COMMENT)


def _claim_and_accept(round: Round, report: FundsReport, by: Any) -> None:
    if not Claim.objects.filter(report=report).exists():
        unused_owner = sum(line.unused_owner for line in report.lines.all())
        owner = (
            Decision.objects.filter(
                round=round, side=Decision.Side.OWNER, lines__measure__report__partnership=report.partnership
            )
            .distinct()
            .order_by("number")
            .first()
        )
        if owner is not None and unused_owner > 0:
            Claim.make(round, lines=[(owner, unused_owner)], reason=REASON, by=by, report=report)
    _accept(report, by)
