"""Small builders for the annual-cycle tests."""

from __future__ import annotations

from typing import Any

from lokalkomp.demo.cycle import milestones_for
from lokalkomp.schemes.models import Milestone, Round


def add_cycle(round: Round, year: int | None = None) -> list[Milestone]:
    """Seed 004's Nordland cycle (årshjul), as the demo builds it, in a round."""
    return [Milestone.objects.create(round=round, **values) for values in milestones_for(year or round.year)]


def body(response: Any) -> str:
    return response.content.decode().replace("\u00a0", " ")
