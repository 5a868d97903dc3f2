"""Who may hold a forum seat: what the directory asks of the apps after it about an office's people.

The directory comes first in the year and knows no roles. Whose people an office has (those who
hold a role there, in its networks or in its partnerships) and who of them is the Statsforvalter
are the accounts app's, which fills `seat_people` in its AppConfig.ready(). The seat form offers
the office's people as representatives and refuses a vote to a Statsforvalter's person; the model
(ForumMember.seat_problems) asks the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class SeatPeople:
    """People (as Q filters on the user model) for an office, by its id."""

    candidates: Callable[[int], Q]  # who may represent an organisation in the office's forum
    governors: Callable[[int], Q]  # the office's Statsforvalter, who never votes


seat_people: list[SeatPeople] = []  # accounts: the office's people and its Statsforvalter


def candidates_q(office_id: int) -> Q:
    """People (on User) who may be chosen as a seat's representative; nobody if no app says."""
    q = Q(pk__in=[])
    for people in seat_people:
        q |= people.candidates(office_id)
    return q


def governors_q(office_id: int) -> Q:
    """People (on User) of the office's Statsforvalter."""
    q = Q(pk__in=[])
    for people in seat_people:
        q |= people.governors(office_id)
    return q
