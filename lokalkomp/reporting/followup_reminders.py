"""Who is reminded before the reporting deadline: the contacts of partnerships that have not submitted.

notifications' deadline reminders (notifications/reminders.py) ask this for the round's «reports on the
use of funds due» deadline, as they ask needs for the needs reports: a partnership the round's decisions
granted money to, whose report is not opened, a draft or returned for more, has not delivered. The
deadline is read as `FundsReport.due_on` reads it: the next year's cycle holds it (seed 004), else the round's own.
"""

from __future__ import annotations

from lokalkomp.accounts.models import User
from lokalkomp.needs.audiences import partnership_contacts
from lokalkomp.needs.models import Partnership
from lokalkomp.schemes.models import Milestone, Round, Transition

from .models.funds import FundsReport


def rounds_reported_by(round: Round) -> list[Round]:
    """The rounds whose funds the round's «reports due» deadline governs, as `FundsReport.due_on` reads it:
    the year before's (seed 004), and the round's own while the next year has no such deadline."""
    years = [round.year - 1]
    if not Milestone.objects.filter(
        governs=Transition.REPORTS_DUE, round__office_id=round.office_id, round__year=round.year + 1
    ).exists():
        years.append(round.year)
    return list(Round.objects.filter(office_id=round.office_id, year__in=years))


def funds_report_missing(round: Round) -> dict[User, list[int]]:
    """Active contacts (with an address) of the granted partnerships without a submitted report, for the rounds
    whose reporting deadline this round's is."""
    rounds = rounds_reported_by(round)
    delivered = set(
        FundsReport.objects.filter(round__in=rounds)
        .exclude(status__in=FundsReport.EDITABLE)
        .values_list("partnership_id", "round_id")
    )
    granted = set(
        Partnership.objects.filter(reports__measures__decision_lines__decision__round__in=rounds).values_list(
            "pk", "reports__measures__decision_lines__decision__round_id"
        )
    )
    pending = {partnership for partnership, round_id in granted if (partnership, round_id) not in delivered}
    return partnership_contacts(Partnership.objects.filter(pk__in=pending))
