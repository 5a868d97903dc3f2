"""The decisions' reporting deadline (seed 004: «17. juni Frist for partnerskap til å rapportere på midler tildelt i
2023» is a milestone of the 2024 cycle): the next year's «reports due» first, else the round's own."""

from __future__ import annotations

import datetime as dt

import pytest

from lokalkomp.schemes.models import Milestone, Round, Transition

from ..actions import decide_round
from ..models import Decision
from ..pool import reporting_deadline_of
from .steps_helpers import make_step_round, take

pytestmark = pytest.mark.cast(year=2024)


def due(round, on):
    Milestone.objects.create(round=round, title="Frist for rapportering", starts_on=on, governs=Transition.REPORTS_DUE)


def test_the_rounds_own_deadline_serves_when_the_next_year_has_no_cycle(cast):
    due(cast.round, dt.date(2024, 6, 17))
    assert reporting_deadline_of(cast.round) == dt.date(2024, 6, 17)


def test_the_next_years_reports_due_is_the_deadline_for_this_years_grants(cast):
    due(cast.round, dt.date(2024, 6, 17))
    later = Round.objects.create(office=cast.round.office, year=2025)
    due(later, dt.date(2025, 6, 16))
    assert reporting_deadline_of(cast.round) == dt.date(2025, 6, 16)
    other_office = Round.objects.exclude(office=cast.round.office).first()
    assert other_office is None or reporting_deadline_of(other_office) != dt.date(2025, 6, 16)


def test_the_decisions_take_the_next_years_deadline(cast):
    r = make_step_round(cast)
    later = Round.objects.create(office=cast.round.office, year=2025)
    due(later, dt.date(2025, 6, 16))
    take(r, "preliminary")
    take(r, "final")
    decide_round(round=r.round, by=r.cast.governor)
    assert set(Decision.objects.filter(round=r.round).values_list("reporting_deadline", flat=True)) == {
        dt.date(2025, 6, 16)
    }


def test_no_deadline_at_all_is_none(cast):
    Milestone.objects.filter(round__office=cast.round.office, governs=Transition.REPORTS_DUE).delete()
    assert reporting_deadline_of(cast.round) is None
