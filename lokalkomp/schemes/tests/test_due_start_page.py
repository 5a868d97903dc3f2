"""The start page lists what is due for each role, and never fails, whatever day it is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lokalkomp.accounts.models import Membership, Role
from lokalkomp.schemes.models import Milestone, Round, Transition
from lokalkomp.testing import make_network, make_user

from .helpers import add_cycle, body

OSLO = ZoneInfo("Europe/Oslo")
OTHER_COMPILATION = "Frist for samling i et annet embete"
ROLES = (
    "governor",
    "forum_member",
    "coordinator",
    "other_coordinator",
    "owner_contact",
    "partner_contact",
    "union_rep",
    "outsider",
    "other_office_governor",
)


def _my_tasks(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    page = body(response)
    return page.split('id="due-heading"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def year(people):
    """The cast's round with seed 004's whole cycle, and a network with a deadline in another office."""
    add_cycle(people.round)
    other_office = Membership.objects.get(user=people.other_office_governor).office
    other_round = Round.objects.create(office=other_office, year=people.round.year)
    make_network(other_office, coordinator=make_user())
    compilation = people.round.deadline(Transition.NETWORK_COMPILATION)
    Milestone.objects.create(
        round=other_round, title=OTHER_COMPILATION, starts_on=compilation.starts_on, governs="network_compilation"
    )
    return people


def _expected(cast, role: str, today: dt.date) -> set[str]:
    """The titles (or, for the report, its link) a role should find under «My tasks» on that day."""
    deadlines = {m.governs: m for m in cast.round.milestones.exclude(governs="")}
    still = {governs for governs, m in deadlines.items() if m.last_day >= today}
    wanted = {
        "owner_contact": {Transition.NEEDS_REPORTS},
        "partner_contact": {Transition.NEEDS_REPORTS},
        "coordinator": {Transition.NETWORK_COMPILATION},
        "other_coordinator": {Transition.NETWORK_COMPILATION},  # a network of the same office
        "governor": {Transition.RECOMMENDATION, Transition.DECISION},
        "forum_member": {Transition.RECOMMENDATION},
    }.get(role, set())
    shown = set()
    for governs in wanted & still:
        shown.add(cast.report.get_absolute_url() if governs == Transition.NEEDS_REPORTS else deadlines[governs].title)
    if role == "other_office_governor":
        shown = set()  # the other office has only a compilation deadline: not the Statsforvalter's
    return shown


def _days(cast) -> list[dt.date]:
    deadlines = cast.round.milestones.exclude(governs="").order_by("starts_on")
    return [m.last_day for m in deadlines[:1]] + [m.last_day + dt.timedelta(days=1) for m in deadlines]


def test_the_start_page_answers_every_role_the_day_after_each_deadline_with_their_own_tasks(year):
    cast = year
    all_titles = {m.title for m in Milestone.objects.exclude(governs="")} | {cast.report.get_absolute_url()}
    checked = 0
    for today in _days(cast):
        with time_machine.travel(dt.datetime.combine(today, dt.time(9, 0), tzinfo=OSLO), tick=False):
            anonymous = Client()
            assert anonymous.get("/").status_code == 200
            for role in ROLES:
                client = Client()
                client.force_login(getattr(cast, role))
                tasks = _my_tasks(client)
                found = {title for title in all_titles if title in tasks}
                assert found == _expected(cast, role, today), (role, today)
                checked += 1
    assert checked == len(ROLES) * 6  # the deadline day itself, then the day after each of the five deadlines


def test_a_contact_with_a_draft_sees_the_needs_report_deadline_on_its_last_day_and_not_the_day_after(year):
    cast = year
    deadline = cast.round.deadline(Transition.NEEDS_REPORTS).last_day
    late_evening = dt.datetime.combine(deadline, dt.time(23, 0), tzinfo=OSLO)
    for now, shown in ((late_evening, True), (late_evening + dt.timedelta(hours=2), False)):
        with time_machine.travel(now, tick=False):
            client = Client()
            client.force_login(cast.owner_contact)
            assert (cast.report.get_absolute_url() in _my_tasks(client)) is shown


def test_a_coordinator_is_not_shown_the_compilation_deadline_of_another_office(year):
    cast = year
    coordinator_elsewhere = make_user()
    other = Membership.objects.get(user=cast.other_office_governor).office
    network = make_network(other)
    Membership.objects.create(user=coordinator_elsewhere, role=Role.NETWORK_COORDINATOR, network=network)
    day = cast.round.deadline(Transition.NEEDS_REPORTS).last_day
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=OSLO), tick=False):
        mine, theirs = Client(), Client()
        mine.force_login(cast.coordinator)
        theirs.force_login(coordinator_elsewhere)
        assert OTHER_COMPILATION not in _my_tasks(mine)
        assert cast.round.deadline(Transition.NETWORK_COMPILATION).title in _my_tasks(mine)
        assert OTHER_COMPILATION in _my_tasks(theirs)
